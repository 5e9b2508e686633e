//! [`RequestBuilder`]: one API call, and the loop that sends it with rate limiting, retries and
//! tracing.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;
use url::Url;

use crate::client::Client;
use crate::error::{Error, ErrorKind, ErrorResponse};
use crate::multipart::Multipart;
use crate::response::{ByteStream, RawResponse};
use crate::retry::is_retryable_status;

/// The body a request carries.
enum Body {
    Empty,
    /// Bytes (JSON or other) that can be sent again on retry.
    Bytes {
        bytes: Bytes,
        content_type: HeaderValue,
    },
    /// A streamed multipart form: sent once, never replayed.
    Multipart(Option<Multipart>),
}

/// One API call under construction. Send it with one of the `send_*` methods.
pub struct RequestBuilder {
    client: Client,
    method: Method,
    route: &'static str,
    params: Vec<String>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Body,
    retry_safe: bool,
    rate_class: Option<&'static str>,
    /// Overrides the client's request timeout for this request.
    timeout: Option<Duration>,
    /// Overrides the client's limit on a buffered success body.
    max_body_size: Option<usize>,
    /// An absolute URL to call instead of the route under the base URL, without credentials.
    absolute: Option<Url>,
    error: Option<Error>,
}

impl fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("route", &self.route)
            .finish_non_exhaustive()
    }
}

/// What one attempt produced, before deciding whether to retry.
enum Outcome<T> {
    Done(T),
    Failed { error: Error, reached_server: bool },
}

/// How the response body is consumed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Read the whole body inside the attempt, so a broken body can be retried.
    Buffered,
    /// Hand the body to the caller as a stream once the head has arrived.
    Streamed,
}

enum Received {
    Buffered(RawResponse),
    Streamed(reqwest::Response),
}

impl Received {
    fn status(&self) -> StatusCode {
        match self {
            Received::Buffered(r) => r.status,
            Received::Streamed(r) => r.status(),
        }
    }
}

impl RequestBuilder {
    pub(crate) fn new(client: Client, method: Method, route: &'static str) -> Self {
        RequestBuilder {
            client,
            method,
            route,
            params: Vec::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            retry_safe: false,
            rate_class: None,
            timeout: None,
            max_body_size: None,
            absolute: None,
            error: None,
        }
    }

    pub(crate) fn absolute(client: Client, method: Method, url: Url) -> Self {
        let mut builder = RequestBuilder::new(client, method, "<absolute>");
        builder.absolute = Some(url);
        builder
    }

    /// Fill the next `{…}` segment of the route template (percent-encoded when sent).
    pub fn param(mut self, value: impl fmt::Display) -> Self {
        self.params.push(value.to_string());
        self
    }

