//! A [`DedupStore`] in Redis, shared by every replica of a receiver.
//!
//! Available with the crate feature `redis`.
//!
//! # Keys
//! One string key per delivery, `<prefix>:<key>` (the prefix defaults to `webhook-dedup`; the
//! key is what the receiver claims, such as `speakr:<delivery id>`). Its value is a random
//! claim token while claimed (expiring after the lease) or `done` once processed (expiring
//! after the TTL). No body, header or secret is ever stored.
//!
//! # Round trips
//! [`DedupStore::claim`] is one Lua script (one round trip, atomic: read, then claim when the
//! key is free); `complete` is one `SET`; `release` is one script that deletes the key only if
//! it still holds this claim's token.
//!
//! # When Redis is down or slow
//! Every call has a timeout (default 500 ms, connecting included). `claim` then fails with
//! [`Error::Store`]: answer the vendor 5xx so that it retries later; nothing is accepted
//! without the store, so a duplicate is never processed silently and no delivery is lost.
//! A `complete` that fails after the handler ran returns the error and is retried in the
//! background for up to one lease, so that a short outage does not let a retry of a
//! processed delivery through; meanwhile the key stays claimed and repeats get
//! [`Claim::InProgress`].
//!
//! Run Redis with persistence (`appendonly yes`) if a restart must not forget which
//! deliveries were processed: a Redis that restarts empty processes the retries that follow.
//!
//! # Client crate
//! `redis` (redis-rs) with its `ConnectionManager`: one multiplexed connection that reconnects
//! by itself, scripts sent by SHA and loaded again after a restart, only the features
//! `tokio-comp`, `connection-manager` and `script` (no TLS). The default build of this crate
//! has neither Redis nor Tokio.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{RedisError, Script};
use async_trait::async_trait;

use super::{Claim, Claimed, DedupStore, DEFAULT_LEASE};
use crate::Error;

/// Default timeout of one Redis call.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(500);

/// Default key prefix.
pub const DEFAULT_PREFIX: &str = "webhook-dedup";

/// Default time a processed key is remembered: three days, Healthie's retry horizon.
pub const DEFAULT_TTL: Duration = Duration::from_secs(3 * 24 * 3600);

/// The value of a processed key.
const DONE: &str = "done";

/// `KEYS[1]` the key, `ARGV[1]` the token, `ARGV[2]` the lease in ms. Returns `{1, 0}` when
/// claimed, `{2, 0}` when done, `{3, pttl}` when claimed by someone else.
const CLAIM: &str = r#"
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, 0}
end
if v == 'done' then return {2, 0} end
return {3, redis.call('PTTL', KEYS[1])}
"#;

/// `KEYS[1]` the key, `ARGV[1]` the token: delete the key if it holds the token.
const RELEASE: &str = r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"#;

/// A [`DedupStore`] in Redis: see the [module documentation](self). Available with the crate
/// feature `redis`.
///
/// ```no_run
/// # async fn run() -> Result<(), webhook_verify::Error> {
/// use std::time::Duration;
/// use webhook_verify::dedup::{redis::RedisDedup, Claim, DedupStore};
///
/// let store = RedisDedup::builder("redis://127.0.0.1:6379/")
///     .prefix("hooks")
///     .lease(Duration::from_secs(30))
///     .build()?;
/// match store.claim("speakr:d-1").await? {
///     Claim::Acquired(claimed) => {
///         // process the delivery, then:
///         store.complete(&claimed).await?;
///     }
///     Claim::Done => { /* answer 200 */ }
///     Claim::InProgress { .. } => { /* answer 503: the vendor retries */ }
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisDedup {
    inner: Arc<Inner>,
}

struct Inner {
    client: ::redis::Client,
    manager: Mutex<Option<ConnectionManager>>,
    prefix: String,
    ttl: Duration,
    lease: Duration,
    timeout: Duration,
    claim: Script,
    release: Script,
}

impl fmt::Debug for RedisDedup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL is left out: it may carry a password.
        f.debug_struct("RedisDedup")
            .field("prefix", &self.inner.prefix)
            .field("ttl", &self.inner.ttl)
            .field("lease", &self.inner.lease)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// Builds a [`RedisDedup`] (crate feature `redis`).
#[derive(Debug, Clone)]
pub struct RedisDedupBuilder {
    url: String,
    prefix: String,
    ttl: Duration,
    lease: Duration,
    timeout: Duration,
}

