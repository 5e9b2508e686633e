//! [`SpeakrClient`] and its builder: the instance's base URL, the API token in any of the four
//! forms Speakr accepts, retries, and the rate limits: the documented per-route-class table and
//! the per-route hour and day quotas the server enforces.

use std::sync::Arc;

use client_core::clock::{Clock, TokioClock};
use client_core::{
    Auth, Client, ClientBuilder, Configure, Error, ErrorKind, GcraLimiter, Quota, RateLimiter,
    RetryPolicy, Unlimited,
};

use crate::batch::Batch;
use crate::error::SpeakrErrorDecoder;
use crate::folders::Folders;
use crate::processing::Processing;
use crate::recordings::Recordings;
use crate::settings::Settings;
use crate::speakers::Speakers;
use crate::stats::GetStats;
use crate::tags::Tags;
use crate::transcription::Transcription;
use crate::users::Users;
use crate::webhooks_api::Webhooks;

/// The rate-limit classes of Speakr's documented quotas. Every request names its class.
pub(crate) mod class {
    /// `GET /stats`.
    pub const STATS: &str = "stats";
    /// Other `GET` endpoints.
    pub const GET: &str = "get";
    /// `PATCH`, `PUT` and `DELETE` endpoints.
    pub const MODIFY: &str = "modify";
    /// Transcription, summarization, chat and the other LLM-backed operations.
    pub const PROCESSING: &str = "processing";
    /// `/recordings/batch…`.
    pub const BATCH: &str = "batch";
}

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

/// The client-side rate limits: the per-route-class table of Speakr's documentation and the
/// per-route quotas the server actually enforces. A request waits until all that apply to it
/// allow it; none of them ever lets a window of its period hold more than its quota.
///
/// **The documented table** (fields `stats` … `batch`): stats 60/min, other GETs 100/min,
/// PATCH/PUT/DELETE 30/min, processing 10/min and batch 10/min. `GET /recordings/{id}/status`
/// and unclassified `POST`s (creates, upload) pay no class quota. The server observed in v0.9.4
/// does not enforce this table; the presets keep a client inside it anyway.
///
/// **The enforced quotas** (fields `per_route_hour` and `per_route_day`): the server
/// (Flask-Limiter) allows 1000 requests per hour and 5000 per day **per route template** and
/// client address: `/recordings/{id}/summary` is one bucket for every id, `/tags` another, and
/// a client within the documented table can still spend a route's hour in ten minutes. Its 429
/// carries no `Retry-After` and means "this route's hour is spent", so the client keeps each
/// route below it instead (and reports such a 429 at once as [`ErrorKind::RateLimited`] rather
/// than retrying it: see [`SpeakrClientBuilder::configure`]). The defaults stay 10 % below the
/// server's limits, 900 per hour and 4500 per day, because the server counts every program on
/// the same address. `GET` and `PUT` of one template share a bucket here, which errs on the
/// safe side. Routes the server exempts (`…/status` polling, `…/batch-status`) pay no
/// per-route quota.
///
/// `None` turns one limit off; [`RateLimits::off`] turns all of them off. A quota of your own
/// (for an instance configured with other limits) goes in the field:
///
/// ```
/// use speakr_client::{Quota, RateLimits};
/// // An instance whose administrator set 200 per hour: keep each route at 180.
/// let limits = RateLimits {
///     per_route_hour: Some(Quota::per_hour(180).with_burst_within_quota(60)),
///     ..RateLimits::documented()
/// };
/// # let _ = limits;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// `GET /stats`.
    pub stats: Option<Quota>,
    /// Other `GET` endpoints.
    pub get: Option<Quota>,
    /// `PATCH`, `PUT` and `DELETE` endpoints.
    pub modify: Option<Quota>,
    /// Transcribe, summarize, chat, title regeneration and speaker identification.
    pub processing: Option<Quota>,
    /// Batch update, delete and transcribe.
    pub batch: Option<Quota>,
    /// Each route template's own quota per hour (the server enforces 1000). Default: 900 per
    /// hour, of which up to 300 may go at once after an idle spell (see
    /// [`RateLimits::documented`]).
    pub per_route_hour: Option<Quota>,
    /// Each route template's own quota per day (the server enforces 5000). Default: 4500 per
    /// day, of which up to 2250 may go at once.
    pub per_route_day: Option<Quota>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits::documented()
    }
}