    /// Add a query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Add a query parameter when `value` is `Some`.
    pub fn query_opt<V: fmt::Display>(self, key: impl Into<String>, value: Option<V>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// Add a header to this request.
    pub fn header(mut self, name: HeaderName, value: &str) -> Self {
        match HeaderValue::from_str(value) {
            Ok(v) => {
                self.headers.insert(name, v);
            }
            Err(_) => {
                self.error = Some(Error::new(
                    ErrorKind::InvalidRequest,
                    format!("invalid value for header `{name}`"),
                ));
            }
        }
        self
    }

    /// Send `body` as JSON. It is serialized once, now, and reused on retries.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Body::Bytes {
                    bytes: Bytes::from(bytes),
                    content_type: HeaderValue::from_static("application/json"),
                };
            }
            Err(e) => {
                self.error = Some(
                    Error::new(
                        ErrorKind::InvalidRequest,
                        "cannot serialize the request body",
                    )
                    .with_source(e),
                );
            }
        }
        self
    }

    /// Send raw bytes with a content type.
    pub fn body_bytes(mut self, bytes: impl Into<Bytes>, content_type: &'static str) -> Self {
        self.body = Body::Bytes {
            bytes: bytes.into(),
            content_type: HeaderValue::from_static(content_type),
        };
        self
    }

    /// Send a streamed `multipart/form-data` body. Such a request is sent at most once.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Body::Multipart(Some(form));
        self
    }

    /// Mark a POST or PATCH as safe to repeat (the vendor documents it as idempotent), so it
    /// is retried like a GET.
    pub fn retry_safe(mut self) -> Self {
        self.retry_safe = true;
        self
    }

    /// The rate-limit class this route belongs to (see [`crate::GcraLimiter`]).
    pub fn rate_class(mut self, class: &'static str) -> Self {
        self.rate_class = Some(class);
        self
    }

    /// The time allowed for this request instead of the client's timeout (for example a long
    /// upload). For streamed downloads it bounds the wait for the response head.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest success body this request buffers, instead of the client's
    /// [`max_body_size`](crate::ClientBuilder::max_body_size) (for a call known to return
    /// more).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// Fail before sending with `InvalidRequest` (used by vendor builders to report a
    /// documented bound that the caller broke).
    pub fn invalid(mut self, message: impl Into<String>) -> Self {
        if self.error.is_none() {
            self.error = Some(Error::new(ErrorKind::InvalidRequest, message));
        }
        self
    }

    /// Send and decode a JSON success body into `T`, straight from the bytes.
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let response = self.send_raw().await?;
        response.json()
    }

    /// Send and return the success body's bytes.
    pub async fn send_bytes(self) -> Result<Bytes, Error> {
        Ok(self.send_raw().await?.body)
    }

    /// Send and return the success body as UTF-8 text.
    pub async fn send_text(self) -> Result<String, Error> {
        self.send_raw().await?.text()
    }

    /// Send, expecting a success with no body of interest (204, or an envelope to ignore).
    pub async fn send_empty(self) -> Result<(), Error> {
        self.send_raw().await.map(|_| ())
    }

    /// Send and return status, headers and the whole body of a success response.
    pub async fn send_raw(self) -> Result<RawResponse, Error> {
        self.send_decoded(Ok).await
    }

    /// Send and turn the whole success response into `T` with `decode`, **inside** the retry
    /// loop: an error `decode` returns is handled like a failed response, so a retryable one
    /// (for example a rate limit reported in a `200` body, as GraphQL APIs do) is retried under
    /// the same rules (backoff, `retry_after`, budget, never repeating a request that is not
    /// safe to repeat), and any other is returned at once.
    pub async fn send_decoded<T, F>(self, decode: F) -> Result<T, Error>
    where
        F: Fn(RawResponse) -> Result<T, Error> + Send,
        T: Send,
    {
        self.execute(Mode::Buffered, move |received| match received {
            Received::Buffered(r) => decode(r),
            Received::Streamed(_) => Err(Error::new(ErrorKind::Transport, "unexpected stream")),
        })
        .await
    }

    /// Send and stream the success body (downloads: audio, calendars, subtitles). Retries
    /// cover the response head only; a stream that breaks midway is an error for the caller.
    pub async fn send_stream(self) -> Result<ByteStream, Error> {
        let limit = self.client.inner.max_download_size;
        self.execute(Mode::Streamed, move |received| {
            Ok(match received {
                Received::Streamed(r) => ByteStream::new(r, limit),
                Received::Buffered(r) => ByteStream::from_bytes(r.status, r.headers, r.body),
            })
        })
        .await
    }

    /// The URL for this request, without credentials.
    fn url(&self) -> Result<Url, Error> {
        if let Some(url) = &self.absolute {
            return Ok(url.clone());
        }
        let mut url = self.client.inner.base_url.clone();
        if self.route.is_empty() {
            // The base URL itself (a single-endpoint API such as GraphQL), without the
            // trailing slash the builder adds to base paths.
            let path = url.path().trim_end_matches('/').to_owned();
            if !path.is_empty() {
                url.set_path(&path);
            }
            return Ok(self.with_query(url));
        }
        let mut params = self.params.iter();
        {
            let mut segments = url
                .path_segments_mut()
                .map_err(|_| Error::new(ErrorKind::Config, "the base URL cannot take a path"))?;
            segments.pop_if_empty();
            for segment in self.route.split('/').filter(|s| !s.is_empty()) {
                if segment.starts_with('{') && segment.ends_with('}') {
                    let value = params.next().ok_or_else(|| {
                        Error::new(
                            ErrorKind::InvalidRequest,
                            format!("route `{}` needs a value for {segment}", self.route),
                        )
                    })?;
                    if value.is_empty() {
                        return Err(Error::new(
                            ErrorKind::InvalidRequest,
                            format!("empty value for {segment} in `{}`", self.route),
                        ));
                    }
                    // The URL parser drops a `.` or `..` segment (and servers resolve them),
                    // which would silently send the request to another route.
                    if value == "." || value == ".." {
                        return Err(Error::new(
                            ErrorKind::InvalidRequest,
                            format!(
                                "`{value}` is not a valid value for {segment} in `{}`",
                                self.route
                            ),
                        ));
                    }
                    segments.push(value);
                } else {
                    segments.push(segment);
                }
            }
        }
        if params.next().is_some() {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("too many values for route `{}`", self.route),
            ));
        }
        Ok(self.with_query(url))
    }

    fn with_query(&self, mut url: Url) -> Url {
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &self.query {
                pairs.append_pair(k, v);
            }
        }
        url
    }

    fn is_idempotent(&self) -> bool {
        self.retry_safe
            || matches!(
                self.method,
                Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
            )
    }

    /// Send with rate limiting and retries; `finish` turns a success into the result (its
    /// error counts as a failed attempt that reached the server).
    async fn execute<T, F>(mut self, mode: Mode, finish: F) -> Result<T, Error>
    where
        F: Fn(Received) -> Result<T, Error> + Send,
        T: Send,
    {
        if let Some(err) = self.error.take() {
            return Err(err);
        }
        let url = self.url()?;
        let inner = self.client.inner.clone();
        if inner.builtin_http && !crate::tls::scheme_supported(url.scheme()) {
            return Err(crate::tls::https_unavailable());
        }
        let span = tracing::info_span!(
            "request",
            vendor = inner.vendor,
            method = %self.method,
            route = self.route,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let idempotent = self.is_idempotent();
        let mut reached_any = false;
        let reached = &mut reached_any;
        let (result, attempts, status) = async move {
            let policy = &inner.retry;
            let mut attempt: u32 = 0;
            loop {
                attempt += 1;
                if let Err(error) = inner
                    .limiter
                    .acquire_route(self.rate_class, self.route)
                    .await
                {
                    // Nothing was sent: a limiter that fails closed stops the request here.
                    let status = error.status();
                    return (Err(error), attempt, status);
                }
                let attempt_span =
                    tracing::debug_span!("attempt", attempt, status = tracing::field::Empty);
                let outcome = self
                    .attempt(&url, mode, &attempt_span)
                    .instrument(attempt_span.clone())
                    .await;
                let (error, reached_server) = match outcome {
                    Outcome::Done(received) => {
                        let status = received.status();
                        match finish(received) {
                            Ok(value) => {
                                inner.budget.record_success();
                                return (Ok(value), attempt, Some(status));
                            }
                            Err(error) => (error, true),
                        }
                    }
                    Outcome::Failed {
                        error,
                        reached_server,
                    } => (error, reached_server),
                };
                *reached |= reached_server;
                let replayable = !matches!(self.body, Body::Multipart(_));
                let may_repeat = replayable && (idempotent || !reached_server);
                if !error.is_transient() || !may_repeat || attempt >= policy.max_attempts {
                    let status = error.status();
                    return (Err(error), attempt, status);
                }
                let wait = match error.retry_after() {
                    Some(server_wait) if server_wait > policy.max_retry_after => {
                        tracing::debug!(
                            wait_ms = server_wait.as_millis() as u64,
                            "server wait above maximum"
                        );
                        let status = error.status();
                        return (
                            Err(error.with_kind(ErrorKind::RateLimited)),
                            attempt,
                            status,
                        );
                    }
                    Some(server_wait) => server_wait,
                    // A rate limit with no hint, on a vendor whose bare 429 means a long
                    // window is spent: report it now rather than retry blindly.
                    None if error.is_rate_limited() && !policy.retry_unhinted_rate_limits => {
                        tracing::debug!("rate limited without a wait to honour");
                        let status = error.status();
                        return (Err(error), attempt, status);
                    }
                    None => policy.backoff(attempt),
                };
                if !inner.budget.try_acquire(error.is_timeout()) {
                    tracing::debug!("retry budget exhausted");
                    let status = error.status();
                    return (Err(error), attempt, status);
                }
                tracing::debug!(wait_ms = wait.as_millis() as u64, error = %error, "retrying");
                inner.clock.sleep(wait).await;
            }
        }
        .instrument(span.clone())
        .await;
        span.record("attempts", attempts);
        // The request span carries the final status (the attempt spans carry each one's).
        if let Some(status) = status {
            span.record("status", status.as_u16());
        }
        // The error says what the request was, so `is_retryable()` answers for this request.
        result.map_err(|error| error.with_request_outcome(reached_any, idempotent))
    }

    /// Send once and classify what happened; the response status goes on `span`, the
    /// attempt's own span (a no-op when its level is disabled: recording on whatever span is
    /// current would then write the request span's status twice).
    async fn attempt(&mut self, url: &Url, mode: Mode, span: &tracing::Span) -> Outcome<Received> {
        let inner = &self.client.inner;
        let mut sent_url = url.clone();
        let with_auth = self.absolute.is_none();
        if let Some((name, value)) = inner.auth.query_pair().filter(|_| with_auth) {
            sent_url.query_pairs_mut().append_pair(name, value);
        }
        let mut builder = inner.http.request(self.method.clone(), sent_url);
        let mut headers = inner.default_headers.clone();
        let auth = if with_auth {
            inner.auth.header_pair()
        } else {
            Ok(None)
        };
        match auth {
            Ok(Some((name, value))) => {
                headers.insert(name, value);
            }
            Ok(None) => {}
            Err(error) => {
                return Outcome::Failed {
                    error,
                    reached_server: false,
                }
            }
        }
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        match &mut self.body {
            Body::Empty => {}
            Body::Bytes {
                bytes,
                content_type,
            } => {
                headers
                    .entry(http::header::CONTENT_TYPE)
                    .or_insert_with(|| content_type.clone());
                builder = builder.body(bytes.clone());
            }
            Body::Multipart(form) => match form.take() {
                Some(form) => builder = builder.multipart(form.into_form()),
                None => {
                    return Outcome::Failed {
                        error: Error::new(
                            ErrorKind::InvalidRequest,
                            "a multipart body cannot be sent twice",
                        ),
                        reached_server: false,
                    }
                }
            },
        }
        builder = builder.headers(headers);
        if mode == Mode::Buffered {
            // Streamed downloads are bounded on their head only (below): a whole-request timeout
            // would cut a long download.
            builder = builder.timeout(self.timeout.unwrap_or(inner.timeout));
        }
        let send = builder.send();
        let sent = if mode == Mode::Streamed {
            match tokio::time::timeout(self.head_timeout(), send).await {
                Ok(r) => r,
                Err(_) => {
                    return Outcome::Failed {
                        error: Error::new(ErrorKind::Timeout, "no response head in time")
                            .with_retryable(true),
                        reached_server: true,
                    }
                }
            }
        } else {
            send.await
        };
        let mut response = match sent {
            Ok(r) => r,
            Err(e) => return transport_failure(e),
        };
        let status = response.status();
        span.record("status", status.as_u16());
        if status.is_success() {
            if mode == Mode::Streamed {
                if let Some(limit) = inner.max_download_size {
                    if let Some(length) = response.content_length().filter(|&n| n > limit) {
                        return too_large(length_over(length, limit, "max_download_size"));
                    }
                }
                return Outcome::Done(Received::Streamed(response));
            }
            // Moved out rather than cloned: the body is read without them (the length
            // comes from the body).
            let headers = std::mem::take(response.headers_mut());
            inner.limiter.observe(self.rate_class, &headers);
            let limit = self.max_body_size.unwrap_or(inner.max_body_size);
            if let Some(length) = response.content_length().filter(|&n| n > limit as u64) {
                // Refused on the header's word, before reading a byte of the body.
                return too_large(length_over(length, limit as u64, "max_body_size"));
            }
            return match read_body(response, Some(limit.saturating_add(1))).await {
                Ok(body) if body.len() > limit => too_large(format!(
                    "the response body is larger than the limit of {limit} bytes \
                     (ClientBuilder::max_body_size); reading stopped there"
                )),
                Ok(body) => Outcome::Done(Received::Buffered(RawResponse {
                    status,
                    headers,
                    body,
                })),
                Err(e) => transport_failure(e),
            };
        }
        let headers = std::mem::take(response.headers_mut());
        inner.limiter.observe(self.rate_class, &headers);
        let body = match read_body(response, Some(ERROR_BODY_LIMIT)).await {
            Ok(b) => b,
            // The status is known; a broken error body still gives the status.
            Err(_) => Bytes::new(),
        };
        Outcome::Failed {
            error: self.error_for(url, status, &headers, &body),
            reached_server: true,
        }
    }

    fn head_timeout(&self) -> Duration {
        self.timeout.unwrap_or(self.client.inner.timeout)
    }

    /// Build the error for a non-success response, with the vendor decoder's help.
    fn error_for(&self, url: &Url, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
        let inner = &self.client.inner;
        let vendor = inner.decoder.decode(&ErrorResponse {
            status,
            headers,
            body,
        });
        let mut error = Error::from_status(status, body);
        if let Some(kind) = vendor.kind {
            error = error.with_kind(kind);
        }
        if let Some(m) = vendor.message {
            error = error.with_message(m);
        }
        if let Some(c) = vendor.code {
            error = error.with_vendor_code(c);
        }
        let header_id = inner
            .request_id_header
            .as_ref()
            .and_then(|h| headers.get(h))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let Some(id) = vendor.request_id.or(header_id) {
            error = error.with_request_id(id);
        }
        if status.is_redirection() {
            let location = headers
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok());
            if let Some(location) = location {
                error = error.with_redirect_location(location);
            }
        }
        if is_retryable_status(status) {
            if let Some(wait) = inner.retry.server_wait(headers, SystemTime::now()) {
                error = error.with_retry_after(wait);
            }
        }
        error
    }
}

