//! Small types shared by the resource modules: [`Timestamp`], the tri-state [`Patch`], the
//! delete acknowledgement [`Deleted`], list pages ([`ListPage`], [`Pagination`]) and the
//! [`SessionType`] open enum.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Fields a model does not know (yet), kept as sent so that nothing the server says is lost.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// A timestamp exactly as Hedy sent it, with a parsing accessor.
///
/// Hedy sends ISO-8601 UTC strings, sometimes with microseconds
/// (`2026-03-03T14:00:00.953635Z`). The text is kept, so an unexpected form never fails a
/// whole response; [`Timestamp::to_system_time`] parses it on demand (a time without an
/// offset is read as UTC).
///
/// ```
/// use hedy_client::Timestamp;
/// let t = Timestamp::from("2026-03-03T14:00:00.953635Z");
/// assert_eq!(t.as_str(), "2026-03-03T14:00:00.953635Z");
/// assert_eq!(t.unix_seconds().map(f64::floor), Some(1_772_546_400.0));
/// assert_eq!(Timestamp::from("next Tuesday").to_system_time(), None);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp(String);

impl Timestamp {
    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instant, when the text is an ISO-8601 date or date-time (`Z`, `±HH:MM` or no
    /// offset, read as UTC).
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let (secs, nanos) = parse_iso8601(&self.0)?;
        let whole = if secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))?
        } else {
            UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))?
        };
        whole.checked_add(Duration::from_nanos(u64::from(nanos)))
    }

    /// Seconds since the Unix epoch, with the fraction (see [`Timestamp::to_system_time`]).
    pub fn unix_seconds(&self) -> Option<f64> {
        let (secs, nanos) = parse_iso8601(&self.0)?;
        Some(secs as f64 + f64::from(nanos) / 1e9)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl From<&str> for Timestamp {
    fn from(s: &str) -> Self {
        Timestamp(s.to_owned())
    }
}

impl From<String> for Timestamp {
    fn from(s: String) -> Self {
        Timestamp(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Timestamp)
    }
}

/// `(seconds since the epoch, nanoseconds)` of `YYYY-MM-DD[(T| )hh:mm[:ss[.fff…]]][Z|±hh[:]mm]`.
fn parse_iso8601(text: &str) -> Option<(i64, u32)> {
    fn num(s: &str) -> Option<i64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }
    let text = text.trim();
    let (date, time) = match text.find(['T', 't', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut ymd = date.splitn(3, '-');
    let (year, month, day) = (num(ymd.next()?)?, num(ymd.next()?)?, num(ymd.next()?)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_len = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if date.len() != 10 || !(1..=month_len).contains(&day) {
        return None;
    }
    let mut seconds = days_since_epoch(year, month, day) * 86_400;
    let mut nanos = 0u32;
    if let Some(time) = time {
        let (clock, offset) = if let Some(t) = time.strip_suffix(['Z', 'z']) {
            (t, 0)
        } else if let Some(i) = time.rfind(['+', '-']) {
            let sign = if time[i..].starts_with('-') { -1 } else { 1 };
            let digits = time[i + 1..].replace(':', "");
            if digits.len() != 4 {
                return None;
            }
            let (hh, mm) = (num(&digits[..2])?, num(&digits[2..])?);
            (&time[..i], sign * (hh * 3600 + mm * 60))
        } else {
            (time, 0)
        };
        let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
        let mut parts = hms.split(':');
        let hour = num(parts.next()?)?;
        let minute = num(parts.next()?)?;
        let second = parts.next().map(num).unwrap_or(Some(0))?;
        if parts.next().is_some() || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        if !fraction.is_empty() {
            num(fraction)?;
            let padded: String = fraction
                .chars()
                .chain(std::iter::repeat('0'))
                .take(9)
                .collect();
            nanos = padded.parse().ok()?;
        } else if clock.ends_with('.') {
            return None;
        }
        seconds += hour * 3600 + minute * 60 + second - offset;
    }
    Some((seconds, nanos))
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_since_epoch(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A field of an update that may be left out, cleared with `null`, or set: three different
/// requests (for example a topic's `topicContext`).
///
/// ```
/// use hedy_client::Patch;
/// let keep: Patch<String> = Patch::Unchanged; // the key is not sent
/// let clear: Patch<String> = Patch::Null;     // "topicContext": null
/// let set = Patch::from("Focus on decisions"); // "topicContext": "Focus on decisions"
/// assert_eq!(Patch::from(None::<String>), clear);
/// assert_eq!(set, Patch::Set("Focus on decisions".to_owned()));
/// # let _ = keep;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// Leave the field out of the request: the server keeps its value.
    #[default]
    Unchanged,
    /// Send `null`: the server clears the field.
    Null,
    /// Send this value.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out (for `skip_serializing_if`).
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }

    /// The value to send, if one is set.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<Option<T>> for Patch<T> {
    /// `Some(v)` sets, `None` clears.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Patch::Set(v),
            None => Patch::Null,
        }
    }
}

impl From<&str> for Patch<String> {
    fn from(s: &str) -> Self {
        Patch::Set(s.to_owned())
    }
}

impl From<String> for Patch<String> {
    fn from(s: String) -> Self {
        Patch::Set(s)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(v) => v.serialize(s),
            Patch::Null | Patch::Unchanged => s.serialize_none(),
        }
    }
}

