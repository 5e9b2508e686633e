//! Hedy: `X-Hedy-Signature: <hex>` = HMAC-SHA256(secret, raw body), no prefix documented
//! (an optional `sha256=` is tolerated).
//!
//! Hedy sends no timestamp and no delivery id: there is no replay protection, and the
//! idempotency key is the SHA-256 of the body. The event type comes from `X-Hedy-Event`,
//! else from the body's `event` field (both the flat and the wrapped body carry it).
//! A preset of [`crate::hmac_hex`] with [`Config::hedy`].

use http::header::{HeaderName, HeaderValue};

use crate::error::Error;
use crate::header::user_value;
use crate::hmac_hex::{self, Config, Preset, VerifierFor};

/// `X-Hedy-Signature`.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-hedy-signature");
/// `X-Hedy-Event`.
pub const EVENT_HEADER: HeaderName = HeaderName::from_static("x-hedy-event");

/// The Hedy preset of the HMAC-hex verifier ([`Config::hedy`]).
#[derive(Debug, Clone, Copy)]
pub enum Hedy {}

impl Preset for Hedy {
    fn config() -> Config {
        Config::hedy()
    }
}

/// Verifies Hedy deliveries against one or more signing secrets:
/// `Verifier::new(secrets)`, then `verify(&headers, &body)`.
pub type Verifier = VerifierFor<Hedy>;

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
