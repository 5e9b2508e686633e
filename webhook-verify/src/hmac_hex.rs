//! One verifier for "HMAC-SHA256 over the raw body, lowercase hex in a header", the
//! primitive behind Hedy, Speakr and the generic `X-Webhook-Signature` platform.
//!
//! A [`Config`] names the signature header, an optional `sha256=`-style prefix (required
//! or tolerated), where the event type and the idempotency key come from, and an
//! optional freshness check on an **unsigned** timestamp header. The presets
//! [`Config::hedy`], [`Config::speakr`] and [`Config::generic`] are what the
//! [`crate::hedy`], [`crate::speakr`] and [`crate::generic`] modules use.

use std::borrow::Cow;

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::clock::{skew, Clock, SharedClock};
use crate::secret::{keyed, Secrets};
use crate::verified::{EventSource, KeySource, Scheme, Verified};
use crate::{Error, Verify};

/// Longest signature header value we look at (several signatures, generous).
const MAX_HEADER_LEN: usize = 4096;

/// Where a scheme takes its event type from.
#[derive(Debug, Clone)]
struct EventFrom {
    header: Option<HeaderName>,
    body_field: Option<Cow<'static, str>>,
}

/// An optional freshness check on an unsigned ISO-8601 timestamp header.
#[derive(Debug, Clone)]
struct Freshness {
    header: HeaderName,
    past: u64,
    future: u64,
}

/// What an "HMAC-SHA256 hex over the body" scheme looks like on the wire.
#[derive(Debug, Clone)]
pub struct Config {
    scheme: Scheme,
    header: HeaderName,
    prefix: Option<String>,
    prefix_required: bool,
    event: EventFrom,
    idempotency_header: Option<HeaderName>,
    timestamp_header: Option<HeaderName>,
}

impl Config {
    /// A custom scheme: signature in `header` as bare hex, event type from the body's
    /// `event` field, idempotency key = SHA-256 of the body. Refine with the builder
    /// methods below.
    pub fn new(header: HeaderName) -> Self {
        Config {
            scheme: Scheme::HmacHex,
            header,
            prefix: None,
            prefix_required: false,
            event: EventFrom {
                header: None,
                body_field: Some(Cow::Borrowed("event")),
            },
            idempotency_header: None,
            timestamp_header: None,
        }
    }

    /// Hedy: `X-Hedy-Signature: <hex>` (an optional `sha256=` prefix is tolerated), event
    /// from `X-Hedy-Event` else the body's `event`, key = SHA-256 of the body.
    pub fn hedy() -> Self {
        let mut c = Config::new(HeaderName::from_static("x-hedy-signature"))
            .prefix("sha256=", false)
            .event_header(HeaderName::from_static("x-hedy-event"));
        c.scheme = Scheme::Hedy;
        c
    }

    /// Speakr: `Speakr-Signature: sha256=<hex>` (prefix required), event from
    /// `Speakr-Event`, key = `Speakr-Delivery-Id`, optional freshness on the unsigned
    /// `Speakr-Timestamp`.
    pub fn speakr() -> Self {
        let mut c = Config::new(HeaderName::from_static("speakr-signature"))
            .prefix("sha256=", true)
            .event_header(HeaderName::from_static("speakr-event"))
            .event_body_field("type")
            .idempotency_header(HeaderName::from_static("speakr-delivery-id"))
            .timestamp_header(HeaderName::from_static("speakr-timestamp"));
        c.scheme = Scheme::Speakr;
        c
    }

    /// The generic platform: `X-Webhook-Signature: sha256=<hex>` (prefix required), event
    /// from the body's `event`, key = SHA-256 of the body.
    pub fn generic() -> Self {
        let mut c =
            Config::new(HeaderName::from_static("x-webhook-signature")).prefix("sha256=", true);
        c.scheme = Scheme::Generic;
        c
    }

    /// Expect `prefix` (matched case-insensitively) before the hex; when `required` is
    /// false a value without it is accepted too.
    pub fn prefix(mut self, prefix: impl Into<String>, required: bool) -> Self {
        self.prefix = Some(prefix.into());
        self.prefix_required = required;
        self
    }

