//! Hedy's error responses, decoded into [`client_core::Error`].
//!
//! Hedy answers every error with `{"success": false, "error": {"code": "…", "message": "…"}}`.
//! The code becomes [`Error::vendor_code`], the message [`Error::message`], and documented
//! codes refine the kind the status gives:
//!
//! | `code` | [`ErrorKind`] |
//! |---|---|
//! | `rate_limit_exceeded` | `RateLimited` (retryable when the status is 429) |
//! | `session_not_found`, `highlight_not_found`, `todo_not_found`, `webhook_not_found`, `not_found`, `resource_not_found` | `NotFound` |
//! | `missing_api_key`, `invalid_api_key`, `authentication_failed` | `Auth` |
//! | `tier_limit_exceeded`, `context_limit_exceeded` | `Forbidden` |
//! | `deletion_in_progress` | `Conflict` |
//! | `invalid_page_size`, `validation_error`, `invalid_webhook_url`, `missing_event`, `invalid_event(s)`, `webhook_limit_exceeded`, `deletion_limit_exceeded`, `invalid_parameter`, `internal_error`, anything else | from the status (`Http` for 400 and 500), code kept |
//!
//! A server-side 400 stays `Http` (not `InvalidRequest`, which this crate keeps for requests
//! it refused before sending). HTML or empty bodies (a proxy's 502, an HTML 500) are never
//! decoded as JSON: the error keeps its status and a body snippet. Hedy documents no
//! rate-limit headers and no `Retry-After`, so a 429 is retried after the retry policy's
//! backoff; Hedy's own advice is to wait about 30 seconds.
//!
//! ```
//! use hedy_client::error::ErrorCode;
//! # fn handle(err: hedy_client::Error) {
//! match ErrorCode::of(&err) {
//!     Some(ErrorCode::TierLimitExceeded) => println!("this needs a Pro plan"),
//!     Some(ErrorCode::RateLimitExceeded) => println!("slow down: {err}"),
//!     Some(other) => println!("Hedy said {other}: {:?}", err.message()),
//!     None => println!("no Hedy error body: {err}"),
//! }
//! # }
//! ```

use client_core::{Error, ErrorDecoder, ErrorKind, ErrorResponse, StatusCode, VendorError};
use serde::Deserialize;

client_core::open_enum! {
    /// An error `code` Hedy sends (the names of the endpoint reference, plus older names
    /// from earlier integrations). Others are kept in `Unknown`.
    pub enum ErrorCode {
        /// 400: the body failed validation.
        ValidationError = "validation_error",
        /// 400: `limit` outside 1..=100.
        InvalidPageSize = "invalid_page_size",
        /// 400: the webhook URL is refused (not HTTPS).
        InvalidWebhookUrl = "invalid_webhook_url",
        /// 400: no event given for a webhook.
        MissingEvent = "missing_event",
        /// 400: an unknown event name.
        InvalidEvent = "invalid_event",
        /// 400: unknown event names.
        InvalidEvents = "invalid_events",
        /// 400: the account has the maximum number of webhooks.
        WebhookLimitExceeded = "webhook_limit_exceeded",
        /// 400: a topic with more than 4 000 sessions was only partly deleted.
        DeletionLimitExceeded = "deletion_limit_exceeded",
        /// 400 (older name): a bad parameter.
        InvalidParameter = "invalid_parameter",
        /// The free tier's single session context is used.
        ContextLimitExceeded = "context_limit_exceeded",
        /// 401: no API key.
        MissingApiKey = "missing_api_key",
        /// 401: the API key is wrong or was regenerated.
        InvalidApiKey = "invalid_api_key",
        /// 401 (older name).
        AuthenticationFailed = "authentication_failed",
        /// 403: the feature needs a Pro plan.
        TierLimitExceeded = "tier_limit_exceeded",
        /// 404: no such session.
        SessionNotFound = "session_not_found",
        /// 404: no such highlight.
        HighlightNotFound = "highlight_not_found",
        /// 404: no such todo.
        TodoNotFound = "todo_not_found",
        /// 404: no such webhook.
        WebhookNotFound = "webhook_not_found",
        /// 404: no such topic or context.
        NotFound = "not_found",
        /// 404 (older name).
        ResourceNotFound = "resource_not_found",
        /// 409: the topic is being deleted already.
        DeletionInProgress = "deletion_in_progress",
        /// 429: over 200 requests a minute, or 5 webhook creations a minute.
        RateLimitExceeded = "rate_limit_exceeded",
        /// 500.
        InternalError = "internal_error",
    }
}

impl ErrorCode {
    /// The code of `err`, when Hedy sent one.
    pub fn of(err: &Error) -> Option<ErrorCode> {
        err.vendor_code().map(ErrorCode::from)
    }

    /// The kind this code refines the status to, when it says more than the status.
    pub fn kind(&self) -> Option<ErrorKind> {
        use ErrorCode::*;
        match self {
            RateLimitExceeded => Some(ErrorKind::RateLimited),
            SessionNotFound | HighlightNotFound | TodoNotFound | WebhookNotFound | NotFound
            | ResourceNotFound => Some(ErrorKind::NotFound),
            MissingApiKey | InvalidApiKey | AuthenticationFailed => Some(ErrorKind::Auth),
            TierLimitExceeded | ContextLimitExceeded => Some(ErrorKind::Forbidden),
            DeletionInProgress => Some(ErrorKind::Conflict),
            _ => None,
        }
    }
}

/// A Hedy error body: `{"success": false, "error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// `false`.
    #[serde(default)]
    pub success: Option<bool>,
    /// The error.
    pub error: ErrorDetail,
}

