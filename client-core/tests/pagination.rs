//! Pagination acceptance: each strategy walks a 3-page wiremock fixture with no lost or
//! duplicated items; a repeated cursor, `has_more` without a cursor and an empty page claiming
//! more end in a `Pagination` error instead of a loop; `max_items` bounds the walk; prefetch
//! asks for the next page before the consumer does (and `prefetch(0)` does not); nothing is
//! requested before the stream is polled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use client_core::{Client, ErrorKind, Page, Paginator, RetryPolicy, StatusCode};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate, Times};

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Item {
    id: u64,
}

fn items(ids: &[u64]) -> serde_json::Value {
    json!(ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>())
}

/// The fixture: seven items on three pages.
const PAGES: [&[u64]; 3] = [&[1, 2, 3], &[4, 5, 6], &[7]];

fn all_ids() -> Vec<u64> {
    (1..=7).collect()
}

/// Guard against a walk that never ends.
async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("the walk did not end")
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

// ---- cursor style: GET /items?after=<cursor> → {"data": [...], "next_cursor": ..., "has_more": ...}

#[derive(Deserialize)]
struct CursorBody {
    data: Vec<Item>,
    next_cursor: Option<String>,
    has_more: Option<bool>,
}

fn cursor_listing(client: &Client) -> Paginator<Item> {
    let client = client.clone();
    Paginator::cursor(move |after| {
        let client = client.clone();
        async move {
            let body: CursorBody = client
                .get("/items")
                .query("limit", 3)
                .query_opt("after", after)
                .send_json()
                .await?;
            let mut page = Page::new(body.data).next_cursor(body.next_cursor);
            page.has_more = body.has_more;
            Ok(page)
        }
    })
}

/// Mount one cursor page: `after` is the cursor that asks for it (`None` for the first).
async fn mount_cursor_page(
    server: &MockServer,
    after: Option<&str>,
    body: serde_json::Value,
    times: u64,
) {
    let mock = Mock::given(method("GET"))
        .and(path("/items"))
        .and(query_param("limit", "3"));
    let mock = match after {
        None => mock.and(query_param_is_missing("after")),
        Some(c) => mock.and(query_param("after", c)),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(times)
        .mount(server)
        .await;
}

async fn cursor_fixture() -> MockServer {
    let server = MockServer::start().await;
    let p = |ids, next: Option<&str>, more| json!({"data": items(ids), "next_cursor": next, "has_more": more});
    mount_cursor_page(&server, None, p(PAGES[0], Some("c2"), true), 1).await;
    mount_cursor_page(&server, Some("c2"), p(PAGES[1], Some("c3"), true), 1).await;
    mount_cursor_page(&server, Some("c3"), p(PAGES[2], None, false), 1).await;
    server
}

#[tokio::test]
async fn cursor_walks_every_item_once() {
    let server = cursor_fixture().await;
    let got: Vec<Item> = bounded(cursor_listing(&client(&server)).items().try_collect())
        .await
        .unwrap();
    assert_eq!(got.iter().map(|i| i.id).collect::<Vec<_>>(), all_ids());
    server.verify().await;
}

#[tokio::test]
async fn cursor_pages_come_in_order() {
    let server = cursor_fixture().await;
    let pages: Vec<Page<Item>> = bounded(cursor_listing(&client(&server)).pages().try_collect())
        .await
        .unwrap();
    let ids: Vec<Vec<u64>> = pages
        .iter()
        .map(|p| p.items.iter().map(|i| i.id).collect())
        .collect();
    assert_eq!(ids, PAGES.map(<[u64]>::to_vec).to_vec());
    assert_eq!(pages[0].next_cursor.as_deref(), Some("c2"));
    assert_eq!(pages[2].next_cursor, None);
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let p = |ids, next: &str| json!({"data": items(ids), "next_cursor": next, "has_more": true});
    mount_cursor_page(&server, None, p(PAGES[0], "c2"), 1).await;
    // The second page points at itself.
    mount_cursor_page(&server, Some("c2"), p(PAGES[1], "c2"), 1).await;

    let mut stream = cursor_listing(&client(&server)).items();
    let mut ids = Vec::new();
    let err = bounded(async {
        loop {
            match stream.next().await {
                Some(Ok(item)) => ids.push(item.id),
                Some(Err(e)) => break e,
                None => panic!("the walk ended without an error"),
            }
        }
    })
    .await;
    assert_eq!(err.kind(), ErrorKind::Pagination, "{err}");
    // The second page's items are new and good; the error comes right after them.
    assert_eq!(ids, vec![1, 2, 3, 4, 5, 6]);
    assert!(bounded(stream.next()).await.is_none(), "the stream ends");
    server.verify().await;
}

#[tokio::test]
async fn has_more_without_a_cursor_is_an_error() {
    let server = MockServer::start().await;
    mount_cursor_page(
        &server,
        None,
        json!({"data": items(PAGES[0]), "next_cursor": "c2", "has_more": true}),
        1,
    )
    .await;
    mount_cursor_page(
        &server,
        Some("c2"),
        json!({"data": items(PAGES[1]), "next_cursor": null, "has_more": true}),
        1,
    )
    .await;

    let pages: Vec<_> = bounded(cursor_listing(&client(&server)).pages().collect()).await;
    assert_eq!(pages.len(), 3, "two pages, then the error, then the end");
    assert!(pages[0].is_ok() && pages[1].is_ok());
    let err = pages[2].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Pagination);
    server.verify().await;
}

