//! The generic platform: `X-Webhook-Signature: sha256=<hex>` = HMAC-SHA256(secret, raw body).
//!
//! The event type is the body's `event` field; the idempotency key is the SHA-256 of
//! the body (no delivery id is sent). Note the vendor's sample verifies
//! `JSON.stringify(payload)`, which breaks as soon as key order or spacing differ: this
//! verifier only ever hashes the raw bytes. A thin wrapper over [`crate::hmac_hex`]
//! with [`Config::generic`].

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::hmac_hex::{self, Config};
use crate::{Error, Secrets, Verified, Verify};

/// `X-Webhook-Signature`.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-webhook-signature");

/// Verifies generic `X-Webhook-Signature` deliveries against one or more secrets.
#[derive(Debug, Clone)]
pub struct Verifier(hmac_hex::Verifier);

impl Verifier {
    /// A verifier accepting any of `secrets`.
    pub fn new(secrets: impl Into<Secrets>) -> Self {
        Verifier(hmac_hex::Verifier::new(Config::generic(), secrets))
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

/// The `X-Webhook-Signature: sha256=<hex>` header for `body`.
pub fn sign(secret: impl AsRef<[u8]>, body: &[u8]) -> Vec<(HeaderName, HeaderValue)> {
    vec![hmac_hex::sign(&Config::generic(), secret, body)]
}
