//! Verify (and sign) the webhooks of Hedy, Speakr, Heilo, Healthie and the generic
//! `X-Webhook-Signature` platform.
//!
//! Input is the request's [`http::HeaderMap`] plus the **raw body bytes** exactly as
//! received (never parse and re-serialize JSON before verifying: a different key order
//! or spacing changes the bytes and the signature). Output is a [`Verified`] delivery
//! with the body, the event type, the idempotency key to dedupe on, and which secret
//! (and, for Healthie, which dialect) matched. Every verifier has two entry points, neither
//! of which copies the body: `verify(&headers, &[u8])` returns a result that borrows the
//! caller's buffer ([`Verified::into_owned`] keeps it longer), and `verify_bytes` takes a
//! [`bytes::Bytes`] and returns an owned result (the axum extractor uses it).
//!
//! | module | scheme |
//! |---|---|
//! | [`hedy`] | `X-Hedy-Signature: <hex>` over the body |
//! | [`speakr`] | `Speakr-Signature: sha256=<hex>` over the body |
//! | [`generic`] | `X-Webhook-Signature: sha256=<hex>` over the body |
//! | [`hmac_hex`] | the configurable verifier behind the three above |
//! | [`heilo`] | `heilo-signature: t=<unix>,v1=<hex>` over `<t>.<body>`, 300 s / 60 s tolerance |
//! | [`healthie`] | `Content-Digest` + `Signature` in the Legacy, Guide or RFC 9421 dialect |
//!
//! Every verifier takes several secrets (rotation), compares in constant time, never
//! panics on input and never puts a secret or an expected signature in an [`Error`]. The
//! keyed HMAC states derived from the secrets are zeroized when the verifier (its
//! [`Secrets`]) is dropped.
//! Signers for every scheme ([`sign`]) serve tests, mock servers and the `webhook`
//! command-line tool; [`dedup`] offers dedup stores (claim, complete, release; in Redis with
//! the `redis` feature); the `axum` feature adds an extractor.
//!
//! # Quickstart
//!
//! ```
//! use http::HeaderMap;
//! use webhook_verify::{speakr, Error};
//!
//! // What the sender does (here: our own signer, as a test or mock server would).
//! let body = br#"{"id":"d-1","type":"recording.created","data":{}}"#;
//! let mut headers = HeaderMap::new();
//! for (name, value) in speakr::sign("current-secret", body) {
//!     headers.insert(name, value);
//! }
//! headers.insert("speakr-delivery-id", "d-1".parse().unwrap());
//! headers.insert("speakr-event", "recording.created".parse().unwrap());
//!
//! // What the receiver does: keep the old secret during a rotation.
//! let verifier = speakr::Verifier::new(["current-secret", "previous-secret"]);
//! let verified = verifier.verify(&headers, body)?;
//! assert_eq!(verified.event_type(), Some("recording.created"));
//! assert_eq!(verified.idempotency_key(), "d-1");
//! assert_eq!(verified.secret_index(), 0);
//! let event: serde_json::Value = verified.json()?;
//! assert_eq!(event["id"], "d-1");
//!
//! // One changed byte and it is rejected.
//! let tampered = br#"{"id":"d-1","type":"recording.created","data":{ }}"#;
//! assert!(matches!(
//!     verifier.verify(&headers, tampered),
//!     Err(Error::NoMatchingSignature)
//! ));
//! # Ok::<(), Error>(())
//! ```
#![deny(missing_docs)]

mod clock;
pub mod dedup;
mod error;
pub mod generic;
pub mod healthie;
pub mod hedy;
pub mod heilo;
pub mod hmac_hex;
mod mac;
mod secret;
pub mod sign;
pub mod speakr;
mod verified;

#[cfg(feature = "axum")]
pub mod axum;

use bytes::Bytes;
use http::HeaderMap;

pub use clock::{Clock, ManualClock, SystemClock};
pub use dedup::{Claim, Claimed, DedupStore, InMemoryDedup};
pub use error::{Error, MAX_ECHO};
pub use secret::Secrets;
pub use verified::{Scheme, Verified};

/// Anything that can verify a delivery from its headers and raw body; implemented by
/// every scheme's verifier so extractors and tools can be generic (Healthie's verifier
/// carries its method and registered path in its configuration).
pub trait Verify: Send + Sync {
    /// Verify a body that is already in a [`Bytes`] (no copy).
    fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error>;

    /// Verify a borrowed body without copying it: the result borrows `body`
    /// ([`Verified::into_owned`] keeps it beyond).
    fn verify<'a>(&self, headers: &HeaderMap, body: &'a [u8]) -> Result<Verified<&'a [u8]>, Error>;
}

impl<T: Verify + ?Sized> Verify for std::sync::Arc<T> {
    fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        (**self).verify_bytes(headers, body)
    }

    fn verify<'a>(&self, headers: &HeaderMap, body: &'a [u8]) -> Result<Verified<&'a [u8]>, Error> {
        (**self).verify(headers, body)
    }
}

impl<T: Verify + ?Sized> Verify for Box<T> {
    fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        (**self).verify_bytes(headers, body)
    }

    fn verify<'a>(&self, headers: &HeaderMap, body: &'a [u8]) -> Result<Verified<&'a [u8]>, Error> {
        (**self).verify(headers, body)
    }
}