/// The acknowledgement of a `DELETE`: `{"success": true, "message": "Topic deleted"}`, or
/// for webhooks `{"success": true, "data": {"message": "Webhook deleted successfully"}}`
/// (both accepted), or an empty body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Deleted {
    /// Whether the server reports success (absent in the `data` form).
    #[serde(default)]
    pub success: Option<bool>,
    /// The server's message.
    #[serde(default)]
    pub message: Option<String>,
}

/// The `pagination` object of a listing. `GET /sessions` and `GET /highlights` send
/// `{hasMore, next, total?}`; `GET /topics/{topicId}/sessions` sends `{count, hasMore,
/// nextCursor}`. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Pagination {
    /// Whether more items follow.
    #[serde(rename = "hasMore", default)]
    pub has_more: Option<bool>,
    /// The cursor to send back as `after` (sessions, highlights).
    #[serde(default)]
    pub next: Option<String>,
    /// The cursor to send back as `startAfter` (topic sessions).
    #[serde(rename = "nextCursor", default)]
    pub next_cursor: Option<String>,
    /// The total number of items, when sent.
    #[serde(default)]
    pub total: Option<u64>,
    /// The number of items on this page (topic sessions).
    #[serde(default)]
    pub count: Option<u64>,
}

impl Pagination {
    /// The next-page cursor, whichever key carried it (`next` or `nextCursor`); an empty
    /// string counts as none.
    pub fn cursor(&self) -> Option<&str> {
        self.next
            .as_deref()
            .or(self.next_cursor.as_deref())
            .filter(|c| !c.is_empty())
    }
}

/// One page of a listing, whatever envelope the server used (`{success, data, pagination}`,
/// `{success, data}`, a bare array or the nested topic-sessions form).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ListPage<T> {
    /// The items.
    pub items: Vec<T>,
    /// The pagination object, when the server sent one (never for bare arrays).
    pub pagination: Option<Pagination>,
}

impl<T> ListPage<T> {
    /// The cursor of the next page: `None` at the end (no cursor, or `hasMore: false`).
    pub fn next_cursor(&self) -> Option<&str> {
        let p = self.pagination.as_ref()?;
        if p.has_more == Some(false) {
            return None;
        }
        p.cursor()
    }

    /// Whether the server says more pages follow (`false` when it says nothing).
    pub fn has_more(&self) -> bool {
        self.next_cursor().is_some()
    }

    /// `pagination.total`, when sent.
    pub fn total(&self) -> Option<u64> {
        self.pagination.as_ref().and_then(|p| p.total)
    }

