//! [`Client`]: the configured HTTP transport every vendor client wraps.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use url::Url;

use crate::auth::Auth;
use crate::clock::{Clock, TokioClock};
use crate::error::{Error, ErrorDecoder, ErrorKind, GenericErrorDecoder};
use crate::rate_limit::{RateLimiter, Unlimited};
use crate::request::RequestBuilder;
use crate::retry::{RetryBudget, RetryPolicy};
use crate::tls;

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole request, body included.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit on a buffered success body: 32 MiB. The largest legitimate responses of the
/// four APIs (a Speakr recording with its transcript and summary, a page of 100 records) are
/// a few MiB at most; a server that sends more is broken or hostile.
pub const DEFAULT_MAX_BODY_SIZE: usize = 32 * 1024 * 1024;

/// A configured HTTP client: base URL, auth, retry, rate limiting and error decoding.
///
/// Cheap to clone: clones share the connection pool, the retry budget and the limiter.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// The HTTP client was built here (so its TLS is [`tls::TLS_BACKEND`]), not given.
    pub(crate) builtin_http: bool,
    pub(crate) base_url: Url,
    pub(crate) auth: Auth,
    pub(crate) default_headers: HeaderMap,
    pub(crate) retry: RetryPolicy,
    pub(crate) budget: RetryBudget,
    pub(crate) limiter: Arc<dyn RateLimiter>,
    pub(crate) decoder: Arc<dyn ErrorDecoder>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) vendor: &'static str,
    pub(crate) request_id_header: Option<HeaderName>,
    pub(crate) timeout: Duration,
    pub(crate) max_body_size: usize,
    pub(crate) max_download_size: Option<u64>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("vendor", &self.inner.vendor)
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("limiter", &self.inner.limiter)
            .finish()
    }
}

impl Client {
    /// Start configuring a client for the API at `base_url` (a base path such as `/api/v1` is
    /// kept when routes are joined).
    pub fn builder(base_url: impl AsRef<str>) -> ClientBuilder {
        ClientBuilder::new(base_url.as_ref())
    }

    /// The base URL routes are joined to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The retry budget this client (and its clones) draws on.
    pub fn retry_budget(&self) -> &RetryBudget {
        &self.inner.budget
    }

    /// The rate limiter this client (and its clones) waits on, to share it with another client
    /// or to see what a vendor preset configured.
    pub fn rate_limiter(&self) -> &Arc<dyn RateLimiter> {
        &self.inner.limiter
    }

    /// A request for `route`, a path template relative to the base URL such as
    /// `"/recordings/{id}/tags/{tag_id}"`. Fill each `{…}` segment, in order, with
    /// [`RequestBuilder::param`]; values are percent-encoded. The template, never the filled
    /// path, names the route in traces. An empty route calls the base URL itself, without a
    /// trailing slash (single-endpoint APIs such as GraphQL).
    pub fn request(&self, method: Method, route: &'static str) -> RequestBuilder {
        RequestBuilder::new(self.clone(), method, route)
    }

    /// `GET` an absolute URL with this client's retry, limiter and timeouts but **without its
    /// credentials**: for pre-signed download links a vendor redirects to.
    pub fn get_absolute(&self, url: Url) -> RequestBuilder {
        RequestBuilder::absolute(self.clone(), Method::GET, url)
    }

    /// `GET route`.
    pub fn get(&self, route: &'static str) -> RequestBuilder {
        self.request(Method::GET, route)
    }

    /// `POST route`.
    pub fn post(&self, route: &'static str) -> RequestBuilder {
        self.request(Method::POST, route)
    }

    /// `PUT route`.
    pub fn put(&self, route: &'static str) -> RequestBuilder {
        self.request(Method::PUT, route)
    }

    /// `PATCH route`.
    pub fn patch(&self, route: &'static str) -> RequestBuilder {
        self.request(Method::PATCH, route)
    }

