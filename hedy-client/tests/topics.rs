//! Contract tests for topics (list, get, create, update with the tri-state `topicContext`,
//! delete) and a topic's sessions (envelope E, `startAfter`/`nextCursor`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{call, client, fixture_json, no_query, query_is, reply, reply_json, NoBody};
use futures::TryStreamExt;
use hedy_client::topics::{NewTopic, TopicChanges};
use hedy_client::{Patch, SessionType};
use serde_json::json;
use wiremock::matchers::{body_json, header};
use wiremock::MockServer;

#[tokio::test]
async fn list_and_get_topics() {
    let server = MockServer::start().await;
    call("GET", "/topics")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "topics_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/topics/topic_xyz")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "topic_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let topics = hedy.topics().list().send().await.unwrap().items;
    assert_eq!(topics.len(), 2);
    assert_eq!(
        topics[1].dominant_session_type,
        Some(SessionType::Brainstorm)
    );
    assert_eq!(
        topics[1].topic_context.as_deref(),
        Some("Capture feature ideas and who asked for them.")
    );
    let topic = hedy.topics().get("topic_xyz").await.unwrap();
    assert_eq!(topic, topics[0]);
    assert_eq!(topic.session_count, Some(2));
    assert_eq!(
        topic.overview.as_ref().unwrap()["prepNote"],
        "Ask QA about capacity before Thursday."
    );
    assert_eq!(topic.topic_context_updated_at, None);
    assert_eq!(
        topic.last_session_date.as_ref().unwrap().as_str(),
        "2026-03-03T14:00:00.953635Z"
    );
}

#[tokio::test]
async fn list_topics_bare_array() {
    let server = MockServer::start().await;
    call("GET", "/topics")
        .respond_with(reply_json(
            200,
            fixture_json("topics_list.json")["data"].clone(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client(&server)
        .topics()
        .list()
        .paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].items.len(), 2);
}

#[tokio::test]
async fn create_topic_sends_every_field_once() {
    let server = MockServer::start().await;
    call("POST", "/topics")
        .and(no_query())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "Sales",
            "description": "Customer calls",
            "color": "#4A90D9",
            "iconName": "handshake",
            "topicContext": "Track objections."
        })))
        .respond_with(reply(201, "topic_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/topics")
        .and(no_query())
        .and(body_json(json!({"name": "Minimal"})))
        .respond_with(reply(201, "topic_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let topic = hedy
        .topics()
        .create(
            NewTopic::new("Sales")
                .description("Customer calls")
                .color("#4A90D9")
                .icon_name("handshake")
                .topic_context("Track objections."),
        )
        .await
        .unwrap();
    assert_eq!(topic.id, "topic_new001");
    assert_eq!(topic.session_count, Some(0));
    hedy.topics()
        .create(NewTopic::new("Minimal"))
        .await
        .unwrap();
}

#[tokio::test]
async fn update_topic_tri_state_context() {
    let server = MockServer::start().await;
    let updated = reply(200, "topic_get.json");
    call("PATCH", "/topics/topic_xyz")
        .and(no_query())
        .and(body_json(json!({"name": "Standups", "topicContext": null})))
        .respond_with(updated.clone())
        .expect(1)
        .mount(&server)
        .await;
    call("PATCH", "/topics/topic_xyz")
        .and(no_query())
        .and(body_json(json!({"topicContext": "Focus on blockers."})))
        .respond_with(updated.clone())
        .expect(1)
        .mount(&server)
        .await;
    call("PATCH", "/topics/topic_xyz")
        .and(no_query())
        .and(body_json(
            json!({"color": "#000000", "description": "d", "iconName": "star"}),
        ))
        .respond_with(updated)
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let t = hedy
        .topics()
        .update(
            "topic_xyz",
            TopicChanges::new().name("Standups").clear_topic_context(),
        )
        .await
        .unwrap();
    assert_eq!(t.id, "topic_xyz");
    hedy.topics()
        .update(
            "topic_xyz",
            TopicChanges::new().topic_context("Focus on blockers."),
        )
        .await
        .unwrap();
    // Unchanged leaves the key out entirely.
    hedy.topics()
        .update(
            "topic_xyz",
            TopicChanges::new()
                .color("#000000")
                .description("d")
                .icon_name("star")
                .topic_context(Patch::Unchanged),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn delete_topic() {
    let server = MockServer::start().await;
    call("DELETE", "/topics/topic_xyz")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "topic_deleted.json"))
        .expect(1)
        .mount(&server)
        .await;
    let ack = client(&server).topics().delete("topic_xyz").await.unwrap();
    assert_eq!(ack.success, Some(true));
    assert_eq!(ack.message.as_deref(), Some("Topic deleted"));
}

#[tokio::test]
async fn topic_sessions_page_and_stream() {
    let server = MockServer::start().await;
    call("GET", "/topics/topic_xyz/sessions")
        .and(query_is(&[("limit", "1")]))
        .and(NoBody)
        .respond_with(reply(200, "topic_sessions_page1.json"))
        .expect(2)
        .mount(&server)
        .await;
    call("GET", "/topics/topic_xyz/sessions")
        .and(query_is(&[
            ("limit", "1"),
            ("startAfter", "sess_7Qm2xK9aL0"),
        ]))
        .and(NoBody)
        .respond_with(reply(200, "topic_sessions_page2.json"))
        .expect(2)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let page = hedy
        .topics()
        .sessions("topic_xyz")
        .limit(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next_cursor.as_deref(), Some("sess_7Qm2xK9aL0"));
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.extra["count"], 1);
    let first = &page.items[0];
    assert_eq!(first.duration, Some(1800.0));
    assert_eq!(
        first.topic_info.as_ref().unwrap().name.as_deref(),
        Some("Team Meetings")
    );
    let second = hedy
        .topics()
        .sessions("topic_xyz")
        .limit(1)
        .start_after("sess_7Qm2xK9aL0")
        .send()
        .await
        .unwrap();
    assert_eq!((second.has_more, second.next_cursor), (Some(false), None));
    let all: Vec<_> = hedy
        .topics()
        .sessions("topic_xyz")
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|s| s.session_id.as_str()).collect();
    assert_eq!(ids, ["sess_7Qm2xK9aL0", "sess_2Lp6wE0sK5"]);
}
