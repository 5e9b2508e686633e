//! What a verification concludes: the [`Verdict`] (which scheme, dialect and secret
//! matched, where the event type and the idempotency key come from) and the [`Verified`]
//! delivery, a verdict plus the body it was reached on. The layer between the primitives
//! and the schemes: every scheme produces a [`Verdict`].

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use bytes::Bytes;
use http::HeaderValue;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::header::is_visible_ascii;
use crate::mac::sha256;

/// Which scheme (and, for Healthie, which dialect) verified a delivery.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Hedy: `X-Hedy-Signature`.
    Hedy,
    /// Speakr: `Speakr-Signature: sha256=…`.
    Speakr,
    /// The generic `X-Webhook-Signature: sha256=…` platform.
    Generic,
    /// A custom [`crate::hmac_hex::Config`].
    HmacHex,
    /// Heilo: `heilo-signature: t=…,v1=…`.
    Heilo,
    /// Healthie, with the dialect whose signature base matched.
    Healthie(Dialect),
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scheme::Hedy => f.write_str("hedy"),
            Scheme::Speakr => f.write_str("speakr"),
            Scheme::Generic => f.write_str("generic"),
            Scheme::HmacHex => f.write_str("hmac-hex"),
            Scheme::Heilo => f.write_str("heilo"),
            Scheme::Healthie(d) => write!(f, "healthie ({d})"),
        }
    }
}

/// The form of Healthie signature base that matched (see [`crate::healthie`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// The space-separated form used by the only production-proven verifier.
    Legacy,
    /// The LF-joined `"@method": POST` form of the vendor guide, hex signature in `:…:`.
    Guide,
    /// Strict RFC 9421 with a base64 byte-sequence signature.
    Rfc9421,
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Legacy => "legacy",
            Dialect::Guide => "guide",
            Dialect::Rfc9421 => "rfc9421",
        })
    }
}

/// Where the event type comes from.
#[derive(Debug, Clone)]
pub(crate) enum EventSource {
    /// A header value, checked to be visible ASCII during verification.
    Header(HeaderValue),
    /// The scheme has no event type.
    None,
    /// The top-level string field of the JSON body with this name, parsed on first use.
    BodyField(Cow<'static, str>),
}

/// Where the idempotency key comes from.
#[derive(Debug, Clone)]
pub(crate) enum KeySource {
    /// A vendor delivery or event id header, checked to be visible ASCII.
    Header(HeaderValue),
    /// SHA-256 of the body, already computed (Healthie checks the digest anyway).
    BodyDigest([u8; 32]),
    /// SHA-256 of the body, computed on first use.
    BodyHash,
}

/// Visible ASCII (what `to_str` accepts) and not blank.
fn usable_header(v: &HeaderValue) -> bool {
    let bytes = v.as_bytes();
    is_visible_ascii(bytes) && !bytes.trim_ascii().is_empty()
}

impl EventSource {
    /// The header's value if present and visible ASCII, else the body field.
    pub(crate) fn header_or(value: Option<&HeaderValue>, field: Option<Cow<'static, str>>) -> Self {
        match value {
            Some(v) if usable_header(v) => EventSource::Header(v.clone()),
            _ => match field {
                Some(f) => EventSource::BodyField(f),
                None => EventSource::None,
            },
        }
    }
}

impl KeySource {
    /// The header's value if present, visible ASCII and not blank, else the body hash.
    pub(crate) fn header_or_hash(value: Option<&HeaderValue>) -> Self {
        match value {
            Some(v) if usable_header(v) => KeySource::Header(v.clone()),
            _ => KeySource::BodyHash,
        }
    }
}

/// What a successful verification concluded, without the body: which scheme (and Healthie
/// dialect and variant) and which secret matched, and where the event type and the
/// idempotency key come from. [`crate::Verify::check`] returns it; a [`Verified`] is a
/// verdict together with the body it was reached on.
#[derive(Debug, Clone)]
pub struct Verdict {
    scheme: Scheme,
    secret_index: usize,
    variant: Option<&'static str>,
    event: EventSource,
    key: KeySource,
}

impl Verdict {
    pub(crate) fn new(
        scheme: Scheme,
        secret_index: usize,
        event: EventSource,
        key: KeySource,
    ) -> Self {
        Verdict {
            scheme,
            secret_index,
            variant: None,
            event,
            key,
        }
    }

    pub(crate) fn with_variant(mut self, variant: &'static str) -> Self {
        self.variant = Some(variant);
        self
    }

    /// The verified delivery: this verdict with the body it was reached on. Only this
    /// crate attaches a body, and only the one that was verified.
    #[inline]
    pub(crate) fn with_body<B: AsRef<[u8]>>(self, body: B) -> Verified<B> {
        Verified {
            body,
            verdict: self,
            event_cache: OnceLock::new(),
            key_cache: OnceLock::new(),
        }
    }

    /// The scheme (and Healthie dialect) that matched.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The Healthie dialect that matched, if this is a Healthie delivery.
    pub fn dialect(&self) -> Option<Dialect> {
        match self.scheme {
            Scheme::Healthie(d) => Some(d),
            _ => None,
        }
    }

    /// For Healthie, a short description of the exact signature-base variant that matched
    /// (see [`Verified::variant`]).
    pub fn variant(&self) -> Option<&'static str> {
        self.variant
    }

