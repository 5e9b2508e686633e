//! [`HealthieClient`] and its builder: the environment or endpoint, the API key, the API
//! version, the client-side rate limit, and transport adjustments through `client_core`'s
//! [`Configure`].

use std::fmt;
use std::sync::Arc;

use client_core::{
    Auth, Client, ClientBuilder, Configure, Error, ErrorKind, GcraLimiter, Quota, Unlimited,
};

use crate::appointments::Appointments;
use crate::error::HealthieErrorDecoder;
use crate::sent_webhooks::SentWebhooks;
use crate::transcripts::Transcripts;
use crate::webhook_management::Webhooks;

/// Production: `https://api.gethealthie.com/graphql`.
pub const PRODUCTION_ENDPOINT: &str = "https://api.gethealthie.com/graphql";
/// Staging (the sandbox, with its own data and ids): `https://staging-api.gethealthie.com/graphql`.
pub const STAGING_ENDPOINT: &str = "https://staging-api.gethealthie.com/graphql";

/// The default client-side limit: 5 requests per second, spread evenly. Healthie publishes no
/// fixed quota, and bursts of a few dozen rapid requests have locked keys out for 30 to 60
/// minutes, so the default stays conservative.
pub const DEFAULT_REQUESTS_PER_SECOND: u32 = 5;

/// Which Healthie environment to call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Environment {
    /// `https://api.gethealthie.com/graphql` (the default).
    #[default]
    Production,
    /// `https://staging-api.gethealthie.com/graphql`: the sandbox (separate data; no Zoom,
    /// faxing or labs).
    Staging,
}

impl Environment {
    /// The GraphQL endpoint of this environment.
    pub fn endpoint(self) -> &'static str {
        match self {
            Environment::Production => PRODUCTION_ENDPOINT,
            Environment::Staging => STAGING_ENDPOINT,
        }
    }
}

/// The API version sent as `Healthie-GraphQL-API-Version`.
///
/// The shapes differ: from `2026-01-01` collections are connections (`first`/`after`,
/// `page_info`) and event types are GraphQL enums; the unversioned baseline (`2024-06-01`)
/// returns plain lists paged by `offset`/`page_size` and has no transcripts. The crate keeps
/// one set of documents per shape and sends the one that matches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ApiVersion {
    /// `2026-01-01`, the default: the newest documented reference.
    #[default]
    V2026_01_01,
    /// A later dated version (`YYYY-MM-DD`) sent with the `2026-01-01` documents; use it once
    /// Healthie documents that version as compatible (its changelog lists breaking changes).
    Dated(String),
    /// No version header: Healthie's baseline schema. Healthie warns about it from 2026-07-01
    /// and rejects it from 2027-01-31.
    Unversioned,
}

impl ApiVersion {
    /// The default version's header value.
    pub const DEFAULT: &'static str = "2026-01-01";

    /// A dated version, checked to be a `YYYY-MM-DD` date (Healthie rejects anything else).
    pub fn dated(date: impl Into<String>) -> Result<Self, Error> {
        let date = date.into();
        let bytes = date.as_bytes();
        let shaped = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shaped {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("API version `{date}` is not a YYYY-MM-DD date"),
            ));
        }
        Ok(if date == Self::DEFAULT {
            ApiVersion::V2026_01_01
        } else {
            ApiVersion::Dated(date)
        })
    }

    /// The `Healthie-GraphQL-API-Version` value, `None` for the baseline.
    pub fn header_value(&self) -> Option<&str> {
        match self {
            ApiVersion::V2026_01_01 => Some(Self::DEFAULT),
            ApiVersion::Dated(date) => Some(date),
            ApiVersion::Unversioned => None,
        }
    }

    /// Which document shape this version takes.
    pub fn schema(&self) -> Schema {
        match self {
            ApiVersion::Unversioned => Schema::Baseline,
            _ => Schema::Connections,
        }
    }
}

/// The two schema shapes the crate has documents for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schema {
    /// `2026-01-01` and later: connections, enums, transcripts.
    Connections,
    /// The unversioned baseline: lists with `offset`/`page_size`, strings for event types.
    Baseline,
}

/// A typed client for Healthie's GraphQL API.
///
/// Cheap to clone (clones share the connection pool, retry budget and rate limiter). Every
/// call is a `POST` of one GraphQL document to the endpoint; each method's documentation
/// names the operation it sends. Queries are retried like `GET`s; mutations are never
/// repeated once they may have reached the server.
///
/// ```no_run
/// # async fn run() -> Result<(), client_core::Error> {
/// let healthie = healthie_client::HealthieClient::new(std::env::var("HEALTHIE_API_KEY").unwrap_or_default())?;
/// let appointment = healthie.appointments().get("123").send().await?;
/// println!("{} with {:?}", appointment.id, appointment.provider.map(|p| p.full_name));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HealthieClient {
    pub(crate) core: Client,
    pub(crate) inner: Arc<Settings>,
}

/// What every request carries besides auth.
pub(crate) struct Settings {
    pub(crate) version: ApiVersion,
    pub(crate) shard: Option<String>,
}

