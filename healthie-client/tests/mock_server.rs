//! The `mock` feature's fake Healthie endpoint, driven through the client: paging in both
//! shapes, filters, transcripts and their VTT, webhook subscriptions kept in memory, the
//! delivery log, auth and version refusals, and injected faults.
#![cfg(feature = "mock")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use client_core::ErrorKind;
use futures::{StreamExt, TryStreamExt};
use healthie_client::mock::{MockHealthie, TRANSCRIPT_VTT};
use healthie_client::webhooks::EventType;
use healthie_client::{ApiVersion, HealthieClient};
use wiremock::ResponseTemplate;

#[tokio::test]
async fn appointments_page_in_both_shapes() {
    let mock = MockHealthie::start().await;
    for healthie in [mock.client().unwrap(), mock.baseline_client().unwrap()] {
        let all: Vec<_> = healthie
            .appointments()
            .list()
            .page_size(2)
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        let ids: Vec<_> = all.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            ["1001", "1002", "1003", "1004", "1005"],
            "{:?}",
            healthie.api_version()
        );
        assert!(
            all.iter().all(|a| a.transcripts.is_none()),
            "lists carry no transcripts"
        );
    }
    let requests = mock.server().received_requests().await.unwrap();
    // Three connection pages, then three offset pages and the empty one that ends them.
    assert_eq!(requests.len(), 3 + 4);
}

#[tokio::test]
async fn filters_narrow_the_list() {
    let mock = MockHealthie::start().await;
    let healthie = mock.client().unwrap();
    let november_first_half: Vec<_> = healthie
        .appointments()
        .list()
        .between("2026-11-01T00:00:00-05:00", "2026-11-12T23:59:59-05:00")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(november_first_half.len(), 3);
    let one_client = healthie
        .appointments()
        .list()
        .user_id("5004")
        .send()
        .await
        .unwrap();
    assert_eq!(one_client.items.len(), 1);
    assert_eq!(one_client.items[0].id, "1004");
}

#[tokio::test]
async fn the_transcript_pipeline_runs_against_the_mock() {
    let mock = MockHealthie::start().await;
    let healthie = mock.client().unwrap();
    let appointment = healthie.appointments().get("1001").send().await.unwrap();
    let transcripts = appointment.transcripts.unwrap();
    assert_eq!(transcripts.len(), 1);
    let vtt = healthie
        .transcripts()
        .vtt_text(&transcripts[0])
        .await
        .unwrap();
    assert_eq!(vtt, TRANSCRIPT_VTT);
    // The file route refuses credentials; the client sent none, so it answered.
    let deleted = healthie
        .transcripts()
        .delete("realtime_capture_9001")
        .await
        .unwrap();
    assert_eq!(deleted.success, Some(true));
    let again = healthie.appointments().get("1001").send().await.unwrap();
    assert_eq!(again.transcripts.unwrap().len(), 0);
    let err = healthie
        .transcripts()
        .delete("realtime_capture_9001")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    let err = healthie
        .appointments()
        .get("4242")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn webhook_subscriptions_live_in_the_mock() {
    let mock = MockHealthie::start().await;
    let healthie = mock.client().unwrap();
    let created = healthie
        .webhooks()
        .create(
            "https://receiver.example/new",
            [EventType::AppointmentTranscriptAvailable],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.event_types(),
        vec![EventType::AppointmentTranscriptAvailable]
    );
    assert_eq!(
        created.signature_secret.as_ref().unwrap().expose(),
        mock.webhook_secret()
    );
    let listed: Vec<_> = healthie
        .webhooks()
        .list()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 3);
    let updated = healthie
        .webhooks()
        .update(&created.id)
        .enabled(false)
        .send()
        .await
        .unwrap();
    assert!(!updated.is_enabled);
    assert!(healthie.webhooks().send_test(&created.id).await.unwrap());
    let rotated = healthie
        .webhooks()
        .expire_signature(&created.id)
        .await
        .unwrap();
    assert_ne!(rotated.signature_secret, created.signature_secret);
    healthie.webhooks().delete(&created.id).await.unwrap();
    let err = healthie.webhooks().delete(&created.id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    let err = healthie
        .webhooks()
        .create("ftp://x", [EventType::AppointmentCreated])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    // The baseline sees the same subscriptions, event types dotted.
    let baseline: Vec<_> = mock
        .baseline_client()
        .unwrap()
        .webhooks()
        .list()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(baseline.len(), 2);
    assert_eq!(baseline[1].event_type, Some(EventType::AppointmentCreated));
}

#[tokio::test]
async fn the_delivery_log_filters_failures() {
    let mock = MockHealthie::start().await;
    let healthie = mock.client().unwrap();
    let failed: Vec<_> = healthie
        .sent_webhooks()
        .list()
        .failed_only()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].succeeded(), Some(false));
    let about_one: Vec<_> = healthie
        .sent_webhooks()
        .list()
        .resource_id("1001")
        .resource_type("Appointment")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(about_one.len(), 3);
}

#[tokio::test]
async fn bad_keys_and_versions_are_refused() {
    let mock = MockHealthie::start().await;
    let wrong = HealthieClient::builder("someone-else")
        .base_url(mock.uri())
        .without_rate_limits()
        .build()
        .unwrap();
    assert_eq!(
        wrong
            .appointments()
            .get("1001")
            .send()
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Auth
    );
    let future = mock
        .client_builder()
        .api_version(ApiVersion::dated("2031-01-01").unwrap())
        .build()
        .unwrap();
    let err = future.appointments().get("1001").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("2031-01-01"), "{err}");
}

