//! [`SpeakrClient`] and its builder: the instance's base URL, the API token in any of the four
//! forms Speakr accepts, retries, and the rate limits: the documented per-route-class table and
//! the per-route hour and day quotas the server enforces.

use std::sync::Arc;

use client_core::{
    vendor_builder_methods, Auth, Client, Error, ErrorKind, Quota, RateLimits, RetryPolicy, Vendor,
    VendorSettings,
};

use crate::batch::Batch;
use crate::error::SpeakrErrorDecoder;
use crate::folders::Folders;
use crate::processing::Processing;
use crate::rate_classes;
use crate::recordings::Recordings;
use crate::settings::Settings;
use crate::speakers::Speakers;
use crate::stats::GetStats;
use crate::tags::Tags;
use crate::transcription::Transcription;
use crate::users::Users;
use crate::webhooks_api::Webhooks;

const VENDOR: Vendor = Vendor {
    name: "speakr",
    credential: "Speakr API token",
    user_agent: concat!("speakr-client/", env!("CARGO_PKG_VERSION")),
};

/// How the API token travels. Speakr accepts all four; the bearer header is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenPlacement {
    /// `Authorization: Bearer <token>` (the `Bearer ` prefix is case-sensitive on the server).
    #[default]
    Bearer,
    /// `X-API-Token: <token>`.
    Header,
    /// `API-Token: <token>` (the same token under the header name without `X-`).
    ApiTokenHeader,
    /// `?token=<token>` in the query string (visible in server logs: prefer a header).
    Query,
}

/// What the server enforces per route template and client address, per hour (Flask-Limiter's
/// `default_limits`).
const SERVER_PER_ROUTE_HOUR: u32 = 1000;
/// What the server enforces per route template and client address, per day.
const SERVER_PER_ROUTE_DAY: u32 = 5000;

/// The default per-route hour quota: 90 % of the server's 1000, because the server counts by
/// client address and also counts what other tools on the same address send (the first 429 of
/// a live run came at this client's call 946).
const PER_ROUTE_HOUR: u32 = SERVER_PER_ROUTE_HOUR / 10 * 9;
/// The default per-route day quota: 90 % of the server's 5000, for the same reason.
const PER_ROUTE_DAY: u32 = SERVER_PER_ROUTE_DAY / 10 * 9;

/// Whether Speakr leaves a route out of its rate limits: every `GET` whose path contains
/// `/status` (`GET /recordings/{id}/status`, the polling route) and `POST …/batch-status`. The
/// client's only `/status` route is a `GET`, so the route alone decides.
fn exempt_route(route: &str) -> bool {
    route.contains("/status") || route.ends_with("batch-status")
}

/// Speakr's retry policy: the default one, except that a 429 naming no wait is reported at once.
/// Speakr's 429 never names one and means that a route's hour is spent, so a retry after a
/// second's backoff would only be refused again.
fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        retry_unhinted_rate_limits: false,
        ..RetryPolicy::default()
    }
}

/// A typed client for the Speakr REST API v1 of one self-hosted instance.
///
/// Cheap to clone (clones share the connection pool, retry budget and rate limiter). Reach each
/// resource through its handler: [`SpeakrClient::recordings`], [`SpeakrClient::tags`], …
///
/// ```no_run
/// # async fn run() -> Result<(), speakr_client::Error> {
/// let speakr = speakr_client::SpeakrClient::new("https://speakr.example.com", "my-token")?;
/// let me = speakr.users().me().await?;
/// println!("signed in as {}", me.username);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SpeakrClient {
    pub(crate) core: Client,
}

impl SpeakrClient {
    /// A client for the instance at `base_url` (for example `https://speakr.example.com`; the
    /// client adds `/api/v1`), sending `token` as `Authorization: Bearer`, with the documented
    /// rate limits ([`SpeakrClient::documented_rate_limits`]) and retries.
    pub fn new(base_url: impl AsRef<str>, token: impl Into<String>) -> Result<Self, Error> {
        SpeakrClient::builder(token)
            .base_url(base_url.as_ref())
            .build()
    }

