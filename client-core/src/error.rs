//! The one error type every client in the workspace returns.
//!
//! Modelled on a single struct with a [`ErrorKind`] and predicates rather than a deep enum, so
//! callers can ask the questions that matter (`is_retryable()`, `status()`, `retry_after()`)
//! without matching on vendor-specific variants.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, StatusCode};

/// How many bytes of a response body an error keeps for diagnosis.
pub const BODY_SNIPPET_LIMIT: usize = 512;

/// What went wrong, broadly. Match on it with a wildcard arm: new kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with a non-success status that no more specific kind covers.
    Http,
    /// The credentials were missing, invalid or expired (401, or a vendor's login redirect).
    Auth,
    /// The caller lacks permission, or the feature is disabled on the server (403).
    Forbidden,
    /// The resource does not exist (404).
    NotFound,
    /// The request conflicts with the server's state (409).
    Conflict,
    /// The server (429) or the client's own budget refused the request for now.
    RateLimited,
    /// The request or its response took longer than the configured timeout.
    Timeout,
    /// No connection could be made; nothing reached the server.
    Connect,
    /// The connection failed after the request may have reached the server (reset, broken body).
    Transport,
    /// A success response whose body could not be decoded into the expected type.
    Decode,
    /// The request was rejected before sending: a documented bound or a required value is wrong.
    InvalidRequest,
    /// A paginated listing misbehaved (repeated cursor, missing cursor, empty page claiming more).
    Pagination,
    /// A local file or stream could not be read or written.
    Io,
    /// The client was configured wrongly (bad base URL, bad header value), or the server
    /// refuses its configuration (an API version it no longer supports).
    Config,
    /// The server rejected the request's input field by field (a GraphQL mutation's
    /// `messages`); the details are in the message and the source.
    Validation,
    /// The server refused a query as too complex or too deep (GraphQL cost limits).
    QueryTooComplex,
    /// A GraphQL `errors[]` entry that no more specific kind covers.
    Graphql,
    /// A shared rate limiter configured to fail closed could not decide in time (its store is
    /// down or slow): the request was not sent.
    LimiterUnavailable,
    /// A response body was larger than the configured limit
    /// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size), or
    /// [`max_download_size`](crate::ClientBuilder::max_download_size) for streamed
    /// downloads); reading stopped at the limit.
    BodyTooLarge,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Http => "HTTP error",
            ErrorKind::Auth => "authentication failed",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Connect => "connection failed",
            ErrorKind::Transport => "transport error",
            ErrorKind::Decode => "could not decode response",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::Pagination => "pagination error",
            ErrorKind::Io => "I/O error",
            ErrorKind::Config => "configuration error",
            ErrorKind::Validation => "rejected input",
            ErrorKind::QueryTooComplex => "query too complex",
            ErrorKind::Graphql => "GraphQL error",
            ErrorKind::LimiterUnavailable => "rate limiter unavailable",
            ErrorKind::BodyTooLarge => "response body too large",
        }
    }

    /// The kind a bare status code maps to, before any vendor decoder refines it.
    pub fn from_status(status: StatusCode) -> ErrorKind {
        match status.as_u16() {
            401 => ErrorKind::Auth,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimited,
            _ => ErrorKind::Http,
        }
    }
}

