//! [`SpeakrClient`] and its builder: the instance's base URL, the API token in any of the four
//! forms Speakr accepts, retries and the documented per-route-class rate limits.

use std::sync::Arc;

use client_core::{
    Auth, Client, ClientBuilder, Configure, Error, ErrorKind, GcraLimiter, Quota, RateLimiter,
    Unlimited,
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

/// The client-side quota for each route class, as documented by Speakr: stats 60/min,
/// other GETs 100/min, PATCH/PUT/DELETE 30/min, processing 10/min and batch 10/min.
///
/// `GET /recordings/{id}/status` and unclassified `POST`s (creates, upload) pay no class quota,
/// matching the server, which exempts status polling. `None` turns a class's limit off.
///
/// Note: the server observed in v0.9.4 does not enforce this table (it applies 1000 requests per
/// hour per route); the presets keep a client inside the documented quota anyway.
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
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits::documented()
    }
}

impl RateLimits {
    /// The documented quotas (the default): stats 60/min, other GETs 100/min, PATCH/PUT/DELETE
    /// 30/min, processing 10/min, batch 10/min. An idle client may send a tenth of a quota at
    /// once; no minute-long window ever holds more than the quota.
    pub fn documented() -> Self {
        let per_minute = |n| Some(Quota::per_minute(n).with_tenth_burst());
        RateLimits {
            stats: per_minute(60),
            get: per_minute(100),
            modify: per_minute(30),
            processing: per_minute(10),
            batch: per_minute(10),
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
        }
    }

    /// A limiter enforcing these quotas.
    pub fn limiter(&self) -> Arc<dyn RateLimiter> {
        let classes = [
            (class::STATS, self.stats),
            (class::GET, self.get),
            (class::MODIFY, self.modify),
            (class::PROCESSING, self.processing),
            (class::BATCH, self.batch),
        ];
        if classes.iter().all(|(_, q)| q.is_none()) {
            return Arc::new(Unlimited);
        }
        let builder = classes
            .into_iter()
            .filter_map(|(name, quota)| quota.map(|q| (name, q)))
            .fold(GcraLimiter::builder(), |b, (name, q)| b.class(name, q));
        Arc::new(builder.build())
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
    /// rate limits and default retries.
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
    /// [`client_core::ClientBuilder`]). Applied after Speakr's defaults, so it overrides them;
    /// a limiter set here replaces the one built from [`RateLimits`] (it is asked with the
    /// classes `stats`, `get`, `modify`, `processing` and `batch`). Speakr's 429 carries no
    /// `Retry-After`, so the retry policy's backoff decides the wait.
    pub fn configure(
        mut self,
        adjust: impl FnOnce(ClientBuilder) -> ClientBuilder + Send + 'static,
    ) -> Self {
        self.configure = self.configure.then(adjust);
        self
    }

    /// The per-class quotas (default [`RateLimits::documented`]).
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
