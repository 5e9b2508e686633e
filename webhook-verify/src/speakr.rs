//! Speakr: `Speakr-Signature: sha256=<hex>` = HMAC-SHA256(secret, raw body).
//!
//! Other headers: `Speakr-Delivery-Id` (the idempotency key; retries keep it),
//! `Speakr-Event` (the event type) and `Speakr-Timestamp` (ISO-8601, set per attempt and
//! **not signed**). A preset of [`crate::hmac_hex`] with [`Config::speakr`].

use std::time::Duration;

use http::header::{HeaderName, HeaderValue};

use crate::error::Error;
use crate::header::user_value;
use crate::hmac_hex::{self, Config, Preset, VerifierFor};

/// `Speakr-Signature`.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("speakr-signature");
/// `Speakr-Delivery-Id`.
pub const DELIVERY_ID_HEADER: HeaderName = HeaderName::from_static("speakr-delivery-id");
/// `Speakr-Event`.
pub const EVENT_HEADER: HeaderName = HeaderName::from_static("speakr-event");
/// `Speakr-Timestamp` (unsigned).
pub const TIMESTAMP_HEADER: HeaderName = HeaderName::from_static("speakr-timestamp");

/// The Speakr preset of the HMAC-hex verifier ([`Config::speakr`]).
#[derive(Debug, Clone, Copy)]
pub enum Speakr {}

impl Preset for Speakr {
    fn config() -> Config {
        Config::speakr()
    }
}

/// Verifies Speakr deliveries against one or more secrets: `Verifier::new(secrets)` (the
/// `secrets.token_urlsafe(32)` strings Speakr shows on create and rotate, used as UTF-8
/// bytes), then `verify(&headers, &body)`; on success the idempotency key is
/// `Speakr-Delivery-Id` and the event type `Speakr-Event`.
pub type Verifier = VerifierFor<Speakr>;

impl VerifierFor<Speakr> {
    /// Also reject deliveries whose `Speakr-Timestamp` is more than `past` old or `future`
    /// ahead. Off by default. The header is **not authenticated** (Speakr does not sign
    /// it), so this filters stale retries, not an attacker's replays; dedupe on
    /// [`crate::Verified::idempotency_key`] for that.
    pub fn with_timestamp_window(self, past: Duration, future: Duration) -> Self {
        self.with_unsigned_timestamp_window(past, future)
    }
}

/// The `Speakr-Signature: sha256=<hex>` header for `body`.
pub fn sign(secret: impl AsRef<[u8]>, body: &[u8]) -> Vec<(HeaderName, HeaderValue)> {
    vec![hmac_hex::sign(&Config::speakr(), secret, body)]
}

/// Every header of a Speakr delivery: signature, `Speakr-Delivery-Id`, `Speakr-Event`
/// and `Speakr-Timestamp` (pass an ISO-8601 string such as `2026-11-22T07:35:45.204352Z`).
/// Fails only when one of the given strings cannot be a header value.
pub fn sign_delivery(
    secret: impl AsRef<[u8]>,
    delivery_id: &str,
    event: &str,
    timestamp: &str,
    body: &[u8],
) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    let mut headers = sign(secret, body);
    headers.push((
        DELIVERY_ID_HEADER,
        user_value(&DELIVERY_ID_HEADER, delivery_id)?,
    ));
    headers.push((EVENT_HEADER, user_value(&EVENT_HEADER, event)?));
    headers.push((TIMESTAMP_HEADER, user_value(&TIMESTAMP_HEADER, timestamp)?));
    Ok(headers)
}
