//! [`HeiloClient`] and its builder: the API base, the bearer API key, the documented hourly
//! quota ([`HeiloClient::documented_rate_limits`]), and transport adjustments.

use std::sync::Arc;

use client_core::vendor::{Vendor, VendorSettings};
use client_core::{Auth, Client, Error, Quota, RateLimits};

use crate::calls::Calls;
use crate::error::HeiloErrorDecoder;
use crate::webhooks_api::Webhooks;

/// The production API base: `https://www.heilo.io/api/v1`.
pub const DEFAULT_BASE_URL: &str = "https://www.heilo.io/api/v1";

/// The documented per-key quota: 1000 requests per hour (also what `GET /me` reports as
/// `rate_limit_per_hour` in the documented example).
pub const DOCUMENTED_REQUESTS_PER_HOUR: u32 = 1000;

const VENDOR: Vendor = Vendor {
    name: "heilo",
    credential: "Heilo API key",
    user_agent: concat!("heilo-client/", env!("CARGO_PKG_VERSION")),
};

/// A typed client for Heilo's public API v1.
///
/// Cheap to clone (clones share the connection pool, retry budget and rate limiter). The
/// endpoints: [`HeiloClient::me`] (`GET /me`), [`HeiloClient::calls`] (`GET /calls`,
/// `GET /calls/{id}`) and [`HeiloClient::webhooks`] (`POST /webhook-subscriptions`).
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
            settings: VendorSettings::new(api_key, HeiloClient::documented_rate_limits()),
        }
    }

    /// The client-side quota from Heilo's documented limits (the builder's default).
    ///
    /// Heilo counts every request (whatever its status) per key, **1000 per hour**, in windows
    /// that reset on the UTC hour; all keys of an account together get 5000 per hour. These
    /// limits keep one client inside the per-key quota whatever the alignment of the server's
    /// window (see [`HeiloClient::rate_limits_per_hour`]). Retries pay too.
    ///
    /// Heilo's `429` carries `Retry-After` (seconds), which the retry policy honours, and
    /// `X-RateLimit-Remaining` / `X-RateLimit-Reset` (an ISO 8601 time such as
    /// `2026-06-03T13:00:00Z`): with header adaptation on (as here), a response saying
    /// `X-RateLimit-Remaining: 0` holds further requests until that reset.
    ///
    /// Several keys of one account share the account's 5000 per hour; this client does not know
    /// your other keys, so with more than five busy keys, give them one shared limiter through
    /// [`HeiloClientBuilder::configure`] (`core.rate_limiter(shared)`).
    pub fn documented_rate_limits() -> RateLimits {
        HeiloClient::rate_limits_per_hour(DOCUMENTED_REQUESTS_PER_HOUR)
    }

    /// `limit` requests per hour (for example the `rate_limit_per_hour` that `GET /me`
    /// reports for your key), enforced so that no hour-long window, however aligned, sees
    /// more than `limit` requests from this client, while an idle client may still send a
    /// tenth of the quota at once; `X-RateLimit-Remaining: 0` pauses requests as in
    /// [`HeiloClient::documented_rate_limits`].
    pub fn rate_limits_per_hour(limit: u32) -> RateLimits {
        RateLimits::overall(Quota::per_hour(limit).with_tenth_burst()).with_adapt_to_headers(true)
    }

    /// The underlying transport (base URL `…/api/v1/`), for endpoints this crate does not cover.
    pub fn core(&self) -> &Client {
        &self.core
    }

    /// Calls: list with filters and get one (see [`crate::calls`]).
    pub fn calls(&self) -> Calls<'_> {
        Calls { client: self }
    }

    /// Webhook subscriptions: create (see [`crate::webhooks_api`]).
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }
}

/// Configures a [`HeiloClient`]: the methods every vendor client shares (`base_url`,
/// `rate_limits`, `without_rate_limits`, `configure`). Heilo has no settings of its own: the
/// base URL includes `/api/v1` (default [`DEFAULT_BASE_URL`]; a test server or proxy, for
/// example `http://127.0.0.1:8080/api/v1`). `Debug` never shows the API key.
#[derive(Debug)]
pub struct HeiloClientBuilder {
    settings: VendorSettings,
}

impl HeiloClientBuilder {
    client_core::vendor_builder_methods!(settings);

    /// Build the client. Fails with `Config` on an empty API key, a key that cannot be sent in
    /// a header, or a bad base URL.
    pub fn build(self) -> Result<HeiloClient, Error> {
        let core = self
            .settings
            .build(&VENDOR, Some(DEFAULT_BASE_URL), |base, key| {
                Ok(Client::builder(base)
                    .auth(Auth::bearer(key))
                    .error_decoder(Arc::new(HeiloErrorDecoder)))
            })?;
        Ok(HeiloClient { core })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    use client_core::{ErrorKind, HeaderMap, Timestamp};
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
        let limits = HeiloClient::documented_rate_limits();
        let q = limits.overall_quota().unwrap();
        // GCRA admits at most steady + burst - 1 requests in any window of one period.
        assert_eq!(q, Quota::per_hour(901).with_burst(100));
        assert_eq!(q.period(), Duration::from_secs(3600));
        assert!(limits.adapts_to_headers());
        assert_eq!(RateLimits::off().overall_quota(), None);
        assert_eq!(
            HeiloClient::rate_limits_per_hour(1).overall_quota(),
            Some(Quota::per_hour(1))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn remaining_zero_with_an_iso_reset_pauses_the_limiter() {
        let limiter = RateLimits::off().with_adapt_to_headers(true).limiter();
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