    /// Take the event type from this header (falling back to the body field).
    pub fn event_header(mut self, header: HeaderName) -> Self {
        self.event.header = Some(header);
        self
    }

    /// Take the event type from this top-level string field of the JSON body when the
    /// event header is absent.
    pub fn event_body_field(mut self, field: impl Into<Cow<'static, str>>) -> Self {
        self.event.body_field = Some(field.into());
        self
    }

    /// Use this header (a delivery id) as the idempotency key; when a delivery lacks it
    /// the SHA-256 of the body is used instead.
    pub fn idempotency_header(mut self, header: HeaderName) -> Self {
        self.idempotency_header = Some(header);
        self
    }

    /// The header carrying an unsigned ISO-8601 timestamp that
    /// [`Verifier::with_unsigned_timestamp_window`] may check.
    pub fn timestamp_header(mut self, header: HeaderName) -> Self {
        self.timestamp_header = Some(header);
        self
    }

    /// The signature header name.
    pub fn header(&self) -> &HeaderName {
        &self.header
    }

    /// The scheme reported in [`Verified::scheme`].
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
}

/// Verifies "HMAC-SHA256 hex over the raw body" deliveries for one [`Config`].
#[derive(Debug, Clone)]
pub struct Verifier {
    config: Config,
    secrets: Secrets,
    freshness: Option<Freshness>,
    clock: SharedClock,
}

impl Verifier {
    /// A verifier accepting any of `secrets`.
    pub fn new(config: Config, secrets: impl Into<Secrets>) -> Self {
        Verifier {
            config,
            secrets: secrets.into(),
            freshness: None,
            clock: SharedClock::system(),
        }
    }

    /// Also reject deliveries whose **unsigned** timestamp header (see
    /// [`Config::timestamp_header`]; Speakr's `Speakr-Timestamp`) is more than `past`
    /// old or more than `future` ahead. Off by default. This is not replay protection:
    /// the header is not covered by the signature, so an attacker replaying a captured
    /// delivery can simply rewrite it. It only filters stale retries from honest senders.
    /// Has no effect when the config names no timestamp header.
    pub fn with_unsigned_timestamp_window(
        mut self,
        past: std::time::Duration,
        future: std::time::Duration,
    ) -> Self {
        self.freshness = self
            .config
            .timestamp_header
            .clone()
            .map(|header| Freshness {
                header,
                past: past.as_secs(),
                future: future.as_secs(),
            });
        self
    }

    /// Use `clock` for the unsigned-timestamp window (tests).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = SharedClock(std::sync::Arc::new(clock));
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Verify `body` against the signature in `headers`; the body is copied into the
    /// result only after it verified.
    /// The result borrows `body`; [`Verified::into_owned`] keeps it beyond.
    pub fn verify<'a>(
        &self,
        headers: &HeaderMap,
        body: &'a [u8],
    ) -> Result<Verified<&'a [u8]>, Error> {
        let meta = self.check(headers, body)?;
        Ok(meta.into_verified(body))
    }

    /// Like [`Verifier::verify`] but takes ownership of an already-shared body (no copy).
    pub fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        let meta = self.check(headers, &body)?;
        Ok(meta.into_verified(body))
    }

    fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<Meta, Error> {
        if self.secrets.is_empty() {
            return Err(Error::NoSecrets);
        }
        let prefix = self.config.prefix.as_deref();
        let mut lines = headers.get_all(&self.config.header).iter();
        let fast = match (lines.next(), lines.next()) {
            (Some(value), None) => {
                single_signature(value.as_bytes(), prefix, self.config.prefix_required)
            }
            _ => None,
        };
        let signatures = match fast {
            Some(sig) => SigList::one(sig),
            None => collect_signatures(
                headers.get_all(&self.config.header).iter(),
                self.config.header.as_str(),
                prefix,
                self.config.prefix_required,
            )?,
        };
        // Everything cheap is checked before hashing the body.
        let key = KeySource::header_or_hash(
            self.config
                .idempotency_header
                .as_ref()
                .and_then(|h| headers.get(h)),
        );
        if let Some(f) = &self.freshness {
            let text = header_text(headers, &f.header)?;
            let ts = parse_iso8601(text).ok_or_else(|| {
                Error::malformed(f.header.as_str(), "not an ISO-8601 UTC timestamp")
            })?;
            let now = self.clock.now();
            if now.saturating_sub(ts) > f.past || ts.saturating_sub(now) > f.future {
                return Err(Error::TimestampOutsideTolerance {
                    skew_seconds: skew(ts, now),
                });
            }
        }
        let index = match_any(&self.secrets, signatures.as_slice(), |mac| mac.update(body))?;
        let event = EventSource::header_or(
            self.config
                .event
                .header
                .as_ref()
                .and_then(|h| headers.get(h)),
            self.config.event.body_field.clone(),
        );
        Ok(Meta {
            scheme: self.config.scheme,
            index,
            event,
            key,
        })
    }
}

