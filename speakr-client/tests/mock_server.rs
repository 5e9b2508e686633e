//! The `mock` feature: the fake server answers the client like the real one did, and posts
//! signed deliveries that verify.
#![cfg(feature = "mock")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use futures::TryStreamExt;
use speakr_client::mock::{MockSpeakr, MOCK_WEBHOOK_SECRET};
use speakr_client::recordings::{RecordingStatus, StatusFilter, TranscriptFormat};
use speakr_client::webhooks::{verify_and_parse, Event, Verifier};
use speakr_client::webhooks_api::NewWebhook;
use speakr_client::{ErrorKind, SpeakrClient, TokenPlacement};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn pages_filters_and_details() {
    let mock = MockSpeakr::start().await;
    let speakr = mock.client().unwrap();
    let all: Vec<_> = speakr
        .recordings()
        .list()
        .per_page(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), [4, 3, 2, 1]);
    let failed: Vec<_> = speakr
        .recordings()
        .list()
        .status(StatusFilter::Failed)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(failed.is_empty());
    let page = speakr
        .recordings()
        .list()
        .per_page(3)
        .page(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        (page.total, page.total_pages, page.has_more),
        (Some(4), Some(2), Some(false))
    );
    assert_eq!((page.number, page.per_page), (Some(2), Some(3)));
    assert_eq!(page.extra["has_prev"], true);

    let rec = speakr.recordings().get(1).send().await.unwrap();
    assert_eq!(rec.title.as_deref(), Some("Test Upload"));
    let text = speakr
        .recordings()
        .transcript(1, TranscriptFormat::Text)
        .await
        .unwrap();
    assert!(text.content().unwrap().contains("quarterly sync"));
    let failed = speakr.recordings().get(3).send().await.unwrap();
    assert_eq!(failed.status, RecordingStatus::Failed);
    let err = speakr.recordings().get(999).send().await.unwrap_err();
    assert!(err.is_not_found());
    // A route the server does not have: Werkzeug's HTML 404.
    let err = speakr.core().get("/nope").send_empty().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.message(), None);
}

#[tokio::test]
async fn token_forms_and_the_login_redirect() {
    let mock = MockSpeakr::start().await;
    for placement in [
        TokenPlacement::Bearer,
        TokenPlacement::Header,
        TokenPlacement::ApiTokenHeader,
        TokenPlacement::Query,
    ] {
        let speakr = SpeakrClient::builder(mock.credential())
            .base_url(mock.uri())
            .token_placement(placement)
            .build()
            .unwrap();
        assert_eq!(speakr.stats().send().await.unwrap().recordings.total, 4);
    }
    let bad = SpeakrClient::new(mock.uri(), "wrong").unwrap();
    let err = bad.users().me().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn upload_audio_and_webhooks() {
    let mock = MockSpeakr::start().await;
    let speakr = mock.client().unwrap();
    let rec = speakr
        .recordings()
        .upload_reader(&b"fake audio"[..], "test.wav", Some(10))
        .title("Test Upload")
        .send()
        .await
        .unwrap();
    assert_eq!(rec.status, RecordingStatus::Queued);

    let mut audio = Vec::new();
    speakr
        .recordings()
        .audio(1)
        .write_to(&mut audio)
        .await
        .unwrap();
    assert_eq!(audio, MockSpeakr::audio_bytes(1));

    let created = speakr
        .webhooks()
        .create(NewWebhook::new(
            "receiver",
            "https://hooks.example.com/x",
            [speakr_client::webhooks::EventType::WebhookTest],
        ))
        .await
        .unwrap();
    assert_eq!(created.secret.expose(), mock.webhook_secret());
    let deliveries = speakr
        .webhooks()
        .deliveries(1)
        .limit(5)
        .send()
        .await
        .unwrap();
    assert_eq!(deliveries.items.len(), 5);
}

#[tokio::test]
async fn posts_signed_deliveries_that_verify() {
    let mock = MockSpeakr::start().await;
    let receiver = MockServer::start().await;
    let verifier = Verifier::new(MOCK_WEBHOOK_SECRET);
    Mock::given(method("POST"))
        .and(path("/hook"))
        .and(move |req: &wiremock::Request| {
            verify_and_parse(&verifier, &req.headers, &req.body).is_ok()
        })
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(20)
        .mount(&receiver)
        .await;
    let answers = mock
        .deliver_all(&format!("{}/hook", receiver.uri()))
        .await
        .unwrap();
    assert_eq!(answers.len(), 20);
    assert!(answers.iter().all(|a| a.status == 200 && a.body == "ok"));

    let verifier = Verifier::new(mock.webhook_secret());
    let received = receiver.received_requests().await.unwrap();
    let recorded = MockSpeakr::deliveries().unwrap();
    for (req, original) in received.iter().zip(&recorded) {
        assert_eq!(req.body, original.body.as_ref(), "the exact recorded bytes");
        assert_eq!(req.headers["user-agent"], "Speakr-Webhook/1.0");
        assert_eq!(req.headers["content-type"], "application/json");
        let event = verify_and_parse(&verifier, &req.headers, &req.body).unwrap();
        assert_eq!(event.idempotency_key, original.delivery_id);
        assert!(!matches!(event.event, Event::Unknown { .. }));
    }
    // A receiver that refuses gets its status reported.
    let refusing = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(410))
        .mount(&refusing)
        .await;
    let answer = mock.deliver(&refusing.uri(), &recorded[0]).await.unwrap();
    assert_eq!(answer.status, 410);
}

#[tokio::test]
async fn batch_routes_and_whole_listings() {
    let mock = MockSpeakr::start().await;
    let speakr = mock.client().unwrap();
    // `/recordings/batch` is not taken for a recording id.
    let deleted = speakr.batch().delete([3, 998]).await.unwrap();
    assert_eq!((deleted.deleted, deleted.failed), (Some(1), 1));
    let updated = speakr
        .batch()
        .update([3], speakr_client::batch::BatchChanges::new().inbox(false))
        .await
        .unwrap();
    assert!(updated.updated.is_some());
    // Listings answered whole: one page, no next one, the same items streamed.
    let tags = speakr.tags().list().send().await.unwrap();
    assert_eq!((tags.items.len(), tags.has_more), (2, Some(false)));
    let streamed: Vec<_> = speakr
        .tags()
        .list()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, tags.items);
    let pages: Vec<_> = speakr
        .folders()
        .list()
        .paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(
        speakr.speakers().list().send().await.unwrap().items.len(),
        1
    );
    let hooks = speakr.webhooks().list().send().await.unwrap();
    assert_eq!(hooks.extra["max_per_user"], 10);
    let deliveries: Vec<_> = speakr
        .webhooks()
        .deliveries(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(!deliveries.is_empty());
}
