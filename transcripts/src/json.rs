//! The JSON form of a transcript, with a versioned schema.
//!
//! # Schema, version 1
//!
//! ```text
//! {
//!   "schema_version": 1,              integer, always 1 for this layout
//!   "language": "en" | null,          the language code, when known
//!   "source": {                       where it came from, or null
//!     "vendor": "hedy" | "speakr" | "heilo" | "healthie",
//!     "meeting_id": "…"               the meeting's id at the vendor, as text
//!   },
//!   "segments": [                     in the order spoken
//!     {
//!       "speaker": "…" | null,        the speaker's name or label, when known
//!       "start_ms": 1000 | null,      start in whole milliseconds from the recording's start
//!       "end_ms": 4200 | null,        end, likewise
//!       "text": "…"                   what was said; lines joined with "\n"
//!     }
//!   ]
//! }
//! ```
//!
//! Every key is always written (`null` when unknown), in this order, pretty-printed with
//! two-space indentation. A reader of version 1 ignores keys it does not know; a later
//! version that changes the meaning of a key gets a new `schema_version`, which [`parse`]
//! refuses with [`ParseErrorKind::UnsupportedSchema`]. The serde implementations of
//! [`Transcript`] use the same form.
//!
//! ```
//! use std::time::Duration;
//! use transcripts::{Segment, Source, Transcript, Vendor};
//!
//! let t = Transcript::new(vec![Segment::new("Hello and welcome.")
//!     .with_speaker("SPEAKER_00")
//!     .with_times(Duration::ZERO, Duration::from_millis(800))])
//! .with_language("en")
//! .with_source(Source::new(Vendor::Speakr, "1"));
//!
//! let json = transcripts::json::render(&t);
//! assert_eq!(json, r#"{
//!   "schema_version": 1,
//!   "language": "en",
//!   "source": {
//!     "vendor": "speakr",
//!     "meeting_id": "1"
//!   },
//!   "segments": [
//!     {
//!       "speaker": "SPEAKER_00",
//!       "start_ms": 0,
//!       "end_ms": 800,
//!       "text": "Hello and welcome."
//!     }
//!   ]
//! }"#);
//! assert_eq!(transcripts::json::parse(&json)?, t);
//! # Ok::<(), transcripts::ParseError>(())
//! ```

use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{ParseError, ParseErrorKind};
use crate::model::{Segment, Source, Transcript};

/// The schema version this crate writes and reads.
pub const SCHEMA_VERSION: u64 = 1;

/// Render a transcript in the JSON form (pretty-printed).
pub fn render(t: &Transcript) -> String {
    // Serializing these types cannot fail (string keys, no maps with other keys); the
    // fallback keeps the signature infallible without a panic path.
    serde_json::to_string_pretty(t).unwrap_or_default()
}

/// Read a transcript from the JSON form.
pub fn parse(input: &str) -> Result<Transcript, ParseError> {
    let wire: Wire = serde_json::from_str(input)
        .map_err(|e| ParseError::new(e.line().max(1), ParseErrorKind::Json(e.to_string())))?;
    wire.into_transcript()
        .map_err(|v| ParseError::new(1, ParseErrorKind::UnsupportedSchema(v)))
}

impl Serialize for Transcript {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Transcript", 4)?;
        st.serialize_field("schema_version", &SCHEMA_VERSION)?;
        st.serialize_field("language", &self.language)?;
        st.serialize_field("source", &self.source)?;
        st.serialize_field("segments", &self.segments)?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Transcript {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Wire::deserialize(d)?.into_transcript().map_err(|v| {
            serde::de::Error::custom(format!(
                "unsupported schema_version {v} (this version reads {SCHEMA_VERSION})"
            ))
        })
    }
}

#[derive(Deserialize)]
struct Wire {
    schema_version: u64,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    source: Option<Source>,
    #[serde(default)]
    segments: Vec<Segment>,
}

impl Wire {
    fn into_transcript(self) -> Result<Transcript, u64> {
        if self.schema_version != SCHEMA_VERSION {
            return Err(self.schema_version);
        }
        Ok(Transcript {
            segments: self.segments,
            language: self.language,
            source: self.source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_other_versions_and_reports_lines() {
        let e = parse(r#"{"schema_version": 2, "segments": []}"#).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::UnsupportedSchema(2));
        let e = parse("{\n\"schema_version\": 1,\n\"segments\": [}").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(parse(r#"{"segments": []}"#).is_err());
    }

    #[test]
    fn ignores_unknown_keys() {
        let t = parse(
            r#"{"schema_version":1,"extra":true,"segments":[{"text":"hi","start_ms":5,"x":1}]}"#,
        )
        .unwrap();
        assert_eq!(t.segments[0].text, "hi");
        assert_eq!(
            t.segments[0].start,
            Some(std::time::Duration::from_millis(5))
        );
        assert_eq!(t.segments[0].end, None);
    }
}
