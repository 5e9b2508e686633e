//! [`HedyClient`] and its builder: the region (or a base URL), the API key, retries and the
//! documented rate limits.

use std::sync::Arc;

use client_core::vendor::{Vendor, VendorSettings};
use client_core::{Auth, Client, Error, Quota, RateLimits};

use crate::contexts::Contexts;
use crate::error::HedyErrorDecoder;
use crate::highlights::Highlights;
use crate::me::Me;
use crate::rate_classes;
use crate::sessions::Sessions;
use crate::todos::Todos;
use crate::topics::Topics;
use crate::webhooks_api::Webhooks;

/// What Hedy's transport carries: its name, how its credential is called, its user agent.
const VENDOR: Vendor = Vendor {
    name: "hedy",
    credential: "Hedy API key",
    user_agent: concat!("hedy-client/", env!("CARGO_PKG_VERSION")),
};

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
            settings: VendorSettings::new(api_key, HedyClient::documented_rate_limits()),
            region: Region::Us,
        }
    }

    /// The client-side quotas, as documented by Hedy (the builder's default): 200 requests a
    /// minute per API key overall, and 5 webhook creations (`POST /webhooks`, the class
    /// [`rate_classes::WEBHOOK_CREATE`]) a minute, which also count towards the 200. A
    /// response saying `X-RateLimit-Remaining: 0` pauses requests until its reset.
    ///
    /// An idle client may send a tenth of a quota at once; after that requests are spread
    /// evenly, and no window of a minute, however aligned, ever holds more than the quota.
    /// Change one with [`RateLimits::with_overall`] or [`RateLimits::with_class`] (`None`
    /// turns it off).
    pub fn documented_rate_limits() -> RateLimits {
        RateLimits::overall(Quota::per_minute(200).with_tenth_burst())
            .with_class(
                rate_classes::WEBHOOK_CREATE,
                Quota::per_minute(5).with_tenth_burst(),
            )
            .with_adapt_to_headers(true)
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
///
/// Shared with every vendor crate: [`base_url`](Self::base_url),
/// [`rate_limits`](Self::rate_limits) (default [`HedyClient::documented_rate_limits`]),
/// [`without_rate_limits`](Self::without_rate_limits) and [`configure`](Self::configure). A
/// limiter set through `configure` is asked with the class [`rate_classes::WEBHOOK_CREATE`]
/// for `POST /webhooks` and no class otherwise. Hedy's 429 carries no `Retry-After`, so the
/// retry policy's backoff decides the wait.
///
/// Hedy's own: [`region`](Self::region), which chooses the default base URL.
#[derive(Debug)]
pub struct HedyClientBuilder {
    settings: VendorSettings,
    region: Region,
}

impl HedyClientBuilder {
    client_core::vendor_builder_methods!(settings);

    /// The region (default [`Region::Us`]); ignored when a [`base_url`](Self::base_url) is set.
    pub fn region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    /// Build the client. Fails with `Config` on an empty API key or a bad base URL.
    pub fn build(self) -> Result<HedyClient, Error> {
        let core = self
            .settings
            .build(&VENDOR, Some(self.region.base_url()), |base, key| {
                Ok(Client::builder(base)
                    .auth(Auth::bearer(key.to_owned()))
                    .error_decoder(Arc::new(HedyErrorDecoder)))
            })?;
        Ok(HedyClient { core })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use client_core::ErrorKind;

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
        let l = HedyClient::documented_rate_limits();
        assert_eq!(
            l.overall_quota(),
            Some(Quota::per_minute(181).with_burst(20))
        );
        assert_eq!(
            l.class(rate_classes::WEBHOOK_CREATE),
            Some(Quota::per_minute(5))
        );
        assert!(l.adapts_to_headers());
        // The builder starts from them.
        let default = HedyClient::builder("k").settings;
        assert_eq!(format!("{:?}", default.rate_limits()), format!("{l:?}"));
        let debug = format!("{:?}", l.limiter());
        assert!(debug.contains("webhook_create"), "{debug}");
        assert_eq!(format!("{:?}", RateLimits::off().limiter()), "Unlimited");
    }
}
