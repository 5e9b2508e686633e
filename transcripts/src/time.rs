//! Cue times: reading WebVTT and SRT timestamps, writing them, and whole milliseconds in
//! serde.

use std::time::Duration;

/// Whole milliseconds of a duration, saturating at `u64::MAX` (sub-millisecond parts are
/// dropped).
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A duration from seconds as a vendor sends them (`0.8`), rounded to the millisecond;
/// `None` for negative, non-finite or absurdly large values.
#[cfg_attr(
    not(any(feature = "speakr", feature = "hedy", feature = "heilo")),
    allow(dead_code)
)]
pub(crate) fn from_secs_f64(secs: f64) -> Option<Duration> {
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    let ms = (secs * 1000.0).round();
    // 2^53 ms is about 285,000 years: anything above is not a meeting time.
    if ms > 9_007_199_254_740_992.0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(Duration::from_millis(ms as u64))
}

/// Write `hh:mm:ss<sep>mmm` (at least two hour digits) for a time in milliseconds.
pub(crate) fn push_timestamp(out: &mut String, ms: u64, sep: char) {
    let hours = ms / 3_600_000;
    let minutes = ms / 60_000 % 60;
    let seconds = ms / 1000 % 60;
    let frac = ms % 1000;
    if hours < 10 {
        out.push('0');
    }
    push_u64(out, hours);
    out.push(':');
    push_2(out, minutes);
    out.push(':');
    push_2(out, seconds);
    out.push(sep);
    push_digit(out, frac / 100);
    push_digit(out, frac / 10 % 10);
    push_digit(out, frac % 10);
}

fn push_digit(out: &mut String, d: u64) {
    // d is 0..=9 by construction; the fallback is unreachable.
    out.push(char::from_digit(u32::try_from(d).unwrap_or(0), 10).unwrap_or('0'));
}

fn push_2(out: &mut String, v: u64) {
    push_digit(out, v / 10 % 10);
    push_digit(out, v % 10);
}

fn push_u64(out: &mut String, v: u64) {
    if v >= 10 {
        push_u64(out, v / 10);
    }
    push_digit(out, v % 10);
}

/// Digits at the start of `s`: their value (`None` on overflow) and how many there were.
fn digits(s: &[u8]) -> (Option<u64>, usize) {
    let mut value: Option<u64> = Some(0);
    let mut n = 0;
    while let Some(&b) = s.get(n) {
        if !b.is_ascii_digit() {
            break;
        }
        value = value
            .and_then(|v| v.checked_mul(10))
            .and_then(|v| v.checked_add(u64::from(b - b'0')));
        n += 1;
    }
    (value, n)
}

/// Read a WebVTT timestamp (`hh:mm:ss.ttt` with one or more hour digits, or `mm:ss.ttt`) at
/// the start of `s`, as the WebVTT parsing rules do: minutes and seconds are two digits up
/// to 59, the fraction exactly three digits. Returns the time in milliseconds and the bytes
/// read.
pub(crate) fn parse_vtt_timestamp(s: &[u8]) -> Option<(u64, usize)> {
    parse_timestamp(s, b'.', false)
}

/// Read an SRT timestamp (`hh:mm:ss,mmm`; a `.` is accepted for the `,`, and the hours may
/// have one or more digits) at the start of `s`.
pub(crate) fn parse_srt_timestamp(s: &[u8]) -> Option<(u64, usize)> {
    parse_timestamp(s, b',', true)
}

fn parse_timestamp(s: &[u8], frac_sep: u8, need_hours: bool) -> Option<(u64, usize)> {
    let (v1, n1) = digits(s);
    if n1 == 0 {
        return None;
    }
    let mut pos = n1;
    let hours_first = n1 != 2 || v1? > 59 || need_hours;
    if s.get(pos) != Some(&b':') {
        return None;
    }
    pos += 1;
    let (v2, n2) = digits(&s[pos..]);
    if n2 != 2 {
        return None;
    }
    pos += 2;
    let (h, m, sec);
    if hours_first || s.get(pos) == Some(&b':') {
        if s.get(pos) != Some(&b':') {
            return None;
        }
        pos += 1;
        let (v3, n3) = digits(&s[pos..]);
        if n3 != 2 {
            return None;
        }
        pos += 2;
        (h, m, sec) = (v1?, v2?, v3?);
    } else {
        (h, m, sec) = (0, v1?, v2?);
    }
    let sep = s.get(pos).copied();
    if sep != Some(frac_sep) && !(frac_sep == b',' && sep == Some(b'.')) {
        return None;
    }
    pos += 1;
    let (frac, nf) = digits(&s[pos..]);
    if nf != 3 {
        return None;
    }
    pos += 3;
    if m > 59 || sec > 59 {
        return None;
    }
    let ms = h
        .checked_mul(3_600_000)?
        .checked_add(m * 60_000 + sec * 1000 + frac?)?;
    Some((ms, pos))
}

