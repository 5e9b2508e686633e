//! A vendor-neutral source of meetings: [`MeetingSource`], one async trait that each vendor's
//! client implements behind its feature, so that one piece of code lists the meetings of a
//! time [`Window`] and fetches a meeting, its [`Transcript`] and its summary from any of the
//! four platforms.
//!
//! | vendor | client | listing and window | transcript | summary |
//! |---|---|---|---|---|
//! | Speakr | `SpeakrClient` | `GET /recordings`, `date_from`/`date_to` on `created_at` | `GET /recordings/{id}/transcript?format=json` (the segments) | `GET /recordings/{id}/summary` |
//! | Hedy | `HedyClient` | `GET /sessions` (no server filter), `startTime` | the session's `transcript` (`GET /sessions/{sessionId}`) | `recap`, else `meeting_minutes` |
//! | Heilo | `HeiloClient` | `GET /calls`, `dateFrom`/`dateTo` on `created_at` | the call's `transcript_original` (`GET /calls/{id}`) | the analysis' `summary` |
//! | Healthie | `HealthieClient` | `query Appointments`, `startDate`/`endDate` on `date` | the appointment's AI-Scribe VTT files, from their expiring URLs | none |
//!
//! Each client keeps its own rules: its retries and its rate limiter (Speakr's per-route
//! hour and day quotas included) apply to every request made here.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use transcripts::source::{MeetingSource, Window};
//!
//! async fn copy_week(source: &dyn MeetingSource) -> Result<(), Box<dyn std::error::Error>> {
//!     // Every meeting from 1 to 7 December (UTC days, both included).
//!     let window = Window::parse(Some("2026-12-01"), Some("2026-12-07"))?;
//!     let mut meetings = source.meetings(window);
//!     while let Some(meeting) = meetings.try_next().await? {
//!         if let Some(transcript) = source.transcript(&meeting.id).await? {
//!             println!("{} {}: {}", source.vendor(), meeting.id, transcript.to_text());
//!         }
//!     }
//!     Ok(())
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let speakr = speakr_client::SpeakrClient::new("https://speakr.example.com", "token")?;
//! let hedy = hedy_client::HedyClient::new("hedy-key")?;
//! let sources: Vec<Box<dyn MeetingSource>> = vec![Box::new(speakr), Box::new(hedy)];
//! for source in &sources {
//!     copy_week(source.as_ref()).await?;
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use client_core::Timestamp;
use futures::stream::BoxStream;

use crate::error::ConvertError;
use crate::model::{Meeting, Transcript, Vendor};

#[cfg(feature = "healthie")]
mod healthie;
#[cfg(feature = "hedy")]
mod hedy;
#[cfg(feature = "heilo")]
mod heilo;
#[cfg(feature = "speakr")]
mod speakr;

/// A time window over meetings: every instant from `since` to `until`, **both included**;
/// an absent end is unbounded.
///
/// A window applies to the field each vendor's listing filters on, which is not always the
/// meeting's start: Speakr's `created_at` (not `meeting_date`), Heilo's `created_at`,
/// Healthie's `date` and Hedy's `startTime`. Where the vendor filters on the server, the
/// window is sent widened to whole UTC days (Speakr `date_from=FIRST&date_to=DAY_AFTER_LAST`,
/// since its bare `date_to` means "before midnight"; Heilo and Healthie the instants
/// `FIRSTT00:00:00Z` and `DAY_AFTER_LASTT00:00:00Z`), and every listed item is checked
/// against the exact window too. An item without that field is listed only by an unbounded
/// window.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use transcripts::source::Window;
///
/// let week = Window::parse(Some("2026-12-01"), Some("2026-12-07"))?;
/// assert!(week.contains_text("2026-12-07T23:59:59.999999Z"));
/// assert!(!week.contains_text("2026-12-08T00:00:00Z"));
/// // 20:00 on the 7th at UTC-5 is the 8th in UTC.
/// assert!(!week.contains_text("2026-12-07T20:00:00-05:00"));
///
/// let since = UNIX_EPOCH + Duration::from_secs(1_796_000_000);
/// let open_ended = Window::new(Some(since), None);
/// assert!(open_ended.contains(since));
/// # Ok::<(), transcripts::source::WindowError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Window {
    /// The first instant of the window (included); `None` for no lower bound.
    pub since: Option<SystemTime>,
    /// The last instant of the window (included); `None` for no upper bound.
    pub until: Option<SystemTime>,
}