/// The `error` object of an [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The machine-readable code.
    #[serde(default)]
    pub code: Option<ErrorCode>,
    /// The human-readable message.
    #[serde(default)]
    pub message: Option<String>,
}

impl ErrorBody {
    /// The JSON error body kept in `err`'s body snippet, when it is one (bodies up to
    /// [`client_core::BODY_SNIPPET_LIMIT`] bytes are kept whole).
    pub fn from_error(err: &Error) -> Option<ErrorBody> {
        serde_json::from_str(err.body_snippet()?).ok()
    }
}

/// Decodes Hedy error responses (see the [module docs](self)).
#[derive(Debug, Clone, Copy, Default)]
pub struct HedyErrorDecoder;

impl ErrorDecoder for HedyErrorDecoder {
    fn decode(&self, response: &ErrorResponse<'_>) -> VendorError {
        decode_body(response.body).unwrap_or_default()
    }
}

/// The vendor parts of a JSON error body: `{"error": {"code", "message"}}`, and the looser
/// `{"error": "…", "code"?: "…"}` / `{"message": "…"}` forms. `None` for anything else
/// (HTML, empty, other JSON).
fn decode_body(body: &[u8]) -> Option<VendorError> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ErrorField {
        Detail {
            #[serde(default)]
            code: Option<String>,
            #[serde(default)]
            message: Option<String>,
        },
        Text(String),
    }
    #[derive(Deserialize)]
    struct Loose {
        #[serde(default)]
        error: Option<ErrorField>,
        #[serde(default)]
        code: Option<String>,
        #[serde(default)]
        message: Option<String>,
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }
    let loose: Loose = serde_json::from_slice(body).ok()?;
    let (code, message) = match loose.error {
        Some(ErrorField::Detail { code, message }) => {
            (code.or(loose.code), message.or(loose.message))
        }
        Some(ErrorField::Text(text)) => (loose.code, Some(text)),
        None => (loose.code, loose.message),
    };
    if code.is_none() && message.is_none() {
        return None;
    }
    Some(VendorError {
        kind: code.as_deref().map(ErrorCode::from).and_then(|c| c.kind()),
        message,
        code,
        request_id: None,
    })
}

/// The error for a success status whose body says `"success": false` (never documented,
/// but an error body must not be read as data).
pub(crate) fn unsuccessful(status: StatusCode, body: &[u8]) -> Error {
    let vendor = decode_body(body).unwrap_or_default();
    let mut err = Error::new(
        vendor.kind.unwrap_or(ErrorKind::Http),
        vendor
            .message
            .unwrap_or_else(|| "the response says \"success\": false".to_owned()),
    )
    .with_status(status);
    if let Some(code) = vendor.code {
        err = err.with_vendor_code(code);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    fn decode(status: u16, ct: &str, body: &str) -> VendorError {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_str(ct).unwrap());
        HedyErrorDecoder.decode(&ErrorResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: &headers,
            body: body.as_bytes(),
        })
    }

    #[test]
    fn documented_codes_refine_the_kind() {
        let v = decode(
            404,
            "application/json",
            r#"{"success":false,"error":{"code":"session_not_found","message":"Session not found"}}"#,
        );
        assert_eq!(v.kind, Some(ErrorKind::NotFound));
        assert_eq!(v.code.as_deref(), Some("session_not_found"));
        assert_eq!(v.message.as_deref(), Some("Session not found"));
        for (code, kind) in [
            ("rate_limit_exceeded", Some(ErrorKind::RateLimited)),
            ("invalid_api_key", Some(ErrorKind::Auth)),
            ("tier_limit_exceeded", Some(ErrorKind::Forbidden)),
            ("context_limit_exceeded", Some(ErrorKind::Forbidden)),
            ("deletion_in_progress", Some(ErrorKind::Conflict)),
            ("not_found", Some(ErrorKind::NotFound)),
            ("invalid_page_size", None),
            ("internal_error", None),
            ("brand_new_code", None),
        ] {
            let body = format!(r#"{{"success":false,"error":{{"code":"{code}","message":"m"}}}}"#);
            let v = decode(400, "application/json", &body);
            assert_eq!(v.kind, kind, "{code}");
            assert_eq!(v.code.as_deref(), Some(code));
        }
    }

    #[test]
    fn looser_forms_and_non_json() {
        let v = decode(
            400,
            "application/json",
            r#"{"error":"bad thing","code":"x"}"#,
        );
        assert_eq!(v.message.as_deref(), Some("bad thing"));
        assert_eq!(v.code.as_deref(), Some("x"));
        let v = decode(500, "application/json", r#"{"message":"boom"}"#);
        assert_eq!(v.message.as_deref(), Some("boom"));
        // JSON without a content type is still read.
        let v = decode(404, "text/plain", r#"{"error":{"code":"not_found"}}"#);
        assert_eq!(v.kind, Some(ErrorKind::NotFound));
        for body in [
            "",
            "<html><body>502 Bad Gateway</body></html>",
            "{}",
            "{oops",
            "[1]",
        ] {
            assert_eq!(
                decode(502, "text/html", body),
                VendorError::default(),
                "{body}"
            );
        }
    }

    #[test]
    fn unknown_codes_are_kept() {
        assert_eq!(
            ErrorCode::from("quota_melted"),
            ErrorCode::Unknown("quota_melted".into())
        );
        assert_eq!(ErrorCode::KNOWN.len(), 23);
        for c in ErrorCode::KNOWN {
            assert_eq!(&ErrorCode::from(c.as_str()), c);
        }
    }
}
