//! [`HealthieClient`] and its builder: the environment (or a base URL), the API key, the API
//! version and shard, the client-side rate limits, and transport adjustments, the shared
//! parts through `client_core`'s [`VendorSettings`].

use std::fmt;
use std::sync::Arc;

use client_core::{Auth, Client, Error, ErrorKind, Quota, RateLimits, Vendor, VendorSettings};

use crate::appointments::Appointments;
use crate::error::HealthieErrorDecoder;
use crate::sent_webhooks::SentWebhooks;
use crate::transcripts::Transcripts;
use crate::webhooks_api::Webhooks;

/// Production: `https://api.gethealthie.com/graphql`.
pub const PRODUCTION_ENDPOINT: &str = "https://api.gethealthie.com/graphql";
/// Staging (the sandbox, with its own data and ids): `https://staging-api.gethealthie.com/graphql`.
pub const STAGING_ENDPOINT: &str = "https://staging-api.gethealthie.com/graphql";

/// The default client-side limit: 5 requests per second, spread evenly. Healthie publishes no
/// fixed quota, and bursts of a few dozen rapid requests have locked keys out for 30 to 60
/// minutes, so the default stays conservative.
pub const DEFAULT_REQUESTS_PER_SECOND: u32 = 5;

/// What the shared builder plumbing needs to know about Healthie.
const VENDOR: Vendor = Vendor {
    name: "healthie",
    credential: "Healthie API key",
    user_agent: concat!("healthie-client/", env!("CARGO_PKG_VERSION")),
};

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
    /// The GraphQL endpoint of this environment (the client's default base URL).
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
    /// issued, not base64-encoded), with API version `2026-01-01` and the documented rate
    /// limits ([`HealthieClient::documented_rate_limits`]).
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        HealthieClient::builder(api_key).build()
    }

    /// Configure a client for `api_key`.
    pub fn builder(api_key: impl Into<String>) -> HealthieClientBuilder {
        HealthieClientBuilder {
            settings: VendorSettings::new(api_key, HealthieClient::documented_rate_limits()),
            environment: Environment::default(),
            version: ApiVersion::default(),
            shard: None,
        }
    }

    /// The client-side rate limits a new builder starts from: 5 requests per second overall,
    /// spread evenly ([`DEFAULT_REQUESTS_PER_SECOND`]), and a pause until the reset whenever
    /// a response says `X-RateLimit-Remaining: 0`. Healthie publishes no fixed quota, and
    /// bursts of a few dozen rapid requests have locked keys out for 30 to 60 minutes, so
    /// the limit stays conservative. Healthie's `TOO_MANY_REQUESTS` is retried with backoff
    /// for queries whatever the limits.
    pub fn documented_rate_limits() -> RateLimits {
        RateLimits::overall(Quota::per_second(DEFAULT_REQUESTS_PER_SECOND))
            .with_adapt_to_headers(true)
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
///
/// Shared with every client of the workspace: `base_url` (a GraphQL endpoint to call instead
/// of the environment's, such as a proxy or `http://127.0.0.1:8080/graphql`), `rate_limits`,
/// `without_rate_limits` and `configure`. Healthie's own: [`environment`](Self::environment),
/// which chooses the default base URL (the environment's GraphQL endpoint),
/// [`api_version`](Self::api_version) and [`shard`](Self::shard). `Debug` never shows the key.
#[derive(Debug)]
pub struct HealthieClientBuilder {
    settings: VendorSettings,
    environment: Environment,
    version: ApiVersion,
    shard: Option<String>,
}

impl HealthieClientBuilder {
    client_core::vendor_builder_methods!(settings);

    /// Call `environment`'s GraphQL endpoint (default production). A `base_url` set on the
    /// builder takes precedence.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
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

    /// Build the client. Fails with `Config` on an empty key, a base URL that does not parse,
    /// or a key or shard that cannot be a header value.
    pub fn build(self) -> Result<HealthieClient, Error> {
        if let Some(shard) = &self.shard {
            http::HeaderValue::from_str(shard)
                .map_err(|_| Error::new(ErrorKind::Config, "invalid AuthorizationShard value"))?;
        }
        let core = self.settings.build(
            &VENDOR,
            Some(self.environment.endpoint()),
            |base_url, key| {
                Ok(Client::builder(base_url)
                    .auth(Auth::authorization(format!("Basic {key}")))
                    .error_decoder(Arc::new(HealthieErrorDecoder)))
            },
        )?;
        Ok(HealthieClient {
            core,
            inner: Arc::new(Settings {
                version: self.version,
                shard: self.shard,
            }),
        })
    }
}
