//! The in-memory dedup store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use webhook_verify::{DedupStore, InMemoryDedup, ManualClock, Seen};

#[tokio::test]
async fn repeat_within_ttl_is_duplicate() {
    let clock = ManualClock::new(1_000);
    let store = InMemoryDedup::new(Duration::from_secs(60), 100).with_clock(clock.clone());
    assert_eq!(store.check_and_insert("a").await.unwrap(), Seen::First);
    assert_eq!(store.check_and_insert("a").await.unwrap(), Seen::Duplicate);
    assert_eq!(store.check_and_insert("b").await.unwrap(), Seen::First);
    clock.advance(59);
    assert_eq!(store.check_and_insert("a").await.unwrap(), Seen::Duplicate);
    // The duplicate did not refresh the entry: at 60 s it has expired.
    clock.advance(1);
    assert_eq!(store.check_and_insert("a").await.unwrap(), Seen::First);
    assert_eq!(store.check_and_insert("a").await.unwrap(), Seen::Duplicate);
    // "b" expired too and was purged.
    assert_eq!(store.len(), 1);
    assert_eq!(store.check_and_insert("b").await.unwrap(), Seen::First);
}

#[tokio::test]
async fn capacity_bound_evicts_oldest() {
    let clock = ManualClock::new(0);
    let store = InMemoryDedup::new(Duration::from_secs(3600), 3).with_clock(clock.clone());
    for k in ["k1", "k2", "k3"] {
        assert_eq!(store.check_and_insert(k).await.unwrap(), Seen::First);
        clock.advance(1);
    }
    assert_eq!(store.len(), 3);
    assert_eq!(store.check_and_insert("k4").await.unwrap(), Seen::First);
    assert_eq!(store.len(), 3);
    // k1 (oldest) was forgotten; k2..k4 are still duplicates.
    for k in ["k3", "k4"] {
        assert_eq!(store.check_and_insert(k).await.unwrap(), Seen::Duplicate);
    }
    assert_eq!(store.check_and_insert("k1").await.unwrap(), Seen::First);
    assert_eq!(store.len(), 3);
    // Many keys: the bound always holds.
    for i in 0..10_000 {
        store.check_and_insert(&format!("x{i}")).await.unwrap();
        assert!(store.len() <= 3);
    }
}

#[tokio::test]
async fn reinsert_after_expiry_keeps_bookkeeping_consistent() {
    let clock = ManualClock::new(0);
    let store = InMemoryDedup::new(Duration::from_secs(10), 2).with_clock(clock.clone());
    for round in 0..50 {
        assert_eq!(
            store.check_and_insert("same").await.unwrap(),
            Seen::First,
            "round {round}"
        );
        assert_eq!(
            store.check_and_insert("same").await.unwrap(),
            Seen::Duplicate
        );
        clock.advance(10);
    }
    assert_eq!(store.len(), 1);
}

#[tokio::test]
async fn shared_across_tasks() {
    let store: Arc<dyn DedupStore> = Arc::new(InMemoryDedup::new(Duration::from_secs(60), 1000));
    let mut handles = Vec::new();
    for _ in 0..8 {
        let s = store.clone();
        handles.push(tokio::spawn(async move {
            s.check_and_insert("once").await.unwrap()
        }));
    }
    let mut firsts = 0;
    for h in handles {
        if h.await.unwrap() == Seen::First {
            firsts += 1;
        }
    }
    assert_eq!(firsts, 1);
}