struct Meta {
    scheme: Scheme,
    index: usize,
    event: EventSource,
    key: KeySource,
}

impl Meta {
    fn into_verified<B: AsRef<[u8]>>(self, body: B) -> Verified<B> {
        Verified::new(body, self.scheme, self.index, self.event, self.key)
    }
}

impl Verify for Verifier {
    fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        Verifier::verify_bytes(self, headers, body)
    }

    fn verify<'a>(&self, headers: &HeaderMap, body: &'a [u8]) -> Result<Verified<&'a [u8]>, Error> {
        Verifier::verify(self, headers, body)
    }
}

/// A present, visible-ASCII header value.
pub(crate) fn header_text<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Result<&'h str, Error> {
    let value = headers
        .get(name)
        .ok_or_else(|| Error::missing(name.as_str()))?;
    let text = value
        .to_str()
        .map_err(|_| Error::malformed(name.as_str(), "not visible ASCII"))?
        .trim();
    if text.is_empty() {
        return Err(Error::malformed(name.as_str(), "empty"));
    }
    Ok(text)
}

/// The common case: one header line that is exactly `[prefix]<64 hex>`. Returns what
/// [`collect_signatures`] returns for that line, or `None` to let it handle (and report on)
/// everything else: the hex part is valid by construction, so the line is taken here only
/// when the part before it is visible ASCII without a comma and does not start with
/// whitespace, i.e. when splitting at commas and trimming would leave it as it is.
fn single_signature(value: &[u8], prefix: Option<&str>, prefix_required: bool) -> Option<[u8; 32]> {
    if value.len() > MAX_HEADER_LEN {
        return None;
    }
    let hex = match prefix {
        Some(p) => match strip_prefix_ci_bytes(value, p.as_bytes()) {
            Some(rest) => rest,
            None if prefix_required => return None,
            None => value,
        },
        None => value,
    };
    let sig = decode_hex32_bytes(hex)?;
    let head = value.get(..value.len() - hex.len())?;
    let plain = is_visible_ascii(head)
        && !head.contains(&b',')
        && !head.first().is_some_and(u8::is_ascii_whitespace);
    plain.then_some(sig)
}

fn strip_prefix_ci_bytes<'a>(s: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

/// Every signature in the header (several header lines and comma-separated values are
/// accepted, at most 4 in all), decoded to 32 bytes.
fn collect_signatures<'a>(
    values: impl Iterator<Item = &'a HeaderValue>,
    name: &str,
    prefix: Option<&str>,
    prefix_required: bool,
) -> Result<SigList, Error> {
    let mut out = SigList::default();
    let mut seen = false;
    for value in values {
        seen = true;
        if value.len() > MAX_HEADER_LEN {
            return Err(Error::malformed(name, "too long"));
        }
        let text = value
            .to_str()
            .map_err(|_| Error::malformed(name, "not visible ASCII"))?;
        for part in text.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            if !out.push(parse_one(part, name, prefix, prefix_required)?) {
                return Err(Error::malformed(name, "too many signatures"));
            }
        }
    }
    if !seen {
        return Err(Error::missing(name));
    }
    if out.is_empty() {
        return Err(Error::malformed(name, "empty"));
    }
    Ok(out)
}

