//! What `export` needs from a vendor: list the items of a date window, and fetch one item's
//! record, transcript, summary and audio. One implementation per vendor, each in its own file.

use std::fmt;
use std::time::Duration;

use client_core::{ByteStream, Error, Timestamp};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use serde_json::Value;

/// The dates an export covers, both inclusive (`YYYY-MM-DD`, already validated): UTC days,
/// the days of the instants the vendors filter on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window {
    /// The first day.
    pub since: Option<String>,
    /// The last day.
    pub until: Option<String>,
}

impl Window {
    /// Whether an item dated `date` (an ISO 8601 date or date-time, read as UTC without an
    /// offset) falls in the window. An item without a date falls only in an unbounded window.
    pub fn contains(&self, date: Option<&str>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(day) = date.and_then(utc_day) else {
            return false;
        };
        self.since.as_deref().is_none_or(|s| day.as_str() >= s)
            && self.until.as_deref().is_none_or(|u| day.as_str() <= u)
    }

    /// The first instant of the window, `YYYY-MM-DDT00:00:00Z`.
    pub fn start_instant(&self) -> Option<String> {
        self.since.as_ref().map(|d| format!("{d}T00:00:00Z"))
    }

    /// The day after the last one (`YYYY-MM-DD`): an exclusive end that takes in all of
    /// `until`, whatever time its items carry.
    pub fn end_day_exclusive(&self) -> Option<String> {
        self.until.as_deref().and_then(next_day)
    }

    /// The first instant after the window, `YYYY-MM-DDT00:00:00Z` of the day after `until`.
    pub fn end_instant_exclusive(&self) -> Option<String> {
        self.end_day_exclusive().map(|d| format!("{d}T00:00:00Z"))
    }
}

/// The UTC day (`YYYY-MM-DD`) of an ISO 8601 date or date-time; a time without an offset is
/// read as UTC, and text that does not parse as a time falls back to its first ten characters
/// when they look like a date.
pub fn utc_day(date: &str) -> Option<String> {
    match Timestamp::from(date).to_system_time() {
        Some(t) => Timestamp::from_system_time(t)
            .as_str()
            .get(..10)
            .map(str::to_owned),
        None => date
            .get(..10)
            .filter(|d| d.as_bytes().get(4) == Some(&b'-'))
            .map(str::to_owned),
    }
}

/// The day after `day` (`YYYY-MM-DD`), `None` when `day` is not a date.
pub fn next_day(day: &str) -> Option<String> {
    let t = Timestamp::from(day).to_system_time()?;
    let next = t.checked_add(Duration::from_secs(86_400))?;
    Timestamp::from_system_time(next)
        .as_str()
        .get(..10)
        .map(str::to_owned)
}

/// One item as the listing named it.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The vendor's id.
    pub id: String,
    /// The vendor's name of the field the window is applied to (`created_at`, `startTime`,
    /// …): the field `date` holds.
    pub date_field: &'static str,
    /// The item's value of `date_field` (as the vendor sent it), for the window and the index.
    pub date: Option<String>,
    /// Its title, for the index.
    pub title: Option<String>,
    /// The listing's own record of the item, for vendors whose listing carries the full
    /// record (Speakr); `None` when the record is fetched by id.
    pub listing: Option<Value>,
}

/// A part of an export, each fetched by one route of the vendor's API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The listing.
    Listing,
    /// An item's record.
    Record,
    /// An item's transcript.
    Transcript,
    /// An item's summary.
    Summary,
    /// An item's audio.
    Audio,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Listing => "listing",
            Part::Record => "record",
            Part::Transcript => "transcript",
            Part::Summary => "summary",
            Part::Audio => "audio",
        })
    }
}

/// Why a part of an item could not be fetched.
#[derive(Debug)]
pub enum FetchError {
    /// The vendor's API answered with an error, or could not be reached.
    Api(Error),
    /// The vendor's answer did not have the shape the export reads.
    Shape(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Api(e) => write!(f, "{e}"),
            FetchError::Shape(message) => f.write_str(message),
        }
    }
}

impl From<Error> for FetchError {
    fn from(e: Error) -> Self {
        FetchError::Api(e)
    }
}

/// The result of fetching one part.
pub type Fetched<T> = Result<T, FetchError>;

/// `GET route` for `id` (the route's one `{…}` segment), kept byte for byte as received once
/// `reads_as` accepts it as the vendor's record: what a REST vendor's record file holds.
pub async fn record_as_received<T>(
    client: &client_core::Client,
    route: &'static str,
    id: &str,
    reads_as: fn(&Value) -> Fetched<T>,
) -> Fetched<Vec<u8>> {
    let body = client.get(route).param(id).send_bytes().await?;
    let record: Value = serde_json::from_slice(&body)
        .map_err(|e| FetchError::Shape(format!("the record is not JSON: {e}")))?;
    reads_as(&record)?;
    Ok(body.to_vec())
}

/// A platform `export` can read.
pub trait Vendor: Send + Sync {
    /// The name on the command line (`hedy`, `speakr`, …).
    fn name(&self) -> &'static str;

    /// The platform's name in messages (`Hedy`, `Speakr`, …).
    fn label(&self) -> &'static str;

    /// The route (or GraphQL operation) that fetches `part`, for messages: the quota a 429
    /// spent is the one of this route.
    fn route(&self, part: Part) -> &'static str;

    /// The items of `window`, lazily: the vendor's own date filter where it has one, sent so
    /// that it takes in every instant of the window's days (the export applies the window to
    /// each item's `date` as well). The stream ends at the first listing error.
    fn list(&self, window: &Window) -> BoxStream<'static, Result<Listed, FetchError>>;

