//! Contract tests for the read endpoints: sessions (list, stream, get, highlights, todos),
//! highlights, todos and `/me`, in every envelope form the sources disagree on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{call, client, fixture_json, no_query, query_is, reply, reply_json, NoBody};
use futures::TryStreamExt;
use hedy_client::sessions::Conversations;
use hedy_client::{ErrorKind, SessionType};
use serde_json::json;
use wiremock::matchers::header_regex;
use wiremock::MockServer;

#[tokio::test]
async fn list_sessions_one_page() {
    let server = MockServer::start().await;
    call("GET", "/sessions")
        .and(query_is(&[("limit", "2")]))
        .and(NoBody)
        .and(header_regex("user-agent", r"^hedy-client/\d+\.\d+\.\d+$"))
        .respond_with(reply(200, "sessions_list_page1.json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .sessions()
        .list()
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_cursor.as_deref(), Some("sess_3Bv8pR1cN4"));
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.total, Some(5));
    let first = &page.items[0];
    assert_eq!(first.session_id, "sess_7Qm2xK9aL0");
    assert_eq!(first.title.as_deref(), Some("Weekly Team Standup"));
    assert_eq!(
        first.start_time.as_ref().unwrap().as_str(),
        "2026-03-03T14:00:00.953635Z"
    );
    assert_eq!(first.duration, Some(1800.0));
    assert_eq!(first.session_type, Some(SessionType::Meeting));
    let topic = first.topic.as_ref().unwrap();
    assert_eq!(
        (topic.id.as_str(), topic.name.as_deref()),
        ("topic_xyz", Some("Team Meetings"))
    );
    assert_eq!(topic.topic_context, None);
    assert_eq!(topic.icon_name.as_deref(), Some("group"));
    assert!(first.transcript.is_none() && first.highlights.is_none());
    assert!(page.items[1].topic.is_none());
}

#[tokio::test]
async fn list_sessions_defaults_and_every_parameter() {
    let server = MockServer::start().await;
    call("GET", "/sessions")
        .and(no_query())
        .respond_with(reply(200, "sessions_list_page3.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/sessions")
        .and(query_is(&[
            ("limit", "100"),
            ("after", "sess_3Bv8pR1cN4"),
            ("topicId", "topic_xyz"),
        ]))
        .respond_with(reply(200, "sessions_list_page2.json"))
        .expect(1)
        .mount(&server)
        .await;
    // format=zapier: a bare array carrying detail fields, no pagination.
    call("GET", "/sessions")
        .and(query_is(&[("format", "zapier")]))
        .respond_with(reply_json(200, json!([fixture_json("session_get.json")])))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let last = hedy.sessions().list().send().await.unwrap();
    assert_eq!(last.items.len(), 1);
    assert_eq!((last.has_more, last.next_cursor), (Some(false), None));
    assert_eq!(
        last.items[0].session_type,
        Some(SessionType::Unknown("workshop".into()))
    );
    let filtered = hedy
        .sessions()
        .list()
        .limit(100)
        .after("sess_3Bv8pR1cN4")
        .topic_id("topic_xyz")
        .send()
        .await
        .unwrap();
    assert_eq!(filtered.next_cursor.as_deref(), Some("sess_5Hn1mB8vR3"));
    let zapier = hedy.sessions().list().zapier().send().await.unwrap();
    // No pagination sent: the page says nothing beyond its items.
    assert_eq!(
        (zapier.has_more, zapier.next_cursor, zapier.total),
        (None, None, None)
    );
    assert!(zapier.extra.is_empty());
    assert!(zapier.items[0].transcript.is_some());
}

#[tokio::test]
async fn stream_sessions_over_three_pages() {
    let server = MockServer::start().await;
    // Pages 2 and 3 are fetched twice: by the full walk, then by the walk from a cursor.
    for (query, page, times) in [
        (vec![("limit", "2")], "sessions_list_page1.json", 1),
        (
            vec![("limit", "2"), ("after", "sess_3Bv8pR1cN4")],
            "sessions_list_page2.json",
            2,
        ),
        (
            vec![("limit", "2"), ("after", "sess_5Hn1mB8vR3")],
            "sessions_list_page3.json",
            2,
        ),
    ] {
        call("GET", "/sessions")
            .and(query_is(&query))
            .and(NoBody)
            .respond_with(reply(200, page))
            .expect(times)
            .mount(&server)
            .await;
    }
    let all: Vec<_> = client(&server)
        .sessions()
        .list()
        .limit(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|s| s.session_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "sess_7Qm2xK9aL0",
            "sess_3Bv8pR1cN4",
            "sess_9Xk4tY2wQ7",
            "sess_5Hn1mB8vR3",
            "sess_2Lp6wE0sK5"
        ]
    );
    // Pages as pages, starting after a cursor.
    let pages: Vec<_> = client(&server)
        .sessions()
        .list()
        .limit(2)
        .after("sess_3Bv8pR1cN4")
        .paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].items.len(), 1);
}

