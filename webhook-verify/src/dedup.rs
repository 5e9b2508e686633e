//! Deduplication of deliveries by idempotency key: at-least-once deliveries processed once.
//!
//! Every vendor retries, and Healthie is known to deliver duplicates: a receiver should
//! process each [`crate::Verified::idempotency_key`] once, and lose none. A store therefore
//! keeps a key in one of two states:
//!
//! - **claimed** for a lease, by [`DedupStore::claim`] before the handler runs. The claimant
//!   then calls [`DedupStore::complete`] once the handler succeeded, or
//!   [`DedupStore::release`] when it failed. A claim whose process died simply expires when
//!   its lease ends, so the vendor's next retry is processed rather than dropped.
//! - **done**, remembered for the TTL: a repeat is acknowledged without processing.
//!
//! A receiver answers from the [`Claim`]:
//!
//! | claim | do | answer |
//! |---|---|---|
//! | [`Claim::Acquired`] | run the handler, then `complete` (or `release` and fail) | 2xx (5xx if it failed) |
//! | [`Claim::Done`] | nothing | 2xx |
//! | [`Claim::InProgress`] | nothing: another worker holds it | 5xx (503), so the vendor retries |
//! | an error (store down or slow) | nothing | 5xx (503), so the vendor retries |
//!
//! Never acknowledge an in-progress key or a store error with 2xx: if the other worker dies,
//! the delivery would be lost.
//!
//! [`InMemoryDedup`] serves a single process; with the `redis` feature, `redis::RedisDedup`
//! shares the keys between replicas.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;

use crate::clock::{Clock, SharedClock};
use crate::Error;

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod redis;

/// What [`DedupStore::claim`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Claim {
    /// The caller now holds the key for the lease: process the delivery, then
    /// [`DedupStore::complete`] (or [`DedupStore::release`] if processing failed).
    Acquired(Claimed),
    /// Already processed within the TTL: acknowledge (2xx) without processing again.
    Done,
    /// Another worker holds a live claim: do not acknowledge; answer 5xx so that the vendor
    /// retries (the claim expires if that worker dies).
    InProgress {
        /// How long the other claim's lease still runs, when the store knows.
        retry_after: Option<Duration>,
    },
}

/// A claim held by this caller: the key and a token that no other claim of the key shares.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Claimed {
    /// Shared with the in-memory store's map and order queue, so a delivery copies its key
    /// once.
    key: Arc<str>,
    token: String,
}

impl Claimed {
    /// A claim of `key` with `token` (stores make these).
    pub fn new(key: impl Into<String>, token: impl Into<String>) -> Self {
        Claimed::shared(Arc::from(key.into()), token.into())
    }

    /// A claim of an already shared `key`, without copying it.
    pub(crate) fn shared(key: Arc<str>, token: String) -> Self {
        Claimed { key, token }
    }

    /// The claimed key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The claim's token.
    pub fn token(&self) -> &str {
        &self.token
    }
}

/// A store of idempotency keys with the claim / complete / release contract above.
#[async_trait]
pub trait DedupStore: Send + Sync {
    /// Atomically claim `key` unless it is done or claimed by someone else.
    async fn claim(&self, key: &str) -> Result<Claim, Error>;

    /// Record the claimed key as processed, remembered for the TTL. Idempotent; it records the
    /// key even if the claim's lease ran out meanwhile (the delivery was processed).
    async fn complete(&self, claimed: &Claimed) -> Result<(), Error>;

    /// Give the claim up (processing failed) so that the next delivery is processed. Does
    /// nothing if the claim already expired or was taken over.
    async fn release(&self, claimed: &Claimed) -> Result<(), Error>;
}

#[async_trait]
impl<T: DedupStore + ?Sized> DedupStore for Arc<T> {
    async fn claim(&self, key: &str) -> Result<Claim, Error> {
        (**self).claim(key).await
    }

    async fn complete(&self, claimed: &Claimed) -> Result<(), Error> {
        (**self).complete(claimed).await
    }

    async fn release(&self, claimed: &Claimed) -> Result<(), Error> {
        (**self).release(claimed).await
    }
}

/// Default number of keys an [`InMemoryDedup`] keeps.
pub const DEFAULT_CAPACITY: usize = 100_000;

/// Default lease of a claim: how long a handler may run before its claim expires and a
/// retry of the delivery is processed again.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy)]
enum State {
    Claimed { token: u64 },
    Done,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    state: State,
    /// Unix second at which the entry stops counting.
    expires: u64,
    generation: u64,
}

/// Keys are `Arc<str>` shared between the map, the order queue and the [`Claimed`] handed
/// out, so a delivery allocates its key once; lookups borrow a `&str`.
#[derive(Debug, Default)]
struct Inner {
    map: HashMap<Arc<str>, Entry>,
    /// Insertion order; entries whose generation no longer matches the map are stale.
    order: VecDeque<(Arc<str>, u64)>,
    next_gen: u64,
    next_token: u64,
}

