//! Model building blocks the vendor crates share: [`Timestamp`] (every ISO-8601 form vendors
//! send, never failing a response), the tri-state [`Patch`] for updates, and the
//! [`open_enum!`](crate::open_enum) macro for enums that keep unknown values.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A timestamp exactly as the vendor sent it, with a parsing accessor.
///
/// Vendors send ISO-8601 in several forms: naive times without an offset (Speakr's
/// `2026-11-22T07:35:50.375621`, server UTC), `Z`, `±HH:MM`, or a bare date. All of them are
/// accepted and none ever fails a response: the text is kept, and
/// [`Timestamp::to_system_time`] parses it on demand (a naive time is read as UTC).
///
/// ```
/// use client_core::Timestamp;
/// let naive = Timestamp::from("2026-11-22T07:35:50.375621");
/// let zulu = Timestamp::from("2026-11-22T07:35:50.375621Z");
/// assert_eq!(naive.to_system_time(), zulu.to_system_time());
/// assert!(!naive.has_offset());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp(String);

impl Timestamp {
    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the text carries `Z` or a `±HH:MM` offset.
    pub fn has_offset(&self) -> bool {
        parse(&self.0)
            .map(|p| p.offset_seconds.is_some())
            .unwrap_or(false)
    }

    /// The instant, reading a time without an offset as UTC. `None` when
    /// the text is not an ISO-8601 date or date-time.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let p = parse(&self.0)?;
        let days = days_from_civil(p.year, p.month, p.day);
        let secs = days * 86_400
            + i64::from(p.hour) * 3600
            + i64::from(p.minute) * 60
            + i64::from(p.second)
            - p.offset_seconds.unwrap_or(0);
        let base = if secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))?
        } else {
            UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))?
        };
        base.checked_add(Duration::from_nanos(u64::from(p.nanos)))
    }

    /// Seconds since the Unix epoch (see [`Timestamp::to_system_time`]).
    pub fn unix_seconds(&self) -> Option<f64> {
        let t = self.to_system_time()?;
        Some(match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs_f64(),
            Err(e) => -e.duration().as_secs_f64(),
        })
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for an instant (whole seconds, UTC).
    pub fn from_system_time(t: SystemTime) -> Timestamp {
        let secs = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        };
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        Timestamp(format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        ))
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

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        Timestamp::from_system_time(t)
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

struct Parts {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    offset_seconds: Option<i64>,
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.f+]]][Z|±HH[:]MM]`.
fn parse(text: &str) -> Option<Parts> {
    let text = text.trim();
    let date = text.get(..10)?;
    let rest = text.get(10..)?;
    let mut d = date.split('-');
    let year = i64::from(digits(d.next()?)?);
    let month = digits(d.next()?)?;
    let day = digits(d.next()?)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut parts = Parts {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset_seconds: None,
    };
    if rest.is_empty() {
        return Some(parts);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    // Split off the offset.
    let (time, offset) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, Some(0))
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (t, o) = rest.split_at(i);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let o = o.get(1..)?.replace(':', "");
        if o.len() != 4 {
            return None;
        }
        let hh = i64::from(digits(o.get(..2)?)?);
        let mm = i64::from(digits(o.get(2..)?)?);
        (t, Some(sign * (hh * 3600 + mm * 60)))
    } else {
        (rest, None)
    };
    parts.offset_seconds = offset;
    let (hms, fraction) = match time.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (time, None),
    };
    let mut t = hms.split(':');
    parts.hour = digits(t.next()?)?;
    parts.minute = digits(t.next()?)?;
    parts.second = match t.next() {
        Some(s) => digits(s)?,
        None => 0,
    };
    if t.next().is_some() || parts.hour > 23 || parts.minute > 59 || parts.second > 60 {
        return None;
    }
    if let Some(f) = fraction {
        digits(f)?;
        let f9: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
        parts.nanos = f9.parse().ok()?;
    }
    Some(parts)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// A field of an update that may be left out, cleared with `null`, or set: three different
/// requests (for example a recording's `folder_id`), or three different meanings in a diff a
/// vendor sends.
///
/// ```
/// use client_core::Patch;
/// let keep: Patch<u64> = Patch::Unchanged; // the key is not sent
/// let clear: Patch<u64> = Patch::Null;     // "folder_id": null
/// let set = Patch::Set(5u64);               // "folder_id": 5
/// assert_eq!(Patch::from(Some(5u64)), set);
/// assert_eq!(Patch::<u64>::from(None), clear);
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

    /// Whether the field is cleared or set.
    pub fn is_changed(&self) -> bool {
        !self.is_unchanged()
    }

    /// The value, when one is set.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(v) => Some(v),
            _ => None,
        }
    }

    /// `None` when unchanged, `Some(None)` when cleared, `Some(Some(v))` when set.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Patch::Unchanged => None,
            Patch::Null => Some(None),
            Patch::Set(v) => Some(Some(v)),
        }
    }
}

