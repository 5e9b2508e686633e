//! Heilo (Stripe-style): `heilo-signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`.
//!
//! Signed bytes are `<t>.<raw body>`, fed to the HMAC in pieces so the body is never
//! copied. Several `v1` entries may be present (any one may match), unknown keys are
//! ignored and whitespace around parts is trimmed. Freshness: a timestamp more than
//! 300 s old or more than 60 s ahead of our clock is rejected (both configurable; the
//! clock is injectable). Idempotency key: `heilo-event-id` (SHA-256 of the body if the
//! header is missing); event type:
//! `heilo-event-type`, else the body's `event_type`.
//!
//! The subscription handshake (`webhook.subscription.verify`) is answered with
//! [`HandshakeResponse`].

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::clock::{skew, Clock, SharedClock};
use crate::decimal::Decimal;
use crate::encoding::decode_hex32_bytes;
use crate::error::Error;
use crate::header::{ascii_value, single_value, user_value};
use crate::mac::keyed;
use crate::matching::{match_any, SigList};
use crate::secret::Secrets;
use crate::verified::{EventSource, KeySource, Scheme, Verdict, Verified};

/// `heilo-signature`.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("heilo-signature");
/// `heilo-event-id` (UUID v5, equals the body's `event_id`).
pub const EVENT_ID_HEADER: HeaderName = HeaderName::from_static("heilo-event-id");
/// `heilo-event-type`.
pub const EVENT_TYPE_HEADER: HeaderName = HeaderName::from_static("heilo-event-type");
/// The event type of the subscription handshake.
pub const SUBSCRIPTION_VERIFY: &str = "webhook.subscription.verify";
/// Default tolerance for timestamps in the past (replays), in seconds.
pub const DEFAULT_PAST_TOLERANCE: u64 = 300;
/// Default tolerance for timestamps ahead of our clock (skew), in seconds.
pub const DEFAULT_FUTURE_TOLERANCE: u64 = 60;

const MAX_HEADER_LEN: usize = 4096;

/// A parsed `heilo-signature` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    /// The `t` value, Unix seconds.
    pub timestamp: u64,
    /// Every `v1` signature, decoded.
    pub signatures: Vec<[u8; 32]>,
}

/// Parse a `heilo-signature` value.
///
/// Rules: parts are separated by `,` and trimmed; each part is `key=value` (split at the
/// first `=`, both sides trimmed); exactly one `t`, all ASCII digits; at least one `v1`
/// (at most 4), each 64 hex digits; other keys and empty parts are ignored. Everything
/// else (an empty header, `v1=`, `t=`, `t=abc`, a repeated `t`, a bare `v1`) is
/// [`Error::MalformedHeader`].
pub fn parse_signature_header(value: &str) -> Result<SignatureHeader, Error> {
    let (timestamp, list) = parse_into(value)?;
    Ok(SignatureHeader {
        timestamp,
        signatures: list.as_slice().to_vec(),
    })
}