impl Window {
    /// The unbounded window: every meeting.
    pub fn all() -> Window {
        Window::default()
    }

    /// The instants from `since` to `until`, both included.
    pub fn new(since: Option<SystemTime>, until: Option<SystemTime>) -> Window {
        Window { since, until }
    }

    /// A window from text. Each end is a date, `YYYY-MM-DD`, meaning that whole UTC day
    /// (`since` from its first instant, `until` through its last), or an ISO 8601 date-time,
    /// meaning that instant (a time without an offset is read as UTC). Fails when an end
    /// does not read or `since` is after `until`.
    pub fn parse(since: Option<&str>, until: Option<&str>) -> Result<Window, WindowError> {
        let since = since.map(|s| bound(s, "since", false)).transpose()?;
        let until = until.map(|u| bound(u, "until", true)).transpose()?;
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(WindowError::Reversed);
            }
        }
        Ok(Window { since, until })
    }

    /// Whether neither end is set.
    pub fn is_unbounded(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// Whether `t` is in the window.
    pub fn contains(&self, t: SystemTime) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t <= u)
    }

    /// Whether a vendor's timestamp text (ISO 8601; without an offset read as UTC) is in the
    /// window. Text that does not read as a time is in the unbounded window only.
    pub fn contains_text(&self, text: &str) -> bool {
        self.contains_opt(Timestamp::from(text).to_system_time())
    }

    /// [`Window::contains`] for an item whose date may be missing.
    pub(crate) fn contains_opt(&self, t: Option<SystemTime>) -> bool {
        match t {
            Some(t) => self.contains(t),
            None => self.is_unbounded(),
        }
    }

    /// The UTC day of `since`, `YYYY-MM-DD`.
    #[cfg_attr(not(any(feature = "speakr", feature = "healthie")), allow(dead_code))]
    pub(crate) fn first_day(&self) -> Option<String> {
        self.since.and_then(utc_day)
    }

    /// The UTC day after the day of `until`, `YYYY-MM-DD`: an exclusive end that takes in
    /// all of `until`'s day.
    #[cfg_attr(not(any(feature = "speakr", feature = "healthie")), allow(dead_code))]
    pub(crate) fn day_after_last(&self) -> Option<String> {
        let day = self.until.and_then(utc_day)?;
        let midnight = Timestamp::from(day).to_system_time()?;
        midnight
            .checked_add(Duration::from_secs(86_400))
            .and_then(utc_day)
    }

    /// `FIRSTT00:00:00Z`: the first instant of `since`'s UTC day.
    #[cfg_attr(not(any(feature = "heilo", feature = "healthie")), allow(dead_code))]
    pub(crate) fn start_instant(&self) -> Option<String> {
        self.first_day().map(|d| format!("{d}T00:00:00Z"))
    }

    /// `DAY_AFTER_LASTT00:00:00Z`: the first instant after `until`'s UTC day.
    #[cfg_attr(not(any(feature = "heilo", feature = "healthie")), allow(dead_code))]
    pub(crate) fn end_instant_exclusive(&self) -> Option<String> {
        self.day_after_last().map(|d| format!("{d}T00:00:00Z"))
    }
}

/// The UTC day of an instant, `YYYY-MM-DD`.
#[cfg_attr(not(any(feature = "speakr", feature = "healthie")), allow(dead_code))]
fn utc_day(t: SystemTime) -> Option<String> {
    Timestamp::from_system_time(t)
        .as_str()
        .get(..10)
        .map(str::to_owned)
}

/// One end of a window from text (see [`Window::parse`]).
fn bound(text: &str, which: &'static str, end_of_day: bool) -> Result<SystemTime, WindowError> {
    let text = text.trim();
    let invalid = || WindowError::Invalid {
        bound: which,
        text: text.to_owned(),
    };
    let t = Timestamp::from(text).to_system_time().ok_or_else(invalid)?;
    let is_date = text.len() == 10 && !text.contains(['T', 't', ' ']);
    if is_date && end_of_day {
        // The day's last instant: the next midnight less one nanosecond.
        return t
            .checked_add(Duration::from_secs(86_400))
            .and_then(|next| next.checked_sub(Duration::from_nanos(1)))
            .ok_or_else(invalid);
    }
    Ok(t)
}

