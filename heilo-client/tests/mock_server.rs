//! The `mock` feature's fake Heilo: every endpoint against it, and its signed deliveries to a
//! local receiver that verifies them and answers the handshake.
#![cfg(feature = "mock")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{SystemTime, UNIX_EPOCH};

use futures::TryStreamExt;
use heilo_client::calls::{CrmStatus, Direction};
use heilo_client::mock::{Delivery, MockHeilo, MOCK_WEBHOOK_SECRET};
use heilo_client::webhooks::{verify_and_parse, Event, EventType, Verifier};
use heilo_client::webhooks_api::{NewWebhookSubscription, VerificationMode};
use heilo_client::ErrorKind;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::test]
async fn every_endpoint_against_the_mock() {
    let mock = MockHeilo::start().await;
    let heilo = mock.client().unwrap();
    assert_eq!(mock.credential(), heilo_client::mock::MOCK_API_KEY);

    let me = heilo.me().await.unwrap();
    assert_eq!(me.rate_limit_per_hour, Some(1000));

    // Five calls, two per page: three requests, nothing lost or repeated.
    let all: Vec<_> = heilo
        .calls()
        .list()
        .limit(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let mut ids: Vec<&str> = all.iter().map(|c| c.call_id.as_str()).collect();
    assert_eq!(ids.len(), 5);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5);
    let listing = mock
        .server()
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == "/calls")
        .count();
    assert_eq!(listing, 3);

    // Filters.
    let inbound: Vec<_> = heilo
        .calls()
        .list()
        .direction(Direction::Inbound)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(inbound.len(), 3);
    assert!(inbound
        .iter()
        .all(|c| c.direction == Some(Direction::Inbound)));
    let window = heilo
        .calls()
        .list()
        .date_from("2026-06-04")
        .date_to("2026-06-06")
        .status(CrmStatus::New)
        .send()
        .await
        .unwrap();
    assert_eq!(window.items.len(), 1);
    assert_eq!(window.has_more, Some(false));

    let first = heilo.calls().get(all[0].call_id.clone()).await.unwrap();
    assert_eq!(first, all[0]);
    let missing = heilo.calls().get("no-such-call").await.unwrap_err();
    assert!(missing.is_not_found());
    // A route the mock does not serve, with the right key: the documented 404 body.
    let unknown = heilo.core().get("/contacts").send_raw().await.unwrap_err();
    assert!(unknown.is_not_found());
    assert_eq!(unknown.vendor_code(), Some("NOT_FOUND"));

    let stranger = mock.client_with_key("hk_live_wrong").unwrap();
    assert_eq!(stranger.me().await.unwrap_err().kind(), ErrorKind::Auth);

    let created = heilo
        .webhooks()
        .create(
            NewWebhookSubscription::new("https://crm.example.com/h", [EventType::CallCompleted])
                .verification_mode(VerificationMode::Strict),
        )
        .await
        .unwrap();
    assert_eq!(
        created.signing_secret.as_ref().map(|s| s.expose()),
        Some(MOCK_WEBHOOK_SECRET)
    );
    assert_eq!(
        created.subscription.verification_mode,
        Some(VerificationMode::Strict)
    );
    assert_eq!(
        created.subscription.url.as_deref(),
        Some("https://crm.example.com/h")
    );
}

/// A receiver that verifies every delivery and answers a handshake with its challenge.
async fn receiver(verifier: Verifier) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(move |req: &Request| {
            match verify_and_parse(&verifier, &req.headers, &req.body) {
                Ok(event) => match event.handshake_response() {
                    Some(reply) => ResponseTemplate::new(200)
                        .set_body_raw(reply.body().clone(), "application/json"),
                    None => ResponseTemplate::new(204),
                },
                Err(e) => ResponseTemplate::new(e.status().as_u16()),
            }
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn deliveries_are_signed_verified_and_answered() {
    let mock = MockHeilo::start().await;
    assert_eq!(mock.webhook_secret(), MOCK_WEBHOOK_SECRET);
    let verifier = Verifier::new(mock.webhook_secret());
    let hook = receiver(verifier.clone()).await;
    let url = format!("{}/hook", hook.uri());

    let deliveries = MockHeilo::deliveries().unwrap();
    assert_eq!(deliveries.len(), 12);
    for d in &deliveries {
        let answer = mock.deliver(&url, d).await.unwrap();
        assert!(
            answer.status.is_success(),
            "{}: {}",
            d.event_type,
            answer.status
        );
    }
    // What the receiver got parses back into the same events, keyed by heilo-event-id.
    let received = hook.received_requests().await.unwrap();
    assert_eq!(received.len(), 12);
    for (req, d) in received.iter().zip(&deliveries) {
        assert_eq!(req.body, d.body.to_vec());
        let event = verify_and_parse(&verifier, &req.headers, &req.body).unwrap();
        assert_eq!(event.event_type().as_str(), d.event_type);
        assert_eq!(event.idempotency_key, d.event_id);
    }

    // Strict handshake: the challenge comes back.
    let answer = mock.verify_subscription(&url, Some("ch-42")).await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(&answer.body[..], br#"{"challenge":"ch-42"}"#);
    // Permissive handshake: any 2xx.
    let answer = mock.verify_subscription(&url, None).await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(&answer.body[..], b"{}");

    // A stale delivery (301 s old) is refused by the receiver.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let d = MockHeilo::delivery("call.completed").unwrap();
    let answer = mock.deliver_at(&url, &d, now - 301).await.unwrap();
    assert_eq!(answer.status, 401);

    // A delivery built from any envelope.
    let custom = Delivery::from_json(&serde_json::json!({
        "event_id": "e-custom", "event_type": "contact.updated",
        "data": {"contact_id": "c-1", "diff": {"tags": ["vip"]}}
    }))
    .unwrap();
    assert!(mock
        .deliver(&url, &custom)
        .await
        .unwrap()
        .status
        .is_success());
    let last = hook.received_requests().await.unwrap().pop().unwrap();
    let event = verify_and_parse(&verifier, &last.headers, &last.body).unwrap();
    let Event::ContactUpdated(d) = event.event else {
        panic!("{:?}", event.event)
    };
    assert_eq!(d.diff.changed_keys(), vec!["tags"]);
}
