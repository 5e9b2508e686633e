//! Decoding acceptance: unknown fields are ignored; an unknown enum value is kept (the open-enum
//! pattern); malformed JSON, truncated JSON and HTML or empty error pages each give a typed error
//! with the status and a body snippet (and, for decode errors, the JSON path); a vendor
//! `ErrorDecoder` fills the message, vendor code and request id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use client_core::{
    Client, ErrorDecoder, ErrorKind, ErrorResponse, RetryPolicy, StatusCode, VendorError,
    BODY_SNIPPET_LIMIT,
};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An open enum: known values get a variant, any other value is kept in `Unknown`, so a vendor
/// adding a status never fails a whole response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
enum Status {
    Pending,
    Completed,
    Unknown(String),
}

impl From<String> for Status {
    fn from(value: String) -> Self {
        match value.as_str() {
            "PENDING" => Status::Pending,
            "COMPLETED" => Status::Completed,
            _ => Status::Unknown(value),
        }
    }
}

/// The lighter variant with `#[serde(other)]`: tolerant, but the value is not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Color {
    Red,
    Blue,
    #[serde(other)]
    Other,
}

#[derive(Debug, Deserialize)]
struct Tag {
    id: u64,
    name: String,
}

#[derive(Debug, Deserialize)]
struct Recording {
    id: u64,
    status: Status,
    color: Color,
    #[serde(default)]
    tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
struct Recordings {
    recordings: Vec<Recording>,
}

async fn serve(status: u16, body: &[u8], content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/recordings"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_vec(), content_type))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn unknown_fields_are_ignored_and_unknown_enum_values_kept() {
    let body = json!({
        "recordings": [
            {"id": 1, "status": "COMPLETED", "color": "red", "added_later": {"x": [1, 2]},
             "tags": [{"id": 7, "name": "sales", "color": "#fff", "new": null}]},
            {"id": 2, "status": "ARCHIVED_V2", "color": "chartreuse", "duration": 12.5},
            {"id": 3, "status": "PENDING", "color": "blue"}
        ],
        "next_cursor": null,
        "server_version": "2026.1"
    });
    let server = serve(200, body.to_string().as_bytes(), "application/json").await;
    let list: Recordings = client(&server)
        .get("/recordings")
        .send_json()
        .await
        .unwrap();
    let r = &list.recordings;
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].status, Status::Completed);
    assert_eq!(r[0].color, Color::Red);
    assert_eq!(r[0].tags[0].id, 7);
    assert_eq!(r[0].tags[0].name, "sales");
    assert_eq!(r[1].id, 2);
    assert_eq!(r[1].status, Status::Unknown("ARCHIVED_V2".to_owned()));
    assert_eq!(r[1].color, Color::Other);
    assert_eq!(r[2].status, Status::Pending);
    assert_eq!(r[2].color, Color::Blue);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_status_snippet_and_path() {
    let body = br#"{"recordings": [{"id": 1, "status": "PENDING", "color": }]}"#;
    let server = serve(200, body, "application/json").await;
    let err = client(&server)
        .get("/recordings")
        .send_json::<Recordings>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.is_decode());
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.body_snippet(), Some(std::str::from_utf8(body).unwrap()));
    assert_eq!(err.json_path(), Some("recordings[0].color"));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_wrong_type_names_the_exact_path() {
    let body = json!({"recordings": [
        {"id": 1, "status": "PENDING", "color": "red"},
        {"id": 2, "status": "PENDING", "color": "red", "tags": [{"id": 1, "name": "a"}, {"id": "x", "name": "b"}]}
    ]});
    let server = serve(200, body.to_string().as_bytes(), "application/json").await;
    let err = client(&server)
        .get("/recordings")
        .send_json::<Recordings>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.json_path(), Some("recordings[1].tags[1].id"));
    assert!(
        err.to_string().contains("recordings[1].tags[1].id"),
        "{err}"
    );
    assert!(err.message().is_some());
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_status_snippet_and_path() {
    let body = br#"{"recordings": [{"id": 1, "status": "PENDING", "color": "red"}, {"id": 2, "sta"#;
    let server = serve(200, body, "application/json").await;
    let err = client(&server)
        .get("/recordings")
        .send_json::<Recordings>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.body_snippet(), Some(std::str::from_utf8(body).unwrap()));
    let path = err.json_path().expect("a JSON path");
    assert!(path.starts_with("recordings[1]"), "{path}");
}