impl Inner {
    /// Put `key` in `state` until `expires`, evicting the oldest keys beyond `capacity`.
    fn insert(&mut self, key: Arc<str>, state: State, expires: u64, capacity: usize) {
        while self.map.len() >= capacity && !self.map.contains_key(&*key) {
            match self.order.pop_front() {
                Some((k, generation)) => {
                    if self.map.get(&k).is_some_and(|e| e.generation == generation) {
                        self.map.remove(&k);
                    }
                }
                None => break,
            }
        }
        let generation = self.next_gen;
        self.next_gen = self.next_gen.wrapping_add(1);
        self.order.push_back((Arc::clone(&key), generation));
        // An existing entry keeps its key; only the value is replaced.
        self.map.insert(
            key,
            Entry {
                state,
                expires,
                generation,
            },
        );
        // Stale entries only accumulate when keys are re-inserted; compact rarely.
        if self.order.len() > capacity.saturating_mul(2).max(16) {
            let map = &self.map;
            self.order
                .retain(|(k, g)| map.get(k).is_some_and(|e| e.generation == *g));
        }
    }

    /// Forget expired entries from the front (oldest first).
    fn purge(&mut self, now: u64) {
        while let Some((k, generation)) = self.order.front() {
            let expired = match self.map.get(k) {
                Some(e) if e.generation == *generation => e.expires <= now,
                _ => {
                    self.order.pop_front();
                    continue;
                }
            };
            if !expired {
                break;
            }
            if let Some((k, _)) = self.order.pop_front() {
                self.map.remove(&k);
            }
        }
    }
}

/// A bounded in-memory dedup store for a single process: a claim lasts `lease`, a completed
/// key is remembered for `ttl`; beyond `capacity` keys the oldest are forgotten first. Time
/// comes from an injectable [`Clock`] in whole seconds. Uses a `std` mutex, no async runtime.
#[derive(Debug)]
pub struct InMemoryDedup {
    inner: Mutex<Inner>,
    ttl: u64,
    lease: u64,
    capacity: usize,
    clock: SharedClock,
}

/// Whole seconds, rounded up, at least one.
fn whole_seconds(d: Duration) -> u64 {
    let mut secs = d.as_secs();
    if d.subsec_nanos() > 0 || secs == 0 {
        secs = secs.saturating_add(1);
    }
    secs
}

impl InMemoryDedup {
    /// A store remembering completed keys for `ttl` (rounded up to whole seconds, at least
    /// 1 s), at most `capacity` of them (at least 1), with claims of [`DEFAULT_LEASE`].
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        InMemoryDedup {
            inner: Mutex::new(Inner::default()),
            ttl: whole_seconds(ttl),
            lease: whole_seconds(DEFAULT_LEASE),
            capacity: capacity.max(1),
            clock: SharedClock::system(),
        }
    }

    /// How long a claim lasts before it expires (rounded up to whole seconds, at least 1 s).
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = whole_seconds(lease);
        self
    }

    /// Use `clock` instead of the system clock (tests).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = SharedClock(Arc::new(clock));
        self
    }

    /// Number of keys currently held, claimed or done (expired ones may still count until
    /// the next claim purges them).
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// True when no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps inconsistent in a way
        // that matters for dedup, so a poisoned lock is simply taken over.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The synchronous core of [`DedupStore::claim`].
    pub fn claim_now(&self, key: &str) -> Claim {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.purge(now);
        if let Some(entry) = inner.map.get(key).filter(|e| e.expires > now) {
            return match entry.state {
                State::Done => Claim::Done,
                State::Claimed { .. } => Claim::InProgress {
                    retry_after: Some(Duration::from_secs(entry.expires - now)),
                },
            };
        }
        let token = inner.next_token;
        inner.next_token = inner.next_token.wrapping_add(1);
        let expires = now.saturating_add(self.lease);
        let key: Arc<str> = Arc::from(key);
        inner.insert(
            Arc::clone(&key),
            State::Claimed { token },
            expires,
            self.capacity,
        );
        Claim::Acquired(Claimed::shared(key, token.to_string()))
    }

    /// The synchronous core of [`DedupStore::complete`].
    pub fn complete_now(&self, claimed: &Claimed) {
        let now = self.clock.now();
        let expires = now.saturating_add(self.ttl);
        let mut inner = self.lock();
        inner.insert(
            Arc::clone(&claimed.key),
            State::Done,
            expires,
            self.capacity,
        );
    }

    /// The synchronous core of [`DedupStore::release`].
    pub fn release_now(&self, claimed: &Claimed) {
        let mut inner = self.lock();
        let ours = inner.map.get(claimed.key()).is_some_and(
            |e| matches!(e.state, State::Claimed { token } if token.to_string() == claimed.token()),
        );
        if ours {
            inner.map.remove(claimed.key());
        }
    }
}

#[async_trait]
impl DedupStore for InMemoryDedup {
    async fn claim(&self, key: &str) -> Result<Claim, Error> {
        Ok(self.claim_now(key))
    }

    async fn complete(&self, claimed: &Claimed) -> Result<(), Error> {
        self.complete_now(claimed);
        Ok(())
    }

    async fn release(&self, claimed: &Claimed) -> Result<(), Error> {
        self.release_now(claimed);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::{Claim, InMemoryDedup};

    #[test]
    fn a_delivery_allocates_its_key_once() {
        let store = InMemoryDedup::new(Duration::from_secs(60), 10);
        let Claim::Acquired(claimed) = store.claim_now("key-1") else {
            unreachable!("a fresh key is acquired");
        };
        store.complete_now(&claimed);
        let inner = store.lock();
        let (key, _) = inner
            .map
            .get_key_value("key-1")
            .unwrap_or_else(|| unreachable!());
        assert!(Arc::ptr_eq(key, &claimed.key));
        assert!(inner.order.iter().all(|(k, _)| Arc::ptr_eq(k, key)));
        assert_eq!(inner.order.len(), 2);
    }
}
