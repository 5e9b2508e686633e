//! One verifier for "HMAC-SHA256 over the raw body, lowercase hex in a header", the
//! scheme behind Hedy, Speakr and the generic `X-Webhook-Signature` platform.
//!
//! A [`Config`] names the signature header, an optional `sha256=`-style prefix (required
//! or tolerated), where the event type and the idempotency key come from, and an
//! optional freshness check on an **unsigned** timestamp header.
//!
//! There is one verifier type, [`VerifierFor`], whose parameter says where its config
//! comes from: a [`Preset`] (the vendor modules [`crate::hedy`], [`crate::speakr`] and
//! [`crate::generic`] each name one, with [`Config::hedy`], [`Config::speakr`] and
//! [`Config::generic`]) or, for [`Verifier`] (`VerifierFor<Custom>`), a [`Config`] given at
//! construction. `verify` and `verify_bytes` come from [`crate::Verify`].

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::clock::{skew, Clock, SharedClock};
use crate::decimal::parse_iso8601;
use crate::encoding::{decode_hex32, decode_hex32_bytes};
use crate::error::Error;
use crate::header::{ascii_value, header_text, is_visible_ascii};
use crate::mac::keyed;
use crate::matching::{match_any, SigList};
use crate::secret::Secrets;
use crate::verified::{EventSource, KeySource, Scheme, Verdict};

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
    /// [`VerifierFor::with_unsigned_timestamp_window`] may check.
    pub fn timestamp_header(mut self, header: HeaderName) -> Self {
        self.timestamp_header = Some(header);
        self
    }

    /// The signature header name.
    pub fn header(&self) -> &HeaderName {
        &self.header
    }

    /// The scheme reported in [`crate::Verified::scheme`].
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
}

/// Where a [`VerifierFor`] takes its [`Config`] from: a preset names a vendor's scheme, and
/// `VerifierFor::<P>::new(secrets)` verifies it. The vendor modules define the presets of
/// this crate; a receiver may define its own.
pub trait Preset {
    /// The configuration of the scheme.
    fn config() -> Config;
}

/// The parameter of [`Verifier`]: the config is given at construction,
/// `Verifier::new(config, secrets)`.
#[derive(Debug, Clone, Copy)]
pub enum Custom {}

/// Verifies "HMAC-SHA256 hex over the raw body" deliveries for a [`Config`] given at
/// construction.
pub type Verifier = VerifierFor<Custom>;

/// Verifies "HMAC-SHA256 hex over the raw body" deliveries for one [`Config`]: from the
/// preset `P` ([`crate::hedy::Verifier`] is `VerifierFor<Hedy>`), or given at construction
/// ([`Verifier`] is `VerifierFor<Custom>`). `verify` and `verify_bytes` (inherent, and from
/// [`crate::Verify`]) borrow or take the body without copying it.
pub struct VerifierFor<P> {
    config: Config,
    secrets: Secrets,
    freshness: Option<Freshness>,
    clock: SharedClock,
    preset: PhantomData<fn() -> P>,
}

impl<P> Clone for VerifierFor<P> {
    fn clone(&self) -> Self {
        VerifierFor {
            config: self.config.clone(),
            secrets: self.secrets.clone(),
            freshness: self.freshness.clone(),
            clock: self.clock.clone(),
            preset: PhantomData,
        }
    }
}

impl<P> fmt::Debug for VerifierFor<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("config", &self.config)
            .field("secrets", &self.secrets)
            .field("freshness", &self.freshness)
            .field("clock", &self.clock)
            .finish()
    }
}

impl VerifierFor<Custom> {
    /// A verifier for `config` accepting any of `secrets`.
    pub fn new(config: Config, secrets: impl Into<Secrets>) -> Self {
        VerifierFor::with_config(config, secrets)
    }
}

impl<P: Preset> VerifierFor<P> {
    /// A verifier for the preset's scheme accepting any of `secrets` (the UTF-8 bytes of
    /// each secret string as the vendor shows it).
    pub fn new(secrets: impl Into<Secrets>) -> Self {
        VerifierFor::with_config(P::config(), secrets)
    }
}

impl<P> VerifierFor<P> {
    fn with_config(config: Config, secrets: impl Into<Secrets>) -> Self {
        VerifierFor {
            config,
            secrets: secrets.into(),
            freshness: None,
            clock: SharedClock::system(),
            preset: PhantomData,
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

    /// Check `body` against the signature in `headers` ([`crate::Verify::check`]).
    pub(crate) fn verdict(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verdict, Error> {
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
        Ok(Verdict::new(self.config.scheme, index, event, key))
    }
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
fn parse_one(
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

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
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
    (config.header.clone(), ascii_value(&value))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