impl RateLimits {
    /// The documented table and the enforced per-route quotas (the default).
    ///
    /// The table: stats 60/min, other GETs 100/min, PATCH/PUT/DELETE 30/min, processing
    /// 10/min, batch 10/min; an idle client may send a tenth of a quota at once, and no
    /// minute-long window ever holds more than the quota.
    ///
    /// Per route: 900 per hour and 4500 per day, so that no hour-long window holds more than
    /// 900 calls to one route and no day-long window more than 4500, however the server aligns
    /// its windows. Within those bounds, bursts use what an idle client has not spent:
    /// - per hour, up to 300 calls to a route go at once (as fast as the table allows), then
    ///   601 an hour (one every 6 s): a fresh client makes 900 calls to one route in its first
    ///   hour;
    /// - per day, up to 2250 go at once, then 2251 a day: a long export makes about 2600 calls
    ///   to one route in its first four hours and then continues at about 94 an hour, so that
    ///   no day holds more than 4500.
    pub fn documented() -> Self {
        let per_minute = |n| Some(Quota::per_minute(n).with_tenth_burst());
        RateLimits {
            stats: per_minute(60),
            get: per_minute(100),
            modify: per_minute(30),
            processing: per_minute(10),
            batch: per_minute(10),
            per_route_hour: Some(
                Quota::per_hour(PER_ROUTE_HOUR).with_burst_within_quota(PER_ROUTE_HOUR / 3),
            ),
            per_route_day: Some(
                Quota::per_day(PER_ROUTE_DAY).with_burst_within_quota(PER_ROUTE_DAY / 2),
            ),
        }
    }

    /// No client-side limit at all.
    pub fn off() -> Self {
        RateLimits {
            stats: None,
            get: None,
            modify: None,
            processing: None,
            batch: None,
            per_route_hour: None,
            per_route_day: None,
        }
    }

    /// A limiter enforcing these quotas.
    pub fn limiter(&self) -> Arc<dyn RateLimiter> {
        self.limiter_with_clock(Arc::new(TokioClock))
    }

    /// A limiter enforcing these quotas on another clock (tests and simulations: a fake clock
    /// lets a test run a day of traffic in a moment).
    pub fn limiter_with_clock(&self, clock: Arc<dyn Clock>) -> Arc<dyn RateLimiter> {
        let classes = [
            (class::STATS, self.stats),
            (class::GET, self.get),
            (class::MODIFY, self.modify),
            (class::PROCESSING, self.processing),
            (class::BATCH, self.batch),
        ];
        let per_route = [self.per_route_hour, self.per_route_day];
        if classes.iter().all(|(_, q)| q.is_none()) && per_route.iter().all(Option::is_none) {
            return Arc::new(Unlimited);
        }
        let builder = classes
            .into_iter()
            .filter_map(|(name, quota)| quota.map(|q| (name, q)))
            .fold(GcraLimiter::builder(), |b, (name, q)| b.class(name, q));
        let builder = per_route
            .into_iter()
            .flatten()
            .fold(builder, |b, q| b.per_route(q))
            .exempt_routes(exempt_route)
            .clock(clock);
        Arc::new(builder.build())
    }
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
    /// client adds `/api/v1`), sending `token` as `Authorization: Bearer`, with the default
    /// [`RateLimits`] and retries.
    pub fn new(base_url: impl AsRef<str>, token: impl Into<String>) -> Result<Self, Error> {
        SpeakrClient::builder(base_url).token(token).build()
    }

