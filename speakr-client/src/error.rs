//! Speakr's error responses, decoded into [`client_core::Error`].
//!
//! | what the server sends | [`ErrorKind`] | `vendor_code()` |
//! |---|---|---|
//! | `302` to `/login…` (a missing, invalid, revoked or expired token; the docs say 401) | `Auth` | `login_redirect` |
//! | `403 {"error": "Folders feature is not enabled"}` (a feature turned off) | `Forbidden` | `feature_disabled` |
//! | `409 {"error": …, "max_per_user": 10}` (webhook cap) | `Conflict` | `webhook_limit` |
//! | `400 {"error": …, "allowed": [...]}` (unknown webhook event type) | `Http` | `unknown_event_type` |
//! | `413 {"error": …, "max_size_mb": …}` (upload too large) | `Http` | `too_large` |
//! | other `{"error": "…"}` JSON | by status | none |
//! | Werkzeug HTML pages (429, 405, 500, unknown route 404, 415, CSRF 400) | by status | none |
//!
//! HTML pages are never decoded as JSON: the error keeps its status (a 429 stays
//! `RateLimited` and retryable) and a body snippet. The extra keys of a JSON error body are
//! available through [`ErrorBody::from_error`].
//!
//! ```
//! use speakr_client::error::{is_feature_disabled, ErrorBody};
//! # fn handle(err: speakr_client::Error) {
//! if is_feature_disabled(&err) {
//!     println!("ask an administrator to enable folders");
//! } else if let Some(body) = ErrorBody::from_error(&err) {
//!     println!("server said: {} (cap {:?})", body.error, body.max_per_user);
//! }
//! # }
//! ```

use client_core::{Error, ErrorDecoder, ErrorKind, ErrorResponse, VendorError};
use serde::Deserialize;

/// `vendor_code()` of a token refused with a redirect to the login page.
pub const LOGIN_REDIRECT: &str = "login_redirect";
/// `vendor_code()` of a 403 for a feature turned off on the server (folders).
pub const FEATURE_DISABLED: &str = "feature_disabled";
/// `vendor_code()` of a 409 over the per-user webhook cap.
pub const WEBHOOK_LIMIT: &str = "webhook_limit";
/// `vendor_code()` of a 400 naming unknown webhook event types.
pub const UNKNOWN_EVENT_TYPE: &str = "unknown_event_type";
/// `vendor_code()` of a 413 for an upload over the size limit.
pub const TOO_LARGE: &str = "too_large";

/// A Speakr JSON error body: `{"error": "…"}` plus the extra keys some errors carry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The message.
    pub error: String,
    /// The valid event types (400 on an unknown webhook event type).
    #[serde(default)]
    pub allowed: Option<Vec<String>>,
    /// The per-user webhook cap (409).
    #[serde(default)]
    pub max_per_user: Option<u64>,
    /// The upload size limit in MB (413).
    #[serde(default)]
    pub max_size_mb: Option<f64>,
    /// The limit that applied to this upload in MB (413).
    #[serde(default)]
    pub effective_limit_mb: Option<f64>,
    /// Whether the audio-only limit applied (413).
    #[serde(default)]
    pub audio_only_mode: Option<bool>,
}

impl ErrorBody {
    /// The JSON error body kept in `err`'s body snippet, when it is one (bodies up to
    /// [`client_core::BODY_SNIPPET_LIMIT`] bytes are kept whole).
    pub fn from_error(err: &Error) -> Option<ErrorBody> {
        serde_json::from_str(err.body_snippet()?).ok()
    }
}

/// Whether `err` is a 403 for a feature the server has turned off (folders are off by default).
pub fn is_feature_disabled(err: &Error) -> bool {
    err.vendor_code() == Some(FEATURE_DISABLED)
}

/// Decodes Speakr error responses (see the [module docs](self)).
#[derive(Debug, Clone, Copy, Default)]
pub struct SpeakrErrorDecoder;

impl ErrorDecoder for SpeakrErrorDecoder {
    fn decode(&self, response: &ErrorResponse<'_>) -> VendorError {
        if response.status.is_redirection() {
            return decode_redirect(response);
        }
        if !response.is_json() {
            // Werkzeug HTML pages: the status says it all.
            return VendorError::default();
        }
        let Ok(body) = serde_json::from_slice::<ErrorBody>(response.body) else {
            return VendorError::default();
        };
        let status = response.status.as_u16();
        let code = if status == 403 && body.error.to_ascii_lowercase().contains("not enabled") {
            Some(FEATURE_DISABLED)
        } else if body.max_per_user.is_some() {
            Some(WEBHOOK_LIMIT)
        } else if body.allowed.is_some() {
            Some(UNKNOWN_EVENT_TYPE)
        } else if status == 413 || body.max_size_mb.is_some() {
            Some(TOO_LARGE)
        } else {
            None
        };
        VendorError {
            kind: None,
            message: Some(body.error),
            code: code.map(str::to_owned),
            request_id: None,
        }
    }
}

/// A redirect to the login page means the token was refused: Speakr answers 302, not 401.
fn decode_redirect(response: &ErrorResponse<'_>) -> VendorError {
    let to_login = response
        .headers
        .get(http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|l| {
            let path = l.split(['?', '#']).next().unwrap_or(l);
            path == "/login" || path.ends_with("/login")
        })
        .unwrap_or(false);
    if to_login {
        VendorError {
            kind: Some(ErrorKind::Auth),
            message: Some(
                "the API token is missing, invalid, revoked or expired (redirected to /login)"
                    .to_owned(),
            ),
            code: Some(LOGIN_REDIRECT.to_owned()),
            request_id: None,
        }
    } else {
        VendorError::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue, StatusCode};

    fn decode(status: u16, ct: &str, location: Option<&str>, body: &str) -> VendorError {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_str(ct).unwrap());
        if let Some(l) = location {
            headers.insert("location", HeaderValue::from_str(l).unwrap());
        }
        SpeakrErrorDecoder.decode(&ErrorResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: &headers,
            body: body.as_bytes(),
        })
    }

    #[test]
    fn login_redirect_is_auth() {
        let v = decode(
            302,
            "text/html",
            Some("/login?next=%2Fapi%2Fv1%2Fstats"),
            "<html>",
        );
        assert_eq!(v.kind, Some(ErrorKind::Auth));
        assert_eq!(v.code.as_deref(), Some(LOGIN_REDIRECT));
        let v = decode(
            302,
            "text/html",
            Some("https://s3.example.com/b/k?X-Amz=1"),
            "",
        );
        assert_eq!(v, VendorError::default());
    }

    #[test]
    fn json_bodies_and_codes() {
        let v = decode(
            403,
            "application/json",
            None,
            r#"{"error": "Folders feature is not enabled"}"#,
        );
        assert_eq!(v.code.as_deref(), Some(FEATURE_DISABLED));
        let v = decode(
            409,
            "application/json",
            None,
            r#"{"error":"cap","max_per_user":10}"#,
        );
        assert_eq!(v.code.as_deref(), Some(WEBHOOK_LIMIT));
        assert_eq!(v.message.as_deref(), Some("cap"));
        let v = decode(
            404,
            "application/json",
            None,
            r#"{"error":"Recording not found"}"#,
        );
        assert_eq!(v.code, None);
        assert_eq!(v.message.as_deref(), Some("Recording not found"));
    }

    #[test]
    fn html_pages_decode_to_nothing() {
        let v = decode(429, "text/html; charset=utf-8", None, "<title>429</title>");
        assert_eq!(v, VendorError::default());
        let v = decode(500, "application/json", None, "not json");
        assert_eq!(v, VendorError::default());
    }
}