    /// Index (in the order given to [`crate::Secrets`]) of the secret that matched.
    pub fn secret_index(&self) -> usize {
        self.secret_index
    }
}

/// A delivery whose signature checked out: the raw body plus what a receiver needs next.
///
/// The event type and, where the vendor sends no id, the body-hash idempotency key are
/// computed on first access and cached, so that verification itself costs one HMAC pass
/// over the body and nothing more.
///
/// `B` is how the body is held: [`Bytes`] (the default) for the owned result of
/// `verify_bytes`, `&[u8]` for `verify`, which borrows the caller's buffer instead of
/// copying it ([`Verified::into_owned`] copies it when the result must outlive the buffer).
#[derive(Clone)]
pub struct Verified<B = Bytes> {
    body: B,
    verdict: Verdict,
    event_cache: OnceLock<Option<String>>,
    key_cache: OnceLock<String>,
}

impl<B> Verified<B> {
    /// The verdict: scheme, dialect and secret that matched.
    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }

    /// The scheme (and Healthie dialect) that matched.
    pub fn scheme(&self) -> Scheme {
        self.verdict.scheme
    }

    /// The Healthie dialect that matched, if this is a Healthie delivery.
    pub fn dialect(&self) -> Option<Dialect> {
        self.verdict.dialect()
    }

    /// For Healthie, a short description of the exact signature-base variant that matched
    /// (for example `space-separated, digest token verbatim`); log it to learn what the
    /// vendor really sends, then lock the mode down.
    pub fn variant(&self) -> Option<&'static str> {
        self.verdict.variant
    }

    /// Index (in the order given to [`crate::Secrets`]) of the secret that matched; tells a
    /// receiver in the middle of a rotation whether senders still use the old secret.
    pub fn secret_index(&self) -> usize {
        self.verdict.secret_index
    }
}

impl<B: AsRef<[u8]>> Verified<B> {
    /// The same delivery holding `body` (which must be the bytes that were verified).
    fn with_body<C>(self, body: C) -> Verified<C> {
        Verified {
            body,
            verdict: self.verdict,
            event_cache: self.event_cache,
            key_cache: self.key_cache,
        }
    }

    /// The event type: from the vendor's event header where there is one, else from the
    /// scheme's top-level body field (`event` for Hedy and generic, `event_type` for
    /// Heilo and Healthie), parsed on first call; `None` when neither exists.
    pub fn event_type(&self) -> Option<&str> {
        match &self.verdict.event {
            EventSource::Header(v) => v.to_str().ok().map(str::trim),
            EventSource::None => None,
            EventSource::BodyField(field) => self
                .event_cache
                .get_or_init(|| body_string_field(self.body.as_ref(), field))
                .as_deref(),
        }
    }

    /// The key to deduplicate on: the vendor's delivery or event id where it sends one
    /// (`Speakr-Delivery-Id`, `heilo-event-id`), otherwise the lowercase hex SHA-256 of
    /// the raw body.
    pub fn idempotency_key(&self) -> &str {
        match &self.verdict.key {
            KeySource::Header(v) => v.to_str().map(str::trim).unwrap_or_default(),
            KeySource::BodyDigest(d) => self.key_cache.get_or_init(|| hex::encode(d)),
            KeySource::BodyHash => self
                .key_cache
                .get_or_init(|| hex::encode(sha256(self.body.as_ref()))),
        }
    }

    /// The verified body's bytes, whether the body is borrowed or owned.
    pub fn bytes(&self) -> &[u8] {
        self.body.as_ref()
    }

    /// Deserialize the verified body. Only call this after verification, which is the
    /// only way to get a `Verified`: the JSON is never parsed before the signature is
    /// checked.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        Ok(serde_json::from_slice(self.body.as_ref())?)
    }
}

impl Verified<Bytes> {
    /// The raw body exactly as received and verified.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Take the raw body.
    pub fn into_body(self) -> Bytes {
        self.body
    }
}

impl<'a> Verified<&'a [u8]> {
    /// The raw body exactly as received and verified (the caller's buffer).
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// An owned result, with a copy of the body.
    pub fn into_owned(self) -> Verified<Bytes> {
        let body = Bytes::copy_from_slice(self.body);
        self.with_body(body)
    }
}

impl<B: AsRef<[u8]>> fmt::Debug for Verified<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("scheme", &self.verdict.scheme)
            .field("secret_index", &self.verdict.secret_index)
            .field("variant", &self.verdict.variant)
            .field("event_type", &self.event_type())
            .field("idempotency_key", &self.idempotency_key())
            .field("body_len", &self.body.as_ref().len())
            .finish()
    }
}

/// The top-level string field `field` of a JSON object body, if any. Other fields are
/// skipped without being materialised.
pub(crate) fn body_string_field(body: &[u8], field: &str) -> Option<String> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

    struct Find<'f>(&'f str);

    impl<'de> Visitor<'de> for Find<'_> {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if found.is_none() && key == self.0 {
                    found = map.next_value::<Option<String>>().ok().flatten();
                    if found.is_none() {
                        return Ok(None);
                    }
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }

    impl<'de> DeserializeSeed<'de> for Find<'_> {
        type Value = Option<String>;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }

    let mut de = serde_json::Deserializer::from_slice(body);
    Find(field).deserialize(&mut de).ok().flatten()
}