    /// Configure a client sending `token`. Speakr is self-hosted, so the instance's
    /// [`base_url`](SpeakrClientBuilder::base_url) is required.
    pub fn builder(token: impl Into<String>) -> SpeakrClientBuilder {
        SpeakrClientBuilder {
            settings: VendorSettings::new(token, SpeakrClient::documented_rate_limits()),
            placement: TokenPlacement::default(),
        }
    }

    /// The client-side rate limits every builder starts from: the per-route-class table of
    /// Speakr's documentation and the per-route quotas the server actually enforces. A request
    /// waits until all that apply to it allow it; none of them ever lets a window of its period
    /// hold more than its quota.
    ///
    /// **The documented table** (the classes of [`rate_classes`]): stats 60/min, other GETs
    /// 100/min, PATCH/PUT/DELETE 30/min, processing 10/min and batch 10/min; an idle client may
    /// send a tenth of a quota at once, and no minute-long window ever holds more than the
    /// quota. `GET /recordings/{id}/status` and unclassified `POST`s (creates, upload) pay no
    /// class quota. The server observed in v0.9.4 does not enforce this table; the presets keep
    /// a client inside it anyway.
    ///
    /// **The enforced quotas** ([`RateLimits::per_route`]: the hour, then the day): the server
    /// (Flask-Limiter) allows 1000 requests per hour and 5000 per day **per route template** and
    /// client address: `/recordings/{id}/summary` is one bucket for every id, `/tags` another,
    /// and a client within the documented table can still spend a route's hour in ten minutes.
    /// Its 429 carries no `Retry-After` and means "this route's hour is spent", so the client
    /// keeps each route below it instead (and reports such a 429 at once as
    /// [`ErrorKind::RateLimited`] rather than retrying it: see [`SpeakrClientBuilder`]). The
    /// defaults stay 10 % below the server's limits, 900 per hour and 4500 per day, because the
    /// server counts every program on the same address. `GET` and `PUT` of one template share a
    /// bucket here, which errs on the safe side. Routes the server exempts (`…/status` polling,
    /// `…/batch-status`) pay no per-route quota.
    ///
    /// Per route, no hour-long window holds more than 900 calls to one route and no day-long
    /// window more than 4500, however the server aligns its windows. Within those bounds,
    /// bursts use what an idle client has not spent:
    /// - per hour, up to 300 calls to a route go at once (as fast as the table allows), then
    ///   601 an hour (one every 6 s): a fresh client makes 900 calls to one route in its first
    ///   hour;
    /// - per day, up to 2250 go at once, then 2251 a day: a long export makes about 2600 calls
    ///   to one route in its first four hours and then continues at about 94 an hour, so that
    ///   no day holds more than 4500.
    ///
    /// A response saying `X-RateLimit-Remaining: 0` also pauses requests until its reset.
    ///
    /// `with_class(name, None)` turns one class off, `with_per_route([])` the per-route quotas
    /// and [`RateLimits::off`] everything. Quotas of your own (for an instance configured with
    /// other limits) replace the preset's:
    ///
    /// ```
    /// use speakr_client::{rate_classes, Quota, SpeakrClient};
    /// // An instance whose administrator set 200 per hour: keep each route at 180, keep the
    /// // day, and drop the documented quota of `GET /stats`.
    /// let documented = SpeakrClient::documented_rate_limits();
    /// let day = documented.per_route()[1];
    /// let limits = documented
    ///     .with_per_route([Quota::per_hour(180).with_burst_within_quota(60), day])
    ///     .with_class(rate_classes::STATS, None);
    /// let builder = SpeakrClient::builder("my-token")
    ///     .base_url("https://speakr.example.com")
    ///     .rate_limits(limits);
    /// # let _ = builder;
    /// ```
    pub fn documented_rate_limits() -> RateLimits {
        let per_minute = |n| Quota::per_minute(n).with_tenth_burst();
        RateLimits::off()
            .with_class(rate_classes::STATS, per_minute(60))
            .with_class(rate_classes::GET, per_minute(100))
            .with_class(rate_classes::MODIFY, per_minute(30))
            .with_class(rate_classes::PROCESSING, per_minute(10))
            .with_class(rate_classes::BATCH, per_minute(10))
            .with_per_route([
                Quota::per_hour(PER_ROUTE_HOUR).with_burst_within_quota(PER_ROUTE_HOUR / 3),
                Quota::per_day(PER_ROUTE_DAY).with_burst_within_quota(PER_ROUTE_DAY / 2),
            ])
            .with_exempt_routes(exempt_route)
            .with_adapt_to_headers(true)
    }