    /// Configure a client for the instance at `base_url`.
    pub fn builder(base_url: impl AsRef<str>) -> SpeakrClientBuilder {
        SpeakrClientBuilder::new(base_url.as_ref())
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

/// Configures a [`SpeakrClient`].
pub struct SpeakrClientBuilder {
    base_url: String,
    token: Option<(String, TokenPlacement)>,
    configure: Configure,
    limits: RateLimits,
}

impl std::fmt::Debug for SpeakrClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpeakrClientBuilder")
            .field("base_url", &self.base_url)
            .field(
                "token",
                &self.token.as_ref().map(|(_, placement)| placement),
            )
            .field("limits", &self.limits)
            .field("configure", &self.configure)
            .finish()
    }
}

impl SpeakrClientBuilder {
    fn new(base_url: &str) -> Self {
        SpeakrClientBuilder {
            base_url: base_url.to_owned(),
            token: None,
            configure: Configure::default(),
            limits: RateLimits::documented(),
        }
    }

    /// The API token, sent as `Authorization: Bearer <token>`.
    pub fn token(self, token: impl Into<String>) -> Self {
        self.token_in(token, TokenPlacement::Bearer)
    }

    /// The API token, sent the way `placement` says.
    pub fn token_in(mut self, token: impl Into<String>, placement: TokenPlacement) -> Self {
        self.token = Some((token.into(), placement));
        self
    }

    /// Adjust the transport: timeouts, retry policy and budget, rate limiter, HTTP client (see
    /// [`client_core::ClientBuilder`]). Applied after Speakr's defaults, so it overrides them.
    ///
    /// A limiter set here replaces the one built from [`RateLimits`]; it is asked with the
    /// classes `stats`, `get`, `modify`, `processing` and `batch` and with the route template
    /// ([`RateLimiter::acquire_route`]), which it needs to keep each route within the server's
    /// per-route quotas.
    ///
    /// Speakr's 429 carries no `Retry-After` and means a route's hour is spent, so the default
    /// policy is [`RetryPolicy::default`] with
    /// [`retry_unhinted_rate_limits`](RetryPolicy::retry_unhinted_rate_limits) off: such a 429
    /// fails at once with [`ErrorKind::RateLimited`] instead of being retried a second later.
    /// A policy set here replaces that one; set the field to `false` in it to keep the
    /// behaviour.
    pub fn configure(
        mut self,
        adjust: impl FnOnce(ClientBuilder) -> ClientBuilder + Send + 'static,
    ) -> Self {
        self.configure = self.configure.then(adjust);
        self
    }

    /// The client-side quotas, per class and per route (default [`RateLimits::documented`]).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Turn client-side rate limiting off.
    pub fn without_rate_limits(self) -> Self {
        self.rate_limits(RateLimits::off())
    }

    /// Build the client. Fails with `Config` on a bad base URL or a token that cannot be sent.
    pub fn build(self) -> Result<SpeakrClient, Error> {
        let api = api_base(&self.base_url)?;
        let auth = match self.token {
            None => Auth::None,
            Some((token, TokenPlacement::Bearer)) => Auth::bearer(token),
            Some((token, TokenPlacement::Header)) => Auth::header("X-API-Token", token)?,
            Some((token, TokenPlacement::ApiTokenHeader)) => Auth::header("API-Token", token)?,
            Some((token, TokenPlacement::Query)) => Auth::query("token", token),
        };
        let builder = Client::builder(api)
            .auth(auth)
            .vendor("speakr")
            .user_agent(concat!("speakr-client/", env!("CARGO_PKG_VERSION")))
            .error_decoder(Arc::new(SpeakrErrorDecoder))
            .follow_redirects(false)
            .retry_policy(retry_policy())
            .rate_limiter(self.limits.limiter());
        Ok(SpeakrClient {
            core: self.configure.apply(builder).build()?,
        })
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
        let builder = SpeakrClient::builder("https://s.example.com").token("tok-secret-123");
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
}