/// Cue timings: `<start> --> <end>` followed by anything (WebVTT cue settings, SRT
/// coordinates), which is ignored. Whitespace around the arrow is optional.
pub(crate) fn parse_timings(
    line: &str,
    parse_ts: fn(&[u8]) -> Option<(u64, usize)>,
) -> Option<(u64, u64)> {
    let b = line.as_bytes();
    let mut pos = skip_ws(b, 0);
    let (start, n) = parse_ts(&b[pos..])?;
    pos = skip_ws(b, pos + n);
    if !b[pos..].starts_with(b"-->") {
        return None;
    }
    pos = skip_ws(b, pos + 3);
    let (end, n) = parse_ts(&b[pos..])?;
    pos += n;
    // The end must be followed by whitespace (settings) or nothing.
    match b.get(pos) {
        None => Some((start, end)),
        Some(c) if c.is_ascii_whitespace() => Some((start, end)),
        Some(_) => None,
    }
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while b.get(pos).is_some_and(|c| c.is_ascii_whitespace()) {
        pos += 1;
    }
    pos
}

/// `Option<Duration>` as whole milliseconds (`null` when absent).
pub(crate) mod serde_ms {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_u64(super::millis(*d)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Duration::from_millis))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vtt(s: &str) -> Option<u64> {
        parse_vtt_timestamp(s.as_bytes()).map(|(ms, _)| ms)
    }

    #[test]
    fn webvtt_timestamp_forms() {
        assert_eq!(vtt("00:01.000"), Some(1000));
        assert_eq!(vtt("01:02.345"), Some(62_345));
        assert_eq!(vtt("00:00:01.000"), Some(1000));
        assert_eq!(vtt("1:00:00.000"), Some(3_600_000));
        assert_eq!(vtt("123:00:00.001"), Some(442_800_001));
        // A first field that is not two digits up to 59 is hours: `mm:ss` must follow.
        assert_eq!(vtt("60:00.000"), None);
        assert_eq!(vtt("60:00:00.000"), Some(216_000_000));
        assert_eq!(vtt("00:60.000"), None);
        assert_eq!(vtt("00:00:60.000"), None);
        assert_eq!(vtt("00:01.00"), None);
        assert_eq!(vtt("00:01.0000"), None);
        assert_eq!(vtt("00:01,000"), None);
        assert_eq!(vtt("0:01.000"), None);
        assert_eq!(vtt("99999999999999999999:00:00.000"), None);
    }

    #[test]
    fn timings_line() {
        let p = |s: &str| parse_timings(s, parse_vtt_timestamp);
        assert_eq!(
            p("00:01.000 --> 00:02.500 align:start line:0"),
            Some((1000, 2500))
        );
        assert_eq!(p("00:01.000-->00:02.500"), Some((1000, 2500)));
        assert_eq!(p("00:01.000 -> 00:02.500"), None);
        assert_eq!(p("00:01.000 --> 00:02.500x"), None);
        let s = |s: &str| parse_timings(s, parse_srt_timestamp);
        assert_eq!(s("00:00:01,000 --> 00:00:02,000"), Some((1000, 2000)));
        assert_eq!(s("00:00:01.000 --> 00:00:02.000"), Some((1000, 2000)));
        assert_eq!(s("00:01,000 --> 00:02,000"), None);
    }

    #[test]
    fn writes_timestamps() {
        let mut s = String::new();
        push_timestamp(&mut s, 3_723_004, '.');
        assert_eq!(s, "01:02:03.004");
        s.clear();
        push_timestamp(&mut s, 360_000_000 + 59_999, ',');
        assert_eq!(s, "100:00:59,999");
    }

    #[test]
    fn vendor_seconds() {
        assert_eq!(from_secs_f64(0.8), Some(Duration::from_millis(800)));
        assert_eq!(from_secs_f64(1.6), Some(Duration::from_millis(1600)));
        assert_eq!(from_secs_f64(-1.0), None);
        assert_eq!(from_secs_f64(f64::NAN), None);
        assert_eq!(from_secs_f64(1e300), None);
    }
}
