#![doc = include_str!("../README.md")]
//!
//! # Where things are
//!
//! | module | scheme |
//! |---|---|
//! | [`hedy`] | `X-Hedy-Signature` |
//! | [`speakr`] | `Speakr-Signature` |
//! | [`generic`] | `X-Webhook-Signature` |
//! | [`hmac_hex`] | the configurable verifier behind the three above |
//! | [`heilo`] | `heilo-signature` |
//! | [`healthie`] | `Content-Digest` + `Signature`, three dialects |
//!
//! The [`Verify`] trait is what every verifier implements; [`Verified`] is its result and
//! [`Error`] its failure. [`sign`] has the signers, [`dedup`] the [`DedupStore`]s
//! ([`InMemoryDedup`]; `dedup::redis::RedisDedup` with the feature `redis`), and the module
//! `axum` (feature `axum`) the extractor.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The modules form a stack: a module names (`use crate::…`) only modules of the layers
// below its own, except that primitives may use other primitives; so no scheme imports
// another scheme and there is no cycle. `layering.rs` checks this table against the source.
//
// | layer | modules |
// |---|---|
// | 0 primitives | `error`, `clock`, `encoding` (hex, base64), `header` (header-value checks), `decimal` (numbers and timestamps as text), `ct` (constant-time comparison), `mac` (SHA-256, keyed HMAC), `secret`, `matching` (signatures against secrets) |
// | 1 outcome | `verified` (`Verdict`, `Verified`, `Scheme`, `Dialect`) |
// | 2 schemes | `hmac_hex`, `heilo`, `healthie` |
// | 3 vendor presets | `hedy`, `speakr`, `generic` (presets of `hmac_hex`) |
// | 4 façade | `verify` (the `Verify` trait), `sign` (the signers) |
// | 5 receiver helpers | `dedup`, `axum` |

// 0: primitives.
mod clock;
mod ct;
mod decimal;
mod encoding;
mod error;
mod header;
mod mac;
mod matching;
mod secret;
// 1: outcome.
mod verified;
// 2: schemes.
pub mod healthie;
pub mod heilo;
pub mod hmac_hex;
// 3: vendor presets.
pub mod generic;
pub mod hedy;
pub mod speakr;
// 4: façade.
pub mod sign;
mod verify;
// 5: receiver helpers.
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
pub mod dedup;

#[cfg(test)]
mod layering;

pub use clock::{Clock, ManualClock, SystemClock};
pub use dedup::{Claim, Claimed, DedupStore, InMemoryDedup};
pub use error::{Error, MAX_ECHO};
pub use secret::{Secrets, SigningSecret};
pub use verified::{Scheme, Verdict, Verified};
pub use verify::Verify;
