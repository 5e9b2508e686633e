//! Contract tests for session contexts (CRUD) and webhook subscriptions (list, create,
//! delete), including the `webhook_create` rate class.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{call, client, fixture_json, no_query, reply, reply_json, NoBody, KEY};
use hedy_client::contexts::{ContextChanges, NewContext};
use hedy_client::webhooks::EventType;
use hedy_client::webhooks_api::NewWebhook;
use hedy_client::{rate_classes, HedyClient, Quota, RateLimits};
use serde_json::json;
use wiremock::matchers::{body_json, header};
use wiremock::MockServer;

#[tokio::test]
async fn list_and_get_contexts() {
    let server = MockServer::start().await;
    call("GET", "/contexts")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "contexts_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/contexts/ctx_a1b2c3")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "context_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let all = hedy.contexts().list().send().await.unwrap().items;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].is_default, Some(true));
    assert_eq!(all[1].title.as_deref(), Some("Standups"));
    let one = hedy.contexts().get("ctx_a1b2c3").await.unwrap();
    assert_eq!(one, all[0]);
    assert_eq!(
        one.content.as_deref(),
        Some("Focus on objections, budget and next steps.")
    );
}

#[tokio::test]
async fn create_update_delete_context() {
    let server = MockServer::start().await;
    call("POST", "/contexts")
        .and(no_query())
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"title": "Interviews", "content": "Assess skills.", "isDefault": true}),
        ))
        .respond_with(reply(201, "context_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PATCH", "/contexts/ctx_new001")
        .and(no_query())
        .and(body_json(
            json!({"content": "Assess skills and culture fit.", "isDefault": false}),
        ))
        .respond_with(reply_json(
            200,
            json!({"success": true, "data": {"id": "ctx_new001", "title": "Interviews",
                   "content": "Assess skills and culture fit.", "isDefault": false}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/contexts/ctx_new001")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "context_deleted.json"))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let created = hedy
        .contexts()
        .create(
            NewContext::new("Interviews")
                .content("Assess skills.")
                .is_default(true),
        )
        .await
        .unwrap();
    assert_eq!(created.id, "ctx_new001");
    let updated = hedy
        .contexts()
        .update(
            &created.id,
            ContextChanges::new()
                .content("Assess skills and culture fit.")
                .is_default(false),
        )
        .await
        .unwrap();
    assert_eq!(
        updated.content.as_deref(),
        Some("Assess skills and culture fit.")
    );
    let ack = hedy.contexts().delete(&created.id).await.unwrap();
    assert_eq!(ack.message.as_deref(), Some("Session context deleted"));
}

#[tokio::test]
async fn list_create_delete_webhooks() {
    let server = MockServer::start().await;
    call("GET", "/webhooks")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "webhooks_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/webhooks")
        .and(no_query())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "url": "https://hooks.example.com/new",
            "events": ["session.ended", "highlight.created"]
        })))
        .respond_with(reply(201, "webhook_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/webhooks/wh_new001")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "webhook_deleted.json"))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let hooks = hedy.webhooks().list().send().await.unwrap().items;
    assert_eq!(hooks.len(), 1);
    assert_eq!(
        hooks[0].events,
        [EventType::SessionEnded, EventType::TodoExported]
    );
    assert!(hooks[0].signing_secret.is_none());
    let created = hedy
        .webhooks()
        .create(NewWebhook::new(
            "https://hooks.example.com/new",
            [EventType::SessionEnded, EventType::HighlightCreated],
        ))
        .await
        .unwrap();
    assert_eq!(created.id, "wh_new001");
    assert_eq!(
        created.url.as_deref(),
        Some("https://hooks.example.com/new")
    );
    let ack = hedy.webhooks().delete("wh_new001").await.unwrap();
    assert_eq!(ack.success, Some(true));
    assert_eq!(ack.message.as_deref(), Some("Webhook deleted successfully"));
}

#[tokio::test]
async fn webhook_creation_has_its_own_rate_class() {
    let server = MockServer::start().await;
    call("POST", "/webhooks")
        .and(no_query())
        .respond_with(reply(200, "webhook_created.json"))
        .expect(3)
        .mount(&server)
        .await;
    call("GET", "/webhooks")
        .respond_with(reply_json(200, json!({"success": true, "data": []})))
        .expect(3)
        .mount(&server)
        .await;
    // Webhook creation at 2 per 2 s (spread evenly: one a second), nothing else limited.
    let hedy = HedyClient::builder(KEY)
        .base_url(server.uri())
        .rate_limits(RateLimits::off().with_class(
            rate_classes::WEBHOOK_CREATE,
            Quota::new(2, Duration::from_secs(2)),
        ))
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..3 {
        hedy.webhooks().list().send().await.unwrap();
    }
    let reads = started.elapsed();
    let started = Instant::now();
    for _ in 0..3 {
        hedy.webhooks()
            .create(NewWebhook::new(
                "https://h.example.com",
                [EventType::SessionEnded],
            ))
            .await
            .unwrap();
    }
    let creates = started.elapsed();
    assert!(creates >= Duration::from_millis(1_900), "{creates:?}");
    assert!(reads < Duration::from_millis(900), "{reads:?}");
}

#[tokio::test]
async fn webhook_created_with_a_secret_and_unknown_events() {
    let server = MockServer::start().await;
    let mut body = fixture_json("webhook_created.json");
    body["data"]["signingSecret"] = json!("whsec_returned");
    body["data"]["events"] = json!(["session.ended", "meeting.archived"]);
    call("POST", "/webhooks")
        .and(no_query())
        .respond_with(reply_json(200, body))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server)
        .webhooks()
        .create(NewWebhook::new(
            "https://h.example.com",
            [EventType::SessionEnded],
        ))
        .await
        .unwrap();
    assert_eq!(
        created.signing_secret.as_ref().map(|s| s.expose()),
        Some("whsec_returned")
    );
    assert!(!format!("{created:?}").contains("whsec_returned"));
    assert_eq!(
        created.events[1],
        EventType::Unknown("meeting.archived".into())
    );
}