    /// The page as a paginator page: a cursor only when one is sent (a page saying
    /// `hasMore: true` with `next: null` ends the walk, as Hedy's own integrations do).
    pub(crate) fn into_page(self) -> client_core::Page<T> {
        let cursor = self.next_cursor().map(str::to_owned);
        let more = cursor.is_some();
        client_core::Page::new(self.items)
            .next_cursor(cursor)
            .has_more(more)
    }
}

/// Why `value` (the `field` of a request) breaks the documented length bounds, counted in
/// characters; `None` when it is within `min..=max`.
pub(crate) fn length_problem(field: &str, value: &str, min: usize, max: usize) -> Option<String> {
    let n = value.chars().count();
    if n < min || (min > 0 && value.trim().is_empty()) {
        Some(format!("`{field}` must not be empty"))
    } else if n > max {
        Some(format!(
            "`{field}` must be at most {max} characters, got {n}"
        ))
    } else {
        None
    }
}

/// Whether `color` is `#RRGGBB` (hex digits, either case).
pub(crate) fn is_hex_color(color: &str) -> bool {
    color.len() == 7 && color.starts_with('#') && color[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Deserialize `null` (or a missing key, with `#[serde(default)]`) as the type's default.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A whole number of milliseconds sent as an integer or a float (`720000`, `720000.0`); a
/// fraction is truncated. `null` and absent give `None`.
pub(crate) fn lenient_millis<'de, D>(d: D) -> Result<Option<i64>, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Int(i64),
        Float(f64),
    }
    Ok(match Option::<Number>::deserialize(d)? {
        None => None,
        Some(Number::Int(n)) => Some(n),
        Some(Number::Float(f)) if f.is_finite() => Some(f.trunc() as i64),
        Some(Number::Float(_)) => None,
    })
}

/// Implements an open string enum: known variants plus `Unknown(String)` keeping any other
/// value as sent; (de)serialized as the wire string.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $wire:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Unknown(s) => s,
                }
            }

            /// Every known value.
            pub const KNOWN: &'static [$name] = &[$($name::$variant,)*];
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)*
                    _ => $name::Unknown(s.to_owned()),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::from(s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Ok($name::from(s.as_ref()))
            }
        }
    };
}
pub(crate) use open_enum;

