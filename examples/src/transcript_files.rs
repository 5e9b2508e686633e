//! What `export` and `webhook-receiver` share about transcript files: the
//! `--transcript-format` argument, the format a transcript is written in, and file-name-safe
//! ids. Included by both binaries with `#[path]`.

use clap::ValueEnum;
use transcripts::{Format, RenderError, RenderOptions, Transcript};

/// `--transcript-format`: how transcripts are written, the same for every vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TranscriptFormatArg {
    /// `Speaker: text` lines (the default).
    Txt,
    /// WebVTT.
    Vtt,
    /// SubRip.
    Srt,
    /// The lossless JSON form of the `transcripts` crate.
    Json,
}

impl TranscriptFormatArg {
    /// The format of the `transcripts` crate.
    pub fn format(self) -> Format {
        match self {
            TranscriptFormatArg::Txt => Format::Text,
            TranscriptFormatArg::Vtt => Format::Vtt,
            TranscriptFormatArg::Srt => Format::Srt,
            TranscriptFormatArg::Json => Format::Json,
        }
    }
}

/// The format `transcript` is written in when `asked` is wanted: `asked`, or `txt` for a
/// transcript without times asked for as WebVTT or SRT (inventing times would be a lie).
pub fn written_format(asked: Format, transcript: &Transcript) -> Format {
    if asked.needs_times() && !transcript.is_timed() {
        Format::Text
    } else {
        asked
    }
}

/// `transcript` rendered as [`written_format`] says, with that format.
pub fn render(asked: Format, transcript: &Transcript) -> Result<(Format, String), RenderError> {
    let format = written_format(asked, transcript);
    Ok((
        format,
        format.render(transcript, &RenderOptions::default())?,
    ))
}

/// A file-name-safe form of an id: letters, digits, `-` and `_` are kept, every other byte
/// becomes `%XX` (so no id can name a path outside the directory).
pub fn safe_name(id: &str) -> String {
    let mut name = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            name.push(char::from(b));
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    name
}
