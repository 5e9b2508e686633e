//! The Redis dedup store against a real redis-server (its address in `REDIS_URL`; without it
//! the tests say that they skipped, except under `CI=true`, where they fail): the claim /
//! complete / release contract across separate connections, leases, and what the keys hold.
#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use test_support::redis::{redis_url, unique_prefix};
use webhook_verify::dedup::redis::RedisDedup;
use webhook_verify::{speakr, Claim, Claimed, DedupStore, Error};

fn store(url: &str, prefix: &str, lease: Duration) -> RedisDedup {
    RedisDedup::builder(url)
        .prefix(prefix)
        .ttl(Duration::from_secs(600))
        .lease(lease)
        .build()
        .unwrap()
}

fn acquired(claim: Claim) -> Claimed {
    match claim {
        Claim::Acquired(claimed) => claimed,
        other => panic!("expected a claim, got {other:?}"),
    }
}

#[tokio::test]
async fn claim_complete_and_release_across_connections() {
    let Some(url) = redis_url() else { return };
    let prefix = unique_prefix("contract");
    let (a, b) = (
        store(&url, &prefix, Duration::from_secs(30)),
        store(&url, &prefix, Duration::from_secs(30)),
    );
    let claimed = acquired(a.claim("speakr:d-1").await.unwrap());
    match b.claim("speakr:d-1").await.unwrap() {
        Claim::InProgress {
            retry_after: Some(left),
        } => assert!(left <= Duration::from_secs(30), "{left:?}"),
        other => panic!("expected in progress, got {other:?}"),
    }
    // The handler failed: released, the retry is processed elsewhere.
    a.release(&claimed).await.unwrap();
    let again = acquired(b.claim("speakr:d-1").await.unwrap());
    // A stale release (the first claim's token) leaves the new claim alone.
    a.release(&claimed).await.unwrap();
    assert!(matches!(
        a.claim("speakr:d-1").await.unwrap(),
        Claim::InProgress { .. }
    ));
    b.complete(&again).await.unwrap();
    assert_eq!(a.claim("speakr:d-1").await.unwrap(), Claim::Done);
    assert_eq!(b.claim("speakr:d-1").await.unwrap(), Claim::Done);
    // Completing again is harmless.
    b.complete(&again).await.unwrap();
    assert_eq!(a.claim("speakr:d-1").await.unwrap(), Claim::Done);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_claims_from_four_stores_give_one_claim() {
    let Some(url) = redis_url() else { return };
    let prefix = unique_prefix("race");
    let stores: Vec<RedisDedup> = (0..4)
        .map(|_| store(&url, &prefix, Duration::from_secs(30)))
        .collect();
    for round in 0..20 {
        let key = format!("k-{round}");
        let mut handles = Vec::new();
        for s in &stores {
            for _ in 0..4 {
                let (s, key) = (s.clone(), key.clone());
                handles.push(tokio::spawn(async move { s.claim(&key).await.unwrap() }));
            }
        }
        let mut claims = 0;
        for h in handles {
            if matches!(h.await.unwrap(), Claim::Acquired(_)) {
                claims += 1;
            }
        }
        assert_eq!(claims, 1, "round {round}");
    }
}

#[tokio::test]
async fn a_claim_whose_owner_died_expires_after_its_lease() {
    let Some(url) = redis_url() else { return };
    let prefix = unique_prefix("lease");
    let lease = Duration::from_millis(400);
    let dead = store(&url, &prefix, lease);
    let _never_completed = acquired(dead.claim("hedy:abc").await.unwrap());
    drop(dead);
    let alive = store(&url, &prefix, lease);
    assert!(matches!(
        alive.claim("hedy:abc").await.unwrap(),
        Claim::InProgress { .. }
    ));
    let mut claimed = None;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Claim::Acquired(c) = alive.claim("hedy:abc").await.unwrap() {
            claimed = Some(c);
            break;
        }
    }
    let claimed = claimed.expect("the lease never expired");
    alive.complete(&claimed).await.unwrap();
    assert_eq!(alive.claim("hedy:abc").await.unwrap(), Claim::Done);
}

#[tokio::test]
async fn keys_are_namespaced_expire_and_hold_no_secret_or_body() {
    let Some(url) = redis_url() else { return };
    let prefix = unique_prefix("keys");
    let secret = "speakr-secret-9c1e";
    let verifier = speakr::Verifier::new(secret);
    let dedup = RedisDedup::builder(url.as_str())
        .prefix(prefix.as_str())
        .ttl(Duration::from_secs(120))
        .lease(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut bodies = Vec::new();
    for i in 0..6 {
        let body = format!(
            r#"{{"event":"recording.created","recording":{{"id":{i},"title":"Board meeting {i}"}}}}"#
        );
        let mut headers = HeaderMap::new();
        for (name, value) in speakr::sign(secret, body.as_bytes()) {
            headers.insert(name, value);
        }
        headers.insert(
            HeaderName::from_static("speakr-delivery-id"),
            HeaderValue::from_str(&format!("delivery-{i}")).unwrap(),
        );
        let verified = verifier.verify(&headers, body.as_bytes()).unwrap();
        let key = format!("speakr:{}", verified.idempotency_key());
        let claimed = acquired(dedup.claim(&key).await.unwrap());
        // Half are processed, half still in their handler.
        if i % 2 == 0 {
            dedup.complete(&claimed).await.unwrap();
        }
        bodies.push(body);
    }
    let redis = redis::Client::open(url.as_str()).unwrap();
    let mut conn = redis.get_multiplexed_async_connection().await.unwrap();
    let mut keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}:*"))
        .query_async(&mut conn)
        .await
        .unwrap();
    keys.sort();
    let expected: Vec<String> = (0..6)
        .map(|i| format!("{prefix}:speakr:delivery-{i}"))
        .collect();
    assert_eq!(keys, expected);
    for (i, key) in keys.iter().enumerate() {
        let value: String = redis::cmd("GET")
            .arg(key)
            .query_async(&mut conn)
            .await
            .unwrap();
        let ttl: i64 = redis::cmd("PTTL")
            .arg(key)
            .query_async(&mut conn)
            .await
            .unwrap();
        if i % 2 == 0 {
            assert_eq!(value, "done");
            assert!(ttl > 100_000 && ttl <= 120_000, "{key}: ttl {ttl} ms");
        } else {
            // A claim token: random hex and the process id.
            assert!(
                value.len() >= 32 && value.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'),
                "{key}: {value}"
            );
            assert!(ttl > 20_000 && ttl <= 30_000, "{key}: ttl {ttl} ms");
        }
        for stored in [key, &value] {
            assert!(!stored.contains(secret), "{stored}");
            assert!(!stored.contains("Board meeting"), "{stored}");
            assert!(!bodies.iter().any(|b| stored.contains(b.as_str())));
        }
    }
}