/// Parse a single `[prefix]<64 hex>` signature.
pub(crate) fn parse_one(
    part: &str,
    name: &str,
    prefix: Option<&str>,
    prefix_required: bool,
) -> Result<[u8; 32], Error> {
    let hex_part = match prefix {
        Some(p) => match strip_prefix_ci(part, p) {
            Some(rest) => rest,
            None if prefix_required => {
                return Err(Error::malformed(name, "missing the signature prefix"))
            }
            None => part,
        },
        None => part,
    };
    decode_hex32(hex_part).ok_or_else(|| Error::malformed(name, "signature is not 64 hex digits"))
}

/// Parse a signature header value (all comma-separated entries) the way the verifier
/// does; exposed for fuzzing and debugging.
pub fn parse_signature_header(config: &Config, value: &str) -> Result<Vec<[u8; 32]>, Error> {
    let hv = HeaderValue::from_str(value)
        .map_err(|_| Error::malformed(config.header.as_str(), "not a valid header value"))?;
    collect_signatures(
        std::iter::once(&hv),
        config.header.as_str(),
        config.prefix.as_deref(),
        config.prefix_required,
    )
    .map(|list| list.as_slice().to_vec())
}

/// Up to [`SigList::CAPACITY`] decoded signatures, without a heap allocation.
#[derive(Clone, Copy)]
pub(crate) struct SigList {
    items: [[u8; 32]; SigList::CAPACITY],
    len: usize,
}

impl Default for SigList {
    fn default() -> Self {
        SigList {
            items: [[0; 32]; SigList::CAPACITY],
            len: 0,
        }
    }
}

impl SigList {
    pub(crate) const CAPACITY: usize = 4;

    /// A list of one signature.
    pub(crate) fn one(sig: [u8; 32]) -> Self {
        let mut list = SigList::default();
        list.push(sig);
        list
    }