/// The error every client returns: a kind plus whatever the server and transport told us.
///
/// Never contains a credential: request URLs are stripped of their query before they are kept.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    status: Option<StatusCode>,
    message: Option<String>,
    vendor_code: Option<String>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    body_snippet: Option<String>,
    json_path: Option<String>,
    redirect_location: Option<url::Url>,
    retryable: bool,
    reached_server: Option<bool>,
    unsafe_to_repeat: bool,
    partial_data: Option<serde_json::Value>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// A new error of `kind` with a human-readable message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                status: None,
                message: Some(message.into()),
                vendor_code: None,
                request_id: None,
                retry_after: None,
                body_snippet: None,
                json_path: None,
                redirect_location: None,
                retryable: false,
                reached_server: None,
                unsafe_to_repeat: false,
                partial_data: None,
                source: None,
            }),
        }
    }

    /// An error for a non-success response, classified by status alone.
    pub fn from_status(status: StatusCode, body: &[u8]) -> Self {
        let mut err = Error::new(ErrorKind::from_status(status), "");
        err.inner.message = None;
        err.inner.status = Some(status);
        err.inner.body_snippet = snippet(body);
        err.inner.retryable = matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504);
        err
    }

    /// A decode failure of a success body, keeping the JSON path and a truncated body.
    pub(crate) fn decode(
        status: StatusCode,
        body: &[u8],
        err: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let mut e = Error::new(ErrorKind::Decode, inner.to_string());
        e.inner.status = Some(status);
        e.inner.body_snippet = snippet(body);
        e.inner.json_path = Some(path);
        e.inner.source = Some(Box::new(inner));
        e
    }

    /// Keep the first bytes of `body` for diagnosis.
    pub(crate) fn with_body_snippet(mut self, body: &[u8]) -> Self {
        self.inner.body_snippet = snippet(body);
        self
    }

    /// Wrap a lower-level error as the cause.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    /// Set the HTTP status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.inner.status = Some(status);
        self
    }

    /// Set the server's error message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    /// Set the vendor's machine-readable error code.
    pub fn with_vendor_code(mut self, code: impl Into<String>) -> Self {
        self.inner.vendor_code = Some(code.into());
        self
    }

    /// Set the server's request id.
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.inner.request_id = Some(id.into());
        self
    }

    /// Set how long the server asked us to wait.
    pub fn with_retry_after(mut self, wait: Duration) -> Self {
        self.inner.retry_after = Some(wait);
        self
    }

    /// Set where a redirect (3xx) response pointed.
    pub fn with_redirect_location(mut self, location: url::Url) -> Self {
        self.inner.redirect_location = Some(location);
        self
    }

    /// Override the kind (a vendor decoder refining a status).
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.inner.kind = kind;
        self
    }

    /// Mark whether the failure is transient: repeating the request could succeed.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.inner.retryable = retryable;
        self
    }

    /// Record what the request that failed was: whether it may have reached the server, and
    /// whether it is safe to repeat once it has (GET, PUT, DELETE, or a request the vendor
    /// marked safe). Set by the client on every error of a sent request.
    pub fn with_request_outcome(mut self, reached_server: bool, idempotent: bool) -> Self {
        self.inner.reached_server = Some(reached_server);
        self.inner.unsafe_to_repeat = reached_server && !idempotent;
        self
    }

    /// Keep data the server returned with the error (a GraphQL mutation answered with both
    /// `data` and `errors[]`: what it created is here, so it is never lost).
    pub fn with_partial_data(mut self, data: serde_json::Value) -> Self {
        self.inner.partial_data = Some(data);
        self
    }

    /// What went wrong, broadly.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The server's request id (from a response header or the error body), for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The vendor's machine-readable error code, when it sends one.
    pub fn vendor_code(&self) -> Option<&str> {
        self.inner.vendor_code.as_deref()
    }

    /// The server's (or the client's) human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref().filter(|m| !m.is_empty())
    }

    /// How long the server asked the caller to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// The first bytes of the response body (lossy UTF-8), for diagnosis.
    pub fn body_snippet(&self) -> Option<&str> {
        self.inner.body_snippet.as_deref()
    }

    /// Where in the JSON document decoding failed (for example `recordings[3].status`).
    pub fn json_path(&self) -> Option<&str> {
        self.inner.json_path.as_deref()
    }

    /// For a redirect (3xx) response, which redirects are not followed by default: its
    /// `Location`, resolved against the request URL. A vendor crate follows it where the API
    /// redirects on purpose (a pre-signed download link). It may carry a credential (a
    /// pre-signed query), so neither `Debug` nor `Display` shows it.
    pub fn redirect_location(&self) -> Option<&url::Url> {
        self.inner.redirect_location.as_ref()
    }

    /// Whether **this** request may safely be sent again and could then succeed: the failure
    /// is transient ([`Error::is_transient`]) and repeating it cannot do something twice (the
    /// request never reached the server, or it is idempotent: GET, PUT, DELETE, or marked
    /// safe by the vendor crate). Use this in your own retry loop: a POST that timed out after
    /// it was sent answers `false`, because the server may have created the resource.
    pub fn is_retryable(&self) -> bool {
        self.inner.retryable && !self.inner.unsafe_to_repeat
    }

    /// Whether the failure itself is transient (408, 429, 5xx, timeouts, connection
    /// failures), whatever the request was. Not a licence to repeat a create: see
    /// [`Error::is_retryable`].
    pub fn is_transient(&self) -> bool {
        self.inner.retryable
    }

    /// Whether the request may have reached the server (`None` when the error did not come
    /// from sending a request: a limiter, a bad parameter, a decode of a caller's input).
    pub fn may_have_reached_server(&self) -> Option<bool> {
        self.inner.reached_server
    }

    /// Data that came with the error: a GraphQL mutation's payload answered together with
    /// `errors[]` (for example the created webhook's id and secret).
    pub fn partial_data(&self) -> Option<&serde_json::Value> {
        self.inner.partial_data.as_ref()
    }

    /// [`Error::partial_data`] decoded into `T`: `None` when there is none.
    pub fn partial_data_as<T: serde::de::DeserializeOwned>(&self) -> Option<Result<T, Error>> {
        let data = self.inner.partial_data.as_ref()?;
        Some(
            T::deserialize(data)
                .map_err(|e| Error::new(ErrorKind::Decode, e.to_string()).with_source(e)),
        )
    }

    /// Whether the server or the client's limiter refused the request for now.
    pub fn is_rate_limited(&self) -> bool {
        self.inner.kind == ErrorKind::RateLimited
    }

    /// Whether the request or its response exceeded a timeout.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }

    /// Whether the credentials were refused.
    pub fn is_auth(&self) -> bool {
        self.inner.kind == ErrorKind::Auth
    }

    /// Whether the resource was not found.
    pub fn is_not_found(&self) -> bool {
        self.inner.kind == ErrorKind::NotFound
    }

    /// Whether the body of a success response failed to decode.
    pub fn is_decode(&self) -> bool {
        self.inner.kind == ErrorKind::Decode
    }
}