/// A body over a size limit: the server answered, and the same request would answer the same.
fn too_large<T>(message: String) -> Outcome<T> {
    Outcome::Failed {
        error: Error::new(ErrorKind::BodyTooLarge, message),
        reached_server: true,
    }
}

fn length_over(length: u64, limit: u64, setting: &str) -> String {
    format!(
        "the response's Content-Length of {length} bytes is over the limit of {limit} bytes \
         (ClientBuilder::{setting}); nothing was read"
    )
}

/// At most this much of an error response's body is read: enough for any vendor's error JSON
/// and a useful snippet of an HTML page, without buffering whatever a broken server streams.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Never reserve more than this up front on the word of a `Content-Length` header.
const PREALLOCATE_LIMIT: usize = 8 * 1024 * 1024;

/// Read a body with reqwest's streaming reader, up to `limit` bytes when given (the rest is
/// dropped). A single-chunk body is returned without a copy.
async fn read_body(
    response: reqwest::Response,
    limit: Option<usize>,
) -> Result<Bytes, reqwest::Error> {
    let limit = limit.unwrap_or(usize::MAX);
    let expected = response.content_length();
    let mut stream = response.bytes_stream();
    let first = match stream.next().await {
        None => return Ok(Bytes::new()),
        Some(chunk) => chunk?,
    };
    if first.len() >= limit {
        return Ok(first.slice(..limit));
    }
    let Some(second) = stream.next().await else {
        return Ok(first);
    };
    let second = second?;
    let capacity = expected
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(first.len() + second.len())
        .min(PREALLOCATE_LIMIT)
        .min(limit);
    let mut buf = Vec::with_capacity(capacity);
    buf.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        let room = limit - buf.len();
        if chunk.len() >= room {
            buf.extend_from_slice(&chunk[..room]);
            break;
        }
        buf.extend_from_slice(&chunk);
        next = match stream.next().await {
            Some(chunk) => Some(chunk?),
            None => None,
        };
    }
    Ok(Bytes::from(buf))
}

/// Classify a reqwest error: whether the request may have reached the server decides whether
/// a non-idempotent request may be repeated.
fn transport_failure<T>(e: reqwest::Error) -> Outcome<T> {
    let e = e.without_url();
    let (kind, reached_server, message) = if e.is_connect() {
        (ErrorKind::Connect, false, "could not connect")
    } else if e.is_timeout() {
        (ErrorKind::Timeout, true, "the request timed out")
    } else if e.is_body() || e.is_decode() {
        (ErrorKind::Transport, true, "the response body broke off")
    } else {
        (ErrorKind::Transport, true, "the connection failed")
    };
    Outcome::Failed {
        error: Error::new(kind, message)
            .with_source(e)
            .with_retryable(true),
        reached_server,
    }
}
