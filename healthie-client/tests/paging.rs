//! The collections as streams across three pages in both pagination modes, the exact paging
//! variables of each request, and the loop guard on a repeated cursor.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use client_core::ErrorKind;
use common::*;
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::MockServer;

fn ids(items: &[healthie_client::Appointment]) -> Vec<&str> {
    items.iter().map(|a| a.id.as_str()).collect()
}

#[tokio::test]
async fn appointments_stream_across_three_connection_pages() {
    let server = MockServer::start().await;
    let all = appointments();
    let pages = [
        (
            json!({ "filter": "past", "first": 2 }),
            vec![all[0].clone(), all[1].clone()],
            Some("c1"),
            true,
        ),
        (
            json!({ "filter": "past", "first": 2, "after": "c1" }),
            vec![all[2].clone(), all[3].clone()],
            Some("c3"),
            true,
        ),
        (
            json!({ "filter": "past", "first": 2, "after": "c3" }),
            vec![all[4].clone()],
            Some("c4"),
            false,
        ),
    ];
    for (variables, nodes, cursor, more) in pages {
        graphql("Appointments")
            .and(VariablesAre(variables))
            .respond_with(connection("appointments", nodes, cursor, more))
            .expect(1)
            .mount(&server)
            .await;
    }
    let items: Vec<_> = client(&server)
        .appointments()
        .list()
        .filter("past")
        .page_size(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["1001", "1002", "1003", "1004", "1005"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn appointments_stream_across_three_offset_pages_on_the_baseline() {
    let server = MockServer::start().await;
    let all = appointments();
    let pages = [
        (0, vec![all[0].clone(), all[1].clone()]),
        (2, vec![all[2].clone(), all[3].clone()]),
        (4, vec![all[4].clone()]),
        (5, vec![]),
    ];
    for (offset, items) in pages {
        graphql("Appointments")
            .and(VariablesAre(
                json!({ "offset": offset, "page_size": 2, "should_paginate": true }),
            ))
            .respond_with(data(json!({ "appointments": items })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let items: Vec<_> = baseline_client(&server)
        .appointments()
        .list()
        .page_size(2)
        .prefetch(0)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["1001", "1002", "1003", "1004", "1005"]);
    // Three pages of items and the empty page that ends the list.
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let all = appointments();
    graphql("Appointments")
        .and(VariablesAre(json!({ "first": 2 })))
        .respond_with(connection(
            "appointments",
            vec![all[0].clone(), all[1].clone()],
            Some("c1"),
            true,
        ))
        .mount(&server)
        .await;
    graphql("Appointments")
        .and(VariablesAre(json!({ "first": 2, "after": "c1" })))
        .respond_with(connection(
            "appointments",
            vec![all[2].clone(), all[3].clone()],
            Some("c1"),
            true,
        ))
        .mount(&server)
        .await;
    let results: Vec<_> = client(&server)
        .appointments()
        .list()
        .page_size(2)
        .into_stream()
        .collect()
        .await;
    let ok: Vec<_> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|a| a.id.as_str())
        .collect();
    // The page that hands back the cursor it was fetched with is the server looping: its
    // items are new, so they are yielded, then the stream ends with the error instead of
    // following the cursor again.
    assert_eq!(ok, ["1001", "1002", "1003", "1004"]);
    let last = results.last().unwrap().as_ref().unwrap_err();
    assert_eq!(last.kind(), ErrorKind::Pagination, "{last:?}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "no third request"
    );
}

#[tokio::test]
async fn a_null_connection_is_an_error_not_an_empty_list() {
    let server = MockServer::start().await;
    graphql("Appointments")
        .respond_with(data(json!({ "appointments": null })))
        .mount(&server)
        .await;
    let err = client(&server)
        .appointments()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn webhooks_and_the_delivery_log_stream_by_cursor() {
    let server = MockServer::start().await;
    let hooks = fixture_json("webhooks.json")["webhooks"]
        .as_array()
        .unwrap()
        .clone();
    graphql("Webhooks")
        .and(VariablesAre(json!({ "first": 1 })))
        .respond_with(connection(
            "webhooks",
            vec![hooks[0].clone()],
            Some("c0"),
            true,
        ))
        .expect(1)
        .mount(&server)
        .await;
    graphql("Webhooks")
        .and(VariablesAre(json!({ "first": 1, "after": "c0" })))
        .respond_with(connection(
            "webhooks",
            vec![hooks[1].clone()],
            Some("c1"),
            false,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let sent = fixture_json("sent_webhooks.json")["sentWebhooks"]
        .as_array()
        .unwrap()
        .clone();
    graphql("SentWebhooks")
        .and(VariablesAre(json!({ "first": 3 })))
        .respond_with(connection(
            "sentWebhooks",
            sent[..3].to_vec(),
            Some("c2"),
            true,
        ))
        .expect(1)
        .mount(&server)
        .await;
    graphql("SentWebhooks")
        .and(VariablesAre(json!({ "first": 3, "after": "c2" })))
        .respond_with(connection(
            "sentWebhooks",
            sent[3..].to_vec(),
            Some("c4"),
            false,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let healthie = client(&server);
    let hooks: Vec<_> = healthie
        .webhooks()
        .list()
        .page_size(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        hooks.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["7001", "7002"]
    );
    let log: Vec<_> = healthie
        .sent_webhooks()
        .list()
        .page_size(3)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(log.len(), 5);
    assert_eq!(log[4].id, "8005");
}
