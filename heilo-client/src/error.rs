//! Heilo's error responses, decoded into [`client_core::Error`].
//!
//! Every documented error is the JSON body
//! `{"success": false, "error": {"code", "message"}, "meta": {"timestamp"}}`. The `code` is
//! stable (match on it, through [`ErrorCode::of`] or `Error::vendor_code()`); the message may
//! change (log it, do not parse it).
//!
//! | HTTP | `code` | [`ErrorKind`] | retried (GET) |
//! |---|---|---|---|
//! | 400 | `BAD_REQUEST` | `Http` ([`is_validation`]) | no |
//! | 401 | `UNAUTHORIZED` | `Auth` | no |
//! | 402 | `SUBSCRIPTION_INACTIVE` (billing lapsed) | `Forbidden` | no |
//! | 403 | `FORBIDDEN` (the key lacks the scope) | `Forbidden` | no |
//! | 404 | `NOT_FOUND` (or another organization's) | `NotFound` | no |
//! | 409 | `SUBSCRIPTION_INACTIVE` (webhook subscription paused: reverify it) | `Conflict` | no |
//! | 422 | `VALIDATION_ERROR` | `Http` ([`is_validation`]) | no |
//! | 429 | `RATE_LIMITED` (`Retry-After` in seconds) | `RateLimited` | yes, after `Retry-After` |
//! | 500 | `DATABASE_ERROR` | `Http` | yes, with backoff |
//! | 503 | `MAINTENANCE` (API switched off) | `Http` | yes, with backoff |
//!
//! The code decides the kind where the table names one, whatever the status; an unknown code
//! keeps the kind of its status. A body that is not this JSON (an HTML page from a proxy, an
//! empty body) gives an error with its status and a body snippet, never a decode failure.
//! A `POST` is never repeated after it may have reached the server, whatever the status.
//!
//! ```
//! use heilo_client::error::{is_validation, ErrorCode};
//! # fn handle(err: heilo_client::Error) {
//! match ErrorCode::of(&err) {
//!     Some(ErrorCode::Forbidden) => println!("give the key the read.calls scope"),
//!     Some(ErrorCode::RateLimited) => println!("wait {:?}", err.retry_after()),
//!     Some(ErrorCode::Maintenance) => println!("the API is switched off for now"),
//!     _ if is_validation(&err) => println!("fix the request: {err}"),
//!     _ => println!("{err}"),
//! }
//! # }
//! ```

use client_core::{Error, ErrorDecoder, ErrorKind, ErrorResponse, VendorError};
use serde::Deserialize;

use crate::types::{open_enum, EnvelopeError};

open_enum! {
    /// The documented `error.code` values.
    pub enum ErrorCode {
        /// `BAD_REQUEST` (400): malformed query or body parameters.
        BadRequest = "BAD_REQUEST",
        /// `UNAUTHORIZED` (401): a missing or invalid bearer token.
        Unauthorized = "UNAUTHORIZED",
        /// `SUBSCRIPTION_INACTIVE`: 402 when the Heilo subscription lapsed (billing); 409 when a
        /// webhook subscription is paused (reverify it first).
        SubscriptionInactive = "SUBSCRIPTION_INACTIVE",
        /// `FORBIDDEN` (403): the key lacks the required scope.
        Forbidden = "FORBIDDEN",
        /// `NOT_FOUND` (404): no such resource, or it belongs to another organization.
        NotFound = "NOT_FOUND",
        /// `VALIDATION_ERROR` (422): a business rule rejected the request.
        ValidationError = "VALIDATION_ERROR",
        /// `RATE_LIMITED` (429): the hourly limit is exhausted (see `Retry-After`).
        RateLimited = "RATE_LIMITED",
        /// `DATABASE_ERROR` (500): a server error, safe to retry with backoff.
        DatabaseError = "DATABASE_ERROR",
        /// `MAINTENANCE` (503): the public API is temporarily switched off.
        Maintenance = "MAINTENANCE",
    }
}

impl ErrorCode {
    /// The code of a Heilo error (`err.vendor_code()`), when the server sent one.
    pub fn of(err: &Error) -> Option<ErrorCode> {
        err.vendor_code().map(ErrorCode::from)
    }

    /// The kind a code stands for, when the code says more than its status.
    fn kind(&self, status: u16) -> Option<ErrorKind> {
        match self {
            ErrorCode::Unauthorized => Some(ErrorKind::Auth),
            ErrorCode::Forbidden => Some(ErrorKind::Forbidden),
            ErrorCode::NotFound => Some(ErrorKind::NotFound),
            ErrorCode::RateLimited => Some(ErrorKind::RateLimited),
            // Billing lapsed: the key is refused until the subscription is renewed.
            ErrorCode::SubscriptionInactive if status == 402 => Some(ErrorKind::Forbidden),
            _ => None,
        }
    }
}

