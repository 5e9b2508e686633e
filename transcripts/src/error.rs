//! Errors: [`ParseError`] (with the line), [`RenderError`] and, for the vendor conversions,
//! [`ConvertError`].

use std::fmt;

/// A WebVTT, SRT or JSON input that could not be read, and the line where it went wrong
/// (1-based, counting `\r\n`, `\n` and `\r` as line ends).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
#[non_exhaustive]
pub struct ParseError {
    /// The line (1-based).
    pub line: usize,
    /// What is wrong there.
    pub kind: ParseErrorKind,
}

impl ParseError {
    pub(crate) fn new(line: usize, kind: ParseErrorKind) -> Self {
        ParseError { line, kind }
    }
}

/// What is wrong with an input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A WebVTT file does not start with `WEBVTT` (after an optional byte order mark).
    MissingHeader,
    /// A cue's timing line is not `start --> end` with valid timestamps (the line as found).
    BadTimings(String),
    /// A block is neither a cue nor a `NOTE`, `STYLE` or `REGION` block: text without a
    /// timing line (WebVTT), or a block without an index and timing line (SRT).
    NotACue,
    /// A cue timing line inside the WebVTT header: the blank line after the header is
    /// missing, so a WebVTT reader would drop the cue.
    CueInHeader,
    /// An SRT block's first line is not a cue number.
    BadIndex(String),
    /// The JSON form could not be decoded.
    Json(String),
    /// The JSON form has a `schema_version` this version does not read.
    UnsupportedSchema(u64),
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseErrorKind::MissingHeader => f.write_str("the file does not start with WEBVTT"),
            ParseErrorKind::BadTimings(line) => write!(f, "bad cue timings `{}`", clip(line)),
            ParseErrorKind::NotACue => f.write_str("text that is not part of a cue"),
            ParseErrorKind::CueInHeader => {
                f.write_str("cue timings inside the header (a blank line is missing after WEBVTT)")
            }
            ParseErrorKind::BadIndex(line) => {
                write!(f, "expected a cue number, found `{}`", clip(line))
            }
            ParseErrorKind::Json(m) => write!(f, "invalid transcript JSON: {m}"),
            ParseErrorKind::UnsupportedSchema(v) => {
                write!(f, "unsupported schema_version {v} (this version reads 1)")
            }
        }
    }
}

/// At most 80 characters of a line, for messages.
fn clip(line: &str) -> &str {
    match line.char_indices().nth(80) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}

/// A transcript that cannot be written in the format asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// WebVTT and SRT need a start and an end for every cue, and this segment (0-based) lacks
    /// one. [`MissingTimes::Synthesize`](crate::MissingTimes::Synthesize) fills them in instead.
    #[error("segment {segment} has no start or end time (WebVTT and SRT need both)")]
    MissingTimes {
        /// The segment's index.
        segment: usize,
    },
}

/// A vendor's record or transcript that could not be converted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConvertError {
    /// The vendor's JSON does not decode into its record type.
    #[error("the vendor record does not decode: {0}")]
    Json(#[from] serde_json::Error),
    /// The vendor's WebVTT or SRT text does not parse.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The vendor reports that transcription failed (Speakr's `ERROR_JSON:` record), with
    /// its message.
    #[error("the vendor reports that transcription failed: {0}")]
    TranscriptionFailed(String),
    /// The transcript is in a format this crate does not read (the vendor's format name).
    #[error("unsupported transcript format `{0}`")]
    UnsupportedFormat(String),
}