#[tokio::test]
async fn trailing_garbage_is_a_decode_error_with_status_and_snippet() {
    let body = br#"{"recordings": []} <html>"#;
    let server = serve(200, body, "application/json").await;
    let err = client(&server)
        .get("/recordings")
        .send_json::<Recordings>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.body_snippet(), Some(std::str::from_utf8(body).unwrap()));
}

#[tokio::test]
async fn an_empty_success_body_is_a_decode_error() {
    let server = serve(200, b"", "application/json").await;
    let err = client(&server)
        .get("/recordings")
        .send_json::<Recordings>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status(), Some(StatusCode::OK));
}

const HTML_502: &str = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>\
    <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

#[tokio::test]
async fn an_html_502_page_is_a_typed_error_with_status_and_snippet() {
    let server = serve(502, HTML_502.as_bytes(), "text/html").await;
    let err = client(&server)
        .get("/recordings")
        .send_json::<Recordings>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(err.body_snippet(), Some(HTML_502));
    assert!(err.is_retryable());
    assert_eq!(err.json_path(), None);
    assert_eq!(err.message(), None);
    assert!(err.to_string().contains("502"), "{err}");
}

#[tokio::test]
async fn an_html_429_page_is_a_rate_limited_error() {
    let html = "<html><body><h1>Too Many Requests</h1><p>Slow down.</p></body></html>";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "30")
                .set_body_raw(html, "text/html; charset=utf-8"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .get("/recordings")
        .send_json::<Recordings>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert!(err.is_rate_limited());
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(err.body_snippet(), Some(html));
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(30)));
}

#[tokio::test]
async fn an_empty_500_is_a_typed_error_with_status() {
    let server = serve(500, b"", "text/plain").await;
    let err = client(&server)
        .get("/recordings")
        .send_json::<Recordings>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(err.body_snippet(), None);
    assert_eq!(err.message(), None);
    assert_eq!(err.to_string(), "HTTP error (HTTP 500)");
}

#[tokio::test]
async fn a_long_body_is_cut_to_the_snippet_limit() {
    let body = format!("<html>{}</html>", "é".repeat(BODY_SNIPPET_LIMIT));
    let server = serve(503, body.as_bytes(), "text/html").await;
    let err = client(&server)
        .get("/recordings")
        .send_empty()
        .await
        .unwrap_err();
    let snippet = err.body_snippet().unwrap();
    assert!(snippet.starts_with("<html>é"));
    assert!(snippet.ends_with('…'));
    // At most the limit in bytes, plus the ellipsis; never split inside a character.
    assert!(
        snippet.len() <= BODY_SNIPPET_LIMIT + '…'.len_utf8(),
        "{}",
        snippet.len()
    );
}

#[tokio::test]
async fn the_generic_decoder_reads_common_error_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/recordings"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "hdr-1")
                .set_body_json(json!({
                    "error": {"message": "Recording not found", "code": "not_found"},
                    "request_id": "req-123"
                })),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/other"))
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("x-request-id", "hdr-2")
                .set_body_json(json!({"message": "Already exists", "code": 17})),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .request_id_header("x-request-id")
        .build()
        .unwrap();

    let err = client.get("/recordings").send_empty().await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.message(), Some("Recording not found"));
    assert_eq!(err.vendor_code(), Some("not_found"));
    // The body's request id wins over the header's.
    assert_eq!(err.request_id(), Some("req-123"));
    assert_eq!(
        err.to_string(),
        "not found (HTTP 404) [not_found]: Recording not found"
    );

    let err = client.get("/other").send_empty().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.message(), Some("Already exists"));
    assert_eq!(err.vendor_code(), Some("17"));
    assert_eq!(err.request_id(), Some("hdr-2"));
}