#[tokio::test]
async fn stream_stops_on_a_null_cursor_and_refuses_a_repeated_one() {
    let server = MockServer::start().await;
    // hasMore true but next null (the OpenClaw reference's form): the walk ends there.
    call("GET", "/sessions")
        .and(query_is(&[("limit", "1")]))
        .respond_with(reply_json(
            200,
            json!({"success": true, "data": [{"sessionId": "a"}], "pagination": {"hasMore": true, "next": null}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .sessions()
        .list()
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 1);

    // A server that hands back the same cursor forever: an error, not a loop.
    let looping = MockServer::start().await;
    call("GET", "/highlights")
        .respond_with(reply_json(
            200,
            json!({"success": true, "data": [{"highlightId": "h"}], "pagination": {"hasMore": true, "next": "same"}}),
        ))
        .expect(2)
        .mount(&looping)
        .await;
    let mut stream = client(&looping).highlights().list().into_stream();
    let mut items = 0;
    let err = loop {
        match stream.try_next().await {
            Ok(Some(_)) => items += 1,
            Ok(None) => panic!("the stream ended"),
            Err(e) => break e,
        }
    };
    assert_eq!(items, 1); // the page that repeats the cursor is refused whole
    assert_eq!(err.kind(), ErrorKind::Pagination);
}

#[tokio::test]
async fn get_session_bare_and_wrapped() {
    let server = MockServer::start().await;
    call("GET", "/sessions/sess_7Qm2xK9aL0")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "session_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/sessions/sess_wrapped")
        .respond_with(reply_json(
            200,
            json!({"success": true, "data": fixture_json("session_get.json")}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let s = hedy.sessions().get("sess_7Qm2xK9aL0").await.unwrap();
    assert_eq!(
        s.end_time.as_ref().unwrap().as_str(),
        "2026-03-03T14:30:00.531644Z"
    );
    assert_eq!(
        s.cleaned_at.as_ref().unwrap().as_str(),
        "2026-03-03T14:35:00Z"
    );
    assert!(s
        .duration_from_times()
        .is_some_and(|d| (d - 1_799.578_009).abs() < 1e-3));
    assert_eq!(
        s.conversations.as_ref().and_then(Conversations::as_text),
        Some("Q: What's the status of the launch?\nA: On track for March 15.")
    );
    assert_eq!(
        s.session_notes.as_deref(),
        Some("[{\"insert\":\"Loop in QA before the launch.\\n\"}]")
    );
    assert!(s
        .meeting_minutes
        .as_deref()
        .unwrap()
        .starts_with("## Key Decisions"));
    let h = &s.highlights.as_ref().unwrap()[0];
    assert_eq!(h.highlight_id, "high_def456");
    assert_eq!(h.time_index_ms, Some(720_000));
    assert_eq!(h.session_id, None);
    assert_eq!(
        h.ai_insight.as_deref(),
        Some("Team aligned on an aggressive timeline.")
    );
    let todo = &s.user_todos.as_ref().unwrap()[0];
    assert_eq!(
        (todo.id.as_str(), todo.due_date.as_deref(), todo.completed),
        ("todo_001", Some("Next week"), Some(false))
    );
    assert_eq!(todo.session_id, None);
    // The topic embedded in a detail carries only some fields.
    assert_eq!(s.topic.as_ref().unwrap().description, None);
    assert!(s.extra.is_empty(), "{:?}", s.extra);
    let wrapped = hedy.sessions().get("sess_wrapped").await.unwrap();
    assert_eq!(wrapped, s);
}

#[tokio::test]
async fn session_highlights_and_todos_in_both_forms() {
    let server = MockServer::start().await;
    call("GET", "/sessions/sess_7Qm2xK9aL0/highlights")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "session_highlights.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/sessions/sess_bare/highlights")
        .respond_with(reply_json(
            200,
            fixture_json("session_highlights.json")["data"].clone(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/sessions/sess_7Qm2xK9aL0/todos")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "session_todos.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/sessions/sess_bare/todos")
        .respond_with(reply_json(
            200,
            fixture_json("session_todos.json")["data"].clone(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/sessions/sess_keyed/todos")
        .respond_with(reply_json(
            200,
            json!({"todos": fixture_json("session_todos.json")["data"].clone()}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let highlights = hedy
        .sessions()
        .highlights("sess_7Qm2xK9aL0")
        .send()
        .await
        .unwrap()
        .items;
    assert_eq!(highlights.len(), 2);
    assert_eq!(highlights[0].highlight_id, "high_def456"); // sent as `id`
    assert_eq!(
        highlights[1].main_idea.as_deref(),
        Some("QA may block the launch")
    );
    assert_eq!(
        hedy.sessions()
            .highlights("sess_bare")
            .send()
            .await
            .unwrap()
            .items,
        highlights
    );
    let todos = hedy
        .sessions()
        .todos("sess_7Qm2xK9aL0")
        .send()
        .await
        .unwrap()
        .items;
    assert_eq!(todos.len(), 2);
    assert_eq!(todos[1].id, "4f1c2a9e-8b7d-4e3a-9c51-2d6f0b8e7a13");
    assert_eq!(todos[1].due_date.as_deref(), Some(""));
    assert_eq!(todos[1].completed, Some(true));
    for id in ["sess_bare", "sess_keyed"] {
        let streamed: Vec<_> = hedy
            .sessions()
            .todos(id)
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(streamed, todos, "{id}");
    }
}

#[tokio::test]
async fn session_todo_wrapped_and_bare() {
    let server = MockServer::start().await;
    call("GET", "/sessions/sess_7Qm2xK9aL0/todos/todo_001")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "session_todo_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/sessions/sess_7Qm2xK9aL0/todos/todo_bare")
        .respond_with(reply_json(
            200,
            fixture_json("session_todo_get.json")["data"].clone(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let todo = hedy
        .sessions()
        .todo("sess_7Qm2xK9aL0", "todo_001")
        .await
        .unwrap();
    assert_eq!(todo.text.as_deref(), Some("Prepare demo for stakeholders"));
    assert_eq!(todo.session_id.as_deref(), Some("sess_7Qm2xK9aL0"));
    assert_eq!(
        hedy.sessions()
            .todo("sess_7Qm2xK9aL0", "todo_bare")
            .await
            .unwrap(),
        todo
    );
}

#[tokio::test]
async fn ids_are_percent_encoded_in_paths() {
    let server = MockServer::start().await;
    call("GET", "/sessions/a%2Fb%20c")
        .respond_with(reply(200, "session_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).sessions().get("a/b c").await.unwrap();
}

#[tokio::test]
async fn highlights_list_stream_and_get() {
    let server = MockServer::start().await;
    call("GET", "/highlights")
        .and(query_is(&[("limit", "2"), ("topicId", "topic_xyz")]))
        .and(NoBody)
        .respond_with(reply(200, "highlights_list_page1.json"))
        .expect(2) // once for send(), once for the stream
        .mount(&server)
        .await;
    call("GET", "/highlights")
        .and(query_is(&[
            ("limit", "2"),
            ("topicId", "topic_xyz"),
            ("after", "high_def456"),
        ]))
        .respond_with(reply(200, "highlights_list_page2.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/highlights")
        .and(query_is(&[("format", "zapier"), ("after", "x")]))
        .respond_with(reply_json(200, json!([{"highlightId": "high_z"}])))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/highlights/high_def456")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "highlight_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let page = hedy
        .highlights()
        .list()
        .limit(2)
        .topic_id("topic_xyz")
        .send()
        .await
        .unwrap();
    let summary = &page.items[0];
    assert_eq!(summary.highlight_id, "high_ghi789");
    assert_eq!(summary.session_id.as_deref(), Some("sess_7Qm2xK9aL0"));
    assert_eq!(summary.title.as_deref(), Some("QA capacity risk"));
    assert!(summary.raw_quote.is_none() && summary.time_index_ms.is_none());
    let all: Vec<_> = hedy
        .highlights()
        .list()
        .limit(2)
        .topic_id("topic_xyz")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|h| h.highlight_id.as_str()).collect();
    assert_eq!(ids, ["high_ghi789", "high_def456", "high_jkl012"]);
    let zapier = hedy
        .highlights()
        .list()
        .zapier()
        .after("x")
        .send()
        .await
        .unwrap();
    assert_eq!(zapier.items[0].highlight_id, "high_z");
    let full = hedy.highlights().get("high_def456").await.unwrap();
    assert_eq!(full.time_index_ms, Some(720_000));
    assert_eq!(
        full.cleaned_quote.as_deref(),
        Some("Let's go with March 15th for the launch.")
    );
    assert_eq!(
        full.timestamp.as_ref().unwrap().unix_seconds(),
        Some(1_772_547_120.0)
    );
}

#[tokio::test]
async fn todos_bare_array_and_wrapped() {
    let server = MockServer::start().await;
    call("GET", "/todos")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "todos_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let page = hedy.todos().list().send().await.unwrap();
    assert_eq!(page.has_more, Some(false));
    let todos = page.items;
    assert_eq!(todos.len(), 4);
    let due: Vec<_> = todos
        .iter()
        .map(|t| t.due_date.as_deref().unwrap())
        .collect();
    assert_eq!(due, ["Next week", "", "May 18, 2027 3pm", "Tomorrow"]);
    assert_eq!(
        todos[0].topic.as_ref().unwrap().name.as_deref(),
        Some("Team Meetings")
    );
    assert!(todos[2].topic.is_none());

    let wrapped = MockServer::start().await;
    call("GET", "/todos")
        .respond_with(reply_json(
            200,
            json!({"success": true, "data": fixture_json("todos_list.json")}),
        ))
        .expect(1)
        .mount(&wrapped)
        .await;
    let streamed: Vec<_> = client(&wrapped)
        .todos()
        .list()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, todos);
}

#[tokio::test]
async fn me_bare_and_wrapped_keeps_extra_fields() {
    let server = MockServer::start().await;
    call("GET", "/me")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "me.json"))
        .expect(1)
        .mount(&server)
        .await;
    let me = client(&server).me().await.unwrap();
    assert_eq!(me.email.as_deref(), Some("dana@example.com"));
    assert_eq!(me.id.as_deref(), Some("user_4kd92ja"));
    assert_eq!(me.extra["pro"], json!(true));
    assert_eq!(me.extra["cloudSyncEnabled"], json!(true));

    let wrapped = MockServer::start().await;
    call("GET", "/me")
        .respond_with(reply_json(
            200,
            json!({"success": true, "data": fixture_json("me.json")}),
        ))
        .expect(1)
        .mount(&wrapped)
        .await;
    assert_eq!(client(&wrapped).me().await.unwrap(), me);
}