    /// Whether a record must be fetched again rather than read back from an interrupted run's
    /// file (it holds links that expire, as Healthie's transcript URLs do).
    fn record_expires(&self) -> bool {
        false
    }

    /// The item's record: the JSON body the vendor sent (inside its envelope, if any).
    fn record<'a>(&'a self, item: &'a Listed) -> BoxFuture<'a, Fetched<Vec<u8>>>;

    /// The item's record in the one meeting shape of the `transcripts` crate (title, start,
    /// duration, participants), for the index; `None` when the record does not read as one.
    fn meeting(&self, record: &Value) -> Option<transcripts::Meeting>;

    /// The item's transcript in the one transcript shape (segments with speakers and times
    /// where the vendor has them), from the richest form the vendor serves; `None` when it
    /// has none.
    fn transcript<'a>(
        &'a self,
        item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<transcripts::Transcript>>>;

    /// The item's summary, `None` when it has none.
    fn summary<'a>(
        &'a self,
        item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>>;

    /// Whether the item will not change any more (a recording still being processed will):
    /// only a settled item is left alone by later runs.
    fn settled(&self, _record: &Value) -> bool {
        true
    }

    /// Whether the vendor serves audio for the item.
    fn has_audio(&self, _record: &Value) -> bool {
        false
    }

    /// The extension of the item's original file name (`wav` for `meeting.wav`), used for
    /// its audio when the download's `Content-Type` does not name a known audio type.
    fn original_extension(&self, _record: &Value) -> Option<String> {
        None
    }

    /// The item's audio, streamed.
    fn audio<'a>(&'a self, _item: &'a Listed) -> BoxFuture<'a, Fetched<Option<ByteStream>>> {
        Box::pin(async { Ok(None) })
    }
}

/// The file extension for audio of `content_type` (parameters and case ignored), `None` for a
/// type that is not a known audio format.
pub fn audio_extension_of(content_type: &str) -> Option<&'static str> {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    Some(match essence.to_ascii_lowercase().as_str() {
        "audio/mpeg" | "audio/mp3" => "mp3",
        "audio/wav" | "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => "wav",
        "audio/mp4" | "audio/x-m4a" | "audio/m4a" => "m4a",
        "audio/ogg" => "ogg",
        "audio/webm" => "webm",
        "audio/flac" | "audio/x-flac" => "flac",
        _ => return None,
    })
}

/// The extension of a file name (`wav` for `a.b.WAV`), when it is a plausible one: 1 to 5
/// letters or digits, lower-cased.
pub fn extension_of(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    let ok = (1..=5).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| ext.to_ascii_lowercase())
}

/// The extension of a download's audio file: from its `Content-Type`, else the original file
/// name's (`original`, else the download's `Content-Disposition` name), else `bin`.
pub fn audio_extension(download: &ByteStream, original: Option<String>) -> String {
    download
        .content_type()
        .and_then(audio_extension_of)
        .map(str::to_owned)
        .or(original)
        .or_else(|| download.file_name().as_deref().and_then(extension_of))
        .unwrap_or_else(|| "bin".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_after_crosses_months_years_and_leap_days() {
        assert_eq!(next_day("2026-12-07").as_deref(), Some("2026-12-08"));
        assert_eq!(next_day("2026-06-30").as_deref(), Some("2026-07-01"));
        assert_eq!(next_day("2026-12-31").as_deref(), Some("2027-01-01"));
        assert_eq!(next_day("2028-02-28").as_deref(), Some("2028-02-29"));
        assert_eq!(next_day("2026-02-28").as_deref(), Some("2026-03-01"));
        assert_eq!(next_day("not a date"), None);
    }

    #[test]
    fn the_window_holds_every_instant_of_its_last_day_in_utc() {
        let w = Window {
            since: Some("2026-12-01".into()),
            until: Some("2026-12-07".into()),
        };
        assert!(w.contains(Some("2026-12-07T23:59:59.999999")));
        assert!(w.contains(Some("2026-12-01T00:00:00Z")));
        assert!(!w.contains(Some("2026-12-08T00:00:00")));
        assert!(!w.contains(Some("2026-11-30T23:59:59Z")));
        // 20:00 on the 7th at UTC-5 is the 8th in UTC.
        assert!(!w.contains(Some("2026-12-07T20:00:00-05:00")));
        assert!(w.contains(Some("2026-12-07")));
        assert!(!w.contains(None));
        assert!(Window::default().contains(None));
        assert_eq!(w.end_day_exclusive().as_deref(), Some("2026-12-08"));
        assert_eq!(
            w.end_instant_exclusive().as_deref(),
            Some("2026-12-08T00:00:00Z")
        );
        assert_eq!(w.start_instant().as_deref(), Some("2026-12-01T00:00:00Z"));
    }

    #[test]
    fn audio_types_name_their_extension() {
        for (ty, ext) in [
            ("audio/mpeg", Some("mp3")),
            ("Audio/MPEG; charset=binary", Some("mp3")),
            ("audio/wav", Some("wav")),
            ("audio/x-wav", Some("wav")),
            ("audio/wave", Some("wav")),
            ("audio/mp4", Some("m4a")),
            ("audio/x-m4a", Some("m4a")),
            ("audio/ogg; codecs=opus", Some("ogg")),
            ("audio/webm", Some("webm")),
            ("audio/flac", Some("flac")),
            ("application/octet-stream", None),
            ("", None),
        ] {
            assert_eq!(audio_extension_of(ty), ext, "{ty}");
        }
        assert_eq!(extension_of("test.WAV").as_deref(), Some("wav"));
        assert_eq!(extension_of("a.b.m4a").as_deref(), Some("m4a"));
        assert_eq!(extension_of("noext"), None);
        assert_eq!(extension_of("x.not/safe"), None);
        assert_eq!(extension_of("x.toolongext"), None);
    }
}
