//! `PageNumberQuery`: one page asks for the configured page, the walk asks for each page in
//! turn and reads every item, and a request marked invalid fails without reaching the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use client_core::{
    Client, Error, ErrorKind, Page, PageNumberQuery, RawResponse, RequestBuilder, RetryPolicy,
};
use futures::TryStreamExt;
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Note {
    id: u64,
}

/// `GET /notes?page=<n>&size=<size>` → `{"notes": [...], "page": n, "more": bool}`.
#[derive(Deserialize)]
struct NotesBody {
    notes: Vec<Note>,
    page: Option<u64>,
    more: Option<bool>,
}

/// A listing query as a vendor crate writes one: its parameters, its request, its envelope.
#[derive(Debug, Clone, Default)]
struct NotesQuery {
    page: Option<u64>,
    size: Option<u32>,
}

impl PageNumberQuery for NotesQuery {
    type Item = Note;

    fn first_page(&self) -> u64 {
        self.page.unwrap_or(1)
    }

    fn request(&self, core: &Client, page: Option<u64>) -> RequestBuilder {
        let page = page.or(self.page);
        let mut r = core
            .get("/notes")
            .query_opt("page", page)
            .query_opt("size", self.size);
        if self.size == Some(0) {
            r = r.invalid("size must be at least 1");
        }
        r
    }

    fn read(raw: &RawResponse) -> Result<Page<Note>, Error> {
        let body: NotesBody = raw.json()?;
        Ok(Page::new(body.notes)
            .has_more_opt(body.more)
            .position(body.page, None))
    }
}

/// Seven notes on three pages.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    for (n, ids, more) in [
        (1, &[1, 2, 3][..], true),
        (2, &[4, 5, 6], true),
        (3, &[7], false),
    ] {
        let notes: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
        Mock::given(method("GET"))
            .and(path("/notes"))
            .and(query_param("page", n.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "notes": notes, "page": n, "more": more })),
            )
            .mount(&server)
            .await;
    }
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// The `page` query parameter of every request the server received, in order.
async fn pages_asked(server: &MockServer) -> Vec<Option<String>> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

#[tokio::test]
async fn send_page_asks_for_the_configured_page_or_the_one_given() {
    let server = server().await;
    let client = client(&server);
    let query = NotesQuery {
        page: Some(2),
        ..NotesQuery::default()
    };

    let page = query.send_page(&client, None).await.unwrap();
    assert_eq!(page.items, [Note { id: 4 }, Note { id: 5 }, Note { id: 6 }]);
    assert_eq!((page.number, page.has_more), (Some(2), Some(true)));

    let page = query.send_page(&client, Some(3)).await.unwrap();
    assert_eq!(page.items, [Note { id: 7 }]);
    assert_eq!(page.has_more, Some(false));

    assert_eq!(
        pages_asked(&server).await,
        [Some("2".to_owned()), Some("3".to_owned())]
    );
}

#[tokio::test]
async fn walk_asks_for_each_page_once_and_reads_every_item() {
    let server = server().await;
    let client = client(&server);

    let notes: Vec<Note> = tokio::time::timeout(
        Duration::from_secs(20),
        NotesQuery::default()
            .walk(&client)
            .key_by(|note: &Note| note.id)
            .items()
            .try_collect(),
    )
    .await
    .expect("the walk did not end")
    .unwrap();
    assert_eq!(
        notes.iter().map(|n| n.id).collect::<Vec<_>>(),
        (1..=7).collect::<Vec<_>>()
    );
    let asked = pages_asked(&server).await;
    assert_eq!(asked.len(), 3);
    assert_eq!(asked, ["1", "2", "3"].map(|n| Some(n.to_owned())).to_vec());
}

#[tokio::test]
async fn walk_starts_at_the_configured_page() {
    let server = server().await;
    let client = client(&server);
    let query = NotesQuery {
        page: Some(2),
        size: Some(3),
    };

    let pages: Vec<Page<Note>> = query.walk(&client).pages().try_collect().await.unwrap();
    assert_eq!(
        pages.iter().map(|p| p.number).collect::<Vec<_>>(),
        [Some(2), Some(3)]
    );
    assert_eq!(
        pages_asked(&server).await,
        [Some("2".to_owned()), Some("3".to_owned())]
    );
    let sizes: Vec<_> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query_pairs().any(|(k, v)| k == "size" && v == "3"))
        .collect();
    assert_eq!(sizes, [true, true]);
}

#[tokio::test]
async fn an_invalid_request_fails_before_sending() {
    let server = server().await;
    let client = client(&server);
    let query = NotesQuery {
        page: None,
        size: Some(0),
    };

    let err = query.send_page(&client, None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);

    let err = query
        .walk(&client)
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);

    assert!(server.received_requests().await.unwrap().is_empty());
}
