//! Contract tests, one per endpoint: what the client sends (method, path, query, bearer key,
//! JSON body, how many times) and what it makes of the documented answers; the call stream
//! over several pages; client-side validation that refuses before any request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{
    call, call_item, client, fixture, no_query, only_request, page, query_is, reply, NoBody,
};
use futures::TryStreamExt;
use heilo_client::calls::{CrmStatus, Direction, OutboundLifecycle};
use heilo_client::me::{Environment, Scope};
use heilo_client::webhooks::{verify_and_parse, EventType};
use heilo_client::webhooks_api::{NewWebhookSubscription, VerificationMode};
use heilo_client::{ErrorKind, Meta};
use serde_json::json;
use wiremock::matchers::{any, body_json, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CALL_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

#[tokio::test]
async fn me_introspects_the_key() {
    let server = MockServer::start().await;
    call("GET", "/me")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "me.json"))
        .expect(1)
        .mount(&server)
        .await;
    let me = client(&server).me().await.unwrap();
    assert_eq!(me.api_key_id, "a1b2c3d4-5e6f-7081-92a3-b4c5d6e7f809");
    assert_eq!(
        me.user_id.as_deref(),
        Some("5f4e3d2c-1a2b-4c3d-8e9f-0a1b2c3d4e5f")
    );
    assert_eq!(
        me.organization_id.as_deref(),
        Some("7a8b9c0d-1e2f-4a3b-9c8d-7e6f5a4b3c2d")
    );
    assert_eq!(me.scopes, vec![Scope::ReadCalls, Scope::ManageWebhooks]);
    assert!(me.has_scope(&Scope::ReadCalls));
    assert_eq!(me.rate_limit_per_hour, Some(1000));
    assert_eq!(me.environment, Some(Environment::Live));
    assert_eq!(
        me.meta.timestamp.as_ref().map(|t| t.as_str()),
        Some("2026-06-03T12:34:56Z")
    );
    let req = only_request(&server).await;
    let ua = req.headers["user-agent"].to_str().unwrap();
    assert!(ua.starts_with("heilo-client/"), "{ua}");
}