    /// The underlying transport (base URL `…/api/v1/`), for endpoints this crate does not cover.
    pub fn core(&self) -> &Client {
        &self.core
    }

    /// `GET /stats`: usage statistics (see [`crate::stats`]).
    pub fn stats(&self) -> GetStats<'_> {
        GetStats::new(self)
    }

    /// The current user (see [`crate::users`]).
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }

    /// Recordings: upload, list, get, transcript, summary, notes, update, delete, audio, events
    /// (see [`crate::recordings`]).
    pub fn recordings(&self) -> Recordings<'_> {
        Recordings { client: self }
    }

    /// Tags, and tags on a recording (see [`crate::tags`]).
    pub fn tags(&self) -> Tags<'_> {
        Tags { client: self }
    }

    /// Speakers, and a recording's speakers (see [`crate::speakers`]).
    pub fn speakers(&self) -> Speakers<'_> {
        Speakers { client: self }
    }

    /// Transcribe, summarize and chat (see [`crate::processing`]).
    pub fn processing(&self) -> Processing<'_> {
        Processing { client: self }
    }

    /// Batch update, delete and transcribe (see [`crate::batch`]).
    pub fn batch(&self) -> Batch<'_> {
        Batch { client: self }
    }

    /// Folders (see [`crate::folders`]).
    pub fn folders(&self) -> Folders<'_> {
        Folders { client: self }
    }

    /// The transcription connector (see [`crate::transcription`]).
    pub fn transcription(&self) -> Transcription<'_> {
        Transcription { client: self }
    }

    /// User settings (see [`crate::settings`]).
    pub fn settings(&self) -> Settings<'_> {
        Settings { client: self }
    }

    /// Webhook management: CRUD, secret rotation, test, deliveries (see [`crate::webhooks_api`]).
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }
}

/// Configures a [`SpeakrClient`]: [`base_url`](Self::base_url) (required: the instance's
/// address; the client adds `/api/v1`), [`rate_limits`](Self::rate_limits),
/// [`without_rate_limits`](Self::without_rate_limits) and [`configure`](Self::configure) as
/// in every client of the family, and what is Speakr's own:
/// [`token_placement`](Self::token_placement), how the token travels.
///
/// A limiter set with `configure` replaces the one built from the rate limits; it is asked with
/// the classes of [`rate_classes`] and with the route template
/// ([`RateLimiter::acquire_route`](client_core::RateLimiter::acquire_route)), which it needs to
/// keep each route within the server's per-route quotas.
///
/// Speakr's 429 carries no `Retry-After` and means a route's hour is spent, so the default
/// policy is [`RetryPolicy::default`] with
/// [`retry_unhinted_rate_limits`](RetryPolicy::retry_unhinted_rate_limits) off: such a 429
/// fails at once with [`ErrorKind::RateLimited`] instead of being retried a second later. A
/// policy set with `configure` replaces that one; set the field to `false` in it to keep the
/// behaviour.
///
/// `Debug` never shows the token.
#[derive(Debug)]
pub struct SpeakrClientBuilder {
    settings: VendorSettings,
    placement: TokenPlacement,
}

impl SpeakrClientBuilder {
    vendor_builder_methods!(settings);

    /// How the token travels (default [`TokenPlacement::Bearer`]).
    pub fn token_placement(mut self, placement: TokenPlacement) -> Self {
        self.placement = placement;
        self
    }

