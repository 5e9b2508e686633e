//! Listings that refuse to loop, in every strategy (cursor, page number, offset), against
//! wiremock servers that misbehave: a server claiming more forever with the same items, one
//! going past the totals it declared, one cycling through pages, one stopping short of its
//! own totals, and one that never ends. Each walk ends with a `Pagination` error after a
//! bounded number of requests (asserted), and no item is yielded twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use client_core::{Client, ConflictingEnd, Error, ErrorKind, Page, Paginator, RetryPolicy};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Item {
    id: u64,
}

/// A server whose answer is computed from the request's query.
struct Computed<F>(F);

impl<F: Fn(&Query) -> Value + Send + Sync + 'static> Respond for Computed<F> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = Query::of(request);
        ResponseTemplate::new(200).set_body_json((self.0)(&query))
    }
}

/// The paging parameters of a request.
struct Query {
    page: u64,
    offset: u64,
    after: Option<String>,
}

impl Query {
    fn of(request: &Request) -> Self {
        let get = |key: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
        };
        Query {
            page: get("page").and_then(|v| v.parse().ok()).unwrap_or(1),
            offset: get("offset").and_then(|v| v.parse().ok()).unwrap_or(0),
            after: get("after"),
        }
    }
}

async fn server<F: Fn(&Query) -> Value + Send + Sync + 'static>(answer: F) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(Computed(answer))
        .mount(&server)
        .await;
    server
}

fn ids(range: std::ops::Range<u64>) -> Value {
    json!(range.map(|id| json!({ "id": id })).collect::<Vec<_>>())
}

#[derive(Deserialize)]
struct Body {
    items: Vec<Item>,
    has_more: Option<bool>,
    next: Option<String>,
    total: Option<u64>,
    total_pages: Option<u64>,
}

