//! A receiver built from webhook-verify's axum extractor and dedup store, fed by the Speakr
//! mock server with the 20 deliveries recorded from a real Speakr server, signed and POSTed
//! over HTTP as Speakr sends them. Deliveries are at-least-once: sending them all again must
//! not process any twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use speakr_client::mock::MockSpeakr;
use speakr_client::webhooks::{self, EventType};
use webhook_verify::axum::{VerifiedWebhook, WebhookVerifier};
use webhook_verify::dedup::{DedupStore, InMemoryDedup, Seen};
use webhook_verify::speakr::Verifier;

#[derive(Clone)]
struct Receiver {
    verifier: WebhookVerifier,
    dedup: Arc<InMemoryDedup>,
    processed: Arc<Mutex<Vec<(String, EventType)>>>,
}

impl FromRef<Receiver> for WebhookVerifier {
    fn from_ref(state: &Receiver) -> Self {
        state.verifier.clone()
    }
}

async fn hook(
    State(state): State<Receiver>,
    VerifiedWebhook(delivery): VerifiedWebhook,
) -> Result<StatusCode, (StatusCode, String)> {
    let first = state
        .dedup
        .check_and_insert(delivery.idempotency_key())
        .await
        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    if first == Seen::First {
        let event = webhooks::parse(delivery.body())
            .map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        state
            .processed
            .lock()
            .unwrap()
            .push((delivery.idempotency_key().to_owned(), event.event_type()));
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn start_receiver(secret: &str) -> (String, Receiver) {
    let state = Receiver {
        verifier: WebhookVerifier::new(Verifier::new(secret.to_owned())).body_limit(64 * 1024),
        dedup: Arc::new(InMemoryDedup::new(
            Duration::from_secs(3 * 24 * 3600),
            10_000,
        )),
        processed: Arc::default(),
    };
    let app = Router::new()
        .route("/hooks/speakr", post(hook))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hooks/speakr"), state)
}

#[tokio::test]
async fn every_recorded_delivery_is_verified_and_processed_once() {
    let mock = MockSpeakr::start().await;
    let (url, receiver) = start_receiver(mock.webhook_secret()).await;
    let recorded = MockSpeakr::recorded_deliveries().unwrap();
    assert_eq!(recorded.len(), 20);

    let statuses = mock.deliver_all(&url).await.unwrap();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::NO_CONTENT),
        "{statuses:?}"
    );
    // At-least-once: the same deliveries again are acknowledged but not processed again.
    let statuses = mock.deliver_all(&url).await.unwrap();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::NO_CONTENT),
        "{statuses:?}"
    );

    let processed = receiver.processed.lock().unwrap().clone();
    assert_eq!(processed.len(), 20);
    for (delivery, (key, event_type)) in recorded.iter().zip(&processed) {
        assert_eq!(key, &delivery.delivery_id);
        assert_eq!(event_type.as_str(), delivery.event_type);
        assert!(
            !matches!(event_type, EventType::Unknown(_)),
            "{event_type:?}"
        );
    }
}

#[tokio::test]
async fn a_receiver_with_another_secret_rejects_every_delivery() {
    let mock = MockSpeakr::start().await;
    let (url, receiver) = start_receiver("not-the-mock-secret").await;
    let statuses = mock.deliver_all(&url).await.unwrap();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert!(receiver.processed.lock().unwrap().is_empty());
}
