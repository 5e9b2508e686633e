//! The vendor-neutral model: [`Transcript`], [`Segment`], [`Source`], [`Vendor`] and
//! [`Meeting`].

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{ParseError, RenderError};
use crate::format::{Format, RenderOptions};

/// The platform a meeting or transcript came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Vendor {
    /// Hedy (sessions).
    Hedy,
    /// Speakr (recordings).
    Speakr,
    /// Heilo (calls).
    Heilo,
    /// Healthie (appointments).
    Healthie,
}

impl Vendor {
    /// Every vendor, in a stable order.
    pub const ALL: [Vendor; 4] = [
        Vendor::Hedy,
        Vendor::Speakr,
        Vendor::Heilo,
        Vendor::Healthie,
    ];

    /// The lower-case name (`"hedy"`, `"speakr"`, `"heilo"`, `"healthie"`), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Hedy => "hedy",
            Vendor::Speakr => "speakr",
            Vendor::Heilo => "heilo",
            Vendor::Healthie => "healthie",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The name given to [`Vendor::from_str`] is not a vendor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown vendor `{0}` (expected hedy, speakr, heilo or healthie)")]
pub struct UnknownVendor(pub String);

impl FromStr for Vendor {
    type Err = UnknownVendor;

    /// Accepts the names of [`Vendor::as_str`], in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Vendor::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownVendor(s.to_owned()))
    }
}

/// Where a transcript came from: the vendor and the id of the meeting there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Source {
    /// The vendor.
    pub vendor: Vendor,
    /// The meeting's id at that vendor (Speakr's numeric ids as decimal text).
    pub meeting_id: String,
}

impl Source {
    /// A source.
    pub fn new(vendor: Vendor, meeting_id: impl Into<String>) -> Self {
        Source {
            vendor,
            meeting_id: meeting_id.into(),
        }
    }
}

/// One stretch of speech: who spoke (when known), when (when known) and what was said.
///
/// Serialized as the `segments` items of the [JSON form](crate::json): times as whole
/// milliseconds in `start_ms` and `end_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Segment {
    /// The speaker's name or label (`"Dana Reyes"`, `"SPEAKER_00"`), when known.
    #[serde(default)]
    pub speaker: Option<String>,
    /// When the segment starts, from the start of the recording.
    #[serde(default, rename = "start_ms", with = "crate::time::serde_ms")]
    pub start: Option<Duration>,
    /// When the segment ends, from the start of the recording.
    #[serde(default, rename = "end_ms", with = "crate::time::serde_ms")]
    pub end: Option<Duration>,
    /// What was said; several lines are joined with `\n`.
    #[serde(default)]
    pub text: String,
}

impl Segment {
    /// An untimed segment without a speaker.
    pub fn new(text: impl Into<String>) -> Self {
        Segment {
            speaker: None,
            start: None,
            end: None,
            text: text.into(),
        }
    }

    /// The same segment with a speaker.
    pub fn with_speaker(mut self, speaker: impl Into<String>) -> Self {
        self.speaker = Some(speaker.into());
        self
    }

    /// The same segment with a start and an end.
    pub fn with_times(mut self, start: Duration, end: Duration) -> Self {
        self.start = Some(start);
        self.end = Some(end);
        self
    }

    /// The same segment with a start.
    pub fn with_start(mut self, start: Duration) -> Self {
        self.start = Some(start);
        self
    }

    /// The same segment with an end.
    pub fn with_end(mut self, end: Duration) -> Self {
        self.end = Some(end);
        self
    }
}

/// A transcript: ordered segments, the language when known, and the vendor and meeting it
/// came from.
///
/// Serialized (with serde) in the [JSON form](crate::json), `schema_version` included.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Transcript {
    /// The segments, in the order spoken.
    pub segments: Vec<Segment>,
    /// The language (a code such as `en` or `pl`), when known.
    pub language: Option<String>,
    /// The vendor and meeting it came from, when known.
    pub source: Option<Source>,
}

impl Transcript {
    /// A transcript of these segments, with no language or source.
    pub fn new(segments: Vec<Segment>) -> Self {
        Transcript {
            segments,
            language: None,
            source: None,
        }
    }