/// Whether the server rejected the request's parameters (`BAD_REQUEST` or
/// `VALIDATION_ERROR`). Requests this crate can check are refused before sending instead,
/// with `ErrorKind::InvalidRequest`.
pub fn is_validation(err: &Error) -> bool {
    matches!(
        ErrorCode::of(err),
        Some(ErrorCode::BadRequest | ErrorCode::ValidationError)
    )
}

/// Whether the error is `SUBSCRIPTION_INACTIVE` (402 billing, or 409 paused webhook
/// subscription).
pub fn is_subscription_inactive(err: &Error) -> bool {
    ErrorCode::of(err) == Some(ErrorCode::SubscriptionInactive)
}

/// Whether the public API is switched off for maintenance (`MAINTENANCE`, 503).
pub fn is_maintenance(err: &Error) -> bool {
    ErrorCode::of(err) == Some(ErrorCode::Maintenance)
}

/// A Heilo error body, read back from an error's body snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorBody {
    /// `error.code`.
    pub code: Option<String>,
    /// `error.message`.
    pub message: Option<String>,
    /// `meta.timestamp`.
    pub timestamp: Option<crate::Timestamp>,
}

impl ErrorBody {
    /// The JSON error body kept in `err`'s body snippet, when it is one (bodies up to
    /// [`client_core::BODY_SNIPPET_LIMIT`] bytes are kept whole).
    pub fn from_error(err: &Error) -> Option<ErrorBody> {
        parse(err.body_snippet()?.as_bytes())
    }
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    error: Option<EnvelopeError>,
    #[serde(default)]
    meta: Option<crate::Meta>,
}

fn parse(body: &[u8]) -> Option<ErrorBody> {
    let body: Body = serde_json::from_slice(body).ok()?;
    let error = body.error?;
    Some(ErrorBody {
        code: error.code,
        message: error.message,
        timestamp: body.meta.and_then(|m| m.timestamp),
    })
}

/// Decodes Heilo error responses (see the [module docs](self)).
#[derive(Debug, Clone, Copy, Default)]
pub struct HeiloErrorDecoder;

impl ErrorDecoder for HeiloErrorDecoder {
    fn decode(&self, response: &ErrorResponse<'_>) -> VendorError {
        let looks_json = response.is_json() || response.body.trim_ascii_start().starts_with(b"{");
        if !looks_json {
            return VendorError::default();
        }
        let Some(body) = parse(response.body) else {
            return VendorError::default();
        };
        let kind = body
            .code
            .as_deref()
            .and_then(|c| ErrorCode::from(c).kind(response.status.as_u16()));
        VendorError {
            kind,
            message: body.message,
            code: body.code,
            request_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue, StatusCode};

    fn decode(status: u16, content_type: &str, body: &str) -> VendorError {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_str(content_type).unwrap());
        HeiloErrorDecoder.decode(&ErrorResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: &headers,
            body: body.as_bytes(),
        })
    }

    fn body(code: &str) -> String {
        format!(
            r#"{{"success":false,"error":{{"code":"{code}","message":"m"}},"meta":{{"timestamp":"2026-06-03T12:34:56Z"}}}}"#
        )
    }

    #[test]
    fn codes_decide_the_kind() {
        let json = "application/json; charset=utf-8";
        for (status, code, kind) in [
            (401, "UNAUTHORIZED", Some(ErrorKind::Auth)),
            (403, "FORBIDDEN", Some(ErrorKind::Forbidden)),
            (402, "SUBSCRIPTION_INACTIVE", Some(ErrorKind::Forbidden)),
            (409, "SUBSCRIPTION_INACTIVE", None),
            (404, "NOT_FOUND", Some(ErrorKind::NotFound)),
            (429, "RATE_LIMITED", Some(ErrorKind::RateLimited)),
            (400, "BAD_REQUEST", None),
            (422, "VALIDATION_ERROR", None),
            (500, "DATABASE_ERROR", None),
            (503, "MAINTENANCE", None),
            (418, "SOMETHING_NEW", None),
        ] {
            let v = decode(status, json, &body(code));
            assert_eq!(v.kind, kind, "{code}");
            assert_eq!(v.code.as_deref(), Some(code));
            assert_eq!(v.message.as_deref(), Some("m"));
        }
        // JSON without a JSON content type is still read.
        assert_eq!(
            decode(401, "text/plain", &body("UNAUTHORIZED")).kind,
            Some(ErrorKind::Auth)
        );
    }

    #[test]
    fn other_bodies_decode_to_nothing() {
        for (ct, b) in [
            ("text/html", "<html><title>502 Bad Gateway</title></html>"),
            ("application/json", ""),
            ("application/json", "{not json"),
            ("application/json", r#"{"message":"no error object"}"#),
        ] {
            assert_eq!(decode(500, ct, b), VendorError::default(), "{b}");
        }
    }

    #[test]
    fn codes_round_trip() {
        assert_eq!(ErrorCode::KNOWN.len(), 9);
        for c in ErrorCode::KNOWN {
            assert_eq!(&ErrorCode::from(c.as_str()), c);
        }
        assert!(ErrorCode::from("NEW_CODE").is_unknown());
    }
}