#[tokio::test]
async fn calls_list_sends_every_filter() {
    let server = MockServer::start().await;
    call("GET", "/calls")
        .and(query_is(&[
            ("page", "2"),
            ("limit", "50"),
            ("direction", "outbound"),
            ("status", "to_call"),
            ("dateFrom", "2026-06-01"),
            ("dateTo", "2026-06-30T23:59:59Z"),
        ]))
        .and(NoBody)
        .respond_with(reply(200, "calls_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .calls()
        .list()
        .page(2)
        .limit(50)
        .direction(Direction::Outbound)
        .status(CrmStatus::ToCall)
        .date_from("2026-06-01")
        .date_to("2026-06-30T23:59:59Z")
        .send()
        .await
        .unwrap();
    // The documented example, field by field.
    assert_eq!(page.has_more, Some(false));
    assert_eq!(page.number, Some(1));
    assert_eq!(page.per_page, Some(20));
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.total, None);
    let c = &page.items[0];
    assert_eq!(c.call_id, CALL_ID);
    assert_eq!(c.direction, Some(Direction::Inbound));
    assert_eq!(c.caller_phone.as_deref(), Some("+48600100200"));
    assert_eq!(c.customer_phone_e164.as_deref(), Some("+48600100200"));
    assert_eq!(c.caller_name.as_deref(), Some("Jan Kowalski"));
    assert_eq!(c.duration, Some(87.0));
    assert_eq!(c.crm_status, Some(CrmStatus::New));
    assert_eq!(c.review_status, None);
    assert_eq!(c.outbound_lifecycle, None);
    let tp = c.transcript_processed.as_ref().unwrap();
    assert_eq!(tp.caller_name.as_deref(), Some("Jan Kowalski"));
    assert_eq!(tp.summary.as_deref(), Some("..."));
    assert_eq!(tp.service_needed.as_deref(), Some("..."));
    assert!(tp.other.is_empty());
    assert_eq!(
        c.created_at.as_ref().and_then(|t| t.unix_seconds()),
        Some(1_780_490_096.0)
    );
    // The envelope's `meta`, kept as sent in `extra` and read back as `Meta`.
    assert_eq!(
        page.extra.get("meta"),
        Some(&json!({"timestamp": "2026-06-03T12:34:56Z"}))
    );
    assert_eq!(
        Meta::from_page(&page)
            .timestamp
            .as_ref()
            .map(|t| t.as_str()),
        Some("2026-06-03T12:34:56Z")
    );
}

#[tokio::test]
async fn calls_list_without_parameters_sends_no_query() {
    let server = MockServer::start().await;
    call("GET", "/calls")
        .and(no_query())
        .respond_with(reply(200, "calls_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server).calls().list().send().await.unwrap();
    assert_eq!(page.items.len(), 1);
}

#[tokio::test]
async fn limit_bounds_are_accepted() {
    let server = MockServer::start().await;
    for limit in ["1", "100"] {
        call("GET", "/calls")
            .and(query_is(&[("limit", limit)]))
            .respond_with(reply(200, "calls_list.json"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let heilo = client(&server);
    heilo.calls().list().limit(1).send().await.unwrap();
    heilo.calls().list().limit(100).send().await.unwrap();
}

#[tokio::test]
async fn calls_get_fetches_one_call() {
    let server = MockServer::start().await;
    call("GET", &format!("/calls/{CALL_ID}"))
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "call_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server).calls().get(CALL_ID).await.unwrap();
    assert_eq!(c.call_id, CALL_ID);
    assert_eq!(c.crm_status, Some(CrmStatus::New));
}

#[tokio::test]
async fn calls_get_percent_encodes_the_id() {
    let server = MockServer::start().await;
    call("GET", "/calls/a%20b%2Fc%3Fd")
        .and(no_query())
        .respond_with(reply(200, "call_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).calls().get("a b/c?d").await.unwrap();
}

#[tokio::test]
async fn create_subscription_sends_the_documented_fields() {
    let server = MockServer::start().await;
    call("POST", "/webhook-subscriptions")
        .and(no_query())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "url": "https://crm.example.com/hooks/heilo",
            "event_types": ["call.completed", "call.outbound.attempted"],
            "verification_mode": "strict",
        })))
        .respond_with(reply(201, "webhook_subscription_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server)
        .webhooks()
        .create(
            NewWebhookSubscription::new(
                "https://crm.example.com/hooks/heilo",
                [EventType::CallCompleted, EventType::CallOutboundAttempted],
            )
            .verification_mode(VerificationMode::Strict),
        )
        .await
        .unwrap();
    let sub = &created.subscription;
    assert_eq!(
        sub.id.as_deref(),
        Some("0e9d8c7b-6a5f-4e4d-8c3b-2a1f0e9d8c7b")
    );
    assert_eq!(
        sub.url.as_deref(),
        Some("https://crm.example.com/hooks/heilo")
    );
    assert_eq!(
        sub.event_types,
        vec![EventType::CallCompleted, EventType::CallOutboundAttempted]
    );
    assert_eq!(sub.verification_mode, Some(VerificationMode::Permissive));
    assert_eq!(sub.status.as_deref(), Some("pending_verification"));
    let secret = created.signing_secret.as_ref().unwrap();
    assert_eq!(secret.expose(), "heilo-mock-signing-secret");
    // Never in Debug.
    assert!(!format!("{created:?}").contains("heilo-mock-signing-secret"));
    // The verifier accepts what that secret signs.
    let body = fixture("events/call.completed.json");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut headers = http::HeaderMap::new();
    for (k, v) in webhook_verify::heilo::sign_event(
        secret.expose(),
        now,
        "1bf3a5e2-...",
        "call.completed",
        body.as_bytes(),
    )
    .unwrap()
    {
        headers.insert(k, v);
    }
    let event = verify_and_parse(&created.verifier().unwrap(), &headers, body.as_bytes()).unwrap();
    assert_eq!(event.event_type(), EventType::CallCompleted);
}

#[tokio::test]
async fn create_subscription_leaves_the_default_mode_to_the_server() {
    let server = MockServer::start().await;
    call("POST", "/webhook-subscriptions")
        .and(body_json(json!({
            "url": "https://hooks.zapier.com/hooks/catch/1/abc/",
            "event_types": ["call.completed"],
        })))
        .respond_with(reply(201, "webhook_subscription_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .webhooks()
        .create(NewWebhookSubscription::new(
            "https://hooks.zapier.com/hooks/catch/1/abc/",
            [EventType::CallCompleted],
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn stream_walks_three_pages_with_the_filters() {
    let server = MockServer::start().await;
    let ids: Vec<String> = (1..=5).map(|i| format!("call-{i}")).collect();
    let item = |i: usize| call_item(&ids[i], "2026-06-10T10:00:00Z");
    let filters = [
        ("limit", "2"),
        ("direction", "outbound"),
        ("status", "contacted"),
        ("dateFrom", "2026-06-01"),
    ];
    for (n, items, more) in [
        ("1", vec![item(0), item(1)], true),
        ("2", vec![item(2), item(3)], true),
        ("3", vec![item(4)], false),
    ] {
        let mut pairs = filters.to_vec();
        pairs.push(("page", n));
        call("GET", "/calls")
            .and(query_is(&pairs))
            .respond_with(page(items, n.parse().unwrap(), 2, more))
            .expect(1)
            .mount(&server)
            .await;
    }
    let all: Vec<_> = client(&server)
        .calls()
        .list()
        .limit(2)
        .direction(Direction::Outbound)
        .status(CrmStatus::Contacted)
        .date_from("2026-06-01")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let got: Vec<&str> = all.iter().map(|c| c.call_id.as_str()).collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn stream_starts_at_the_given_page() {
    let server = MockServer::start().await;
    call("GET", "/calls")
        .and(query_is(&[("page", "4")]))
        .respond_with(page(
            vec![call_item("a", "2026-06-10T10:00:00Z")],
            4,
            20,
            true,
        ))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/calls")
        .and(query_is(&[("page", "5")]))
        .respond_with(page(
            vec![call_item("b", "2026-06-10T10:00:00Z")],
            5,
            20,
            false,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let all: Vec<_> = client(&server)
        .calls()
        .list()
        .page(4)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn an_empty_page_claiming_more_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    call("GET", "/calls")
        .respond_with(page(vec![], 1, 20, true))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .calls()
        .list()
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Pagination);
}

#[tokio::test]
async fn documented_bounds_are_refused_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let heilo = client(&server);
    let calls = heilo.calls();
    let refused = [
        calls.list().limit(0).send().await.unwrap_err(),
        calls.list().limit(101).send().await.unwrap_err(),
        calls.list().page(0).send().await.unwrap_err(),
        calls
            .list()
            .date_from("yesterday")
            .send()
            .await
            .unwrap_err(),
        calls.list().date_to("2026-06-31").send().await.unwrap_err(),
        calls
            .list()
            .date_from("2026-06-30")
            .date_to("2026-06-01")
            .send()
            .await
            .unwrap_err(),
        calls
            .list()
            .limit(500)
            .into_stream()
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err(),
        calls.get("").await.unwrap_err(),
        calls.get("..").await.unwrap_err(),
        heilo
            .webhooks()
            .create(NewWebhookSubscription::new(
                "crm.example.com/hook",
                [EventType::CallCompleted],
            ))
            .await
            .unwrap_err(),
        heilo
            .webhooks()
            .create(NewWebhookSubscription::new(
                "https://crm.example.com/hook",
                [],
            ))
            .await
            .unwrap_err(),
    ];
    for err in &refused {
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
        assert_eq!(err.status(), None);
    }
    assert!(refused[0].to_string().contains("1..=100"), "{}", refused[0]);
}

#[tokio::test]
async fn unknown_values_are_kept() {
    let server = MockServer::start().await;
    let mut item = call_item(CALL_ID, "2026-06-03T12:34:56.123456+02:00");
    item["direction"] = json!("internal");
    item["crm_status"] = json!("won");
    item["outbound_lifecycle"] = json!("voicemail");
    item["review_status"] = json!({"state": "approved"});
    item["transcript_processed"] = json!({
        "summary": "s",
        "lead_score": 7.5,
        "detected_language": "pl",
        "proposal_items": [{"type": "callback"}],
        "sentiment": "positive",
        "call_tags": ["vip"],
    });
    item["brand_new_field"] = json!(1);
    call("GET", "/calls")
        .respond_with(common::reply_json(
            200,
            json!({"success": true, "data": {
                "items": [item], "has_more": false, "page": 1, "limit": 20, "total_hint": 1
            }, "meta": {"timestamp": "2026-06-03T12:34:56Z"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/me")
        .respond_with(common::reply_json(
            200,
            json!({"success": true, "data": {
                "api_key_id": "k", "scopes": ["read.calls", "read.recordings"],
                "environment": "sandbox", "rate_limit_per_hour": 250
            }}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let heilo = client(&server);
    let page = heilo.calls().list().send().await.unwrap();
    let c = &page.items[0];
    assert_eq!(c.direction, Some(Direction::Unknown("internal".into())));
    assert_eq!(c.crm_status, Some(CrmStatus::Unknown("won".into())));
    assert_eq!(
        c.outbound_lifecycle,
        Some(OutboundLifecycle::Unknown("voicemail".into()))
    );
    assert_eq!(c.review_status, Some(json!({"state": "approved"})));
    assert_eq!(
        c.created_at
            .as_ref()
            .and_then(|t| t.unix_seconds())
            .map(f64::floor),
        Some(1_780_490_096.0 - 7200.0)
    );
    let tp = c.transcript_processed.as_ref().unwrap();
    assert_eq!(tp.lead_score, Some(7.5));
    assert_eq!(tp.detected_language.as_deref(), Some("pl"));
    assert_eq!(tp.proposal_items.as_ref().map(Vec::len), Some(1));
    assert_eq!(tp.other.get("sentiment"), Some(&json!("positive")));
    assert_eq!(tp.other.get("call_tags"), Some(&json!(["vip"])));
    assert!(!tp.other.contains_key("summary"));
    assert!(Meta::from_page(&page).timestamp.is_some());
    // A member of `data` this version does not know is kept next to `meta`.
    assert_eq!(page.extra.get("total_hint"), Some(&json!(1)));
    assert_eq!(page.extra.len(), 2);

    let me = heilo.me().await.unwrap();
    assert_eq!(
        me.scopes,
        vec![Scope::ReadCalls, Scope::Unknown("read.recordings".into())]
    );
    assert_eq!(me.environment, Some(Environment::Unknown("sandbox".into())));
    assert_eq!(me.rate_limit_per_hour, Some(250));
    assert_eq!(me.meta.timestamp, None);
}

#[tokio::test]
async fn a_2xx_envelope_saying_failure_is_an_error() {
    let server = MockServer::start().await;
    call("GET", "/me")
        .respond_with(common::reply_json(
            200,
            json!({"success": false, "error": {"code": "MAINTENANCE", "message": "off"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).me().await.unwrap_err();
    assert_eq!(err.vendor_code(), Some("MAINTENANCE"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
}