    /// The same transcript with a language.
    pub fn with_language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// The same transcript with a source.
    pub fn with_source(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    /// The distinct speakers, in the order they first speak.
    pub fn speakers(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for s in self.segments.iter().filter_map(|s| s.speaker.as_deref()) {
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
        seen
    }

    /// The latest end (or start) of any segment: the transcript's length, when timed.
    pub fn duration(&self) -> Option<Duration> {
        self.segments.iter().filter_map(|s| s.end.or(s.start)).max()
    }

    /// Whether every segment has a start and an end (what WebVTT and SRT need).
    pub fn is_timed(&self) -> bool {
        self.segments
            .iter()
            .all(|s| s.start.is_some() && s.end.is_some())
    }

    /// Parse WebVTT (strict: see [`crate::vtt::parse`]).
    pub fn from_vtt(input: &str) -> Result<Transcript, ParseError> {
        crate::vtt::parse(input)
    }

    /// Parse SRT (strict: see [`crate::srt::parse`]).
    pub fn from_srt(input: &str) -> Result<Transcript, ParseError> {
        crate::srt::parse(input)
    }

    /// Render as WebVTT; every segment needs its times (see [`crate::vtt::render`]).
    pub fn to_vtt(&self) -> Result<String, RenderError> {
        crate::vtt::render(self)
    }

    /// Render as SRT; every segment needs its times (see [`crate::srt::render`]).
    pub fn to_srt(&self) -> Result<String, RenderError> {
        crate::srt::render(self)
    }

    /// Render as plain text, one `Speaker: text` line per segment (see [`crate::text::render`]).
    pub fn to_text(&self) -> String {
        crate::text::render(self)
    }

    /// Render in the [JSON form](crate::json).
    pub fn to_json(&self) -> String {
        crate::json::render(self)
    }

    /// Render in `format` with `options`.
    pub fn render(&self, format: Format, options: &RenderOptions) -> Result<String, RenderError> {
        format.render(self, options)
    }
}

/// A meeting as the vendors describe it, in one shape: what it is called, when it started,
/// how long it lasted, who took part and its summary, plus the vendor's record as received.
///
/// Serialized with `duration_ms` (whole milliseconds) for the duration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Meeting {
    /// The vendor.
    pub vendor: Vendor,
    /// The id at the vendor (Speakr's numeric ids as decimal text).
    pub id: String,
    /// The title, when there is one.
    #[serde(default)]
    pub title: Option<String>,
    /// When it started: RFC 3339 in UTC, whole seconds (`2026-11-20T10:00:00Z`). Vendor
    /// times without an offset (Speakr's) are read as UTC; the text as the vendor sent it is
    /// in [`Meeting::raw`].
    #[serde(default)]
    pub start: Option<String>,
    /// How long it lasted, when the vendor says.
    #[serde(default, rename = "duration_ms", with = "crate::time::serde_ms")]
    pub duration: Option<Duration>,
    /// The participants' names, as the vendor gives them.
    #[serde(default)]
    pub participants: Vec<String>,
    /// The vendor's summary text (Markdown for Speakr), when there is one.
    #[serde(default)]
    pub summary: Option<String>,
    /// The vendor's record as received (`null` when built from a typed record whose JSON was
    /// not kept).
    #[serde(default)]
    pub raw: serde_json::Value,
}

impl Meeting {
    /// A meeting with only its vendor and id.
    pub fn new(vendor: Vendor, id: impl Into<String>) -> Self {
        Meeting {
            vendor,
            id: id.into(),
            title: None,
            start: None,
            duration: None,
            participants: Vec::new(),
            summary: None,
            raw: serde_json::Value::Null,
        }
    }

    /// The same meeting with a title.
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The same meeting with a start (RFC 3339 text).
    pub fn with_start(mut self, start: impl Into<String>) -> Self {
        self.start = Some(start.into());
        self
    }

    /// The same meeting with a duration.
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// The same meeting with participants.
    pub fn with_participants<I, S>(mut self, participants: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.participants = participants.into_iter().map(Into::into).collect();
        self
    }

    /// The same meeting with a summary.
    pub fn with_summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = Some(summary.into());
        self
    }

    /// The same meeting with the vendor's record.
    pub fn with_raw(mut self, raw: serde_json::Value) -> Self {
        self.raw = raw;
        self
    }

    /// The [`Source`] naming this meeting, for its transcript.
    pub fn source(&self) -> Source {
        Source::new(self.vendor, self.id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_names() {
        for v in Vendor::ALL {
            assert_eq!(v.as_str().parse::<Vendor>().unwrap(), v);
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.as_str())
            );
        }
        assert_eq!("Speakr".parse::<Vendor>().unwrap(), Vendor::Speakr);
        assert!("zoom".parse::<Vendor>().is_err());
    }

    #[test]
    fn speakers_in_first_order() {
        let t = Transcript::new(vec![
            Segment::new("a").with_speaker("B"),
            Segment::new("b"),
            Segment::new("c").with_speaker("A"),
            Segment::new("d").with_speaker("B"),
        ]);
        assert_eq!(t.speakers(), ["B", "A"]);
        assert!(!t.is_timed());
        assert_eq!(t.duration(), None);
    }

    #[test]
    fn meeting_serializes_duration_in_ms() {
        let m = Meeting::new(Vendor::Heilo, "c1").with_duration(Duration::from_secs(87));
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["duration_ms"], 87_000);
        assert_eq!(v["vendor"], "heilo");
        let back: Meeting = serde_json::from_value(v).unwrap();
        assert_eq!(back, m);
    }
}