/// A [`Window`] that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WindowError {
    /// An end is neither a `YYYY-MM-DD` date nor an ISO 8601 date-time.
    #[error("`{bound}` must be a date (YYYY-MM-DD) or an ISO 8601 date-time, got `{text}`")]
    Invalid {
        /// `since` or `until`.
        bound: &'static str,
        /// The text given.
        text: String,
    },
    /// `since` is after `until`.
    #[error("the window's `since` is after its `until`")]
    Reversed,
}

/// Why a [`MeetingSource`] call failed: the vendor's API (a [`client_core::Error`], with its
/// predicates), or the conversion of what it sent ([`ConvertError`]). Says which vendor and,
/// for a call about one meeting, which id.
#[derive(Debug)]
pub struct SourceError {
    vendor: Vendor,
    meeting_id: Option<String>,
    cause: Cause,
}

#[derive(Debug)]
enum Cause {
    Api(client_core::Error),
    Convert(ConvertError),
}

impl SourceError {
    /// An API error of `vendor` about meeting `meeting_id` (`None` for a listing).
    pub fn api(vendor: Vendor, meeting_id: Option<&str>, error: client_core::Error) -> Self {
        SourceError {
            vendor,
            meeting_id: meeting_id.map(str::to_owned),
            cause: Cause::Api(error),
        }
    }

    /// A conversion error of `vendor` about meeting `meeting_id`.
    pub fn convert(vendor: Vendor, meeting_id: Option<&str>, error: ConvertError) -> Self {
        SourceError {
            vendor,
            meeting_id: meeting_id.map(str::to_owned),
            cause: Cause::Convert(error),
        }
    }

    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// The meeting the call was about; `None` for a listing.
    pub fn meeting_id(&self) -> Option<&str> {
        self.meeting_id.as_deref()
    }

    /// The vendor API's error, when the API failed.
    pub fn api_error(&self) -> Option<&client_core::Error> {
        match &self.cause {
            Cause::Api(e) => Some(e),
            Cause::Convert(_) => None,
        }
    }

    /// The vendor API's error, when the API failed, by value.
    pub fn into_api_error(self) -> Option<client_core::Error> {
        match self.cause {
            Cause::Api(e) => Some(e),
            Cause::Convert(_) => None,
        }
    }

    /// The conversion error, when the vendor's answer could not be converted.
    pub fn convert_error(&self) -> Option<&ConvertError> {
        match &self.cause {
            Cause::Convert(e) => Some(e),
            Cause::Api(_) => None,
        }
    }

    /// Whether trying again later may succeed ([`client_core::Error::is_retryable`]); a
    /// conversion error never is.
    pub fn is_retryable(&self) -> bool {
        self.api_error()
            .is_some_and(client_core::Error::is_retryable)
    }

    /// Whether the vendor said the meeting does not exist.
    pub fn is_not_found(&self) -> bool {
        self.api_error()
            .is_some_and(client_core::Error::is_not_found)
    }

    /// Whether a rate limit stopped the call.
    pub fn is_rate_limited(&self) -> bool {
        self.api_error()
            .is_some_and(client_core::Error::is_rate_limited)
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.meeting_id {
            Some(id) => write!(f, "{} meeting `{id}`: ", self.vendor)?,
            None => write!(f, "{} listing: ", self.vendor)?,
        }
        match &self.cause {
            Cause::Api(e) => write!(f, "{e}"),
            Cause::Convert(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            Cause::Api(e) => Some(e),
            Cause::Convert(e) => Some(e),
        }
    }
}

/// One vendor's meetings, transcripts and summaries, in the crate's model.
///
/// Object safe: keep several vendors as `Box<dyn MeetingSource>` (or `Arc`) and drive them
/// with the same code. Implemented for `speakr_client::SpeakrClient`,
/// `hedy_client::HedyClient`, `heilo_client::HeiloClient` and
/// `healthie_client::HealthieClient` behind the features of the same names; each method's
/// vendor rules are in the [module docs](self). Ids are the vendor's, as in [`Meeting::id`].
#[async_trait]
pub trait MeetingSource: Send + Sync {
    /// The vendor.
    fn vendor(&self) -> Vendor;