impl fmt::Debug for HealthieClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HealthieClient")
            .field("core", &self.core)
            .field("version", &self.inner.version)
            .field("shard", &self.inner.shard)
            .finish()
    }
}

impl HealthieClient {
    /// A production client sending `api_key` as `Authorization: Basic <api_key>` (the key as
    /// issued, not base64-encoded), with API version `2026-01-01` and the default 5 requests/s.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        HealthieClient::builder(api_key).build()
    }

    /// Configure a client for `api_key`.
    pub fn builder(api_key: impl Into<String>) -> HealthieClientBuilder {
        HealthieClientBuilder {
            api_key: api_key.into(),
            endpoint: PRODUCTION_ENDPOINT.to_owned(),
            version: ApiVersion::default(),
            shard: None,
            rate_limit: Some(Quota::per_second(DEFAULT_REQUESTS_PER_SECOND)),
            configure: Configure::default(),
        }
    }

    /// The API version this client sends.
    pub fn api_version(&self) -> &ApiVersion {
        &self.inner.version
    }

    /// The underlying transport (its base URL is the GraphQL endpoint).
    pub fn core(&self) -> &Client {
        &self.core
    }

    /// Appointments: `appointment(id)` and the `appointments` collection.
    pub fn appointments(&self) -> Appointments<'_> {
        Appointments { client: self }
    }

    /// Transcripts: the VTT behind an expiring URL, and `deleteTranscript`.
    pub fn transcripts(&self) -> Transcripts<'_> {
        Transcripts { client: self }
    }

    /// Webhook subscriptions: `webhooks`, `createWebhook`, `updateWebhook`, `deleteWebhook`,
    /// `sendTestWebhook`, `expireWebhookSignature`.
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }

    /// The delivery log: `sentWebhooks`.
    pub fn sent_webhooks(&self) -> SentWebhooks<'_> {
        SentWebhooks { client: self }
    }
}

/// Configures a [`HealthieClient`].
pub struct HealthieClientBuilder {
    api_key: String,
    endpoint: String,
    version: ApiVersion,
    shard: Option<String>,
    rate_limit: Option<Quota>,
    configure: Configure,
}

impl fmt::Debug for HealthieClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HealthieClientBuilder")
            .field("api_key", &"<redacted>")
            .field("endpoint", &self.endpoint)
            .field("version", &self.version)
            .field("shard", &self.shard)
            .field("rate_limit", &self.rate_limit)
            .field("configure", &self.configure)
            .finish()
    }
}

impl HealthieClientBuilder {
    /// Call `environment`'s endpoint (default production).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.endpoint = environment.endpoint().to_owned();
        self
    }

    /// Call this GraphQL endpoint instead (a proxy or a test server), for example
    /// `http://127.0.0.1:8080/graphql`.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// The API version (default `2026-01-01`).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Send `AuthorizationShard: <shard>`, for tenants Healthie has placed on a shard.
    pub fn shard(mut self, shard: impl Into<String>) -> Self {
        self.shard = Some(shard.into());
        self
    }

    /// The client-side rate limit (default 5 requests per second, spread evenly).
    pub fn rate_limit(mut self, quota: Quota) -> Self {
        self.rate_limit = Some(quota);
        self
    }

    /// No client-side rate limit (Healthie's `TOO_MANY_REQUESTS` is still retried with
    /// backoff for queries).
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// Adjust the transport: timeouts, retry policy and budget, rate limiter, clock, HTTP client
    /// (see [`client_core::ClientBuilder`]). Applied after Healthie's defaults, so it overrides
    /// them.
    pub fn configure(
        mut self,
        adjust: impl FnOnce(ClientBuilder) -> ClientBuilder + Send + 'static,
    ) -> Self {
        self.configure = self.configure.then(adjust);
        self
    }

    /// Build the client. Fails on an empty key, a bad endpoint or a key or shard that cannot
    /// be a header value.
    pub fn build(self) -> Result<HealthieClient, Error> {
        let key = self.api_key.trim();
        if key.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                "the Healthie API key is empty",
            ));
        }
        if let Some(shard) = &self.shard {
            http::HeaderValue::from_str(shard)
                .map_err(|_| Error::new(ErrorKind::Config, "invalid AuthorizationShard value"))?;
        }
        let limiter: Arc<dyn client_core::RateLimiter> = match self.rate_limit {
            Some(quota) => Arc::new(GcraLimiter::overall(quota)),
            None => Arc::new(Unlimited),
        };
        let builder = Client::builder(&self.endpoint)
            .vendor("healthie")
            .user_agent(concat!("healthie-client/", env!("CARGO_PKG_VERSION")))
            .auth(Auth::authorization(format!("Basic {key}")))
            .error_decoder(Arc::new(HealthieErrorDecoder))
            .rate_limiter(limiter);
        let core = self.configure.apply(builder).build()?;
        Ok(HealthieClient {
            core,
            inner: Arc::new(Settings {
                version: self.version,
                shard: self.shard,
            }),
        })
    }
}
