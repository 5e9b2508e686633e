//! The output formats as one enum, render options, lenient parse results and byte input.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::error::{ParseError, RenderError};
use crate::model::Transcript;

/// A transcript format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// WebVTT (`.vtt`): see [`crate::vtt`].
    Vtt,
    /// SubRip (`.srt`): see [`crate::srt`].
    Srt,
    /// Plain text (`.txt`), `Speaker: text` lines: see [`crate::text`].
    Text,
    /// The documented JSON form (`.json`): see [`crate::json`].
    Json,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] = [Format::Vtt, Format::Srt, Format::Text, Format::Json];

    /// The short name, also the file extension: `vtt`, `srt`, `txt`, `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Text => "txt",
            Format::Json => "json",
        }
    }

    /// The file extension (the same as [`Format::as_str`]).
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// The media type (`text/vtt`, `application/x-subrip`, `text/plain`, `application/json`).
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Vtt => "text/vtt",
            Format::Srt => "application/x-subrip",
            Format::Text => "text/plain",
            Format::Json => "application/json",
        }
    }

    /// Whether the format needs a start and an end for every segment.
    pub fn needs_times(self) -> bool {
        matches!(self, Format::Vtt | Format::Srt)
    }

    /// Render a transcript in this format.
    pub fn render(self, t: &Transcript, options: &RenderOptions) -> Result<String, RenderError> {
        match self {
            Format::Vtt => crate::vtt::render_with(t, options),
            Format::Srt => crate::srt::render_with(t, options),
            Format::Text => Ok(crate::text::render_with(t, options)),
            Format::Json => Ok(crate::json::render(t)),
        }
    }

    /// Parse a transcript in this format (WebVTT and SRT strictly; plain text with the turn
    /// recognition of [`crate::text::parse`], which never fails).
    pub fn parse(self, input: &str) -> Result<Transcript, ParseError> {
        match self {
            Format::Vtt => crate::vtt::parse(input),
            Format::Srt => crate::srt::parse(input),
            Format::Text => Ok(crate::text::parse(input)),
            Format::Json => crate::json::parse(input),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The name given to [`Format::from_str`] is not a format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown transcript format `{0}` (expected vtt, srt, txt or json)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// `vtt` (or `webvtt`), `srt`, `txt` (or `text`), `json`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vtt" | "webvtt" => Ok(Format::Vtt),
            "srt" | "subrip" => Ok(Format::Srt),
            "txt" | "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

/// What the WebVTT and SRT renderers do with a segment that lacks a start or an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MissingTimes {
    /// Fail with [`RenderError::MissingTimes`] (the default): a subtitle file with made-up
    /// times is worse than none.
    #[default]
    Error,
    /// Fill them in: a missing start is the previous cue's end (zero for the first); a
    /// missing end is the next segment's start when that is known and not earlier, else the
    /// start (a zero-length cue). An untimed transcript (Hedy's, Heilo's) thus becomes
    /// cues at `00:00:00.000` that keep the text, the order and the speakers.
    Synthesize,
}

/// Options for the renderers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderOptions {
    /// What WebVTT and SRT do with missing times.
    pub missing_times: MissingTimes,
    /// Plain text only: start each segment whose start is known with `[hh:mm:ss.mmm] `.
    pub text_timestamps: bool,
}

impl RenderOptions {
    /// The defaults: missing times are an error, plain text without timestamps.
    pub fn new() -> Self {
        RenderOptions::default()
    }

    /// Set what WebVTT and SRT do with missing times.
    pub fn missing_times(mut self, policy: MissingTimes) -> Self {
        self.missing_times = policy;
        self
    }

    /// Plain text: write each known start as `[hh:mm:ss.mmm] `.
    pub fn text_timestamps(mut self, on: bool) -> Self {
        self.text_timestamps = on;
        self
    }
}

/// The start and end of every segment in milliseconds, as the timed renderers write them.
pub(crate) fn cue_times(
    t: &Transcript,
    policy: MissingTimes,
) -> Result<Vec<(u64, u64)>, RenderError> {
    let ms = crate::time::millis;
    let mut out = Vec::with_capacity(t.segments.len());
    let mut prev_end = 0u64;
    for (i, s) in t.segments.iter().enumerate() {
        let (start, end) = match (s.start, s.end, policy) {
            (Some(a), Some(b), _) => (ms(a), ms(b)),
            (_, _, MissingTimes::Error) => return Err(RenderError::MissingTimes { segment: i }),
            (start, end, MissingTimes::Synthesize) => {
                let start = start.map_or(prev_end, ms);
                let end = match end {
                    Some(e) => ms(e),
                    None => t
                        .segments
                        .get(i + 1)
                        .and_then(|n| n.start)
                        .map(ms)
                        .filter(|&n| n >= start)
                        .unwrap_or(start),
                };
                (start, end)
            }
        };
        prev_end = end;
        out.push((start, end));
    }
    Ok(out)
}

/// A lenient parse: the transcript of every well-formed cue, and what was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Parsed {
    /// The cues that parsed.
    pub transcript: Transcript,
    /// One entry per skipped block, with its line (what a strict parse fails on first).
    pub warnings: Vec<ParseError>,
}

/// Bytes as text for the parsers: a UTF-8 byte order mark is dropped and invalid UTF-8 is
/// replaced with U+FFFD, as the WebVTT rules decode a file (no copy when the bytes are valid
/// UTF-8).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::model::Segment;

    #[test]
    fn names() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
        }
        assert_eq!("WebVTT".parse::<Format>().unwrap(), Format::Vtt);
        assert_eq!("text".parse::<Format>().unwrap(), Format::Text);
        assert!("docx".parse::<Format>().is_err());
    }

    #[test]
    fn synthesized_times() {
        let s = Duration::from_secs;
        let t = Transcript::new(vec![
            Segment::new("a"),
            Segment::new("b").with_start(s(5)),
            Segment::new("c").with_times(s(7), s(9)),
            Segment::new("d").with_end(s(12)),
            Segment::new("e"),
        ]);
        assert_eq!(
            cue_times(&t, MissingTimes::Error),
            Err(RenderError::MissingTimes { segment: 0 })
        );
        assert_eq!(
            cue_times(&t, MissingTimes::Synthesize).unwrap(),
            [
                (0, 5000),
                (5000, 7000),
                (7000, 9000),
                (9000, 12000),
                (12000, 12000)
            ]
        );
    }

    #[test]
    fn decodes_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFWEBVTT"), "WEBVTT");
        assert_eq!(decode(b"a\xFFb"), "a\u{FFFD}b");
    }
}