    /// Append; false when full.
    pub(crate) fn push(&mut self, sig: [u8; 32]) -> bool {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = sig;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    pub(crate) fn as_slice(&self) -> &[[u8; 32]] {
        self.items.get(..self.len).unwrap_or(&[])
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

/// Decode exactly 64 hex digits (either case) into 32 bytes. (The input is the received,
/// public signature, so a data-dependent decode is fine.)
pub(crate) fn decode_hex32(s: &str) -> Option<[u8; 32]> {
    decode_hex32_bytes(s.as_bytes())
}

/// [`decode_hex32`] on bytes.
///
/// Eight digits at a time in a `u64` (SWAR): every lane is checked to be `0-9`, `a-f` or
/// `A-F`, then turned into its value and pairs of lanes are packed into bytes. Exactly the
/// strings accepted by a per-character decoder are accepted (see the exhaustive test).
pub(crate) fn decode_hex32_bytes(bytes: &[u8]) -> Option<[u8; 32]> {
    let bytes: &[u8; 64] = bytes.try_into().ok()?;
    let mut out = [0u8; 32];
    let mut invalid = 0u64;
    for (dst, src) in out.chunks_exact_mut(4).zip(bytes.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(src);
        let x = u64::from_le_bytes(word);
        let (value, bad) = hex_lanes(x);
        invalid |= bad;
        dst.copy_from_slice(&value.to_le_bytes());
    }
    (invalid == 0).then_some(out)
}

const LANES_01: u64 = 0x0101_0101_0101_0101;
const LANES_80: u64 = 0x8080_8080_8080_8080;

/// Per lane of `y` (every lane below 0x80): high bit set where the lane is `>= lo`.
const fn lanes_ge(y: u64, lo: u8) -> u64 {
    y.wrapping_add(LANES_01.wrapping_mul(0x80 - lo as u64)) & LANES_80
}

/// Per lane of `y` (every lane below 0x80): high bit set where the lane is `<= hi`.
const fn lanes_le(y: u64, hi: u8) -> u64 {
    !y.wrapping_add(LANES_01.wrapping_mul(0x7f - hi as u64)) & LANES_80
}

/// Eight ASCII hex digits (little-endian lanes, first digit in the lowest byte) to four
/// bytes, and a non-zero second value if any lane is not a hex digit.
fn hex_lanes(x: u64) -> (u32, u64) {
    let high = x & LANES_80;
    let y = x & !LANES_80;
    let digit = lanes_ge(y, b'0') & lanes_le(y, b'9');
    let lower = y | LANES_01.wrapping_mul(0x20);
    let letter = lanes_ge(lower, b'a') & lanes_le(lower, b'f');
    let bad = high | ((digit | letter) ^ LANES_80);
    // '0'-'9' have bit 6 clear and their value in the low nibble; letters have bit 6 set
    // and 1-6 in the low nibble, hence + 9.
    let nibbles = (y & LANES_01.wrapping_mul(0x0f)) + ((y >> 6) & LANES_01).wrapping_mul(9);
    // Each 16-bit lane: first digit << 4 | second digit, in its low byte.
    let pairs = ((nibbles & 0x000f_000f_000f_000f) << 4) | ((nibbles >> 8) & 0x000f_000f_000f_000f);
    let packed = (pairs | (pairs >> 8)) & 0x0000_ffff_0000_ffff;
    let packed = packed | (packed >> 16);
    ((packed & 0xffff_ffff) as u32, bad)
}

/// `HeaderValue::to_str` succeeds exactly when this is true (visible ASCII or tab), checked
/// eight bytes at a time.
pub(crate) fn is_visible_ascii(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    let mut bad = 0u64;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let y = x & !LANES_80;
        let tab =
            !(y ^ LANES_01.wrapping_mul(0x09)).wrapping_add(LANES_01.wrapping_mul(0x7f)) & LANES_80;
        let control = !lanes_ge(y, 0x20) & LANES_80 & !tab;
        let del = lanes_ge(y, 0x7f);
        bad |= (x & LANES_80) | control | del;
    }
    bad == 0
        && chunks
            .remainder()
            .iter()
            .all(|&b| (0x20..0x7f).contains(&b) || b == b'\t')
}

/// Run `feed` on a fresh keyed HMAC per secret and compare the result with every
/// candidate signature in constant time; the index of the first matching secret.
pub(crate) fn match_any(
    secrets: &Secrets,
    signatures: &[[u8; 32]],
    mut feed: impl FnMut(&mut crate::secret::HmacSha256),
) -> Result<usize, Error> {
    if secrets.is_empty() {
        return Err(Error::NoSecrets);
    }
    let Some((last, others)) = signatures.split_last() else {
        return Err(Error::NoMatchingSignature);
    };
    for (index, key) in secrets.macs() {
        let mut mac = key.start();
        feed(&mut mac);
        // verify consumes the state: earlier candidates get a copy of it.
        for sig in others {
            if mac.clone().verify(sig) {
                return Ok(index);
            }
        }
        if mac.verify(last) {
            return Ok(index);
        }
    }
    Err(Error::NoMatchingSignature)
}

/// The lowercase hex HMAC-SHA256 of `body` under `secret`.
pub fn signature_hex(secret: impl AsRef<[u8]>, body: &[u8]) -> String {
    let mut mac = keyed(secret.as_ref());
    mac.update(body);
    hex::encode(mac.finalize())
}

/// The signature header for `body` under `config` (with the prefix, if the config has one).
pub fn sign(config: &Config, secret: impl AsRef<[u8]>, body: &[u8]) -> (HeaderName, HeaderValue) {
    let hex = signature_hex(secret, body);
    let value = match &config.prefix {
        Some(p) => format!("{p}{hex}"),
        None => hex,
    };
    (config.header.clone(), crate::sign::ascii_value(&value))
}

/// Parse `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` into Unix seconds (no offset means UTC,
/// as Speakr sometimes omits it).
pub(crate) fn parse_iso8601(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        let mut v: i64 = 0;
        for c in part {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    if b.len() < 19
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T') | Some(b't') | Some(b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i) {
        None => 0,
        Some(b'Z') | Some(b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 && b.get(i + 3) == Some(&b':') => {
            let secs = num(i + 1, 2)? * 3600 + num(i + 4, 2)? * 60;
            if sign == b'+' {
                secs
            } else {
                -secs
            }
        }
        _ => return None,
    };
    // Days from civil (proleptic Gregorian), after H. Hinnant's public-domain algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    u64::try_from(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_iso8601("2026-11-22T07:35:45.204352Z"),
            Some(1_795_332_945)
        );
        assert_eq!(parse_iso8601("2026-11-22T07:35:45"), Some(1_795_332_945));
        assert_eq!(
            parse_iso8601("2026-11-22T08:35:45+01:00"),
            Some(1_795_332_945)
        );
        assert_eq!(parse_iso8601("2026-11-22T07:35:45.Z"), None);
        assert_eq!(parse_iso8601("2026-13-22T07:35:45Z"), None);
        assert_eq!(parse_iso8601("garbage"), None);
        assert_eq!(parse_iso8601("2026-11-22T07:35:45Zjunk"), None);
    }

    /// The per-character decoder the SWAR one replaced.
    fn reference_hex32(bytes: &[u8]) -> Option<[u8; 32]> {
        fn nibble(c: u8) -> Option<u8> {
            match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'a'..=b'f' => Some(c - b'a' + 10),
                b'A'..=b'F' => Some(c - b'A' + 10),
                _ => None,
            }
        }
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            *o = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Some(out)
    }

