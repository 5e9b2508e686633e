//! The `mock` feature: MockHedy serves the constructed fixtures, pages with cursors, echoes
//! writes, answers errors as Hedy does, and delivers signed webhooks.
#![cfg(feature = "mock")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use futures::TryStreamExt;
use hedy_client::error::ErrorCode;
use hedy_client::mock::MockHedy;
use hedy_client::topics::{NewTopic, TopicChanges};
use hedy_client::webhooks::{verify_and_parse, BodyForm, EventType, Verifier};
use hedy_client::webhooks_api::NewWebhook;
use hedy_client::{ErrorKind, HedyClient};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn streams_sessions_over_pages_with_the_after_cursor() {
    let mock = MockHedy::start().await;
    let hedy = mock.client().unwrap();
    let all: Vec<_> = hedy
        .sessions()
        .list()
        .limit(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    let mut ids: Vec<_> = all.iter().map(|s| s.session_id.clone()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 5);
    let requests = mock.server().received_requests().await.unwrap();
    let afters: Vec<Option<String>> = requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "after")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(
        afters,
        [
            None,
            Some("sess_3Bv8pR1cN4".to_owned()),
            Some("sess_5Hn1mB8vR3".to_owned())
        ]
    );
    // Filtering by topic, and the zapier form.
    let team: Vec<_> = hedy
        .sessions()
        .list()
        .topic_id("topic_xyz")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(team.len(), 2);
    let zapier = hedy.sessions().list().zapier().send().await.unwrap();
    assert_eq!(
        (zapier.items.len(), zapier.has_more, zapier.next_cursor),
        (5, None, None)
    );
}

#[tokio::test]
async fn reads_and_writes_against_the_mock() {
    let mock = MockHedy::start().await;
    let hedy = mock.client().unwrap();
    let me = hedy.me().await.unwrap();
    assert_eq!(me.email.as_deref(), Some("dana@example.com"));
    let s = hedy.sessions().get("sess_7Qm2xK9aL0").await.unwrap();
    assert!(s.transcript.is_some());
    let summary = hedy.sessions().get("sess_9Xk4tY2wQ7").await.unwrap();
    assert_eq!(summary.title.as_deref(), Some("Product brainstorm"));
    assert_eq!(
        hedy.sessions()
            .highlights(&s.session_id)
            .send()
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    assert_eq!(
        hedy.sessions()
            .todos(&s.session_id)
            .send()
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    assert!(hedy
        .sessions()
        .highlights("sess_3Bv8pR1cN4")
        .send()
        .await
        .unwrap()
        .items
        .is_empty());
    let todo = hedy
        .sessions()
        .todo(&s.session_id, "todo_001")
        .await
        .unwrap();
    assert_eq!(todo.due_date.as_deref(), Some("Next week"));
    let highlights: Vec<_> = hedy
        .highlights()
        .list()
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(highlights.len(), 3);
    assert!(hedy
        .highlights()
        .get("high_def456")
        .await
        .unwrap()
        .raw_quote
        .is_some());
    assert_eq!(hedy.todos().list().send().await.unwrap().items.len(), 4);

    let topic = hedy
        .topics()
        .create(NewTopic::new("Sales").color("#4A90D9"))
        .await
        .unwrap();
    assert_eq!(topic.name.as_deref(), Some("Sales"));
    assert_eq!(topic.color.as_deref(), Some("#4A90D9"));
    let renamed = hedy
        .topics()
        .update(
            "topic_prd",
            TopicChanges::new().name("Roadmap").clear_topic_context(),
        )
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Roadmap"));
    assert_eq!(renamed.topic_context, None);
    assert_eq!(hedy.topics().list().send().await.unwrap().items.len(), 2);
    let topic_sessions: Vec<_> = hedy
        .topics()
        .sessions("topic_xyz")
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(topic_sessions.len(), 2);
    assert_eq!(
        hedy.topics()
            .delete("topic_xyz")
            .await
            .unwrap()
            .message
            .as_deref(),
        Some("Topic deleted")
    );

    assert_eq!(hedy.contexts().list().send().await.unwrap().items.len(), 2);
    let hooks: Vec<_> = hedy
        .webhooks()
        .list()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = hedy
        .webhooks()
        .create(NewWebhook::new(
            "https://hooks.example.com/hedy",
            [EventType::SessionEnded],
        ))
        .await
        .unwrap();
    assert_eq!(hook.url.as_deref(), Some("https://hooks.example.com/hedy"));
    hedy.webhooks().delete(&hook.id).await.unwrap();
}

#[tokio::test]
async fn errors_as_hedy_sends_them() {
    let mock = MockHedy::start().await;
    let hedy = mock.client().unwrap();
    let e = hedy.sessions().get("sess_nope").await.unwrap_err();
    assert!(e.is_not_found());
    assert_eq!(ErrorCode::of(&e), Some(ErrorCode::SessionNotFound));
    // The client refuses limit=101 itself; sent raw, the mock answers as Hedy does.
    let e = hedy
        .core()
        .get("/sessions")
        .query("limit", 101)
        .send_raw()
        .await
        .unwrap_err();
    assert_eq!(ErrorCode::of(&e), Some(ErrorCode::InvalidPageSize));
    assert_eq!(mock.credential(), hedy_client::mock::MOCK_API_KEY);
    let stranger = HedyClient::builder("hedy_live_wrong")
        .base_url(mock.uri())
        .build()
        .unwrap();
    let e = stranger.me().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn delivers_signed_webhooks() {
    let mock = MockHedy::start().await;
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .expect(11)
        .mount(&receiver)
        .await;
    let url = format!("{}/hook", receiver.uri());
    let samples = MockHedy::deliveries().unwrap();
    assert_eq!(samples.len(), 11);
    for sample in &samples {
        assert_eq!(mock.deliver(&url, sample).await.unwrap().status, 200);
    }
    let verifier = Verifier::new(mock.webhook_secret());
    let received = receiver.received_requests().await.unwrap();
    for (request, sample) in received.iter().zip(&samples) {
        assert_eq!(request.body, sample.body.as_ref());
        assert_eq!(
            request.headers["x-hedy-event"].to_str().unwrap(),
            sample.event_type.as_str()
        );
        let event = verify_and_parse(&verifier, &request.headers, &request.body).unwrap();
        assert_eq!(event.event_type(), sample.event_type);
        assert_eq!(event.form, sample.form);
    }
    let ended = MockHedy::delivery(&EventType::SessionEnded, BodyForm::Wrapped).unwrap();
    assert_eq!(ended.form, BodyForm::Wrapped);
    assert!(MockHedy::delivery(&EventType::Unknown("x".into()), BodyForm::Flat).is_none());
}
