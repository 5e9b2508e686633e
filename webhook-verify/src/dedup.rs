//! Deduplication of deliveries by idempotency key.
//!
//! Every vendor retries, and Healthie is known to deliver duplicates: a receiver should
//! process each [`crate::Verified::idempotency_key`] once. [`DedupStore`] is the
//! interface (a shared store such as Redis can implement it); [`InMemoryDedup`] is a
//! bounded, TTL-based store for a single process.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;

use crate::clock::{Clock, SharedClock};
use crate::Error;

/// Whether a key was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seen {
    /// First time within the TTL: process the delivery.
    First,
    /// Already recorded and not expired: acknowledge (2xx) without processing again.
    Duplicate,
}

/// A store that records idempotency keys.
#[async_trait]
pub trait DedupStore: Send + Sync {
    /// Atomically record `key` and say whether it had already been recorded (and not
    /// expired).
    async fn check_and_insert(&self, key: &str) -> Result<Seen, Error>;
}

#[async_trait]
impl<T: DedupStore + ?Sized> DedupStore for Arc<T> {
    async fn check_and_insert(&self, key: &str) -> Result<Seen, Error> {
        (**self).check_and_insert(key).await
    }
}

/// Default number of keys an [`InMemoryDedup`] keeps.
pub const DEFAULT_CAPACITY: usize = 100_000;

#[derive(Debug, Default)]
struct Inner {
    /// key -> (inserted at, generation)
    map: HashMap<String, (u64, u64)>,
    /// Insertion order; entries whose generation no longer matches the map are stale.
    order: VecDeque<(String, u64)>,
    next_gen: u64,
}

/// A bounded in-memory dedup store: a key is a duplicate for `ttl` after it was first
/// seen; beyond `capacity` keys the oldest are forgotten first. Time comes from an
/// injectable [`Clock`] in whole seconds. Uses a `std` mutex, no async runtime.
#[derive(Debug)]
pub struct InMemoryDedup {
    inner: Mutex<Inner>,
    ttl: u64,
    capacity: usize,
    clock: SharedClock,
}

impl InMemoryDedup {
    /// A store remembering keys for `ttl` (rounded up to whole seconds, at least 1 s),
    /// at most `capacity` of them (at least 1).
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        let mut secs = ttl.as_secs();
        if ttl.subsec_nanos() > 0 || secs == 0 {
            secs = secs.saturating_add(1);
        }
        InMemoryDedup {
            inner: Mutex::new(Inner::default()),
            ttl: secs,
            capacity: capacity.max(1),
            clock: SharedClock::system(),
        }
    }

    /// Use `clock` instead of the system clock (tests).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = SharedClock(Arc::new(clock));
        self
    }

    /// Number of keys currently remembered (expired ones may still count until the next
    /// insert purges them).
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// True when no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps inconsistent in a way
        // that matters for dedup, so a poisoned lock is simply taken over.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The synchronous core of [`DedupStore::check_and_insert`].
    pub fn check_and_insert_now(&self, key: &str) -> Seen {
        let now = self.clock.now();
        let ttl = self.ttl;
        let mut inner = self.lock();
        let Inner {
            map,
            order,
            next_gen,
        } = &mut *inner;

        // Purge expired entries from the front (oldest first).
        while let Some((k, gen)) = order.front() {
            let live = match map.get(k) {
                Some((at, g)) if g == gen => now.saturating_sub(*at) < ttl,
                _ => {
                    order.pop_front();
                    continue;
                }
            };
            if live {
                break;
            }
            if let Some((k, _)) = order.pop_front() {
                map.remove(&k);
            }
        }

        if let Some((at, _)) = map.get(key) {
            if now.saturating_sub(*at) < ttl {
                return Seen::Duplicate;
            }
        }

        // Make room: evict the oldest live entries.
        while map.len() >= self.capacity && !map.contains_key(key) {
            match order.pop_front() {
                Some((k, gen)) => {
                    if map.get(&k).is_some_and(|(_, g)| *g == gen) {
                        map.remove(&k);
                    }
                }
                None => break,
            }
        }

        let gen = *next_gen;
        *next_gen = next_gen.wrapping_add(1);
        map.insert(key.to_owned(), (now, gen));
        order.push_back((key.to_owned(), gen));
        // Stale entries only accumulate when keys are re-inserted; compact rarely.
        if order.len() > self.capacity.saturating_mul(2).max(16) {
            order.retain(|(k, g)| map.get(k).is_some_and(|(_, mg)| mg == g));
        }
        Seen::First
    }
}

#[async_trait]
impl DedupStore for InMemoryDedup {
    async fn check_and_insert(&self, key: &str) -> Result<Seen, Error> {
        Ok(self.check_and_insert_now(key))
    }
}
