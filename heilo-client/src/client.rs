//! [`HeiloClient`] and its builder: the API base, the bearer API key, the documented hourly
//! quota, and transport adjustments through `client_core`'s [`Configure`].

use std::sync::Arc;

use client_core::{
    Auth, Client, ClientBuilder, Configure, Error, ErrorKind, GcraLimiter, Quota, RateLimiter,
    Unlimited,
};

use crate::calls::Calls;
use crate::error::HeiloErrorDecoder;
use crate::webhook_subscriptions::WebhookSubscriptions;

/// The production API base: `https://www.heilo.io/api/v1`.
pub const DEFAULT_BASE_URL: &str = "https://www.heilo.io/api/v1";

/// The documented per-key quota: 1000 requests per hour (also what `GET /me` reports as
/// `rate_limit_per_hour` in the documented example).
pub const DOCUMENTED_REQUESTS_PER_HOUR: u32 = 1000;

/// The client-side quota, from Heilo's documented limits.
///
/// Heilo counts every request (whatever its status) per key, **1000 per hour**, in windows that
/// reset on the UTC hour; all keys of an account together get 5000 per hour. The default,
/// [`RateLimits::documented`], keeps one client inside the per-key quota whatever the
/// alignment of the server's window (see [`RateLimits::per_hour`]). Retries pay too.
///
/// Heilo's `429` carries `Retry-After` (seconds), which the retry policy honours, and
/// `X-RateLimit-Remaining` / `X-RateLimit-Reset` (an ISO 8601 time such as
/// `2026-06-03T13:00:00Z`): with [`RateLimits::adapt_to_headers`] on (the default), a response
/// saying `X-RateLimit-Remaining: 0` holds further requests until that reset.
///
/// Several keys of one account share the account's 5000 per hour; this client does not know
/// your other keys, so with more than five busy keys, give them one shared limiter through
/// [`HeiloClientBuilder::configure`] (`core.rate_limiter(shared)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// The quota of this key, `None` for no client-side limit.
    pub per_key: Option<Quota>,
    /// Whether `X-RateLimit-Remaining: 0` pauses requests until `X-RateLimit-Reset`.
    pub adapt_to_headers: bool,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits::documented()
    }
}

impl RateLimits {
    /// The documented 1000 requests per hour per key (the default).
    pub fn documented() -> Self {
        RateLimits::per_hour(DOCUMENTED_REQUESTS_PER_HOUR)
    }

    /// `limit` requests per hour (for example the `rate_limit_per_hour` that `GET /me`
    /// reports for your key), enforced so that no hour-long window, however aligned, sees
    /// more than `limit` requests from this client, while an idle client may still send a
    /// tenth of the quota at once.
    pub fn per_hour(limit: u32) -> Self {
        RateLimits {
            per_key: Some(Quota::per_hour(limit).with_tenth_burst()),
            adapt_to_headers: true,
        }
    }

    /// This exact quota (see [`Quota`]).
    pub fn quota(quota: Quota) -> Self {
        RateLimits {
            per_key: Some(quota),
            adapt_to_headers: true,
        }
    }

    /// No client-side limit at all (the server's 429s and their `Retry-After` still apply).
    pub fn off() -> Self {
        RateLimits {
            per_key: None,
            adapt_to_headers: false,
        }
    }

    /// Whether `X-RateLimit-Remaining: 0` pauses requests until `X-RateLimit-Reset` (default on).
    pub fn adapt_to_headers(mut self, on: bool) -> Self {
        self.adapt_to_headers = on;
        self
    }

    /// A limiter enforcing these limits.
    pub fn limiter(&self) -> Arc<dyn RateLimiter> {
        match self.per_key {
            None if !self.adapt_to_headers => Arc::new(Unlimited),
            per_key => {
                let mut builder = GcraLimiter::builder().adapt_to_headers(self.adapt_to_headers);
                // Without a quota, a limiter that only adapts: an overall cell that never
                // limits on its own.
                builder = builder.overall(per_key.unwrap_or(Quota::per_second(u32::MAX)));
                Arc::new(builder.build())
            }
        }
    }
}

/// A typed client for Heilo's public API v1.
///
/// Cheap to clone (clones share the connection pool, retry budget and rate limiter). The
/// endpoints: [`HeiloClient::me`] (`GET /me`), [`HeiloClient::calls`] (`GET /calls`,
/// `GET /calls/{id}`) and [`HeiloClient::webhook_subscriptions`]
/// (`POST /webhook-subscriptions`).
///
/// ```no_run
/// # async fn run() -> Result<(), heilo_client::Error> {
/// let heilo = heilo_client::HeiloClient::new("hk_live_AbC1MnPq...")?;
/// let me = heilo.me().await?;
/// println!("key {} with scopes {:?}", me.api_key_id, me.scopes);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct HeiloClient {
    pub(crate) core: Client,
}

