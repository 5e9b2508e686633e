//! Healthie's errors as [`client_core::Error`]s.
//!
//! | what Healthie sends | kind |
//! |---|---|
//! | `errors[].extensions.code = TOO_MANY_REQUESTS` (HTTP 200 or 429) | `RateLimited`, retried with backoff for queries |
//! | `UNSUPPORTED_API_VERSION`, `MISSING_API_VERSION_HEADER` | `Config`, the versions Healthie reports in the message |
//! | "Query has complexity of …", "… depth of …" (no code) | `QueryTooComplex` |
//! | `NOT_FOUND`, or a non-conformant HTTP 404 | `NotFound` |
//! | `UNAUTHENTICATED` / `UNAUTHORIZED`, HTTP 401 | `Auth` |
//! | `FORBIDDEN`, HTTP 403 | `Forbidden` |
//! | a mutation's `messages [{field, message}]` | `Validation`, the fields in [`FieldErrors`] |
//! | any other `errors[]` entry | `Graphql` |
//!
//! Every `errors[]` entry stays reachable through `Error::graphql_errors()`.

use std::fmt;

use client_core::graphql::{GraphqlError, GraphqlErrors, GraphqlResponse};
use client_core::{Error, ErrorDecoder, ErrorKind, ErrorResponse, VendorError};
use serde::Deserialize;
use serde_json::Value;

/// Whether `error` is Healthie's rate limit.
pub(crate) fn is_rate_limit(error: &GraphqlError) -> bool {
    error.code() == Some("TOO_MANY_REQUESTS")
}

/// The kind one `errors[]` entry maps to.
fn kind_of(error: &GraphqlError) -> ErrorKind {
    match error.code() {
        Some("TOO_MANY_REQUESTS") => ErrorKind::RateLimited,
        Some("UNSUPPORTED_API_VERSION" | "MISSING_API_VERSION_HEADER") => ErrorKind::Config,
        Some("NOT_FOUND") => ErrorKind::NotFound,
        Some("UNAUTHENTICATED" | "UNAUTHORIZED") => ErrorKind::Auth,
        Some("FORBIDDEN") => ErrorKind::Forbidden,
        _ if is_cost_limit(&error.message) => ErrorKind::QueryTooComplex,
        _ => ErrorKind::Graphql,
    }
}

/// Healthie's complexity and depth refusals carry no code, only this wording.
fn is_cost_limit(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    (message.contains("exceeds max complexity") || message.contains("exceeds max depth"))
        && message.starts_with("query has")
}

/// The message of one entry, with the versions Healthie reports for version errors.
fn describe(error: &GraphqlError) -> String {
    let mut text = error.to_string();
    let versions: Vec<String> = [
        "requested_version",
        "minimum_supported_version",
        "latest_version",
    ]
    .iter()
    .filter_map(|key| {
        let value = error.extensions.get(*key)?;
        Some(format!(
            "{key}: {}",
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned)
        ))
    })
    .collect();
    if !versions.is_empty() {
        text.push_str(&format!(" ({})", versions.join(", ")));
    }
    text
}

/// The most telling entry: a rate limit first, then a version error, then the first.
fn leading(errors: &[GraphqlError]) -> Option<&GraphqlError> {
    errors
        .iter()
        .find(|e| is_rate_limit(e))
        .or_else(|| errors.iter().find(|e| kind_of(e) == ErrorKind::Config))
        .or_else(|| errors.first())
}

/// One [`Error`] for a response's `errors[]` (kept as its source).
pub(crate) fn from_graphql(errors: Vec<GraphqlError>) -> Error {
    let Some(lead) = leading(&errors) else {
        return Error::new(
            ErrorKind::Graphql,
            "the response reported an empty error list",
        );
    };
    let kind = kind_of(lead);
    let mut message = describe(lead);
    if errors.len() > 1 {
        message.push_str(&format!(" (and {} more)", errors.len() - 1));
    }
    let mut error = Error::new(kind, message).with_retryable(kind == ErrorKind::RateLimited);
    if let Some(code) = lead.code() {
        error = error.with_vendor_code(code);
    }
    error.with_source(GraphqlErrors(errors))
}