impl RedisDedupBuilder {
    /// The key prefix (default [`DEFAULT_PREFIX`]): receivers that share it share their keys.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long a processed key is remembered (default [`DEFAULT_TTL`]).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How long a claim lasts (default [`DEFAULT_LEASE`]): longer than a handler runs, short
    /// enough that the retry of a delivery whose receiver died is processed soon.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// The timeout of each Redis call (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The store. It connects on first use (inside a Tokio runtime) and reconnects by itself;
    /// only a malformed URL fails here.
    pub fn build(self) -> Result<RedisDedup, Error> {
        let client = ::redis::Client::open(self.url.as_str())
            .map_err(|e| Error::Store(format!("invalid Redis URL: {e}")))?;
        Ok(RedisDedup {
            inner: Arc::new(Inner {
                client,
                manager: Mutex::new(None),
                prefix: self.prefix,
                ttl: self.ttl.max(Duration::from_millis(1)),
                lease: self.lease.max(Duration::from_millis(1)),
                timeout: self.timeout,
                claim: Script::new(CLAIM),
                release: Script::new(RELEASE),
            }),
        })
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// A token no other claim shares: 128 random bits and the process id.
fn new_token() -> String {
    format!(
        "{:016x}{:016x}-{}",
        fastrand::u64(..),
        fastrand::u64(..),
        std::process::id()
    )
}

impl RedisDedup {
    /// Start building a store on the Redis at `url` (`redis://[:password@]host:port/db`).
    pub fn builder(url: impl Into<String>) -> RedisDedupBuilder {
        RedisDedupBuilder {
            url: url.into(),
            prefix: DEFAULT_PREFIX.to_owned(),
            ttl: DEFAULT_TTL,
            lease: DEFAULT_LEASE,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The Redis key that holds `key`.
    pub fn redis_key(&self, key: &str) -> String {
        format!("{}:{key}", self.inner.prefix)
    }

    /// The manager, made on first use (it needs a running Tokio runtime).
    fn manager(&self) -> Result<ConnectionManager, RedisError> {
        let inner = &self.inner;
        let mut guard = inner.manager.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(manager) = &*guard {
            return Ok(manager.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(inner.timeout))
            .set_response_timeout(Some(inner.timeout))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_secs(1));
        let manager = ConnectionManager::new_lazy_with_config(inner.client.clone(), config)?;
        *guard = Some(manager.clone());
        Ok(manager)
    }

    /// Run one call with the timeout; every failure is an [`Error::Store`].
    async fn call<T, F, Fut>(&self, what: &str, f: F) -> Result<T, Error>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = Result<T, RedisError>>,
    {
        let manager = self
            .manager()
            .map_err(|e| Error::Store(format!("redis {what}: {e}")))?;
        match tokio::time::timeout(self.inner.timeout, f(manager)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(Error::Store(format!("redis {what}: {e}"))),
            Err(_) => Err(Error::Store(format!(
                "redis {what}: no answer within {} ms",
                self.inner.timeout.as_millis()
            ))),
        }
    }

    async fn mark_done(&self, key: String) -> Result<(), Error> {
        let ttl = millis(self.inner.ttl);
        self.call("complete", |mut conn| async move {
            ::redis::cmd("SET")
                .arg(key)
                .arg(DONE)
                .arg("PX")
                .arg(ttl)
                .query_async::<()>(&mut conn)
                .await
        })
        .await
    }
}

#[async_trait]
impl DedupStore for RedisDedup {
    async fn claim(&self, key: &str) -> Result<Claim, Error> {
        let token = new_token();
        let redis_key = self.redis_key(key);
        let lease = millis(self.inner.lease);
        let script = &self.inner.claim;
        let sent = token.clone();
        let (state, pttl): (i64, i64) = self
            .call("claim", |mut conn| async move {
                script
                    .key(redis_key)
                    .arg(sent)
                    .arg(lease)
                    .invoke_async(&mut conn)
                    .await
            })
            .await?;
        Ok(match state {
            1 => Claim::Acquired(Claimed::new(key, token)),
            2 => Claim::Done,
            _ => Claim::InProgress {
                retry_after: u64::try_from(pttl).ok().map(Duration::from_millis),
            },
        })
    }

    async fn complete(&self, claimed: &Claimed) -> Result<(), Error> {
        let key = self.redis_key(claimed.key());
        let Err(error) = self.mark_done(key.clone()).await else {
            return Ok(());
        };
        // Keep trying while the claim still protects the key; without a runtime, give up.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let this = self.clone();
            runtime.spawn(async move {
                let deadline = tokio::time::Instant::now() + this.inner.lease;
                while tokio::time::Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    if this.mark_done(key.clone()).await.is_ok() {
                        return;
                    }
                }
            });
        }
        Err(error)
    }

    async fn release(&self, claimed: &Claimed) -> Result<(), Error> {
        let redis_key = self.redis_key(claimed.key());
        let token = claimed.token().to_owned();
        let script = &self.inner.release;
        self.call("release", |mut conn| async move {
            script
                .key(redis_key)
                .arg(token)
                .invoke_async::<i64>(&mut conn)
                .await
        })
        .await
        .map(|_| ())
    }
}
