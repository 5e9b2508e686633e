//! The generic platform: `X-Webhook-Signature: sha256=<hex>` = HMAC-SHA256(secret, raw body).
//!
//! The event type is the body's `event` field; the idempotency key is the SHA-256 of
//! the body (no delivery id is sent). Note the vendor's sample verifies
//! `JSON.stringify(payload)`, which breaks as soon as key order or spacing differ: this
//! verifier only ever hashes the raw bytes. A preset of [`crate::hmac_hex`] with
//! [`Config::generic`].

use http::header::{HeaderName, HeaderValue};

use crate::hmac_hex::{self, Config, Preset, VerifierFor};

/// `X-Webhook-Signature`.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-webhook-signature");

/// The generic preset of the HMAC-hex verifier ([`Config::generic`]).
#[derive(Debug, Clone, Copy)]
pub enum Generic {}

impl Preset for Generic {
    fn config() -> Config {
        Config::generic()
    }
}

/// Verifies generic `X-Webhook-Signature` deliveries against one or more secrets:
/// `Verifier::new(secrets)`, then `verify(&headers, &body)`.
pub type Verifier = VerifierFor<Generic>;

/// The `X-Webhook-Signature: sha256=<hex>` header for `body`.
pub fn sign(secret: impl AsRef<[u8]>, body: &[u8]) -> Vec<(HeaderName, HeaderValue)> {
    vec![hmac_hex::sign(&Config::generic(), secret, body)]
}
