//! The four vendor clients share one shape, and this test holds it: one macro exercises each
//! crate the same way, by the same names, so it compiles only while the names agree.
//!
//! For each vendor, against its mock server: construct with a credential and a base URL,
//! configure rate limits (the documented preset, then off), list one page, stream pages,
//! stream items, create a webhook subscription, have the mock deliver a signed webhook to a
//! local receiver, then `verify_and_parse` and `parse` what arrived. Only the resource listed,
//! the subscription's fields and the way a verifier is made are the vendor's own (Healthie signs
//! the receiver's path).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use futures::TryStreamExt;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A receiver that answers 200 to every delivery and keeps what it was sent.
async fn receiver() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

macro_rules! family_shape {
    (
        $test:ident,
        $krate:ident,
        $Client:ident,
        $Mock:ident,
        resource: $resource:ident,
        create_webhook: |$c:ident| $create:expr,
        verifier: |$secret:ident| $verifier:expr
    ) => {
        #[tokio::test]
        async fn $test() {
            use $krate::mock::$Mock;
            use $krate::{$Client, Page, RateLimits};

            let mock = $Mock::start().await;

            // Construct with a credential and a base URL; configure rate limits.
            let documented: RateLimits = $Client::documented_rate_limits();
            assert!(!documented.is_off(), "a documented quota is set");
            let client = $Client::builder(mock.credential())
                .base_url(mock.uri())
                .rate_limits(documented)
                .without_rate_limits()
                .configure(|core| core.timeout(Duration::from_secs(10)))
                .build()
                .expect("the client builds");
            let empty = $Client::builder("  ").base_url(mock.uri()).build();
            assert_eq!(
                empty.err().map(|e| e.kind()),
                Some($krate::ErrorKind::Config),
                "an empty credential is a Config error"
            );
            let _: $Client = mock.client().expect("the mock's own client builds");

            // List one page, stream pages, stream items.
            let page: Page<_> = client.$resource().list().send().await.expect("one page");
            assert!(!page.items.is_empty(), "the mock has items");
            let pages: Vec<Page<_>> = client
                .$resource()
                .list()
                .paginator()
                .pages()
                .try_collect()
                .await
                .expect("every page");
            let items: Vec<_> = client
                .$resource()
                .list()
                .into_stream()
                .try_collect()
                .await
                .expect("every item");
            assert_eq!(
                items.len(),
                pages.iter().map(|p| p.items.len()).sum::<usize>()
            );
            assert!(items.len() >= page.items.len());

            // Manage webhooks: every crate's handler is `webhooks()`; creating a subscription
            // is the one operation all four vendors document.
            let created = {
                let $c = &client;
                $create
            }
            .await;
            assert!(created.is_ok(), "webhook created: {created:?}");

            // The mock delivers a signed webhook; verify and parse what arrived.
            let receiver = receiver().await;
            let deliveries = $Mock::deliveries().expect("the mock's deliveries");
            let delivery = deliveries.first().expect("at least one delivery");
            let delivered = mock
                .deliver(&receiver.uri(), delivery)
                .await
                .expect("delivered");
            assert_eq!(delivered.status, 200);
            let received = receiver.received_requests().await.unwrap();
            assert_eq!(received.len(), 1, "delivered once");
            let request = &received[0];
            let mut headers = http::HeaderMap::new();
            for (name, value) in &request.headers {
                headers.append(name.clone(), value.clone());
            }
            let $secret = mock.webhook_secret();
            let verifier = $verifier;
            let verified = $krate::webhooks::verify_and_parse(&verifier, &headers, &request.body)
                .expect("a delivery signed by the mock verifies");
            let parsed = $krate::webhooks::parse(&request.body).expect("and parses");
            assert_eq!(verified.event_type(), parsed.event_type());
            // Verified elsewhere (an extractor), parsed with the verifier's key.
            let checked = webhook_verify::Verify::verify(&verifier, &headers, &request.body)
                .expect("the verifier alone accepts it too");
            let again = $krate::webhooks::parse_verified(&checked).expect("parsed once verified");
            assert_eq!(again.idempotency_key, verified.idempotency_key);
            assert_eq!(again.event_type(), verified.event_type());
            assert!(!verified.idempotency_key.is_empty());

            // Anything else is refused with the same error type everywhere.
            let wrong = {
                let $secret = "another-secret";
                $verifier
            };
            let refused: $krate::webhooks::VerifyError =
                $krate::webhooks::verify_and_parse(&wrong, &headers, &request.body)
                    .expect_err("another secret is refused");
            assert_eq!(refused.status(), 401);
        }
    };
}

family_shape!(
    hedy,
    hedy_client,
    HedyClient,
    MockHedy,
    resource: sessions,
    create_webhook: |c| c.webhooks().create(hedy_client::webhooks_api::NewWebhook::new(
        "https://example.com/hooks/hedy",
        [hedy_client::webhooks::EventType::SessionEnded],
    )),
    verifier: |secret| hedy_client::webhooks::Verifier::new([secret])
);

family_shape!(
    speakr,
    speakr_client,
    SpeakrClient,
    MockSpeakr,
    resource: recordings,
    create_webhook: |c| c.webhooks().create(speakr_client::webhooks_api::NewWebhook::new(
        "exports",
        "https://example.com/hooks/speakr",
        [speakr_client::webhooks::EventType::RecordingCreated],
    )),
    verifier: |secret| speakr_client::webhooks::Verifier::new([secret])
);

family_shape!(
    heilo,
    heilo_client,
    HeiloClient,
    MockHeilo,
    resource: calls,
    create_webhook: |c| c.webhooks().create(heilo_client::webhooks_api::NewWebhookSubscription::new(
        "https://example.com/hooks/heilo",
        [heilo_client::webhooks::EventType::CallCompleted],
    )),
    verifier: |secret| heilo_client::webhooks::Verifier::new([secret])
);

family_shape!(
    healthie,
    healthie_client,
    HealthieClient,
    MockHealthie,
    resource: appointments,
    create_webhook: |c| c.webhooks().create(
        "https://example.com/hooks/healthie",
        [healthie_client::webhooks::EventType::AppointmentTranscriptAvailable],
    ).send(),
    verifier: |secret| healthie_client::webhooks::Verifier::new([secret], "POST", "/")
);