impl HeiloClient {
    /// A client for the production API (`https://www.heilo.io/api/v1`) sending `api_key`
    /// (`hk_live_…`) as `Authorization: Bearer`, with the documented quota and default retries.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        HeiloClient::builder(api_key).build()
    }

    /// Configure a client for `api_key`.
    pub fn builder(api_key: impl Into<String>) -> HeiloClientBuilder {
        HeiloClientBuilder {
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            configure: Configure::default(),
            limits: RateLimits::documented(),
        }
    }

    /// The underlying transport (base URL `…/api/v1/`), for endpoints this crate does not cover.
    pub fn core(&self) -> &Client {
        &self.core
    }

    /// Calls: list with filters and get one (see [`crate::calls`]).
    pub fn calls(&self) -> Calls<'_> {
        Calls { client: self }
    }

    /// Webhook subscriptions: create (see [`crate::webhook_subscriptions`]).
    pub fn webhook_subscriptions(&self) -> WebhookSubscriptions<'_> {
        WebhookSubscriptions { client: self }
    }
}

/// Configures a [`HeiloClient`].
pub struct HeiloClientBuilder {
    api_key: String,
    base_url: String,
    configure: Configure,
    limits: RateLimits,
}

impl std::fmt::Debug for HeiloClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeiloClientBuilder")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("configure", &self.configure)
            .field("limits", &self.limits)
            .finish()
    }
}

impl HeiloClientBuilder {
    /// The API base routes are joined to, including `/api/v1` (default
    /// `https://www.heilo.io/api/v1`; a test server or proxy, for example
    /// `http://127.0.0.1:8080/api/v1`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Adjust the transport: timeouts, retry policy and budget, rate limiter, clock, HTTP client
    /// (see [`client_core::ClientBuilder`]). Applied after Heilo's defaults, so it overrides
    /// them; a limiter set here replaces the one built from [`RateLimits`].
    pub fn configure(
        mut self,
        adjust: impl FnOnce(ClientBuilder) -> ClientBuilder + Send + 'static,
    ) -> Self {
        self.configure = self.configure.then(adjust);
        self
    }

    /// The client-side quota (default [`RateLimits::documented`]).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Turn client-side rate limiting off.
    pub fn without_rate_limits(self) -> Self {
        self.rate_limits(RateLimits::off())
    }

    /// Build the client. Fails with `Config` on an empty API key, a key that cannot be sent in
    /// a header, or a bad base URL.
    pub fn build(self) -> Result<HeiloClient, Error> {
        let key = self.api_key.trim();
        if key.is_empty() {
            return Err(Error::new(ErrorKind::Config, "the API key is empty"));
        }
        let base = self.base_url.trim().trim_end_matches('/');
        if base.is_empty() {
            return Err(Error::new(ErrorKind::Config, "the base URL is empty"));
        }
        let builder = Client::builder(base)
            .auth(Auth::bearer(key))
            .vendor("heilo")
            .user_agent(concat!("heilo-client/", env!("CARGO_PKG_VERSION")))
            .error_decoder(Arc::new(HeiloErrorDecoder))
            .rate_limiter(self.limits.limiter());
        Ok(HeiloClient {
            core: self.configure.apply(builder).build()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    use client_core::{HeaderMap, Timestamp};
    use http::HeaderValue;

    #[test]
    fn production_base_and_config_errors() {
        let c = HeiloClient::new("hk_live_x").unwrap();
        assert_eq!(c.core().base_url().as_str(), "https://www.heilo.io/api/v1/");
        let c = HeiloClient::builder("k")
            .base_url("http://127.0.0.1:9/api/v1/")
            .build()
            .unwrap();
        assert_eq!(c.core().base_url().as_str(), "http://127.0.0.1:9/api/v1/");
        assert_eq!(HeiloClient::new(" ").unwrap_err().kind(), ErrorKind::Config);
        assert_eq!(
            HeiloClient::builder("k")
                .base_url("not a url")
                .build()
                .unwrap_err()
                .kind(),
            ErrorKind::Config
        );
        assert_eq!(
            HeiloClient::new("bad\nkey").unwrap_err().kind(),
            ErrorKind::Config
        );
        // The key never shows in Debug.
        let debug = format!("{:?}", HeiloClient::new("hk_live_secret").unwrap());
        assert!(!debug.contains("hk_live_secret"), "{debug}");
        let debug = format!("{:?}", HeiloClient::builder("hk_live_secret"));
        assert!(!debug.contains("hk_live_secret"), "{debug}");
    }

    #[test]
    fn documented_quota_never_fills_an_hour() {
        let q = RateLimits::documented().per_key.unwrap();
        // GCRA admits at most steady + burst - 1 requests in any window of one period.
        assert_eq!(q, Quota::per_hour(901).with_burst(100));
        assert_eq!(q.period(), Duration::from_secs(3600));
        assert_eq!(RateLimits::off().per_key, None);
        assert_eq!(RateLimits::per_hour(1).per_key, Some(Quota::per_hour(1)));
    }

    #[tokio::test(start_paused = true)]
    async fn remaining_zero_with_an_iso_reset_pauses_the_limiter() {
        let limiter = RateLimits::off().adapt_to_headers(true).limiter();
        let reset = Timestamp::from_system_time(SystemTime::now() + Duration::from_secs(90));
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        h.insert(
            "x-ratelimit-reset",
            HeaderValue::from_str(reset.as_str()).unwrap(),
        );
        limiter.observe(None, &h);
        let start = tokio::time::Instant::now();
        limiter.acquire(None).await.unwrap();
        let waited = start.elapsed().as_secs();
        assert!((88..=91).contains(&waited), "waited {waited} s");
    }
}
