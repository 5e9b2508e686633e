//! Hedy: `X-Hedy-Signature: <hex>` = HMAC-SHA256(secret, raw body), no prefix documented
//! (an optional `sha256=` is tolerated).
//!
//! Hedy sends no timestamp and no delivery id: there is no replay protection, and the
//! idempotency key is the SHA-256 of the body. The event type comes from `X-Hedy-Event`,
//! else from the body's `event` field (both the flat and the wrapped body carry it).
//! A thin wrapper over [`crate::hmac_hex`] with [`Config::hedy`].

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::hmac_hex::{self, Config};
use crate::sign::user_value;
use crate::{Error, Secrets, Verified, Verify};

/// `X-Hedy-Signature`.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-hedy-signature");
/// `X-Hedy-Event`.
pub const EVENT_HEADER: HeaderName = HeaderName::from_static("x-hedy-event");

/// Verifies Hedy deliveries against one or more signing secrets.
#[derive(Debug, Clone)]
pub struct Verifier(hmac_hex::Verifier);

impl Verifier {
    /// A verifier accepting any of `secrets` (UTF-8 bytes of each signing secret).
    pub fn new(secrets: impl Into<Secrets>) -> Self {
        Verifier(hmac_hex::Verifier::new(Config::hedy(), secrets))
    }

    /// Verify the raw body.
    /// The result borrows `body`; [`Verified::into_owned`] keeps it beyond.
    pub fn verify<'a>(
        &self,
        headers: &HeaderMap,
        body: &'a [u8],
    ) -> Result<Verified<&'a [u8]>, Error> {
        self.0.verify(headers, body)
    }

    /// Like [`Verifier::verify`] for a body already in [`Bytes`]: no copy, owned result.
    pub fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        self.0.verify_bytes(headers, body)
    }
}

impl Verify for Verifier {
    fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        self.0.verify_bytes(headers, body)
    }

    fn verify<'a>(&self, headers: &HeaderMap, body: &'a [u8]) -> Result<Verified<&'a [u8]>, Error> {
        self.0.verify(headers, body)
    }
}

/// The `X-Hedy-Signature: <hex>` header for `body` (no prefix, as Hedy sends it).
pub fn sign(secret: impl AsRef<[u8]>, body: &[u8]) -> Vec<(HeaderName, HeaderValue)> {
    let config = Config::new(SIGNATURE_HEADER);
    vec![hmac_hex::sign(&config, secret, body)]
}

/// The signature header plus `X-Hedy-Event: <event>`.
pub fn sign_event(
    secret: impl AsRef<[u8]>,
    event: &str,
    body: &[u8],
) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    let mut headers = sign(secret, body);
    headers.push((EVENT_HEADER, user_value(&EVENT_HEADER, event)?));
    Ok(headers)
}