    /// `DELETE route`.
    pub fn delete(&self, route: &'static str) -> RequestBuilder {
        self.request(Method::DELETE, route)
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: Result<Url, Error>,
    auth: Auth,
    default_headers: HeaderMap,
    header_error: Option<Error>,
    user_agent: String,
    connect_timeout: Duration,
    timeout: Duration,
    follow_redirects: bool,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    budget: Option<RetryBudget>,
    limiter: Arc<dyn RateLimiter>,
    decoder: Arc<dyn ErrorDecoder>,
    clock: Arc<dyn Clock>,
    vendor: &'static str,
    request_id_header: Option<HeaderName>,
    max_body_size: usize,
    max_download_size: Option<u64>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("vendor", &self.vendor)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    fn new(base_url: &str) -> Self {
        let base_url = Url::parse(base_url)
            .map_err(|e| Error::new(ErrorKind::Config, format!("invalid base URL: {e}")))
            .and_then(|u| {
                if u.cannot_be_a_base() || !matches!(u.scheme(), "http" | "https") {
                    Err(Error::new(
                        ErrorKind::Config,
                        "the base URL must be an http or https URL",
                    ))
                } else {
                    Ok(u)
                }
            });
        ClientBuilder {
            base_url,
            auth: Auth::None,
            default_headers: HeaderMap::new(),
            header_error: None,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_REQUEST_TIMEOUT,
            follow_redirects: false,
            http: None,
            retry: RetryPolicy::default(),
            budget: None,
            limiter: Arc::new(Unlimited),
            decoder: Arc::new(GenericErrorDecoder),
            clock: Arc::new(TokioClock),
            vendor: "http",
            request_id_header: None,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            max_download_size: None,
        }
    }

    /// The largest success body the client buffers (JSON and text), default
    /// [`DEFAULT_MAX_BODY_SIZE`]. A larger body ends the call with
    /// [`ErrorKind::BodyTooLarge`](crate::ErrorKind::BodyTooLarge): a `Content-Length` over the
    /// limit is refused before reading, and a body without one stops being read at the limit.
    /// Streamed downloads are not buffered and are not bound by it (see
    /// [`ClientBuilder::max_download_size`]).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// The largest streamed download (audio, subtitles) the client accepts; unlimited by
    /// default. Over it, a `Content-Length` is refused before the body is read, and a stream
    /// without one ends with [`ErrorKind::BodyTooLarge`](crate::ErrorKind::BodyTooLarge) once
    /// it passes the limit.
    pub fn max_download_size(mut self, bytes: u64) -> Self {
        self.max_download_size = Some(bytes);
        self
    }

    /// The credential attached to every request.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// A header sent with every request (for example an API version header).
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(n), Ok(v)) => {
                self.default_headers.insert(n, v);
            }
            _ => {
                self.header_error = Some(Error::new(
                    ErrorKind::Config,
                    format!("invalid default header `{name}`"),
                ));
            }
        }
        self
    }

    /// The `User-Agent`, conventionally `<crate>/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A name for traces (`vendor` field of every span).
    pub fn vendor(mut self, vendor: &'static str) -> Self {
        self.vendor = vendor;
        self
    }

    /// The response header carrying the server's request id (kept on errors).
    pub fn request_id_header(mut self, name: &'static str) -> Self {
        self.request_id_header = Some(HeaderName::from_static(name));
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request, body included (default 30 s). Streamed downloads are
    /// limited only by the connect timeout and this timeout's wait for the response head.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Follow redirects (off by default, so a vendor's redirect to a login page surfaces as
    /// an error instead of an HTML body).
    pub fn follow_redirects(mut self, follow: bool) -> Self {
        self.follow_redirects = follow;
        self
    }

    /// Use this `reqwest::Client` (its connection pool, proxy, TLS and redirect settings then
    /// apply; the request timeout and user agent set here still apply per request). The TLS
    /// features of this crate then play no part: the given client's TLS is used as it is.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry budget (share one between clients to bound their retries together).
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// The rate limiter (share one `Arc` between clients that draw on one quota).
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = limiter;
        self
    }

    /// The vendor's error-body decoder.
    pub fn error_decoder(mut self, decoder: Arc<dyn ErrorDecoder>) -> Self {
        self.decoder = decoder;
        self
    }

    /// The clock used for backoff sleeps (tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(err) = self.header_error {
            return Err(err);
        }
        let mut base_url = self.base_url?;
        // Keep the base path as a directory so that joining appends to it.
        if !base_url.path().ends_with('/') {
            let path = format!("{}/", base_url.path());
            base_url.set_path(&path);
        }
        // Validate the credential now rather than on the first request.
        self.auth.header_pair()?;
        let mut default_headers = self.default_headers;
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::new(ErrorKind::Config, "invalid user agent"))?;
        default_headers
            .entry(http::header::USER_AGENT)
            .or_insert(user_agent);
        let builtin_http = self.http.is_none();
        let http = match self.http {
            Some(http) => http,
            None => {
                // Without a TLS feature, say so now rather than on the first request.
                if !tls::scheme_supported(base_url.scheme()) {
                    return Err(tls::https_unavailable());
                }
                let redirect = if self.follow_redirects {
                    reqwest::redirect::Policy::limited(5)
                } else {
                    reqwest::redirect::Policy::none()
                };
                let builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .redirect(redirect);
                tls::configure(builder)?.build().map_err(|e| {
                    Error::new(ErrorKind::Config, "cannot build the HTTP client")
                        .with_source(e.without_url())
                })?
            }
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                builtin_http,
                base_url,
                auth: self.auth,
                default_headers,
                retry: self.retry,
                budget: self.budget.unwrap_or_default(),
                limiter: self.limiter,
                decoder: self.decoder,
                clock: self.clock,
                vendor: self.vendor,
                request_id_header: self.request_id_header,
                timeout: self.timeout,
                max_body_size: self.max_body_size,
                max_download_size: self.max_download_size,
            }),
        })
    }
}

type ConfigureFn = Box<dyn FnOnce(ClientBuilder) -> ClientBuilder + Send>;

/// A caller's adjustments to a vendor client's transport (timeouts, retry policy and budget,
/// rate limiter, HTTP client, …), collected by the vendor's builder and applied after the
/// vendor's defaults, so that they override them. Vendor builders expose it as one
/// `configure(|core| core.timeout(..))` method instead of repeating every transport setting.
#[derive(Default)]
pub struct Configure(Option<ConfigureFn>);

impl Configure {
    /// Add an adjustment, applied after those added before it.
    pub fn then(
        self,
        adjust: impl FnOnce(ClientBuilder) -> ClientBuilder + Send + 'static,
    ) -> Configure {
        let earlier = self.0;
        Configure(Some(Box::new(move |builder| match earlier {
            Some(earlier) => adjust(earlier(builder)),
            None => adjust(builder),
        })))
    }

    /// Apply every adjustment to `builder`.
    pub fn apply(self, builder: ClientBuilder) -> ClientBuilder {
        match self.0 {
            Some(adjust) => adjust(builder),
            None => builder,
        }
    }
}

impl fmt::Debug for Configure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Configure(<adjustments>)"
        } else {
            "Configure(none)"
        })
    }
}
