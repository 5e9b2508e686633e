//! [`HedyClient`] and its builder: the region (or a base URL), the API key, retries and the
//! documented rate limits.

use std::sync::Arc;

use client_core::{
    Auth, Client, ClientBuilder, Configure, Error, ErrorKind, GcraLimiter, Quota, RateLimiter,
    Unlimited,
};

use crate::contexts::Contexts;
use crate::error::HedyErrorDecoder;
use crate::highlights::Highlights;
use crate::me::Me;
use crate::sessions::Sessions;
use crate::todos::Todos;
use crate::topics::Topics;
use crate::webhooks_api::Webhooks;

/// The rate-limit classes of Hedy's documented quotas.
pub(crate) mod class {
    /// `POST /webhooks` (5 a minute, on top of the overall quota).
    pub const WEBHOOK_CREATE: &str = "webhook_create";
}

/// Where the account's data lives. Both hosts serve the same paths at their root (no `/v1`:
/// the docs mention `api.hedy.bot/v1`, but every working integration calls root paths).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Region {
    /// `https://api.hedy.bot` (the default).
    #[default]
    Us,
    /// `https://eu-api.hedy.bot`.
    Eu,
}

impl Region {
    /// The API's base URL in this region.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://api.hedy.bot",
            Region::Eu => "https://eu-api.hedy.bot",
        }
    }
}

/// The client-side quotas, as documented by Hedy: 200 requests a minute per API key overall,
/// and 5 webhook creations (`POST /webhooks`) a minute, which also count towards the 200.
/// `None` turns a limit off.
///
/// An idle client may send a tenth of a quota at once; after that requests are spread evenly,
/// and no window of a minute, however aligned, ever holds more than the quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Every request.
    pub overall: Option<Quota>,
    /// `POST /webhooks`.
    pub webhook_create: Option<Quota>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits::documented()
    }
}

impl RateLimits {
    /// The documented quotas (the default): 200/min overall, 5/min for webhook creation.
    pub fn documented() -> Self {
        RateLimits {
            overall: Some(Quota::per_minute(200).with_tenth_burst()),
            webhook_create: Some(Quota::per_minute(5).with_tenth_burst()),
        }
    }

    /// No client-side limit at all.
    pub fn off() -> Self {
        RateLimits {
            overall: None,
            webhook_create: None,
        }
    }

    /// A limiter enforcing these quotas (share it between clients using the same key).
    pub fn limiter(&self) -> Arc<dyn RateLimiter> {
        if self.overall.is_none() && self.webhook_create.is_none() {
            return Arc::new(Unlimited);
        }
        let mut builder = GcraLimiter::builder();
        if let Some(q) = self.overall {
            builder = builder.overall(q);
        }
        if let Some(q) = self.webhook_create {
            builder = builder.class(class::WEBHOOK_CREATE, q);
        }
        Arc::new(builder.build())
    }
}

/// A typed client for the Hedy REST API.
///
/// Cheap to clone (clones share the connection pool, retry budget and rate limiter). Reach each
/// resource through its handler: [`HedyClient::sessions`], [`HedyClient::topics`], …
///
/// ```no_run
/// # async fn run() -> Result<(), hedy_client::Error> {
/// let hedy = hedy_client::HedyClient::new("hedy_live_…")?;
/// let me = hedy.me().await?;
/// println!("signed in as {:?}", me.email);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct HedyClient {
    pub(crate) core: Client,
}

impl HedyClient {
    /// A client for the US region (`https://api.hedy.bot`) sending `api_key` as
    /// `Authorization: Bearer`, with the documented rate limits and default retries.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        HedyClient::builder(api_key).build()
    }

    /// Configure a client for `api_key` (generated in the Hedy app under Settings → API
    /// Access; it needs a Pro plan with cloud sync).
    pub fn builder(api_key: impl Into<String>) -> HedyClientBuilder {
        HedyClientBuilder {
            api_key: api_key.into(),
            base_url: None,
            region: Region::Us,
            configure: Configure::default(),
            limits: RateLimits::documented(),
        }
    }

    /// The underlying transport, for endpoints this crate does not cover.
    pub fn core(&self) -> &Client {
        &self.core
    }

    /// Sessions: list (and stream), get, a session's highlights and todos (see
    /// [`crate::sessions`]).
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions { client: self }
    }

    /// Highlights across sessions (see [`crate::highlights`]).
    pub fn highlights(&self) -> Highlights<'_> {
        Highlights { client: self }
    }

    /// Todos across sessions (see [`crate::todos`]).
    pub fn todos(&self) -> Todos<'_> {
        Todos { client: self }
    }

    /// Topics: CRUD and a topic's sessions (see [`crate::topics`]).
    pub fn topics(&self) -> Topics<'_> {
        Topics { client: self }
    }

    /// Session contexts (see [`crate::contexts`]).
    pub fn contexts(&self) -> Contexts<'_> {
        Contexts { client: self }
    }

    /// Webhook subscriptions: list, create, delete (see [`crate::webhooks_api`]; receiving
    /// deliveries is [`crate::webhooks`]).
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }

    /// `GET /me`: the account the API key belongs to (see [`crate::me`]).
    pub async fn me(&self) -> Result<Me, Error> {
        crate::me::get(self).await
    }
}