/// Keep at most [`BODY_SNIPPET_LIMIT`] bytes of a body, cut on a character boundary.
pub(crate) fn snippet(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let cut = &body[..body.len().min(BODY_SNIPPET_LIMIT)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if body.len() > BODY_SNIPPET_LIMIT {
        text.push('…');
    }
    Some(text)
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind);
        if let Some(s) = i.status {
            d.field("status", &s.as_u16());
        }
        for (name, value) in [
            ("message", &i.message),
            ("vendor_code", &i.vendor_code),
            ("request_id", &i.request_id),
            ("json_path", &i.json_path),
            ("body_snippet", &i.body_snippet),
        ] {
            if let Some(v) = value {
                d.field(name, v);
            }
        }
        if let Some(r) = i.retry_after {
            d.field("retry_after", &r);
        }
        if let Some(reached) = i.reached_server {
            d.field("reached_server", &reached);
        }
        if i.partial_data.is_some() {
            d.field("partial_data", &"…");
        }
        if let Some(s) = &i.source {
            d.field("source", &s.to_string());
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.write_str(i.kind.describe())?;
        if let Some(status) = i.status {
            write!(f, " (HTTP {})", status.as_u16())?;
        }
        if let Some(code) = &i.vendor_code {
            write!(f, " [{code}]")?;
        }
        if let Some(msg) = self.message() {
            write!(f, ": {msg}")?;
        } else if let Some(src) = &i.source {
            write!(f, ": {src}")?;
        }
        if let Some(path) = &i.json_path {
            write!(f, " at `{path}`")?;
        }
        if let Some(wait) = i.retry_after {
            write!(f, " (retry after {:.1} s)", wait.as_secs_f64())?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, err.to_string()).with_source(err)
    }
}

/// What a vendor's error body said, as decoded by its [`ErrorDecoder`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorError {
    /// A more specific kind than the status gives (for example `Auth` for a login redirect).
    pub kind: Option<ErrorKind>,
    /// The human-readable message.
    pub message: Option<String>,
    /// The machine-readable code.
    pub code: Option<String>,
    /// The request id, when the body carries one.
    pub request_id: Option<String>,
}

/// The parts of a failed response an [`ErrorDecoder`] may read.
#[derive(Debug)]
pub struct ErrorResponse<'a> {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: &'a HeaderMap,
    /// The whole (possibly empty, possibly HTML) body.
    pub body: &'a [u8],
}

impl ErrorResponse<'_> {
    /// Whether the response says it is JSON (`application/json` or `+json`).
    pub fn is_json(&self) -> bool {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let ct = ct.to_ascii_lowercase();
                ct.starts_with("application/json") || ct.contains("+json")
            })
            .unwrap_or(false)
    }
}

/// Turns a vendor's error response into the parts of an [`Error`].
///
/// Each vendor crate implements this once; client-core calls it for every non-success response.
/// It must not fail: a body it does not understand gives an empty [`VendorError`], and the error
/// still carries the status and a body snippet.
pub trait ErrorDecoder: Send + Sync + 'static {
    /// Decode the vendor's error response.
    fn decode(&self, response: &ErrorResponse<'_>) -> VendorError;
}

/// A decoder for the common `{"error": "…"}` / `{"message": "…", "code": "…"}` shapes.
#[derive(Debug, Clone, Copy, Default)]
pub struct GenericErrorDecoder;

impl ErrorDecoder for GenericErrorDecoder {
    fn decode(&self, response: &ErrorResponse<'_>) -> VendorError {
        #[derive(serde::Deserialize)]
        struct Body {
            #[serde(default)]
            error: Option<serde_json::Value>,
            #[serde(default)]
            message: Option<String>,
            #[serde(default)]
            code: Option<serde_json::Value>,
            #[serde(default)]
            request_id: Option<String>,
        }
        let Ok(body) = serde_json::from_slice::<Body>(response.body) else {
            return VendorError::default();
        };
        let text = |v: serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        };
        let (error_message, error_code) = match body.error {
            Some(serde_json::Value::Object(mut map)) => (
                map.remove("message").and_then(text),
                map.remove("code").and_then(text),
            ),
            Some(other) => (text(other), None),
            None => (None, None),
        };
        VendorError {
            kind: None,
            message: error_message.or(body.message),
            code: error_code.or(body.code.and_then(text)),
            request_id: body.request_id,
        }
    }
}

/// The result type of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