#[tokio::test]
async fn an_unreachable_or_silent_redis_is_an_error_never_an_accept() {
    // Nothing listens on this port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // A server that accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    for url in [
        format!("redis://127.0.0.1:{port}/"),
        format!("redis://{silent_addr}/"),
    ] {
        let store = RedisDedup::builder(url.as_str())
            .timeout(Duration::from_millis(150))
            .build()
            .unwrap();
        let err = store.claim("speakr:d-1").await.unwrap_err();
        assert!(matches!(err, Error::Store(_)), "{err:?}");
        assert!(err.status().is_server_error());
        let claimed = Claimed::new("speakr:d-1", "token");
        assert!(store.complete(&claimed).await.is_err());
        assert!(store.release(&claimed).await.is_err());
    }
}

/// The value of a Redis key, if any.
async fn value_of(url: &str, key: &str) -> Option<String> {
    let redis = redis::Client::open(url).unwrap();
    let mut conn = redis.get_multiplexed_async_connection().await.unwrap();
    redis::cmd("GET")
        .arg(key)
        .query_async(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_later_completion_rides_with_the_next_claim() {
    let Some(url) = redis_url() else { return };
    let prefix = unique_prefix("later-ride");
    // No claim-less send within the test: only a claim can carry the completion.
    let later = Duration::from_secs(3600);
    let store = store_for(&url, &prefix);
    let other = store_for(&url, &prefix);
    let first = acquired(store.claim("speakr:d-1").await.unwrap());
    store.complete_later(&first, later).unwrap();
    // Not sent yet: the key is still claimed, a repeat is refused (the vendor retries).
    let held = value_of(&url, &format!("{prefix}:speakr:d-1"))
        .await
        .unwrap();
    assert_ne!(held, "done");
    assert!(matches!(
        other.claim("speakr:d-1").await.unwrap(),
        Claim::InProgress { .. }
    ));
    // The next claim carries it.
    let second = acquired(store.claim("speakr:d-2").await.unwrap());
    assert_eq!(
        value_of(&url, &format!("{prefix}:speakr:d-1"))
            .await
            .as_deref(),
        Some("done")
    );
    assert_eq!(other.claim("speakr:d-1").await.unwrap(), Claim::Done);
    // A completion queued and claimed again on the same store is done, not in progress.
    store.complete_later(&second, later).unwrap();
    assert_eq!(store.claim("speakr:d-2").await.unwrap(), Claim::Done);
}

#[tokio::test]
async fn a_later_completion_without_a_claim_is_sent_after_the_delay_or_on_flush() {
    let Some(url) = redis_url() else { return };
    let prefix = unique_prefix("later-delay");
    let store = store_for(&url, &prefix);
    let claimed = acquired(store.claim("hedy:abc").await.unwrap());
    store
        .complete_later(&claimed, Duration::from_millis(100))
        .unwrap();
    let key = format!("{prefix}:hedy:abc");
    let mut done = false;
    for _ in 0..100 {
        if value_of(&url, &key).await.as_deref() == Some("done") {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(done, "never completed");

    let claimed = acquired(store.claim("hedy:def").await.unwrap());
    store
        .complete_later(&claimed, Duration::from_secs(3600))
        .unwrap();
    store.flush().await.unwrap();
    assert_eq!(
        value_of(&url, &format!("{prefix}:hedy:def"))
            .await
            .as_deref(),
        Some("done")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn later_completions_under_concurrency_all_land() {
    let Some(url) = redis_url() else { return };
    let prefix = unique_prefix("later-many");
    let store = store_for(&url, &prefix);
    let mut handles = Vec::new();
    for worker in 0..8 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            for i in 0..50 {
                let key = format!("heilo:{worker}-{i}");
                let claimed = acquired(store.claim(&key).await.unwrap());
                store
                    .complete_later(&claimed, Duration::from_millis(5))
                    .unwrap();
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    store.flush().await.unwrap();
    let check = store_for(&url, &prefix);
    for worker in 0..8 {
        for i in 0..50 {
            let key = format!("heilo:{worker}-{i}");
            assert_eq!(check.claim(&key).await.unwrap(), Claim::Done, "{key}");
        }
    }
}

/// A store on the same keys.
fn store_for(url: &str, prefix: &str) -> RedisDedup {
    store(url, prefix, Duration::from_secs(30))
}

#[test]
fn a_later_completion_needs_a_tokio_runtime() {
    let store = RedisDedup::builder("redis://127.0.0.1:1/").build().unwrap();
    let err = store
        .complete_later(&Claimed::new("speakr:d-1", "token"), Duration::ZERO)
        .unwrap_err();
    assert!(matches!(err, Error::Store(_)), "{err:?}");
}