/// A vendor whose errors look like `{"errors": [{"code", "detail"}], "meta": {"trace_id"}}` and
/// who reports an expired key as a 400 with code `KEY_EXPIRED`.
struct AcmeDecoder;

impl ErrorDecoder for AcmeDecoder {
    fn decode(&self, response: &ErrorResponse<'_>) -> VendorError {
        #[derive(Deserialize)]
        struct Body {
            errors: Vec<Entry>,
            meta: Option<Meta>,
        }
        #[derive(Deserialize)]
        struct Entry {
            code: String,
            detail: String,
        }
        #[derive(Deserialize)]
        struct Meta {
            trace_id: String,
        }
        if !response.is_json() {
            return VendorError::default();
        }
        let Ok(body) = serde_json::from_slice::<Body>(response.body) else {
            return VendorError::default();
        };
        let first = body.errors.into_iter().next();
        VendorError {
            kind: first
                .as_ref()
                .filter(|e| e.code == "KEY_EXPIRED")
                .map(|_| ErrorKind::Auth),
            message: first.as_ref().map(|e| e.detail.clone()),
            code: first.map(|e| e.code),
            request_id: body.meta.map(|m| m.trace_id),
        }
    }
}

#[tokio::test]
async fn a_vendor_error_decoder_fills_message_code_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/topics"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "errors": [{"code": "TITLE_TOO_LONG", "detail": "Title is longer than 80 characters"}],
            "meta": {"trace_id": "tr-9"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errors": [{"code": "KEY_EXPIRED", "detail": "The API key expired"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/html"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(HTML_502, "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .error_decoder(Arc::new(AcmeDecoder))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();

    let err = client
        .post("/topics")
        .json(&json!({"title": "x".repeat(100)}))
        .send_empty()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.message(), Some("Title is longer than 80 characters"));
    assert_eq!(err.vendor_code(), Some("TITLE_TOO_LONG"));
    assert_eq!(err.request_id(), Some("tr-9"));
    assert!(err.body_snippet().unwrap().contains("TITLE_TOO_LONG"));

    // The decoder can refine the kind.
    let err = client.get("/me").send_empty().await.unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(err.request_id(), None);

    // A body the decoder does not understand still gives the status and a snippet.
    let err = client.get("/html").send_empty().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(err.message(), None);
    assert_eq!(err.body_snippet(), Some(HTML_502));
}

#[tokio::test]
async fn text_that_is_not_utf8_is_a_decode_error() {
    let server = serve(200, &[0x66, 0x6f, 0xff, 0xfe], "text/plain").await;
    let err = client(&server)
        .get("/recordings")
        .send_text()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status(), Some(StatusCode::OK));
}

/// A raw HTTP server: answers one connection with `head`, then `tail` after a pause (so the
/// body arrives in two chunks), then closes.
async fn raw_server(head: &'static [u8], tail: &'static [u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        socket.write_all(head).await.unwrap();
        socket.flush().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let _ = socket.write_all(tail).await;
        let _ = socket.shutdown().await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_content_length_that_lies_is_a_transport_error_not_an_abort() {
    // Under the body limit, above what the client ever preallocates.
    let base = raw_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 30000000\r\n\r\n{\"a\":",
        b"1}",
    )
    .await;
    let client = Client::builder(&base)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let err = client
        .get("/x")
        .send_json::<serde_json::Value>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
}

#[tokio::test]
async fn a_huge_error_page_is_read_only_in_part() {
    let server = MockServer::start().await;
    let page = "<html>".to_owned() + &"x".repeat(2 * 1024 * 1024) + "</html>";
    Mock::given(method("GET"))
        .and(path("/big"))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("content-type", "text/html")
                .set_body_string(page),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = Client::builder(server.uri())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
        .get("/big")
        .send_bytes()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(err.body_snippet().unwrap().starts_with("<html>xxx"));
    assert!(err.body_snippet().unwrap().len() <= client_core::BODY_SNIPPET_LIMIT + 4);
}