    #[test]
    fn hex32_matches_the_reference_for_every_byte_at_every_position() {
        let base: Vec<u8> =
            b"0123456789abcdefABCDEF0123456789fedcbaFEDCBA98765432100123456789".to_vec();
        assert_eq!(base.len(), 64);
        assert!(decode_hex32_bytes(&base).is_some());
        for pos in 0..64 {
            for b in 0..=255u8 {
                let mut s = base.clone();
                s[pos] = b;
                assert_eq!(
                    decode_hex32_bytes(&s),
                    reference_hex32(&s),
                    "byte {b:#x} at {pos}"
                );
            }
        }
        for len in [0, 1, 63, 65, 128] {
            assert_eq!(decode_hex32_bytes(&vec![b'a'; len]), None);
        }
    }

    #[test]
    fn visible_ascii_matches_header_value_to_str() {
        for len in 0..20 {
            for pos in 0..len {
                for b in 0..=255u8 {
                    let mut s = vec![b'x'; len];
                    s[pos] = b;
                    let expected = s.iter().all(|&c| (0x20..0x7f).contains(&c) || c == b'\t');
                    assert_eq!(
                        is_visible_ascii(&s),
                        expected,
                        "byte {b:#x} at {pos} of {len}"
                    );
                    if let Ok(v) = HeaderValue::from_bytes(&s) {
                        assert_eq!(is_visible_ascii(&s), v.to_str().is_ok());
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The one-line fast path gives what the general parser gives, whenever it answers.
        #[test]
        fn single_signature_agrees_with_collect_signatures(
            head in "[ ,\t=a-zA-Z0-9\u{80}-\u{ff}]{0,9}",
            hex in "[0-9a-fA-F]{62,66}",
            tail in "[ ,\t0-9a-z]{0,3}",
            config in 0..4usize,
        ) {
            let (prefix, required) = match config {
                0 => (Some("sha256="), true),
                1 => (Some("sha256="), false),
                2 => (Some(" a,"), false),
                _ => (None, false),
            };
            let text = format!("{head}{hex}{tail}");
            let Ok(value) = HeaderValue::from_bytes(text.as_bytes()) else {
                return Ok(());
            };
            if let Some(sig) = single_signature(value.as_bytes(), prefix, required) {
                let general = collect_signatures(std::iter::once(&value), "x", prefix, required);
                proptest::prop_assert_eq!(general.ok().map(|l| l.as_slice().to_vec()), Some(vec![sig]));
            }
        }
    }

    #[test]
    fn keyed_matches_new_from_slice() {
        for len in [0usize, 1, 32, 63, 64, 65, 200] {
            let key: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut a = keyed(&key);
            let mut b = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(&key).unwrap();
            a.update(b"abc");
            hmac::Mac::update(&mut b, b"abc");
            assert_eq!(
                a.finalize(),
                <[u8; 32]>::from(hmac::Mac::finalize(b).into_bytes())
            );
        }
    }
}