/// Reading a diff a vendor sends: with `#[serde(default)]` on the field, an absent key is
/// [`Patch::Unchanged`], `null` is [`Patch::Null`] and a value is [`Patch::Set`].
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(d)?.map_or(Patch::Null, Patch::Set))
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

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(v) => v.serialize(s),
            Patch::Null | Patch::Unchanged => s.serialize_none(),
        }
    }
}

// Plain values set a field: `.custom_prompt("x")`, `.retention_days(-1)`.
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

impl From<u32> for Patch<u32> {
    fn from(n: u32) -> Self {
        Patch::Set(n)
    }
}

impl From<u64> for Patch<u64> {
    fn from(n: u64) -> Self {
        Patch::Set(n)
    }
}

impl From<i64> for Patch<i64> {
    fn from(n: i64) -> Self {
        Patch::Set(n)
    }
}

/// Deserialize `null` as the type's default (with `#[serde(default)]`, a missing key too): for
/// lists and maps that vendors sometimes send as `null`. Use it as
/// `#[serde(default, deserialize_with = "client_core::null_as_default")]`.
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Declares an open string enum: the known variants plus `Unknown(String)`, which keeps a value
/// this version does not know. It (de)serializes as the wire string. With
/// `: normalize(f)`, a received string is mapped by `f` before it is matched (for example to
/// upper case); an unmatched value is kept exactly as received.
///
/// ```
/// client_core::open_enum! {
///     /// A recording's status.
///     pub enum Status: normalize(|s: &str| s.to_ascii_uppercase()) {
///         /// Done.
///         Completed = "COMPLETED",
///         /// Waiting.
///         Queued = "QUEUED",
///     }
/// }
/// client_core::open_enum! {
///     /// A call's direction.
///     pub enum Direction {
///         /// Incoming.
///         Inbound = "inbound",
///     }
/// }
/// let s: Status = serde_json::from_str("\"ARCHIVING\"").unwrap();
/// assert_eq!(s, Status::Unknown("ARCHIVING".into()));
/// assert!(s.is_unknown());
/// assert_eq!(Status::from("queued"), Status::Queued);
/// assert_eq!(serde_json::to_string(&Status::Completed).unwrap(), "\"COMPLETED\"");
/// assert_eq!(Direction::from("Inbound"), Direction::Unknown("Inbound".into()));
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)*
        }
    ) => {
        $crate::open_enum! {
            $(#[$meta])*
            pub enum $name: normalize($crate::__private::unchanged) {
                $($(#[$vmeta])* $variant = $wire,)*
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident: normalize($norm:expr) {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version does not know, kept as sent.
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every known value.
            pub const KNOWN: &'static [$name] = &[$($name::$variant,)*];

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Unknown(other) => other,
                }
            }

            /// Whether this is a value this version does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                let normalized = ($norm)(s);
                let normalized: &str = normalized.as_ref();
                match normalized {
                    $($wire => $name::$variant,)*
                    _ => $name::Unknown(s.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok($name::from(s))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(d: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                let s = <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize>::deserialize(d)?;
                Ok($name::from(s.as_ref()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_every_form() {
        let base = Timestamp::from("2026-11-22T07:35:50").unix_seconds();
        assert_eq!(base, Some(1_795_332_950.0));
        assert_eq!(Timestamp::from("2026-11-22T07:35:50Z").unix_seconds(), base);
        assert_eq!(
            Timestamp::from("2026-11-22T08:35:50+01:00").unix_seconds(),
            base
        );
        assert_eq!(
            Timestamp::from("2026-11-22T02:35:50-0500").unix_seconds(),
            base
        );
        let frac = Timestamp::from("2026-11-22T07:35:50.375621").unix_seconds();
        assert!(frac.is_some_and(|f| (f - 1_795_332_950.375_621).abs() < 1e-6));
        assert_eq!(Timestamp::from("1970-01-01").unix_seconds(), Some(0.0));
        assert_eq!(
            Timestamp::from("1969-12-31T23:59:59Z").unix_seconds(),
            Some(-1.0)
        );
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30T00:00:00",
            "2026-11-22T7",
        ] {
            assert_eq!(Timestamp::from(bad).to_system_time(), None, "{bad}");
        }
        assert!(Timestamp::from("2026-11-22T07:35:50.1Z").has_offset());
        assert!(!Timestamp::from("2026-11-22T07:35:50.1").has_offset());
    }

    #[test]
    fn timestamp_round_trip() {
        for secs in [0u64, 951_782_400, 1_795_332_950, 4_102_444_800] {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            let ts = Timestamp::from_system_time(t);
            assert_eq!(ts.to_system_time(), Some(t), "{ts}");
        }
        assert_eq!(
            Timestamp::from_system_time(UNIX_EPOCH + Duration::from_secs(1_795_332_950)).as_str(),
            "2026-11-22T07:35:50Z"
        );
    }

    #[test]
    fn patch_serializes_three_ways() {
        #[derive(Serialize)]
        struct Body {
            #[serde(skip_serializing_if = "Patch::is_unchanged")]
            folder_id: Patch<u64>,
        }
        let json = |p| serde_json::to_string(&Body { folder_id: p }).unwrap();
        assert_eq!(json(Patch::Unchanged), "{}");
        assert_eq!(json(Patch::Null), r#"{"folder_id":null}"#);
        assert_eq!(json(Patch::Set(5)), r#"{"folder_id":5}"#);
    }

    #[test]
    fn patch_deserializes_three_ways() {
        #[derive(Deserialize)]
        struct Diff {
            #[serde(default)]
            email: Patch<String>,
        }
        let read = |j: &str| serde_json::from_str::<Diff>(j).unwrap().email;
        assert_eq!(read("{}"), Patch::Unchanged);
        assert_eq!(read(r#"{"email":null}"#), Patch::Null);
        assert_eq!(read(r#"{"email":"a@b"}"#), Patch::Set("a@b".to_owned()));
        assert_eq!(
            read(r#"{"email":"a@b"}"#).into_option(),
            Some(Some("a@b".to_owned()))
        );
    }

    #[test]
    fn timestamps_in_heilo_forms() {
        let z = Timestamp::from("2026-06-03T12:34:56Z").unix_seconds();
        assert_eq!(z, Some(1_780_490_096.0));
        for same in [
            "2026-06-03T12:34:56",
            "2026-06-03T12:34:56+00:00",
            "2026-06-03T14:34:56+02:00",
            "2026-06-03T07:34:56-0500",
            "2026-06-03t12:34:56z",
            "2026-06-03 12:34:56Z",
        ] {
            assert_eq!(Timestamp::from(same).unix_seconds(), z, "{same}");
        }
        let frac = Timestamp::from("2026-06-03T12:34:56.250Z").to_system_time();
        assert_eq!(
            frac,
            Some(UNIX_EPOCH + Duration::from_millis(1_780_490_096_250))
        );
        assert_eq!(
            Timestamp::from("2026-06-03").unix_seconds(),
            Some(1_780_444_800.0)
        );
        assert_eq!(Timestamp::from("1970-01-01").unix_seconds(), Some(0.0));
        assert_eq!(
            Timestamp::from("1969-12-31T23:59:59Z").unix_seconds(),
            Some(-1.0)
        );
        assert_eq!(
            Timestamp::from("2024-02-29").unix_seconds(),
            Some(1_709_164_800.0)
        );
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-29",
            "2026-06-03T25:00:00Z",
            "2026-06-03T12",
            "2026-6-3",
            "2026-06-03T12:34:56+2",
            "-2026-06-03",
            "2026-06-03T12:34:56.Z",
        ] {
            assert_eq!(Timestamp::from(bad).to_system_time(), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_round_trip_heilo() {
        for secs in [0u64, 951_782_400, 1_780_490_096, 4_102_444_800] {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            let ts = Timestamp::from_system_time(t);
            assert_eq!(ts.to_system_time(), Some(t), "{ts}");
        }
        assert_eq!(
            Timestamp::from_system_time(UNIX_EPOCH + Duration::from_secs(1_780_490_096)).as_str(),
            "2026-06-03T12:34:56Z"
        );
    }
}