#[tokio::test]
async fn faults_can_be_injected_per_operation() {
    let mock = MockHealthie::start().await;
    let body = MockHealthie::error_body("too_many_requests").unwrap();
    mock.fail_next(
        "Appointment",
        ResponseTemplate::new(429).set_body_raw(body, "application/json"),
        1,
    )
    .await;
    let healthie = mock
        .client_builder()
        .configure(|core| {
            core.retry_policy(client_core::RetryPolicy {
                base_delay: std::time::Duration::from_millis(1),
                max_delay: std::time::Duration::from_millis(2),
                ..client_core::RetryPolicy::default()
            })
        })
        .build()
        .unwrap();
    let appointment = healthie.appointments().get("1002").send().await.unwrap();
    assert_eq!(appointment.id, "1002");
    assert_eq!(mock.server().received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_signed_delivery_becomes_the_appointment_and_its_vtt() {
    use healthie_client::mock::{Delivery, MOCK_WEBHOOK_SECRET};
    use healthie_client::webhooks::{verify_and_parse, Dialect, ThinEvent, Verifier};

    let mock = MockHealthie::start().await;
    let healthie = mock.client().unwrap();
    let verifier = Verifier::new([mock.webhook_secret()], "POST", "/hooks/healthie");
    let event = ThinEvent::new(
        EventType::AppointmentTranscriptAvailable,
        "Appointment",
        "1001",
    );
    for dialect in [Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421] {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let delivery = Delivery::for_event(&event)
            .signed(MOCK_WEBHOOK_SECRET, dialect, "/hooks/healthie", now)
            .unwrap();
        let verified = verify_and_parse(&verifier, &delivery.headers, &delivery.body).unwrap();
        assert_eq!(verified.dialect, Some(dialect));
        let appointment = healthie
            .appointments()
            .for_event(&verified.event)
            .unwrap()
            .send()
            .await
            .unwrap();
        let transcript = &appointment.transcripts.as_ref().unwrap()[0];
        assert_eq!(
            healthie.transcripts().vtt_text(transcript).await.unwrap(),
            TRANSCRIPT_VTT
        );
    }
    let not_an_appointment =
        ThinEvent::new(EventType::from("billing_item.created"), "BillingItem", "9");
    let err = healthie
        .appointments()
        .for_event(&not_an_appointment)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn the_endpoint_answers_at_the_root_and_at_graphql() {
    let mock = MockHealthie::start().await;
    for base in [mock.uri(), mock.endpoint()] {
        let healthie = HealthieClient::builder(mock.credential())
            .base_url(base)
            .without_rate_limits()
            .build()
            .unwrap();
        let page = healthie.appointments().list().send().await.unwrap();
        assert_eq!(page.items.len(), 5);
    }
    let paths: Vec<_> = mock
        .server()
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths, ["/", "/graphql"]);
    // Any other route: `UNAUTHENTICATED` without the key, as Healthie answers, a 404 with it.
    let elsewhere = |key: &str| {
        HealthieClient::builder(key)
            .base_url(format!("{}/other", mock.uri()))
            .without_rate_limits()
            .build()
            .unwrap()
    };
    let get = |client: HealthieClient| async move {
        client
            .appointments()
            .get("1001")
            .send()
            .await
            .unwrap_err()
            .kind()
    };
    assert_eq!(get(elsewhere("someone-else")).await, ErrorKind::Auth);
    assert_eq!(get(elsewhere(mock.credential())).await, ErrorKind::NotFound);
}

#[tokio::test]
async fn every_listing_reads_as_pages() {
    let mock = MockHealthie::start().await;
    let healthie = mock.client().unwrap();
    let pages: Vec<_> = healthie
        .appointments()
        .list()
        .page_size(2)
        .paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<_> = pages.iter().map(|p| p.items.len()).collect();
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(pages[0].total, Some(5));
    assert_eq!(pages[0].next_cursor.as_deref(), Some("c1"));
    assert_eq!(
        (pages[0].has_more, pages[2].has_more),
        (Some(true), Some(false))
    );

    // The baseline pages by offset, to the empty page that ends it.
    let baseline = mock.baseline_client().unwrap();
    let pages: Vec<_> = baseline
        .appointments()
        .list()
        .page_size(2)
        .paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let items: usize = pages.iter().map(|p| p.items.len()).sum();
    assert_eq!(items, 5);

    let hooks: Vec<_> = healthie
        .webhooks()
        .list()
        .page_size(1)
        .paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hooks.len(), 2);
    let log: Vec<_> = healthie
        .sent_webhooks()
        .list()
        .page_size(2)
        .paginator()
        .max_pages(2)
        .items()
        .collect()
        .await;
    // Bounded like any paginator: two pages, then the error that says there was more.
    assert_eq!(log.iter().filter(|r| r.is_ok()).count(), 4);
    assert_eq!(
        log.last().unwrap().as_ref().unwrap_err().kind(),
        ErrorKind::Pagination
    );

    // An invalid listing fails on its first page, before any request.
    let before = mock.server().received_requests().await.unwrap().len();
    let err = healthie
        .appointments()
        .list()
        .page_size(0)
        .paginator()
        .pages()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        mock.server().received_requests().await.unwrap().len(),
        before
    );
}
