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
//! it still holds this claim's token. [`RedisDedup::complete_later`] sends no call of its own:
//! the completion rides along with the next `claim` (a delivery then costs one round trip
//! under load); see there for what that changes. A claim script then names several keys: behind
//! a Redis Cluster proxy, give the prefix a hash tag (`{hooks}`) so that they share a slot.
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

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
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
/// claimed, `{2, 0}` when done, `{3, pttl}` when claimed by someone else. Any further keys
/// are completions carried along ([`RedisDedup::complete_later`]): each is set to `done` for
/// `ARGV[3]` ms first.
const CLAIM: &str = r#"
for i = 2, #KEYS do redis.call('SET', KEYS[i], 'done', 'PX', ARGV[3]) end
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, 0}
end
if v == 'done' then return {2, 0} end
return {3, redis.call('PTTL', KEYS[1])}
"#;

/// Every key set to `done` for `ARGV[1]` ms: the completions no claim carried.
const COMPLETE: &str = r#"
for i = 1, #KEYS do redis.call('SET', KEYS[i], 'done', 'PX', ARGV[1]) end
return #KEYS
"#;

/// Most completions sent in one call.
const MAX_BATCH: usize = 64;

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
    complete: Script,
    /// Completions of [`RedisDedup::complete_later`] not sent yet.
    pending: Mutex<Pending>,
}

/// Completions waiting to be sent.
#[derive(Default)]
struct Pending {
    waiting: VecDeque<Waiting>,
    /// Whether a task is waiting to send the due ones.
    sender: bool,
}

/// Completions taken out of the queue for one call. Unless [`Carried::sent`] says the call
/// succeeded, they go back into the queue when this is dropped: after a failed call, and when
/// the call's future is dropped half-way (the client of a receiver hanging up, for instance),
/// so that no completion is lost with it.
struct Carried<'a> {
    store: &'a RedisDedup,
    waiting: Vec<Waiting>,
}

impl<'a> Carried<'a> {
    /// See [`RedisDedup::take_waiting`].
    fn take(store: &'a RedisDedup, due: Option<tokio::time::Instant>) -> Self {
        Carried {
            store,
            waiting: store.take_waiting(due),
        }
    }

    /// Redis has them.
    fn sent(mut self) {
        self.waiting.clear();
    }
}

impl Drop for Carried<'_> {
    fn drop(&mut self) {
        if !self.waiting.is_empty() {
            self.store.requeue(std::mem::take(&mut self.waiting));
        }
    }
}

/// A Redis key to set `done`.
struct Waiting {
    key: String,
    /// When to send it without waiting for a claim.
    due: tokio::time::Instant,
    /// When to drop it: its claim's lease has run out, as `complete`'s retries give up.
    expires: tokio::time::Instant,
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
                complete: Script::new(COMPLETE),
                pending: Mutex::default(),
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

