//! `WholeListing`: a listing answered in one response reads like a paged one, and each way
//! of reading it sends exactly one request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use client_core::{Client, Error, ErrorKind, RawResponse, WholeListing};
use futures::TryStreamExt;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn names(raw: &RawResponse) -> Result<Vec<String>, Error> {
    raw.json::<Vec<String>>()
}

async fn server(body: &'static str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tags"))
        .and(query_param("scope", "all"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    server
}

fn listing(client: &Client) -> WholeListing<String> {
    WholeListing::new(
        client,
        |core| core.get("/tags").query("scope", "all"),
        names,
    )
}

#[tokio::test]
async fn send_pages_and_items_each_send_one_request() {
    let server = server(r#"["a","b","c"]"#).await;
    let client = Client::builder(server.uri()).build().unwrap();

    let page = listing(&client).send().await.unwrap();
    assert_eq!(page.items, ["a", "b", "c"]);
    assert_eq!(page.has_more, Some(false));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let pages: Vec<_> = listing(&client)
        .paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].items.len(), 3);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    let items: Vec<String> = listing(&client).into_stream().try_collect().await.unwrap();
    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_body_that_is_not_the_list_is_a_decode_error() {
    let server = server(r#"{"tags":"#).await;
    let client = Client::builder(server.uri()).build().unwrap();
    let err = listing(&client).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    let err = listing(&client)
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}
