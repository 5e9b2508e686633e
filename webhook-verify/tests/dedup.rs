//! The in-memory dedup store: claim, complete, release, leases and the TTL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use webhook_verify::{Claim, Claimed, DedupStore, InMemoryDedup, ManualClock};

fn acquired(claim: Claim) -> Claimed {
    match claim {
        Claim::Acquired(claimed) => claimed,
        other => panic!("expected a claim, got {other:?}"),
    }
}

/// Claim and complete at once: the key is then processed.
async fn process(store: &dyn DedupStore, key: &str) -> bool {
    match store.claim(key).await.unwrap() {
        Claim::Acquired(claimed) => {
            store.complete(&claimed).await.unwrap();
            true
        }
        _ => false,
    }
}

#[tokio::test]
async fn a_completed_key_is_done_for_the_ttl() {
    let clock = ManualClock::new(1_000);
    let store = InMemoryDedup::new(Duration::from_secs(60), 100).with_clock(clock.clone());
    let claimed = acquired(store.claim("a").await.unwrap());
    assert_eq!(claimed.key(), "a");
    store.complete(&claimed).await.unwrap();
    assert_eq!(store.claim("a").await.unwrap(), Claim::Done);
    assert!(process(&store, "b").await);
    clock.advance(59);
    assert_eq!(store.claim("a").await.unwrap(), Claim::Done);
    // A repeat did not refresh the entry: at 60 s it has expired.
    clock.advance(1);
    assert!(process(&store, "a").await);
    assert_eq!(store.claim("a").await.unwrap(), Claim::Done);
    // "b" expired too and was purged.
    assert_eq!(store.len(), 1);
    assert!(process(&store, "b").await);
}

#[tokio::test]
async fn a_claimed_key_is_in_progress_until_its_lease_ends() {
    let clock = ManualClock::new(0);
    let store = InMemoryDedup::new(Duration::from_secs(3600), 100)
        .with_lease(Duration::from_secs(30))
        .with_clock(clock.clone());
    let first = acquired(store.claim("k").await.unwrap());
    assert_eq!(
        store.claim("k").await.unwrap(),
        Claim::InProgress {
            retry_after: Some(Duration::from_secs(30))
        }
    );
    clock.advance(29);
    assert!(matches!(
        store.claim("k").await.unwrap(),
        Claim::InProgress { .. }
    ));
    // The claimant died: at the end of the lease the retry is processed.
    clock.advance(1);
    let second = acquired(store.claim("k").await.unwrap());
    assert_ne!(first.token(), second.token());
    // The first claimant's late release does not free the second claim.
    store.release(&first).await.unwrap();
    assert!(matches!(
        store.claim("k").await.unwrap(),
        Claim::InProgress { .. }
    ));
    store.complete(&second).await.unwrap();
    assert_eq!(store.claim("k").await.unwrap(), Claim::Done);
}

#[tokio::test]
async fn a_released_claim_lets_the_retry_through() {
    let store = InMemoryDedup::new(Duration::from_secs(60), 100);
    let claimed = acquired(store.claim("k").await.unwrap());
    // The handler failed.
    store.release(&claimed).await.unwrap();
    let again = acquired(store.claim("k").await.unwrap());
    store.complete(&again).await.unwrap();
    assert_eq!(store.claim("k").await.unwrap(), Claim::Done);
    // Completing twice is harmless.
    store.complete(&again).await.unwrap();
    assert_eq!(store.claim("k").await.unwrap(), Claim::Done);
}

#[tokio::test]
async fn capacity_bound_evicts_oldest() {
    let clock = ManualClock::new(0);
    let store = InMemoryDedup::new(Duration::from_secs(3600), 3).with_clock(clock.clone());
    for k in ["k1", "k2", "k3"] {
        assert!(process(&store, k).await);
        clock.advance(1);
    }
    assert_eq!(store.len(), 3);
    assert!(process(&store, "k4").await);
    assert_eq!(store.len(), 3);
    // k1 (oldest) was forgotten; k3 and k4 are still done.
    for k in ["k3", "k4"] {
        assert_eq!(store.claim(k).await.unwrap(), Claim::Done);
    }
    assert!(process(&store, "k1").await);
    assert_eq!(store.len(), 3);
    // Many keys: the bound always holds.
    for i in 0..10_000 {
        let _ = store.claim(&format!("x{i}")).await.unwrap();
        assert!(store.len() <= 3);
    }
}

#[tokio::test]
async fn reclaim_after_expiry_keeps_bookkeeping_consistent() {
    let clock = ManualClock::new(0);
    let store = InMemoryDedup::new(Duration::from_secs(10), 2).with_clock(clock.clone());
    for round in 0..50 {
        assert!(process(&store, "same").await, "round {round}");
        assert_eq!(store.claim("same").await.unwrap(), Claim::Done);
        clock.advance(10);
    }
    assert_eq!(store.len(), 1);
}

#[tokio::test]
async fn one_claim_across_tasks() {
    let store: Arc<dyn DedupStore> = Arc::new(InMemoryDedup::new(Duration::from_secs(60), 1000));
    let mut handles = Vec::new();
    for _ in 0..8 {
        let s = store.clone();
        handles.push(tokio::spawn(async move { s.claim("once").await.unwrap() }));
    }
    let mut claims = 0;
    for h in handles {
        match h.await.unwrap() {
            Claim::Acquired(_) => claims += 1,
            Claim::InProgress { .. } => {}
            Claim::Done => panic!("nobody completed"),
        }
    }
    assert_eq!(claims, 1);
}