    /// Record the claimed key as processed, like [`DedupStore::complete`], without a call of
    /// its own: the completion is sent inside this store's next [`DedupStore::claim`], or,
    /// when no claim is sent within `max_delay`, together with the others waiting in one call.
    /// Under load a delivery then costs Redis one round trip (its claim) instead of two.
    /// Returns at once; fails only outside a Tokio runtime. A completion that cannot be sent
    /// is retried until its claim's lease has run out, as a failed `complete` is.
    ///
    /// What it changes: until the completion reaches Redis (`max_delay` at most while Redis
    /// answers), the key still reads as claimed, so a repeat of the delivery through another
    /// store is [`Claim::InProgress`] (answer 503 and the vendor retries) rather than
    /// [`Claim::Done`]; through this store it is `Done`, since its claim carries the
    /// completion. If the process dies in that window, the queued completions are lost and
    /// those keys are processed again once their leases end, as when a process dies between
    /// processing and `complete`; this widens that window from one call to `max_delay`. No
    /// delivery is ever dropped (at-least-once holds). Call [`RedisDedup::flush`] before a
    /// planned shutdown. Use `complete` when every other store must see the key done as soon
    /// as the delivery is answered.
    pub fn complete_later(&self, claimed: &Claimed, max_delay: Duration) -> Result<(), Error> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::Store(
                "redis complete_later: no Tokio runtime to send it".to_owned(),
            ));
        }
        self.queue(self.redis_key(claimed.key()), max_delay);
        Ok(())
    }

    /// Send every completion still queued by [`RedisDedup::complete_later`] now, in calls of
    /// up to 64 keys. Those that cannot be sent stay queued (and are retried until
    /// their leases run out).
    pub async fn flush(&self) -> Result<(), Error> {
        loop {
            let batch = Carried::take(self, None);
            if batch.waiting.is_empty() {
                return Ok(());
            }
            self.send_completions(&batch.waiting).await?;
            batch.sent();
        }
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.inner
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Up to [`MAX_BATCH`] queued completions, oldest first: all of them, or (with `due`) those
    /// due by then. Expired ones are dropped.
    fn take_waiting(&self, due: Option<tokio::time::Instant>) -> Vec<Waiting> {
        let now = tokio::time::Instant::now();
        let mut pending = self.pending();
        pending.waiting.retain(|w| w.expires > now);
        let mut taken = Vec::new();
        let mut i = 0;
        while i < pending.waiting.len() && taken.len() < MAX_BATCH {
            if due.is_none_or(|due| pending.waiting[i].due <= due) {
                taken.extend(pending.waiting.remove(i));
            } else {
                i += 1;
            }
        }
        taken
    }

    /// Queue completions again after a failed call: sent with a later claim, or retried
    /// after 100 ms.
    fn requeue(&self, batch: Vec<Waiting>) {
        let retry = tokio::time::Instant::now() + Duration::from_millis(100);
        let mut pending = self.pending();
        for mut w in batch {
            w.due = w.due.max(retry);
            pending.waiting.push_back(w);
        }
        self.ensure_sender(&mut pending);
    }

    /// Queue `key`'s completion, sent by `max_delay` at the latest.
    fn queue(&self, key: String, max_delay: Duration) {
        let now = tokio::time::Instant::now();
        let mut pending = self.pending();
        pending.waiting.push_back(Waiting {
            key,
            due: now + max_delay,
            expires: now + self.inner.lease,
        });
        self.ensure_sender(&mut pending);
    }

    /// Start the task that sends completions no claim took, unless it runs.
    fn ensure_sender(&self, pending: &mut Pending) {
        if pending.sender || pending.waiting.is_empty() {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            pending.sender = true;
            runtime.spawn(self.clone().send_due());
        }
    }

    /// Sleep until the next completion is due, send the due ones, until none is left.
    async fn send_due(self) {
        loop {
            let next = {
                let mut pending = self.pending();
                match pending.waiting.iter().map(|w| w.due).min() {
                    Some(next) => next,
                    None => {
                        pending.sender = false;
                        return;
                    }
                }
            };
            tokio::time::sleep_until(next).await;
            let due = Carried::take(&self, Some(tokio::time::Instant::now()));
            // Nobody waits for the answer: a failed call is retried until the leases run out,
            // as `complete`'s own retries are.
            if !due.waiting.is_empty() && self.send_completions(&due.waiting).await.is_ok() {
                due.sent();
            }
        }
    }

    /// One call that sets every key of `batch` to `done`.
    async fn send_completions(&self, batch: &[Waiting]) -> Result<(), Error> {
        let ttl = millis(self.inner.ttl);
        let script = &self.inner.complete;
        self.call("complete", |mut conn| async move {
            let mut invocation = script.prepare_invoke();
            for w in batch {
                invocation.key(w.key.as_str());
            }
            invocation.arg(ttl).invoke_async::<i64>(&mut conn).await
        })
        .await
        .map(|_| ())
    }
}

#[async_trait]
impl DedupStore for RedisDedup {
    async fn claim(&self, key: &str) -> Result<Claim, Error> {
        let token = new_token();
        let redis_key = self.redis_key(key);
        let lease = millis(self.inner.lease);
        let ttl = millis(self.inner.ttl);
        let script = &self.inner.claim;
        let sent = token.clone();
        // Completions waiting to be sent ([`RedisDedup::complete_later`]) ride along.
        let carried = Carried::take(self, None);
        let carried_keys = &carried.waiting;
        let (state, pttl): (i64, i64) = self
            .call("claim", |mut conn| async move {
                let mut invocation = script.key(redis_key);
                for w in carried_keys {
                    invocation.key(w.key.as_str());
                }
                invocation
                    .arg(sent)
                    .arg(lease)
                    .arg(ttl)
                    .invoke_async(&mut conn)
                    .await
            })
            .await?;
        carried.sent();
        Ok(match state {
            1 => Claim::Acquired(Claimed::shared(Arc::from(key), token)),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A claim dropped before its answer (its client hung up) must not take the completions
    /// it carried with it.
    #[tokio::test]
    async fn completions_taken_for_a_call_that_did_not_finish_go_back() {
        let store = RedisDedup::builder("redis://127.0.0.1:1/").build().unwrap();
        let later = Duration::from_secs(3600);
        store
            .complete_later(&Claimed::new("k", "t"), later)
            .unwrap();
        let carried = Carried::take(&store, None);
        assert_eq!(carried.waiting.len(), 1);
        assert!(store.pending().waiting.is_empty());
        drop(carried);
        assert_eq!(store.pending().waiting.len(), 1);
        Carried::take(&store, None).sent();
        assert!(store.pending().waiting.is_empty());
    }
}