/// The allocation-free core of [`parse_signature_header`], scanning bytes.
fn parse_into(value: &str) -> Result<(u64, SigList), Error> {
    let name = "heilo-signature";
    let bad = |reason| Error::malformed(name, reason);
    let bytes = value.as_bytes();
    if bytes.len() > MAX_HEADER_LEN {
        return Err(bad("too long"));
    }
    if bytes.trim_ascii().is_empty() {
        return Err(bad("empty"));
    }
    let mut timestamp = None;
    let mut signatures = SigList::default();
    for part in bytes.split(|&b| b == b',') {
        let part = part.trim_ascii();
        if part.is_empty() {
            continue;
        }
        let (key, val) = match part.iter().position(|&b| b == b'=') {
            Some(eq) => (
                part.get(..eq).unwrap_or_default().trim_ascii(),
                part.get(eq + 1..).unwrap_or_default().trim_ascii(),
            ),
            None => (part, &[][..]),
        };
        match key {
            b"t" => {
                if timestamp.is_some() {
                    return Err(bad("duplicate t"));
                }
                if val.is_empty() {
                    return Err(bad("t is not a Unix timestamp"));
                }
                let mut t: u64 = 0;
                for &d in val {
                    if !d.is_ascii_digit() {
                        return Err(bad("t is not a Unix timestamp"));
                    }
                    t = t
                        .checked_mul(10)
                        .and_then(|t| t.checked_add(u64::from(d - b'0')))
                        .ok_or_else(|| bad("t is out of range"))?;
                }
                timestamp = Some(t);
            }
            b"v1" => {
                if val.is_empty() {
                    return Err(bad("empty v1"));
                }
                let sig = decode_hex32_bytes(val).ok_or_else(|| bad("v1 is not 64 hex digits"))?;
                if !signatures.push(sig) {
                    return Err(bad("too many v1 entries"));
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or_else(|| bad("missing t"))?;
    if signatures.is_empty() {
        return Err(bad("missing v1"));
    }
    Ok((timestamp, signatures))
}

/// The common case, `t=<digits>,v1=<64 hex>[,v1=<64 hex>…]` with nothing else (no
/// whitespace, no other keys): the same result as [`parse_into`], or `None` to let it
/// handle (and report on) everything else. Also returns the timestamp's digits, which are
/// then exactly the decimal form of `t` that is signed (leading zeros are left to the
/// general path), so the verifier need not format it.
fn parse_plain(value: &[u8]) -> Option<(u64, &[u8], SigList)> {
    let rest = value.strip_prefix(b"t=")?;
    let digits_len = rest.iter().position(|b| !b.is_ascii_digit())?;
    let (digits, mut rest) = rest.split_at(digits_len);
    // Twenty digits may overflow: leave those to the general parser and its error.
    if digits.is_empty() || digits.len() > 19 || (digits.len() > 1 && digits.first() == Some(&b'0'))
    {
        return None;
    }
    let t = digits
        .iter()
        .fold(0u64, |t, d| t * 10 + u64::from(d - b'0'));
    let mut signatures = SigList::default();
    while !rest.is_empty() {
        let entry = rest.strip_prefix(b",v1=")?;
        let (hex, tail) = entry.split_at_checked(64)?;
        if !signatures.push(decode_hex32_bytes(hex)?) {
            return None;
        }
        rest = tail;
    }
    if signatures.is_empty() {
        return None;
    }
    Some((t, digits, signatures))
}

/// Verifies Heilo deliveries against one or more signing secrets.
#[derive(Debug, Clone)]
pub struct Verifier {
    secrets: Secrets,
    past: u64,
    future: u64,
    clock: SharedClock,
}

impl Verifier {
    /// A verifier accepting any of `secrets`, with the default tolerances (300 s past,
    /// 60 s future) and the system clock.
    pub fn new(secrets: impl Into<Secrets>) -> Self {
        Verifier {
            secrets: secrets.into(),
            past: DEFAULT_PAST_TOLERANCE,
            future: DEFAULT_FUTURE_TOLERANCE,
            clock: SharedClock::system(),
        }
    }

    /// Accept timestamps up to `past` old and up to `future` ahead (whole seconds; the
    /// boundary itself passes).
    pub fn with_tolerance(mut self, past: Duration, future: Duration) -> Self {
        self.past = past.as_secs();
        self.future = future.as_secs();
        self
    }

    /// Use `clock` instead of the system clock (tests, or a trusted time source).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = SharedClock(Arc::new(clock));
        self
    }

    /// Check `body` against the signature in `headers` ([`crate::Verify::check`]).
    pub(crate) fn verdict(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verdict, Error> {
        if self.secrets.is_empty() {
            return Err(Error::NoSecrets);
        }
        let value = single_value(headers, &SIGNATURE_HEADER)?;
        let t_text;
        let (t, t_digits, signatures) = match parse_plain(value.as_bytes()) {
            Some(parsed) => parsed,
            None => {
                let text = value.to_str().map_err(|_| {
                    Error::malformed(SIGNATURE_HEADER.as_str(), "not visible ASCII")
                })?;
                let (t, signatures) = parse_into(text)?;
                t_text = Decimal::new(t);
                (t, t_text.as_bytes(), signatures)
            }
        };
        let key = KeySource::header_or_hash(headers.get(&EVENT_ID_HEADER));

        let now = self.clock.now();
        if now.saturating_sub(t) > self.past || t.saturating_sub(now) > self.future {
            return Err(Error::TimestampOutsideTolerance {
                skew_seconds: skew(t, now),
            });
        }
        let index = match_any(&self.secrets, signatures.as_slice(), |mac| {
            mac.update(t_digits);
            mac.update(b".");
            mac.update(body);
        })?;
        let event = EventSource::header_or(
            headers.get(&EVENT_TYPE_HEADER),
            Some(Cow::Borrowed("event_type")),
        );
        Ok(Verdict::new(Scheme::Heilo, index, event, key))
    }
}

/// The hex signature of `<timestamp>.<body>`.
pub fn signature(secret: impl AsRef<[u8]>, timestamp: u64, body: &[u8]) -> String {
    let mut mac = keyed(secret.as_ref());
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize())
}

/// The `heilo-signature: t=<timestamp>,v1=<hex>` header for `body`.
pub fn sign(
    secret: impl AsRef<[u8]>,
    timestamp: u64,
    body: &[u8],
) -> Vec<(HeaderName, HeaderValue)> {
    let value = format!("t={timestamp},v1={}", signature(secret, timestamp, body));
    vec![(SIGNATURE_HEADER, ascii_value(&value))]
}

/// Every header of a Heilo delivery: signature, `heilo-event-id` and `heilo-event-type`.
/// Fails only when one of the given strings cannot be a header value.
pub fn sign_event(
    secret: impl AsRef<[u8]>,
    timestamp: u64,
    event_id: &str,
    event_type: &str,
    body: &[u8],
) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    let mut headers = sign(secret, timestamp, body);
    headers.push((EVENT_ID_HEADER, user_value(&EVENT_ID_HEADER, event_id)?));
    headers.push((
        EVENT_TYPE_HEADER,
        user_value(&EVENT_TYPE_HEADER, event_type)?,
    ));
    Ok(headers)
}

/// The answer to Heilo's `webhook.subscription.verify` handshake.
///
/// In permissive mode any 2xx activates the subscription; in strict mode the response
/// must be 2xx with the JSON body `{"challenge":"<echo>"}`. [`HandshakeResponse::body`]
/// produces that body (or `{}` when the request had no challenge), so answering with it
/// satisfies both modes.
#[derive(Debug, Clone, PartialEq)]
pub struct HandshakeResponse {
    challenge: Option<serde_json::Value>,
}

impl HandshakeResponse {
    /// `Some` when the verified delivery is a `webhook.subscription.verify` event. The
    /// challenge is read from the body's top-level `challenge` field, else from
    /// `data.challenge`.
    pub fn from_verified<B: AsRef<[u8]>>(verified: &Verified<B>) -> Result<Option<Self>, Error> {
        if verified.event_type() != Some(SUBSCRIPTION_VERIFY) {
            return Ok(None);
        }
        let body: serde_json::Value = verified.json()?;
        let challenge = body
            .get("challenge")
            .or_else(|| body.get("data").and_then(|d| d.get("challenge")))
            .cloned();
        Ok(Some(HandshakeResponse { challenge }))
    }

    /// The challenge as received, if any.
    pub fn challenge(&self) -> Option<&serde_json::Value> {
        self.challenge.as_ref()
    }

    /// The response body: `{"challenge":<echo>}`, or `{}` without a challenge.
    pub fn body(&self) -> String {
        match &self.challenge {
            Some(c) => serde_json::json!({ "challenge": c }).to_string(),
            None => "{}".to_owned(),
        }
    }

    /// The content type to answer with.
    pub const CONTENT_TYPE: &'static str = "application/json";
}

#[cfg(test)]
mod tests {
    use crate::decimal::Decimal;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The fast path gives what the general parser gives, whenever it answers, and its
        /// digits are the decimal form of `t` that gets signed.
        #[test]
        fn plain_agrees_with_parse_into(
            t in "[0-9]{0,21}",
            sigs in proptest::collection::vec("[0-9a-fA-FxX]{63,65}", 0..6),
            sep in "(,v1=|, v1=|,v1 =|,v2=|,v1=,v1=)",
            tail in "(|,| |,x=1|,t=1)",
        ) {
            let mut text = format!("t={t}");
            for sig in &sigs {
                text.push_str(&sep);
                text.push_str(sig);
            }
            text.push_str(&tail);
            if let Some((ts, digits, list)) = super::parse_plain(text.as_bytes()) {
                let (gt, glist) = super::parse_into(&text).map_err(|e| {
                    proptest::test_runner::TestCaseError::fail(format!("{text}: {e}"))
                })?;
                proptest::prop_assert_eq!(ts, gt);
                proptest::prop_assert_eq!(list.as_slice(), glist.as_slice());
                let decimal = Decimal::new(gt);
                proptest::prop_assert_eq!(digits, decimal.as_bytes());
            }
        }
    }

    #[test]
    fn plain_takes_the_usual_header() {
        let sig = "a".repeat(64);
        assert!(super::parse_plain(format!("t=1750000000,v1={sig}").as_bytes()).is_some());
        assert!(super::parse_plain(format!("t=0,v1={sig},v1={sig}").as_bytes()).is_some());
        for odd in [
            format!("t=01,v1={sig}"),
            format!("t=1, v1={sig}"),
            format!("t=1,v1={sig},"),
            format!("t=1,v1={sig}0"),
            format!("v1={sig},t=1"),
            "t=1".to_owned(),
            format!("t=99999999999999999999,v1={sig}"),
        ] {
            assert!(super::parse_plain(odd.as_bytes()).is_none(), "{odd}");
        }
    }
}