/// Configures a [`HedyClient`]. `Debug` never shows the API key.
pub struct HedyClientBuilder {
    api_key: String,
    base_url: Option<String>,
    region: Region,
    configure: Configure,
    limits: RateLimits,
}

impl std::fmt::Debug for HedyClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HedyClientBuilder")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("region", &self.region)
            .field("configure", &self.configure)
            .field("limits", &self.limits)
            .finish()
    }
}

impl HedyClientBuilder {
    /// The region (default [`Region::Us`]); ignored when a [`base_url`](Self::base_url) is set.
    pub fn region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    /// Another base URL (a test server, a proxy). Routes are joined to it as they are to
    /// `https://api.hedy.bot`: `/sessions` under `http://127.0.0.1:8080` is
    /// `http://127.0.0.1:8080/sessions`.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Adjust the transport: timeouts, retry policy and budget, rate limiter, HTTP client (see
    /// [`client_core::ClientBuilder`]). Applied after Hedy's defaults, so it overrides them;
    /// a limiter set here replaces the one built from [`RateLimits`] (it is asked with the
    /// class `webhook_create` for `POST /webhooks` and no class otherwise). Hedy's 429 carries
    /// no `Retry-After`, so the retry policy's backoff decides the wait.
    pub fn configure(
        mut self,
        adjust: impl FnOnce(ClientBuilder) -> ClientBuilder + Send + 'static,
    ) -> Self {
        self.configure = self.configure.then(adjust);
        self
    }

    /// The quotas (default [`RateLimits::documented`]).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Turn client-side rate limiting off.
    pub fn without_rate_limits(self) -> Self {
        self.rate_limits(RateLimits::off())
    }

    /// Build the client. Fails with `Config` on an empty API key or a bad base URL.
    pub fn build(self) -> Result<HedyClient, Error> {
        let key = self.api_key.trim();
        if key.is_empty() {
            return Err(Error::new(ErrorKind::Config, "the Hedy API key is empty"));
        }
        let base = match &self.base_url {
            Some(url) => url.trim().to_owned(),
            None => self.region.base_url().to_owned(),
        };
        let builder = Client::builder(base)
            .auth(Auth::bearer(key.to_owned()))
            .vendor("hedy")
            .user_agent(concat!("hedy-client/", env!("CARGO_PKG_VERSION")))
            .error_decoder(Arc::new(HedyErrorDecoder))
            .rate_limiter(self.limits.limiter());
        Ok(HedyClient {
            core: self.configure.apply(builder).build()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_base_urls() {
        let base = |b: HedyClientBuilder| b.build().map(|c| c.core().base_url().to_string());
        assert_eq!(
            base(HedyClient::builder("k")).ok().as_deref(),
            Some("https://api.hedy.bot/")
        );
        assert_eq!(
            base(HedyClient::builder("k").region(Region::Eu))
                .ok()
                .as_deref(),
            Some("https://eu-api.hedy.bot/")
        );
        assert_eq!(
            base(HedyClient::builder("k").base_url("http://127.0.0.1:9/x"))
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:9/x/")
        );
        let bad = HedyClient::builder("k").base_url("not a url").build();
        assert_eq!(bad.err().map(|e| e.kind()), Some(ErrorKind::Config));
        let empty = HedyClient::new("  ");
        assert_eq!(empty.err().map(|e| e.kind()), Some(ErrorKind::Config));
    }

    #[test]
    fn the_key_never_shows() {
        let builder = HedyClient::builder("hedy_live_secret123");
        assert!(!format!("{builder:?}").contains("secret123"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("secret123"));
    }

    #[test]
    fn documented_limits() {
        let l = RateLimits::documented();
        assert_eq!(l.overall, Some(Quota::per_minute(181).with_burst(20)));
        assert_eq!(l.webhook_create, Some(Quota::per_minute(5)));
        assert_eq!(RateLimits::default(), l);
        let debug = format!("{:?}", l.limiter());
        assert!(debug.contains("webhook_create"), "{debug}");
        assert_eq!(format!("{:?}", RateLimits::off().limiter()), "Unlimited");
    }
}