    /// The meetings of `window`, lazily, page after page. The stream ends after the first
    /// error. A listing carries what the vendor's listing sends: fetch a meeting with
    /// [`MeetingSource::meeting`] for the full record.
    fn meetings(&self, window: Window) -> BoxStream<'static, Result<Meeting, SourceError>>;

    /// One meeting, with the vendor's record in [`Meeting::raw`] where the client gives it
    /// as received.
    async fn meeting(&self, id: &str) -> Result<Meeting, SourceError>;

    /// The meeting's transcript in the richest form the vendor offers; `None` when the
    /// vendor has none (yet).
    async fn transcript(&self, id: &str) -> Result<Option<Transcript>, SourceError>;

    /// The meeting's summary text; `None` when there is none.
    async fn summary(&self, id: &str) -> Result<Option<String>, SourceError>;
}

/// A transcript with at least one segment.
#[cfg(any(feature = "speakr", feature = "hedy", feature = "heilo"))]
pub(crate) fn non_empty(t: Option<Transcript>) -> Option<Transcript> {
    t.filter(|t| !t.segments.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> SystemTime {
        Timestamp::from(text).to_system_time().unwrap()
    }

    #[test]
    fn a_date_until_takes_in_its_whole_day() {
        let w = Window::parse(Some("2026-12-01"), Some("2026-12-07")).unwrap();
        assert_eq!(w.since, Some(at("2026-12-01T00:00:00Z")));
        assert!(w.contains(at("2026-12-07T23:59:59.999999999Z")));
        assert!(!w.contains(at("2026-12-08T00:00:00Z")));
        assert!(!w.contains(at("2026-11-30T23:59:59.999Z")));
        assert!(w.contains_text("2026-12-07T23:59:59.999999"));
        assert!(!w.contains_opt(None));
        assert!(Window::all().contains_opt(None));
    }

    #[test]
    fn instants_are_exact_and_server_bounds_cover_whole_days() {
        let w = Window::parse(
            Some("2026-12-31T22:00:00+01:00"),
            Some("2026-12-31T23:30:00Z"),
        )
        .unwrap();
        assert!(!w.contains(at("2026-12-31T20:59:59Z")));
        assert!(w.contains(at("2026-12-31T21:00:00Z")));
        assert!(w.contains(at("2026-12-31T23:30:00Z")));
        assert!(!w.contains(at("2026-12-31T23:30:00.001Z")));
        assert_eq!(w.first_day().as_deref(), Some("2026-12-31"));
        assert_eq!(w.day_after_last().as_deref(), Some("2027-01-01"));
        assert_eq!(w.start_instant().as_deref(), Some("2026-12-31T00:00:00Z"));
        assert_eq!(
            w.end_instant_exclusive().as_deref(),
            Some("2027-01-01T00:00:00Z")
        );
        let leap = Window::parse(None, Some("2028-02-28")).unwrap();
        assert_eq!(leap.day_after_last().as_deref(), Some("2028-02-29"));
        assert_eq!(leap.first_day(), None);
    }

    #[test]
    fn bad_windows_are_refused() {
        assert_eq!(
            Window::parse(Some("yesterday"), None),
            Err(WindowError::Invalid {
                bound: "since",
                text: "yesterday".into()
            })
        );
        assert_eq!(
            Window::parse(Some("2026-12-08"), Some("2026-12-07")),
            Err(WindowError::Reversed)
        );
        // One day is a valid window.
        assert!(Window::parse(Some("2026-12-07"), Some("2026-12-07")).is_ok());
    }

    #[test]
    fn errors_say_vendor_and_id_and_keep_the_cause() {
        let invalid =
            client_core::Error::new(client_core::ErrorKind::InvalidRequest, "not a number");
        let e = SourceError::api(Vendor::Speakr, Some("abc"), invalid);
        assert_eq!(
            e.to_string(),
            "speakr meeting `abc`: invalid request: not a number"
        );
        assert!(std::error::Error::source(&e).is_some());
        assert!(!e.is_retryable());
        assert_eq!(e.meeting_id(), Some("abc"));
        assert_eq!(
            e.api_error().map(client_core::Error::kind),
            Some(client_core::ErrorKind::InvalidRequest)
        );
    }
}