impl Body {
    fn into_page(self) -> Page<Item> {
        let mut page = Page::new(self.items)
            .has_more_opt(self.has_more)
            .next_cursor(self.next);
        if let Some(total) = self.total {
            page = page.total(total);
        }
        if let Some(pages) = self.total_pages {
            page = page.total_pages(pages);
        }
        page
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

#[derive(Clone, Copy, Debug)]
enum Style {
    Cursor,
    Number,
    Offset,
}

const STYLES: [Style; 3] = [Style::Cursor, Style::Number, Style::Offset];

/// The listing of `style` over `server`, with items told apart by id.
fn listing(style: Style, server: &MockServer) -> Paginator<Item> {
    let client = client(server);
    async fn get(client: Client, query: Vec<(&'static str, String)>) -> Result<Page<Item>, Error> {
        let mut request = client.get("/items");
        for (k, v) in query {
            request = request.query(k, v);
        }
        Ok(request.send_json::<Body>().await?.into_page())
    }
    let paginator = match style {
        Style::Cursor => Paginator::cursor(move |after| {
            let query = after.map(|a| vec![("after", a)]).unwrap_or_default();
            get(client.clone(), query)
        }),
        Style::Number => Paginator::page_number(1, move |n| {
            get(client.clone(), vec![("page", n.to_string())])
        }),
        Style::Offset => {
            Paginator::offset(move |o| get(client.clone(), vec![("offset", o.to_string())]))
        }
    };
    paginator.key_by(|item: &Item| item.id)
}

/// Walk to the end: the ids yielded and the error that ended the walk, if any.
async fn walk(paginator: Paginator<Item>) -> (Vec<u64>, Option<Error>) {
    let mut stream = paginator.items();
    let mut seen = Vec::new();
    let walk = async {
        while let Some(item) = stream.next().await {
            match item {
                Ok(item) => seen.push(item.id),
                Err(e) => return Some(e),
            }
        }
        None
    };
    let error = tokio::time::timeout(Duration::from_secs(30), walk)
        .await
        .expect("the walk did not end");
    (seen, error)
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn assert_no_duplicates(ids: &[u64]) {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        ids.len(),
        "an item was yielded twice: {ids:?}"
    );
}

fn assert_pagination(error: Option<Error>, words: &str) -> Error {
    let error = error.expect("the walk ended without an error");
    assert_eq!(error.kind(), ErrorKind::Pagination, "{error}");
    assert!(error.to_string().contains(words), "{error}");
    error
}

/// A cursor that names the page after `q` (cursor style), so a walk can go on forever.
fn next_cursor(q: &Query) -> String {
    let n: u64 = q.after.as_deref().and_then(|a| a.parse().ok()).unwrap_or(1);
    (n + 1).to_string()
}

#[tokio::test]
async fn a_server_claiming_more_forever_with_the_same_items_is_stopped_at_the_second_page() {
    for style in STYLES {
        let server =
            server(|q| json!({"items": ids(1..4), "has_more": true, "next": next_cursor(q)})).await;
        let (seen, error) = walk(listing(style, &server)).await;
        assert_pagination(error, "repeats only items already yielded");
        assert_eq!(seen, vec![1, 2, 3], "{style:?}");
        assert_eq!(requests(&server).await, 2, "{style:?}");
    }
}

#[tokio::test]
async fn a_server_going_past_its_declared_totals_is_stopped() {
    // New items on every page, `has_more: true` forever, but the server declared 6 items in
    // 2 pages.
    for style in STYLES {
        let server = server(|q| {
            let n = match q.after.as_deref() {
                Some(a) => a.parse::<u64>().unwrap(),
                None => q.page.max(q.offset / 3 + 1),
            };
            let first = (n - 1) * 3 + 1;
            json!({"items": ids(first..first + 3), "has_more": true,
                   "next": (n + 1).to_string(), "total": 6, "total_pages": 2})
        })
        .await;
        let (seen, error) = walk(listing(style, &server)).await;
        assert_pagination(error, "total 6");
        assert_eq!(seen, (1..=6).collect::<Vec<_>>(), "{style:?}");
        assert_eq!(requests(&server).await, 2, "{style:?}");
    }
}

#[tokio::test]
async fn more_items_than_the_declared_total_is_an_error() {
    // Each page claims a total of 4 while handing out new items.
    for style in STYLES {
        let server = server(|q| {
            let n = match q.after.as_deref() {
                Some(a) => a.parse::<u64>().unwrap(),
                None => q.page.max(q.offset / 3 + 1),
            };
            let first = (n - 1) * 3 + 1;
            json!({"items": ids(first..first + 3), "has_more": true,
                   "next": (n + 1).to_string(), "total": 4})
        })
        .await;
        let (seen, error) = walk(listing(style, &server)).await;
        let error = error.expect("an error");
        assert_eq!(error.kind(), ErrorKind::Pagination, "{style:?}: {error}");
        assert!(seen.len() <= 6, "{style:?}: {seen:?}");
        assert_no_duplicates(&seen);
        assert_eq!(requests(&server).await, 2, "{style:?}");
    }
}

#[tokio::test]
async fn a_server_cycling_through_pages_is_stopped_when_a_page_comes_back() {
    // Pages 1, 2, 1, 2, … (or offsets 0, 3, then 0's items again).
    for style in STYLES {
        let server = server(|q| {
            let n = match q.after.as_deref() {
                Some(a) => a.parse::<u64>().unwrap(),
                None => q.page.max(q.offset / 3 + 1),
            };
            let first = if n % 2 == 1 { 1 } else { 4 };
            json!({"items": ids(first..first + 3), "has_more": true,
                   "next": (n + 1).to_string()})
        })
        .await;
        let (seen, error) = walk(listing(style, &server)).await;
        assert_pagination(error, "the server is looping");
        assert_eq!(seen, (1..=6).collect::<Vec<_>>(), "{style:?}");
        assert_eq!(requests(&server).await, 3, "{style:?}");
    }
}

#[tokio::test]
async fn a_page_ending_short_of_its_own_totals_is_an_error_unless_the_vendor_says_otherwise() {
    // Page 1 of a declared 3 (6 items) says it is the last, after 2 items.
    for style in STYLES {
        let answer = |_: &Query| json!({"items": ids(1..3), "has_more": false, "total": 6, "total_pages": 3});
        let server = server(answer).await;
        let (seen, error) = walk(listing(style, &server)).await;
        assert_pagination(error, "items may be missing");
        assert_eq!(
            seen,
            vec![1, 2],
            "{style:?}: the items received are still yielded"
        );
        assert_eq!(requests(&server).await, 1);

        let server = self::server(answer).await;
        let (seen, error) =
            walk(listing(style, &server).on_conflicting_end(ConflictingEnd::End)).await;
        assert!(error.is_none(), "{style:?}: {error:?}");
        assert_eq!(seen, vec![1, 2]);
    }
}

#[tokio::test]
async fn an_empty_page_before_the_declared_total_is_an_error() {
    for style in [Style::Number, Style::Offset] {
        let server = server(|q| {
            let items = if q.page == 1 && q.offset == 0 {
                ids(1..4)
            } else {
                json!([])
            };
            json!({"items": items, "total": 7})
        })
        .await;
        let (seen, error) = walk(listing(style, &server)).await;
        assert_pagination(error, "total 7");
        assert_eq!(seen, vec![1, 2, 3]);
        assert_eq!(requests(&server).await, 2, "{style:?}");
    }
}

#[tokio::test]
async fn the_page_ceiling_stops_a_walk_the_other_guards_cannot() {
    // Fresh items and no totals, forever.
    for style in STYLES {
        let server = server(|q| {
            let n = match q.after.as_deref() {
                Some(a) => a.parse::<u64>().unwrap(),
                None => q.page.max(q.offset / 3 + 1),
            };
            let first = (n - 1) * 3 + 1;
            json!({"items": ids(first..first + 3), "has_more": true,
                   "next": (n + 1).to_string()})
        })
        .await;
        let (seen, error) = walk(listing(style, &server).max_pages(5)).await;
        assert_pagination(error, "past 5 pages");
        assert_eq!(seen.len(), 15, "{style:?}");
        assert_no_duplicates(&seen);
        assert_eq!(requests(&server).await, 5, "{style:?}");
    }
}

#[tokio::test]
async fn a_listing_that_shifted_while_walked_yields_each_item_once() {
    // Page 2 starts with the last item of page 1 (an item was added at the top).
    for style in STYLES {
        let server = server(|q| {
            let n = match q.after.as_deref() {
                Some(a) => a.parse::<u64>().unwrap(),
                None => q.page.max(q.offset / 3 + 1),
            };
            match n {
                1 => json!({"items": ids(1..4), "has_more": true, "next": "2"}),
                _ => json!({"items": ids(3..6), "has_more": false}),
            }
        })
        .await;
        let (seen, error) = walk(listing(style, &server)).await;
        assert!(error.is_none(), "{style:?}: {error:?}");
        assert_eq!(seen, vec![1, 2, 3, 4, 5], "{style:?}");
    }
}

#[tokio::test]
async fn max_items_reached_before_a_misbehaving_page_is_not_an_error() {
    let server =
        server(|q| json!({"items": ids(1..4), "has_more": true, "next": next_cursor(q)})).await;
    let (seen, error) = walk(listing(Style::Number, &server).max_items(3)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(seen, vec![1, 2, 3]);
    assert_eq!(requests(&server).await, 1);
}