open_enum! {
    /// The kind of a session (`session_type` in the API, `sessionType` in webhooks, and a
    /// topic's `dominantSessionType`). Values beyond the two seen in the sources are kept in
    /// `Unknown`.
    SessionType {
        /// `meeting`.
        Meeting => "meeting",
        /// `brainstorm`.
        Brainstorm => "brainstorm",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_the_forms_hedy_sends() {
        let base = 1_772_546_400.0; // 2026-03-03T14:00:00Z
        assert_eq!(
            Timestamp::from("2026-03-03T14:00:00Z").unix_seconds(),
            Some(base)
        );
        assert_eq!(
            Timestamp::from("2026-03-03T14:00:00").unix_seconds(),
            Some(base)
        );
        assert_eq!(
            Timestamp::from("2026-03-03T15:00:00+01:00").unix_seconds(),
            Some(base)
        );
        assert_eq!(
            Timestamp::from("2026-03-03T09:00:00-0500").unix_seconds(),
            Some(base)
        );
        let micro = Timestamp::from("2026-03-03T14:00:00.953635Z");
        assert!(micro
            .unix_seconds()
            .is_some_and(|s| (s - (base + 0.953_635)).abs() < 1e-6));
        let t = micro.to_system_time().unwrap();
        assert_eq!(
            t.duration_since(UNIX_EPOCH).unwrap(),
            Duration::new(1_772_546_400, 953_635_000)
        );
        assert_eq!(Timestamp::from("1970-01-01").unix_seconds(), Some(0.0));
        assert_eq!(
            Timestamp::from("1969-12-31T23:59:59Z").unix_seconds(),
            Some(-1.0)
        );
        assert_eq!(
            Timestamp::from("2024-02-29T00:00:00Z").unix_seconds(),
            Some(1_709_164_800.0)
        );
        for bad in [
            "",
            "Tomorrow",
            "May 18, 2027 3pm",
            "2026-13-01",
            "2026-02-29",
            "2026-03-03T25:00:00Z",
            "2026-03-03T14:00:00.Z",
            "2026-3-3",
        ] {
            assert_eq!(Timestamp::from(bad).to_system_time(), None, "{bad}");
        }
    }

    #[test]
    fn patch_serializes_three_ways() {
        #[derive(Serialize)]
        struct Body {
            #[serde(rename = "topicContext", skip_serializing_if = "Patch::is_unchanged")]
            topic_context: Patch<String>,
        }
        let json = |p| serde_json::to_string(&Body { topic_context: p }).unwrap();
        assert_eq!(json(Patch::Unchanged), "{}");
        assert_eq!(json(Patch::Null), r#"{"topicContext":null}"#);
        assert_eq!(json(Patch::from("x")), r#"{"topicContext":"x"}"#);
    }

    #[test]
    fn list_page_cursor_rules() {
        let page = |p: Option<Pagination>| ListPage::<u8> {
            items: vec![1],
            pagination: p,
        };
        assert_eq!(page(None).next_cursor(), None);
        let p = Pagination {
            has_more: Some(true),
            next: Some("c1".into()),
            ..Pagination::default()
        };
        assert_eq!(page(Some(p.clone())).next_cursor(), Some("c1"));
        let done = Pagination {
            has_more: Some(false),
            ..p.clone()
        };
        assert_eq!(page(Some(done)).next_cursor(), None);
        let nested = Pagination {
            has_more: Some(true),
            next_cursor: Some("c2".into()),
            ..Pagination::default()
        };
        assert_eq!(page(Some(nested)).next_cursor(), Some("c2"));
        let empty = Pagination {
            has_more: Some(true),
            next: Some(String::new()),
            ..Pagination::default()
        };
        assert!(!page(Some(empty)).has_more());
    }

    #[test]
    fn lenient_millis_accepts_ints_and_floats() {
        #[derive(Deserialize)]
        struct T {
            #[serde(default, deserialize_with = "lenient_millis")]
            ms: Option<i64>,
        }
        let read = |s: &str| serde_json::from_str::<T>(s).unwrap().ms;
        assert_eq!(read(r#"{"ms":720000}"#), Some(720_000));
        assert_eq!(read(r#"{"ms":720000.9}"#), Some(720_000));
        assert_eq!(read(r#"{"ms":null}"#), None);
        assert_eq!(read(r#"{}"#), None);
        assert!(serde_json::from_str::<T>(r#"{"ms":"soon"}"#).is_err());
    }

    #[test]
    fn bounds_and_colors() {
        assert_eq!(length_problem("name", "Sales", 1, 100), None);
        assert!(length_problem("name", "", 1, 100).is_some());
        assert!(length_problem("name", "   ", 1, 100).is_some());
        assert_eq!(length_problem("description", "", 0, 500), None);
        assert_eq!(length_problem("name", &"é".repeat(100), 1, 100), None);
        assert!(length_problem("name", &"x".repeat(101), 1, 100).is_some_and(|m| m.contains("101")));
        assert!(is_hex_color("#4A90D9"));
        assert!(is_hex_color("#4a90d9"));
        for bad in ["4A90D9", "#4A90D", "#4A90D9F", "#GGGGGG", "#4A90D\u{e9}"] {
            assert!(!is_hex_color(bad), "{bad}");
        }
    }

    #[test]
    fn session_type_is_open() {
        assert_eq!(SessionType::from("meeting"), SessionType::Meeting);
        let odd: SessionType = serde_json::from_str(r#""interview""#).unwrap();
        assert_eq!(odd, SessionType::Unknown("interview".into()));
        assert_eq!(serde_json::to_string(&odd).unwrap(), r#""interview""#);
    }
}
