//! Healthie: `Content-Digest`, `Signature-Input` and `Signature` (the HTTP Message
//! Signatures family), verified in one of three dialects.
//!
//! The vendor's own texts disagree about the exact signature base, so the verifier
//! supports the three forms in the contract and reports which one matched
//! ([`crate::Verified::dialect`], [`crate::Verified::variant`]):
//!
//! | dialect | signature base | `Signature` |
//! |---|---|---|
//! | [`Dialect::Legacy`] | `lower(method) SP path SP query SP <Content-Digest after its first '='> SP application/json SP <body length>` | `sig1=<64 hex>` |
//! | [`Dialect::Guide`] | six `"@method": POST`-style lines joined by LF (or the two characters `\n`) | `sig1=:<64 hex>:` |
//! | [`Dialect::Rfc9421`] | RFC 9421 §2.5 base from the components in `Signature-Input`, ending with the received `"@signature-params"` text | `sig1=:<base64>:` |
//!
//! [`Mode::Auto`] (the default) reads `Signature` leniently; a mode locked to one dialect
//! reads it as an RFC 8941 Dictionary and refuses junk after a member (see [`Mode`]).
//!
//! Step 1 is always body integrity: `Content-Digest` must carry a `sha-256` member equal
//! to SHA-256 of the raw body (`:base64:`, bare base64 or 64 hex), else the delivery is
//! rejected. The legacy HMAC covers only the digest *text*, so without this check the
//! body would not be authenticated at all.
//!
//! The caller supplies the method and the **path and query exactly as registered with
//! Healthie** (a proxy may rewrite what the receiver sees). Healthie sends no
//! authenticated timestamp in the Legacy and Guide dialects, so replays cannot be
//! rejected cryptographically: dedupe on [`crate::Verified::idempotency_key`] (SHA-256 of
//! the body). [`IpAllowList`] is an extra, never the only, check.
//!
//! # RFC 9421 components
//!
//! The RFC 9421 dialect covers any HTTP field (lines trimmed and joined by `, `) with the
//! parameters `;sf` (strict re-serialisation: a value that parses as a Dictionary is
//! serialised as one, anything else as a List), `;key="…"` (one Dictionary member) and
//! `;bs` (each line as a byte sequence), and the derived components `@method`,
//! `@target-uri`, `@authority`, `@scheme`, `@request-target`, `@path`, `@query` and
//! `@query-param;name="…"` (§2.2; the request line is the registered one,
//! [`Verifier::scheme`] and [`Verifier::authority`] complete the URL). What a Healthie
//! delivery cannot carry is refused with the reason in [`crate::Error::UnsupportedComponent`]:
//! `;req` and `@status` (responses only), `;tr` (trailers), a `@query-param` whose name
//! occurs more than once (§2.2.8), unknown parameters.
//!
//! # Layout
//!
//! `digest` (body integrity), `signature` and `signature_input` (header parsing), one file
//! per dialect (`legacy`, `guide`, `rfc9421`, with `sf` for structured-field values),
//! `base` (where base bytes go and the request fields they come from), `verifier` (the
//! order dialects are tried in), `sign` and `allow_list`.

mod allow_list;
mod base;
mod digest;
mod guide;
mod legacy;
mod rfc9421;
mod sf;
mod sign;
mod signature;
mod signature_input;
#[cfg(test)]
mod tests;
mod verifier;

use http::header::HeaderName;

pub use allow_list::{IpAllowList, PRODUCTION_IPS, STAGING_IPS};
pub use digest::parse_content_digest;
pub use sign::sign;
pub use signature::{parse_signature, parse_signature_strict, SignatureEncoding, SignatureMember};
pub use signature_input::{parse_signature_input, Component, ParamValue, SignatureInput};
pub use verifier::Verifier;

pub use crate::verified::Dialect;

/// `Content-Digest`.
pub const CONTENT_DIGEST: HeaderName = HeaderName::from_static("content-digest");
/// `Signature-Input`.
pub const SIGNATURE_INPUT: HeaderName = HeaderName::from_static("signature-input");
/// `Signature`.
pub const SIGNATURE: HeaderName = HeaderName::from_static("signature");

const MAX_HEADER_LEN: usize = 8192;
const MAX_MEMBERS: usize = 16;
const MAX_COMPONENTS: usize = 32;
/// The label Healthie uses.
pub const DEFAULT_LABEL: &str = "sig1";
/// Components the RFC 9421 dialect requires by default.
pub const DEFAULT_REQUIRED_COMPONENTS: [&str; 3] = ["@method", "@path", "content-digest"];
/// Default tolerance for an RFC 9421 `created` in the past, seconds.
pub const DEFAULT_CREATED_PAST: u64 = 300;
/// Default tolerance for an RFC 9421 `created` ahead of our clock, seconds.
pub const DEFAULT_CREATED_FUTURE: u64 = 60;

/// Which dialects a [`Verifier`] accepts, and how strictly it reads `Signature`.
///
/// The three modes locked to one dialect read `Signature` as an RFC 8941 Dictionary
/// ([`parse_signature_strict`]): text after a member's value or parameters that is not a
/// comma (`sig1=:…:garbage`, `sig1=:…: x`), a trailing comma or an empty member fails the
/// delivery with [`crate::Error::MalformedHeader`] (name `signature`, reason
/// `"unexpected character after a member"`, `"trailing comma"`, …; status 400). Legal
/// whitespace around commas, spaces before the first member and parameters after a value
/// (`sig1=:…:;x`, ignored) are accepted. `Signature-Input` is read strictly in every mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Pick the dialect by the shape of the `Signature` value, then try the others with
    /// the same signature bytes. Every try is a full HMAC with the shared secret, so extra
    /// candidates do not make forgery easier.
    ///
    /// Auto reads `Signature` leniently ([`parse_signature`]), to take what a sender with a
    /// sloppy serialiser writes: whitespace around members and around `=` is trimmed, empty
    /// members are skipped, a bare value ends at its first `;`, and a wrapped value ends at
    /// its closing `:` whatever follows it up to the next comma, so `sig1=:…:garbage` is
    /// read as `sig1=:…:`. The signature bytes must still match an HMAC computed here with
    /// a configured secret, so this admits no forgery; it only accepts headers that RFC
    /// 8941 would refuse. [`crate::Verified::dialect`] tells which dialect matched, and
    /// locking the mode to it makes the reading strict.
    #[default]
    Auto,
    /// Only [`Dialect::Legacy`] with a bare hex signature; `Signature` read strictly.
    Legacy,
    /// Only [`Dialect::Guide`] with a `:hex:` signature; `Signature` read strictly.
    Guide,
    /// Only [`Dialect::Rfc9421`] with a `:base64:` signature; `Signature` read strictly.
    Rfc9421,
}

/// One candidate signature base, as returned by [`Verifier::signature_bases`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureBase {
    /// The dialect.
    pub dialect: Dialect,
    /// Which variant of the dialect (separator, digest-token form, …).
    pub variant: String,
    /// The signature label (RFC 9421 only).
    pub label: Option<String>,
    /// The exact bytes that are HMAC'd, as text.
    pub base: String,
}
