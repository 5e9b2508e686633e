//! The one error type of the crate.

use http::StatusCode;

/// Why a delivery was rejected (or a helper failed).
///
/// Every variant is safe to log and to return to the sender: none of them ever
/// contains a configured secret or the signature we expected. Values copied from
/// the request (an algorithm name, a component name) are truncated to
/// [`MAX_ECHO`] characters.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A header the scheme needs is absent.
    #[error("missing header `{name}`")]
    MissingHeader {
        /// Lower-case header name.
        name: String,
    },
    /// A header is present but cannot be parsed (bad hex or base64, wrong length, bad syntax).
    #[error("malformed header `{name}`: {reason}")]
    MalformedHeader {
        /// Lower-case header name.
        name: String,
        /// A short fixed description of what is wrong.
        reason: &'static str,
    },
    /// The signed (or, for Speakr, unsigned) timestamp is too old or too far in the future.
    #[error("timestamp outside tolerance (skew {skew_seconds} s)")]
    TimestampOutsideTolerance {
        /// `timestamp - now` in seconds: negative when the timestamp is in the past,
        /// positive when it is ahead of our clock.
        skew_seconds: i64,
    },
    /// `Content-Digest` is well formed but does not equal SHA-256 of the body.
    #[error("content-digest does not match the body")]
    DigestMismatch,
    /// `Content-Digest` carries no `sha-256` member (only other algorithms).
    #[error("content-digest has no sha-256 member")]
    UnsupportedDigest,
    /// No configured secret produces any of the signatures in the request.
    #[error("no configured secret matches the signature")]
    NoMatchingSignature,
    /// The signature declares an algorithm other than HMAC-SHA256 (RFC 9421 `alg`).
    #[error("unsupported signature algorithm `{alg}`")]
    UnsupportedAlgorithm {
        /// The declared algorithm, truncated.
        alg: String,
    },
    /// The RFC 9421 signature does not cover a component that the policy requires.
    #[error("signature does not cover required component `{component}`")]
    MissingComponent {
        /// The required component identifier, such as `@method` or `content-digest`.
        component: String,
    },
    /// The RFC 9421 signature covers a component this crate cannot reconstruct for a
    /// Healthie request; the text says why (for example `;req`, which only a response can
    /// use).
    #[error("unsupported covered component `{component}`")]
    UnsupportedComponent {
        /// The component identifier (truncated to [`MAX_ECHO`] characters) and the reason.
        component: String,
    },
    /// The body is larger than the configured limit.
    #[error("body larger than {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body could not be read from the transport.
    #[error("could not read the request body")]
    BodyRead,
    /// The verified body is not the JSON the caller asked for.
    #[error("body is not the expected JSON: {0}")]
    InvalidJson(#[from] serde_json::Error),
    /// The verifier was built with no secret at all.
    #[error("no secret configured")]
    NoSecrets,
    /// A value passed to a signer cannot be carried in an HTTP header.
    #[error("value for header `{name}` is not a valid header value")]
    InvalidHeaderValue {
        /// Lower-case header name.
        name: String,
    },
    /// A dedup store failed (for example a lost connection in a networked store).
    #[error("dedup store failed: {0}")]
    Store(String),
}

/// Longest text copied from a request into an [`Error`].
pub const MAX_ECHO: usize = 64;

impl Error {
    /// The HTTP status a receiver should answer with: 401 for a signature, digest or
    /// freshness failure, 413 for an oversize body, 500 for a store failure or a
    /// verifier without secrets, and 400 for everything malformed.
    pub fn status(&self) -> StatusCode {
        match self {
            Error::NoMatchingSignature
            | Error::DigestMismatch
            | Error::TimestampOutsideTolerance { .. } => StatusCode::UNAUTHORIZED,
            Error::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Store(_) | Error::NoSecrets => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// True when the request could not be parsed (as opposed to a well-formed request
    /// whose signature, digest or timestamp is wrong).
    pub fn is_malformed(&self) -> bool {
        self.status() == StatusCode::BAD_REQUEST
    }

    pub(crate) fn missing(name: &str) -> Self {
        Error::MissingHeader {
            name: name.to_owned(),
        }
    }

    pub(crate) fn malformed(name: &str, reason: &'static str) -> Self {
        Error::MalformedHeader {
            name: name.to_owned(),
            reason,
        }
    }
}

/// Copy at most [`MAX_ECHO`] characters of untrusted text.
pub(crate) fn echo(text: &str) -> String {
    text.chars().take(MAX_ECHO).collect()
}
