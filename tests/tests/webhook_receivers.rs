//! One receiver per vendor, built from webhook-verify's axum extractor and dedup store, fed by
//! the vendor crates' mock servers: the deliveries are signed with each vendor's scheme and
//! POSTed over HTTP, as the vendors send them. Speakr's are the 20 deliveries recorded from a
//! real server. Deliveries are at-least-once: sending them all again must not process any
//! twice, and a receiver holding another secret must reject every one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use hedy_client::mock::MockHedy;
use heilo_client::mock::MockHeilo;
use speakr_client::mock::MockSpeakr;
use webhook_verify::axum::{VerifiedWebhook, WebhookVerifier};
use webhook_verify::dedup::{Claim, DedupStore, InMemoryDedup};
use webhook_verify::Verify;

/// Parses a verified body into its typed event and names the event type.
type Parse = fn(&[u8]) -> Result<String, String>;

#[derive(Clone)]
struct Receiver {
    verifier: WebhookVerifier,
    parse: Parse,
    dedup: Arc<InMemoryDedup>,
    processed: Arc<Mutex<Vec<(String, String)>>>,
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
    let store_error = |e: webhook_verify::Error| (StatusCode::SERVICE_UNAVAILABLE, e.to_string());
    match state
        .dedup
        .claim(delivery.idempotency_key())
        .await
        .map_err(store_error)?
    {
        Claim::Acquired(claimed) => {
            let event_type = match (state.parse)(delivery.body()) {
                Ok(event_type) => event_type,
                Err(e) => {
                    state.dedup.release(&claimed).await.map_err(store_error)?;
                    return Err((StatusCode::UNPROCESSABLE_ENTITY, e));
                }
            };
            state
                .processed
                .lock()
                .unwrap()
                .push((delivery.idempotency_key().to_owned(), event_type));
            state.dedup.complete(&claimed).await.map_err(store_error)?;
        }
        Claim::Done => {}
        Claim::InProgress { .. } => {
            return Err((StatusCode::SERVICE_UNAVAILABLE, "in progress".to_owned()))
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Serve `POST /hook` on 127.0.0.1; returns its URL and the receiver's state.
async fn start_receiver(verifier: impl Verify + 'static, parse: Parse) -> (String, Receiver) {
    let state = Receiver {
        verifier: WebhookVerifier::new(verifier).body_limit(64 * 1024),
        parse,
        dedup: Arc::new(InMemoryDedup::new(
            Duration::from_secs(3 * 24 * 3600),
            10_000,
        )),
        processed: Arc::default(),
    };
    let app = Router::new()
        .route("/hook", post(hook))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), state)
}

fn processed(receiver: &Receiver) -> Vec<(String, String)> {
    receiver.processed.lock().unwrap().clone()
}

fn speakr_parse(body: &[u8]) -> Result<String, String> {
    let event = speakr_client::webhooks::parse(body).map_err(|e| e.to_string())?;
    Ok(event.event_type().as_str().to_owned())
}

fn hedy_parse(body: &[u8]) -> Result<String, String> {
    let event = hedy_client::webhooks::parse(body).map_err(|e| e.to_string())?;
    Ok(event.event_type().as_str().to_owned())
}

fn heilo_parse(body: &[u8]) -> Result<String, String> {
    let event = heilo_client::webhooks::parse(body).map_err(|e| e.to_string())?;
    Ok(event.event_type().as_str().to_owned())
}

#[tokio::test]
async fn speakr_recorded_deliveries_are_verified_and_processed_once() {
    let mock = MockSpeakr::start().await;
    let verifier = webhook_verify::speakr::Verifier::new(mock.webhook_secret().to_owned());
    let (url, receiver) = start_receiver(verifier, speakr_parse).await;
    let recorded = MockSpeakr::deliveries().unwrap();
    assert_eq!(recorded.len(), 20);
    for _ in 0..2 {
        let statuses = mock.deliver_all(&url).await.unwrap();
        assert!(
            statuses.iter().all(|d| d.status == StatusCode::NO_CONTENT),
            "{statuses:?}"
        );
    }
    let processed = processed(&receiver);
    assert_eq!(processed.len(), 20);
    for (delivery, (key, event_type)) in recorded.iter().zip(&processed) {
        assert_eq!(key, &delivery.delivery_id);
        assert_eq!(event_type, &delivery.event_type);
    }
}

#[tokio::test]
async fn hedy_deliveries_are_verified_and_processed_once() {
    let mock = MockHedy::start().await;
    let verifier = webhook_verify::hedy::Verifier::new(mock.webhook_secret().to_owned());
    let (url, receiver) = start_receiver(verifier, hedy_parse).await;
    let samples = MockHedy::deliveries().unwrap();
    assert!(samples.len() >= 5);
    for _ in 0..2 {
        for sample in &samples {
            let answer = mock.deliver(&url, sample).await.unwrap();
            assert_eq!(answer.status, StatusCode::NO_CONTENT);
        }
    }
    let processed = processed(&receiver);
    assert_eq!(processed.len(), samples.len());
    for (sample, (_, event_type)) in samples.iter().zip(&processed) {
        assert_eq!(event_type, sample.event_type.as_str());
    }
}

#[tokio::test]
async fn heilo_deliveries_are_verified_and_processed_once() {
    let mock = MockHeilo::start().await;
    let verifier = webhook_verify::heilo::Verifier::new(mock.webhook_secret().to_owned());
    let (url, receiver) = start_receiver(verifier, heilo_parse).await;
    let deliveries = MockHeilo::deliveries().unwrap();
    assert!(deliveries.len() >= 12);
    for _ in 0..2 {
        for delivery in &deliveries {
            let answer = mock.deliver(&url, delivery).await.unwrap();
            assert_eq!(answer.status, StatusCode::NO_CONTENT, "{:?}", answer.body);
        }
    }
    let processed = processed(&receiver);
    assert_eq!(processed.len(), deliveries.len());
    for (delivery, (key, event_type)) in deliveries.iter().zip(&processed) {
        assert_eq!(key, &delivery.event_id);
        assert_eq!(event_type, &delivery.event_type);
    }
}

#[tokio::test]
async fn receivers_with_another_secret_reject_every_delivery() {
    let speakr = MockSpeakr::start().await;
    let (url, receiver) = start_receiver(
        webhook_verify::speakr::Verifier::new("not-the-secret"),
        speakr_parse,
    )
    .await;
    let statuses = speakr.deliver_all(&url).await.unwrap();
    assert!(
        statuses
            .iter()
            .all(|d| d.status == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert!(processed(&receiver).is_empty());

    let hedy = MockHedy::start().await;
    let (url, receiver) = start_receiver(
        webhook_verify::hedy::Verifier::new("not-the-secret"),
        hedy_parse,
    )
    .await;
    for sample in MockHedy::deliveries().unwrap() {
        assert_eq!(
            hedy.deliver(&url, &sample).await.unwrap().status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert!(processed(&receiver).is_empty());

    let heilo = MockHeilo::start().await;
    let (url, receiver) = start_receiver(
        webhook_verify::heilo::Verifier::new("not-the-secret"),
        heilo_parse,
    )
    .await;
    for delivery in MockHeilo::deliveries().unwrap() {
        let answer = heilo.deliver(&url, &delivery).await.unwrap();
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    assert!(processed(&receiver).is_empty());
}