/// One entry of a mutation's `messages`: the input field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FieldError {
    /// The input field, when the message is about one.
    #[serde(default)]
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Every `messages` entry of a rejected mutation, kept as the [`Error`]'s source (see
/// [`field_errors`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            match &e.field {
                Some(field) => write!(f, "{field}: {}", e.message)?,
                None => f.write_str(&e.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

/// The field messages behind a `Validation` error from a mutation, empty for other errors.
pub fn field_errors(error: &Error) -> &[FieldError] {
    std::error::Error::source(error)
        .and_then(|s| s.downcast_ref::<FieldErrors>())
        .map(|e| e.0.as_slice())
        .unwrap_or(&[])
}

/// A `Validation` error for a mutation's non-empty `messages`.
pub(crate) fn from_messages(operation: &str, messages: Vec<FieldError>) -> Error {
    let details = FieldErrors(messages);
    Error::new(
        ErrorKind::Validation,
        format!("`{operation}` was rejected: {details}"),
    )
    .with_source(details)
}

/// Decodes Healthie's non-2xx responses (a 429, a non-conformant 404, a 401): the GraphQL
/// `errors[]` when the body has them, else the generic shapes.
#[derive(Debug, Clone, Copy, Default)]
pub struct HealthieErrorDecoder;

impl ErrorDecoder for HealthieErrorDecoder {
    fn decode(&self, response: &ErrorResponse<'_>) -> VendorError {
        let Ok(body) = serde_json::from_slice::<GraphqlResponse<Value>>(response.body) else {
            return client_core::GenericErrorDecoder.decode(response);
        };
        let Some(lead) = leading(&body.errors) else {
            return client_core::GenericErrorDecoder.decode(response);
        };
        let kind = kind_of(lead);
        VendorError {
            // The status decides unless the body is more specific.
            kind: (kind != ErrorKind::Graphql).then_some(kind),
            message: Some(describe(lead)),
            code: lead.code().map(str::to_owned),
            request_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn entry(json: &str) -> GraphqlError {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn cost_limits_are_recognised_by_message() {
        for message in [
            "Query has complexity of 2274, which exceeds max complexity of 2000",
            "Query has depth of 30, which exceeds max depth of 25",
        ] {
            let e = from_graphql(vec![entry(&format!(r#"{{"message":"{message}"}}"#))]);
            assert_eq!(e.kind(), ErrorKind::QueryTooComplex, "{message}");
            assert!(!e.is_retryable());
        }
        let other = from_graphql(vec![entry(r#"{"message":"Depth is fine"}"#)]);
        assert_eq!(other.kind(), ErrorKind::Graphql);
    }

    #[test]
    fn version_errors_keep_the_reported_versions() {
        let e = from_graphql(vec![entry(
            r#"{"message":"Unsupported API version","extensions":{"code":"UNSUPPORTED_API_VERSION",
              "requested_version":"2025-01-01","minimum_supported_version":"2026-07-01","latest_version":"2027-01-01"}}"#,
        )]);
        assert_eq!(e.kind(), ErrorKind::Config);
        assert_eq!(e.vendor_code(), Some("UNSUPPORTED_API_VERSION"));
        let message = e.message().unwrap();
        for v in ["2025-01-01", "2026-07-01", "2027-01-01"] {
            assert!(message.contains(v), "{message}");
        }
    }

    #[test]
    fn rate_limit_leads_and_is_retryable() {
        let e = from_graphql(vec![
            entry(r#"{"message":"other"}"#),
            entry(
                r#"{"message":"Too many requests. Please try again later.","extensions":{"code":"TOO_MANY_REQUESTS"}}"#,
            ),
        ]);
        assert!(e.is_rate_limited());
        assert!(e.is_retryable());
        assert_eq!(e.graphql_errors().len(), 2);
    }
}