#[tokio::test]
async fn an_empty_cursor_page_that_claims_more_is_an_error() {
    let server = MockServer::start().await;
    mount_cursor_page(
        &server,
        None,
        json!({"data": [], "next_cursor": "c2", "has_more": true}),
        1,
    )
    .await;
    mount_cursor_page(&server, Some("c2"), json!({"data": items(&[1])}), 0).await;
    let result: Result<Vec<Item>, _> =
        bounded(cursor_listing(&client(&server)).items().try_collect()).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Pagination);
    server.verify().await;
}

// ---- page-number style: GET /pages?page=N → {"items": [...], "has_next": bool}

#[derive(Deserialize)]
struct NumberBody {
    items: Vec<Item>,
    has_next: bool,
}

fn number_listing(client: &Client) -> Paginator<Item> {
    let client = client.clone();
    Paginator::page_number(1, move |n| {
        let client = client.clone();
        async move {
            let body: NumberBody = client.get("/pages").query("page", n).send_json().await?;
            Ok(Page::new(body.items).has_more(body.has_next))
        }
    })
}

async fn mount_number_page(
    server: &MockServer,
    n: u64,
    ids: &[u64],
    more: bool,
    times: impl Into<Times>,
) {
    Mock::given(method("GET"))
        .and(path("/pages"))
        .and(query_param("page", n.to_string()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": items(ids), "has_next": more})),
        )
        .expect(times)
        .mount(server)
        .await;
}

async fn number_fixture(times: [u64; 3]) -> MockServer {
    let server = MockServer::start().await;
    mount_number_page(&server, 1, PAGES[0], true, times[0]).await;
    mount_number_page(&server, 2, PAGES[1], true, times[1]).await;
    mount_number_page(&server, 3, PAGES[2], false, times[2]).await;
    server
}

/// The fixture for tests that stop part-way: each page at most once.
async fn number_fixture_at_most_once() -> MockServer {
    let server = MockServer::start().await;
    mount_number_page(&server, 1, PAGES[0], true, ..=1).await;
    mount_number_page(&server, 2, PAGES[1], true, ..=1).await;
    mount_number_page(&server, 3, PAGES[2], false, ..=1).await;
    server
}

#[tokio::test]
async fn page_numbers_walk_every_item_once() {
    let server = number_fixture([1, 1, 1]).await;
    let got: Vec<Item> = bounded(number_listing(&client(&server)).items().try_collect())
        .await
        .unwrap();
    assert_eq!(got.iter().map(|i| i.id).collect::<Vec<_>>(), all_ids());
    server.verify().await;
}

#[tokio::test]
async fn page_numbers_without_prefetch_walk_every_item_once() {
    let server = number_fixture([1, 1, 1]).await;
    let pages: Vec<Page<Item>> = bounded(
        number_listing(&client(&server))
            .prefetch(0)
            .pages()
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [3, 3, 1]
    );
    server.verify().await;
}

#[tokio::test]
async fn an_empty_numbered_page_that_claims_more_is_an_error() {
    let server = MockServer::start().await;
    mount_number_page(&server, 1, PAGES[0], true, 1).await;
    mount_number_page(&server, 2, &[], true, 1).await;
    mount_number_page(&server, 3, PAGES[2], false, 0).await;
    let mut stream = number_listing(&client(&server)).items();
    let mut ids = Vec::new();
    let err = bounded(async {
        loop {
            match stream.next().await {
                Some(Ok(item)) => ids.push(item.id),
                Some(Err(e)) => break e,
                None => panic!("the walk ended without an error"),
            }
        }
    })
    .await;
    assert_eq!(err.kind(), ErrorKind::Pagination);
    assert_eq!(ids, vec![1, 2, 3]);
    assert!(bounded(stream.next()).await.is_none());
    server.verify().await;
}

#[tokio::test]
async fn max_items_stops_the_walk_without_fetching_further() {
    // Four items: pages 1 and 2 are fetched, page 3 never.
    let server = number_fixture([1, 1, 0]).await;
    let got: Vec<Item> = bounded(
        number_listing(&client(&server))
            .max_items(4)
            .items()
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(got.iter().map(|i| i.id).collect::<Vec<_>>(), [1, 2, 3, 4]);
    // Let a prefetching walker run ahead if it were going to.
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.verify().await;

    // A bound at a page boundary fetches no further page either.
    let server = number_fixture([1, 0, 0]).await;
    let got: Vec<Item> = bounded(
        number_listing(&client(&server))
            .max_items(3)
            .items()
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(got.len(), 3);
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.verify().await;
}

#[tokio::test]
async fn a_failed_page_fetch_ends_the_stream_with_that_error() {
    let server = MockServer::start().await;
    mount_number_page(&server, 1, PAGES[0], true, 1).await;
    Mock::given(method("GET"))
        .and(path("/pages"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let results: Vec<_> = bounded(number_listing(&client(&server)).items().collect()).await;
    assert_eq!(results.len(), 4);
    assert!(results[..3].iter().all(Result::is_ok));
    let err = results[3].as_ref().unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    server.verify().await;
}

// ---- offset style: GET /offset?offset=N&limit=3 → {"results": [...], "total": 7}

#[derive(Deserialize)]
struct OffsetBody {
    results: Vec<Item>,
    total: u64,
}

fn offset_listing(client: &Client) -> Paginator<Item> {
    let client = client.clone();
    Paginator::offset(move |offset| {
        let client = client.clone();
        async move {
            let body: OffsetBody = client
                .get("/offset")
                .query("offset", offset)
                .query("limit", 3)
                .send_json()
                .await?;
            Ok(Page::new(body.results).total(body.total))
        }
    })
}

async fn mount_offset_page(server: &MockServer, offset: u64, ids: &[u64], times: u64) {
    Mock::given(method("GET"))
        .and(path("/offset"))
        .and(query_param("offset", offset.to_string()))
        .and(query_param("limit", "3"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"results": items(ids), "total": 7})),
        )
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn offsets_walk_every_item_once() {
    let server = MockServer::start().await;
    mount_offset_page(&server, 0, PAGES[0], 1).await;
    mount_offset_page(&server, 3, PAGES[1], 1).await;
    mount_offset_page(&server, 6, PAGES[2], 1).await;
    mount_offset_page(&server, 7, &[], 0).await;
    let got: Vec<Item> = bounded(offset_listing(&client(&server)).items().try_collect())
        .await
        .unwrap();
    assert_eq!(got.iter().map(|i| i.id).collect::<Vec<_>>(), all_ids());
    server.verify().await;
}

#[tokio::test]
async fn an_empty_offset_page_short_of_the_total_is_an_error() {
    let server = MockServer::start().await;
    mount_offset_page(&server, 0, PAGES[0], 1).await;
    mount_offset_page(&server, 3, &[], 1).await;
    let result: Result<Vec<Item>, _> =
        bounded(offset_listing(&client(&server)).items().try_collect()).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Pagination);
    server.verify().await;
}

// ---- laziness and prefetch

/// The page numbers the server has been asked for, in order.
async fn pages_requested(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter_map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

/// Give a background walker time to run (real time; generous for a loaded machine).
async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Wait (up to 10 s of real time) until the server has been asked for `count` pages.
async fn until_requested(server: &MockServer, count: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while pages_requested(server).await.len() < count {
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {:?} requested",
            pages_requested(server).await
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn nothing_is_requested_before_the_stream_is_polled() {
    let server = number_fixture_at_most_once().await;
    let client = client(&server);
    let listing = number_listing(&client);
    let mut stream = listing.items();
    let pages = number_listing(&client).prefetch(0).pages();
    settle().await;
    assert!(pages_requested(&server).await.is_empty());
    drop(pages);

    let first = bounded(stream.next()).await.unwrap().unwrap();
    assert_eq!(first.id, 1);
    assert_eq!(
        pages_requested(&server).await.first().map(String::as_str),
        Some("1")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefetch_asks_for_the_next_page_before_the_consumer_does() {
    let server = number_fixture([1, 1, 1]).await;
    let mut stream = number_listing(&client(&server)).items(); // prefetch 1 by default
    let first = bounded(stream.next()).await.unwrap().unwrap();
    assert_eq!(first.id, 1);
    until_requested(&server, 2).await;
    settle().await;
    // The consumer is still on page 1; page 2 is already fetched, page 3 not yet (one ahead).
    assert_eq!(pages_requested(&server).await, ["1", "2"]);

    let rest: Vec<Item> = bounded(stream.try_collect()).await.unwrap();
    assert_eq!(rest.len(), 6);
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefetch_zero_asks_only_when_the_consumer_does() {
    let server = number_fixture([1, 1, 0]).await;
    let mut stream = number_listing(&client(&server)).prefetch(0).items();
    for expected in 1..=3 {
        assert_eq!(bounded(stream.next()).await.unwrap().unwrap().id, expected);
    }
    settle().await;
    assert_eq!(pages_requested(&server).await, ["1"]);
    assert_eq!(bounded(stream.next()).await.unwrap().unwrap().id, 4);
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeper_prefetch_runs_further_ahead_and_dropping_the_stream_stops_it() {
    let server = number_fixture([1, 1, 1]).await;
    let mut stream = number_listing(&client(&server)).prefetch(2).pages();
    let first = bounded(stream.next()).await.unwrap().unwrap();
    assert_eq!(first.items.len(), 3);
    until_requested(&server, 3).await;
    assert_eq!(pages_requested(&server).await, ["1", "2", "3"]);
    drop(stream);

    // With one page ahead, dropping the stream after the first page never asks for page 3.
    let server = number_fixture([1, 1, 0]).await;
    let mut stream = number_listing(&client(&server)).pages();
    bounded(stream.next()).await.unwrap().unwrap();
    until_requested(&server, 2).await;
    drop(stream);
    settle().await;
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
    server.verify().await;
}