    /// Build the client. Fails with `Config` without a base URL, on a bad one, and on an empty
    /// token or one that cannot be sent.
    pub fn build(self) -> Result<SpeakrClient, Error> {
        let placement = self.placement;
        let core = self.settings.build(&VENDOR, None, |base, token| {
            let auth = match placement {
                TokenPlacement::Bearer => Auth::bearer(token),
                TokenPlacement::Header => Auth::header("X-API-Token", token)?,
                TokenPlacement::ApiTokenHeader => Auth::header("API-Token", token)?,
                TokenPlacement::Query => Auth::query("token", token),
            };
            Ok(Client::builder(api_base(base)?)
                .auth(auth)
                .error_decoder(Arc::new(SpeakrErrorDecoder))
                .follow_redirects(false)
                .retry_policy(retry_policy()))
        })?;
        Ok(SpeakrClient { core })
    }
}

/// `https://host[/prefix]` → `https://host[/prefix]/api/v1` (kept when already there).
fn api_base(base: &str) -> Result<String, Error> {
    let trimmed = base.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Err(Error::new(ErrorKind::Config, "the base URL is empty"));
    }
    if trimmed.ends_with("/api/v1") {
        Ok(trimmed.to_owned())
    } else {
        Ok(format!("{trimmed}/api/v1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_base_is_added_once() {
        for (given, want) in [
            ("https://s.example.com", "https://s.example.com/api/v1"),
            ("https://s.example.com/", "https://s.example.com/api/v1"),
            (
                "https://s.example.com/api/v1/",
                "https://s.example.com/api/v1",
            ),
            ("http://h:8899/speakr", "http://h:8899/speakr/api/v1"),
        ] {
            assert_eq!(api_base(given).ok().as_deref(), Some(want));
        }
        assert!(api_base(" ").is_err());
    }

    #[test]
    fn the_token_never_shows_in_debug() {
        let builder = SpeakrClient::builder("tok-secret-123")
            .base_url("https://s.example.com")
            .token_placement(TokenPlacement::Header);
        assert!(!format!("{builder:?}").contains("tok-secret-123"));
        let client = builder.build();
        assert!(!format!("{client:?}").contains("tok-secret-123"));
    }

    #[test]
    fn client_keeps_the_api_base() {
        let c = SpeakrClient::new("https://s.example.com", "t");
        assert_eq!(
            c.ok().map(|c| c.core().base_url().to_string()).as_deref(),
            Some("https://s.example.com/api/v1/")
        );
        assert!(SpeakrClient::new("not a url", "t").is_err());
    }

    #[test]
    fn the_base_url_and_the_token_are_required() {
        let no_base = SpeakrClient::builder("t").build().unwrap_err();
        assert_eq!(no_base.kind(), ErrorKind::Config);
        assert!(no_base.to_string().contains("base_url"), "{no_base}");
        let blank_base = SpeakrClient::new(" ", "t").unwrap_err();
        assert_eq!(blank_base.kind(), ErrorKind::Config);
        let no_token = SpeakrClient::new("https://s.example.com", " ").unwrap_err();
        assert_eq!(no_token.kind(), ErrorKind::Config);
        assert!(
            no_token.to_string().contains("Speakr API token"),
            "{no_token}"
        );
    }

    #[test]
    fn the_documented_limits() {
        let limits = SpeakrClient::documented_rate_limits();
        let per_minute = |n| Some(Quota::per_minute(n).with_tenth_burst());
        assert_eq!(limits.class(rate_classes::STATS), per_minute(60));
        assert_eq!(limits.class(rate_classes::GET), per_minute(100));
        assert_eq!(limits.class(rate_classes::MODIFY), per_minute(30));
        assert_eq!(limits.class(rate_classes::PROCESSING), per_minute(10));
        assert_eq!(limits.class(rate_classes::BATCH), per_minute(10));
        assert_eq!(limits.overall_quota(), None);
        assert_eq!(
            limits.per_route(),
            [
                Quota::per_hour(900).with_burst_within_quota(300),
                Quota::per_day(4500).with_burst_within_quota(2250),
            ]
        );
        assert!(limits.adapts_to_headers());
        assert!(exempt_route("/recordings/{id}/status"));
        assert!(exempt_route("/recordings/batch-status"));
        assert!(!exempt_route("/recordings/{id}/summary"));
    }
}
