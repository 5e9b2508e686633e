//! Request acceptance: what the server receives. The base path is kept, path segments are
//! percent-encoded, query parameters, JSON and raw bodies, each auth form, the user agent and
//! default headers are sent; multipart bodies stream from a file and from an `AsyncRead` and are
//! never sent twice; downloads stream to a writer or a file; `get_absolute` sends no credentials;
//! a route filled wrongly fails before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use client_core::{Auth, Client, ErrorKind, HeaderMap, Method, Multipart, StatusCode, Url};
use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{
    any, body_json, body_string, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The requests the server has received.
async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": true}))
}

/// A scratch file path unique to this process and test.
fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("client-core-{}-{name}", std::process::id()))
}

/// Deterministic binary content with every byte value.
fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

// ---- URLs

#[tokio::test]
async fn the_base_path_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tags/7"))
        .respond_with(ok())
        .expect(3)
        .mount(&server)
        .await;
    for base in [
        format!("{}/api/v1", server.uri()),
        format!("{}/api/v1/", server.uri()),
    ] {
        let client = Client::builder(&base).build().unwrap();
        assert_eq!(client.base_url().path(), "/api/v1/");
        client
            .get("/tags/{id}")
            .param(7)
            .send_empty()
            .await
            .unwrap();
    }
    // A route without a leading slash joins the same way.
    let client = Client::builder(format!("{}/api/v1", server.uri()))
        .build()
        .unwrap();
    client.get("tags/{id}").param(7).send_empty().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn path_segments_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok())
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::builder(format!("{}/api", server.uri()))
        .build()
        .unwrap();
    client
        .get("/files/{name}")
        .param("a/b c")
        .send_empty()
        .await
        .unwrap();
    client
        .get("/users/{user}/notes/{note}")
        .param("ü?#%")
        .param("..x")
        .send_empty()
        .await
        .unwrap();
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths[0], "/api/files/a%2Fb%20c");
    assert_eq!(paths[1], "/api/users/%C3%BC%3F%23%25/notes/..x");
    // Nothing in a value escapes its segment: no query, no fragment, no climbing out.
    for r in received(&server).await {
        assert_eq!(r.url.query(), None);
        assert_eq!(r.url.fragment(), None);
        assert!(r.url.path().starts_with("/api/"));
    }
}

#[tokio::test]
async fn query_parameters_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("limit", "50"))
        .and(query_param("q", "a b&c=d"))
        .and(query_param("page", "2"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client
        .get("/search")
        .query("limit", 50)
        .query("q", "a b&c=d")
        .query_opt("page", Some(2))
        .query_opt("cursor", None::<String>)
        .send_empty()
        .await
        .unwrap();
    server.verify().await;
}

// ---- bodies

#[derive(Debug, Deserialize, PartialEq)]
struct Topic {
    id: u64,
    name: String,
}

#[tokio::test]
async fn a_json_body_is_sent_with_its_content_type() {
    let server = MockServer::start().await;
    let sent = json!({"name": "Sales", "color": "#4A90D9", "tags": ["a", "b"]});
    Mock::given(method("POST"))
        .and(path("/topics"))
        .and(header("content-type", "application/json"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 9, "name": "Sales"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    let topic: Topic = client
        .post("/topics")
        .json(&sent)
        .send_json()
        .await
        .unwrap();
    assert_eq!(
        topic,
        Topic {
            id: 9,
            name: "Sales".into()
        }
    );
    server.verify().await;
}

#[tokio::test]
async fn raw_and_empty_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/calendar"))
        .and(header("content-type", "text/calendar"))
        .and(body_string("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/topics/3"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client
        .put("/calendar")
        .body_bytes("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
        .send_empty()
        .await
        .unwrap();
    client
        .delete("/topics/{id}")
        .param(3)
        .send_empty()
        .await
        .unwrap();
    server.verify().await;
    let delete = received(&server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "DELETE")
        .unwrap();
    assert!(delete.body.is_empty());
    assert!(delete.headers.get("content-type").is_none());
}

// ---- headers: auth, user agent, default headers

async fn sent_headers(client: &Client, server: &MockServer) -> (HeaderMap, Url) {
    client.get("/me").send_empty().await.unwrap();
    let last = received(server).await.pop().unwrap();
    (last.headers, last.url)
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn each_auth_form_is_sent_as_documented() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok()).mount(&server).await;

    let client = Client::builder(server.uri())
        .auth(Auth::bearer("tok-1"))
        .build()
        .unwrap();
    let (h, url) = sent_headers(&client, &server).await;
    assert_eq!(header_str(&h, "authorization"), Some("Bearer tok-1"));
    assert_eq!(url.query(), None);

    let client = Client::builder(server.uri())
        .auth(Auth::header("X-API-Token", "tok-2").unwrap())
        .build()
        .unwrap();
    let (h, _) = sent_headers(&client, &server).await;
    assert_eq!(header_str(&h, "x-api-token"), Some("tok-2"));
    assert!(h.get("authorization").is_none());

    let client = Client::builder(server.uri())
        .auth(Auth::query("api_key", "tok 3&x"))
        .build()
        .unwrap();
    client
        .get("/me")
        .query("limit", 5)
        .send_empty()
        .await
        .unwrap();
    let last = received(&server).await.pop().unwrap();
    let pairs: Vec<(String, String)> = last.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("limit".to_owned(), "5".to_owned()),
            ("api_key".to_owned(), "tok 3&x".to_owned())
        ]
    );
    assert!(last.headers.get("authorization").is_none());

    // Healthie's form: a raw `Authorization: Basic <key>` plus its extra header.
    let client = Client::builder(server.uri())
        .auth(Auth::authorization("Basic key-4"))
        .default_header("AuthorizationSource", "API")
        .build()
        .unwrap();
    let (h, _) = sent_headers(&client, &server).await;
    assert_eq!(header_str(&h, "authorization"), Some("Basic key-4"));
    assert_eq!(header_str(&h, "authorizationsource"), Some("API"));

    let client = Client::builder(server.uri()).build().unwrap();
    let (h, _) = sent_headers(&client, &server).await;
    assert!(h.get("authorization").is_none());
}

#[tokio::test]
async fn user_agent_and_default_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok()).mount(&server).await;

    let client = Client::builder(server.uri()).build().unwrap();
    let (h, _) = sent_headers(&client, &server).await;
    let ua = header_str(&h, "user-agent").unwrap();
    assert_eq!(
        ua,
        concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))
    );

    let client = Client::builder(server.uri())
        .user_agent("speakr-client/0.1.0")
        .default_header("X-Api-Version", "2024-06-01")
        .default_header("Accept", "application/json")
        .build()
        .unwrap();
    let (h, _) = sent_headers(&client, &server).await;
    assert_eq!(header_str(&h, "user-agent"), Some("speakr-client/0.1.0"));
    assert_eq!(header_str(&h, "x-api-version"), Some("2024-06-01"));
    assert_eq!(header_str(&h, "accept"), Some("application/json"));

    // A request's own header wins over a default one.
    client
        .get("/me")
        .header("x-api-version".parse().unwrap(), "2025-01-01")
        .send_empty()
        .await
        .unwrap();
    let last = received(&server).await.pop().unwrap();
    let versions: Vec<_> = last.headers.get_all("x-api-version").iter().collect();
    assert_eq!(versions, ["2025-01-01"]);
}

// ---- multipart

/// One part of a `multipart/form-data` body: its header block (lower-cased) and its bytes.
struct Part {
    headers: String,
    body: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// A small `multipart/form-data` parser (RFC 7578), enough to check what the server received.
fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<Part> {
    assert!(
        content_type.starts_with("multipart/form-data"),
        "{content_type}"
    );
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut parts = Vec::new();
    let mut at = find(body, delimiter, 0).expect("a first delimiter");
    loop {
        let start = at + delimiter.len();
        if body[start..].starts_with(b"--") {
            break; // the closing delimiter
        }
        assert!(body[start..].starts_with(b"\r\n"));
        let next =
            find(body, format!("\r\n--{boundary}").as_bytes(), start).expect("a next delimiter");
        let part = &body[start + 2..next];
        let split = find(part, b"\r\n\r\n", 0).expect("a header block");
        parts.push(Part {
            headers: String::from_utf8_lossy(&part[..split]).to_ascii_lowercase(),
            body: part[split + 4..].to_vec(),
        });
        at = next + 2;
    }
    parts
}

fn part<'a>(parts: &'a [Part], name: &str) -> &'a Part {
    parts
        .iter()
        .find(|p| p.headers.contains(&format!("name=\"{name}\"")))
        .unwrap_or_else(|| panic!("no part named {name}"))
}

async fn upload_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    server
}

async fn received_parts(server: &MockServer) -> Vec<Part> {
    let request = received(server).await.pop().unwrap();
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    parse_multipart(&content_type, &request.body)
}

#[tokio::test]
async fn multipart_streams_a_file() {
    let server = upload_server().await;
    let file = scratch("upload.mp3");
    let content = binary(300 * 1024);
    std::fs::write(&file, &content).unwrap();

    let form = Multipart::new()
        .text("title", "Weekly sync")
        .file("audio", &file, None, Some("audio/mpeg"))
        .await
        .unwrap()
        .file("copy", &file, Some("renamed.mp3".into()), None)
        .await
        .unwrap();
    let client = Client::builder(server.uri()).build().unwrap();
    client
        .post("/upload")
        .multipart(form)
        .send_empty()
        .await
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    server.verify().await;

    let parts = received_parts(&server).await;
    assert_eq!(parts.len(), 3);
    assert_eq!(part(&parts, "title").body, b"Weekly sync");
    let audio = part(&parts, "audio");
    let file_name = file.file_name().unwrap().to_str().unwrap();
    assert!(audio.headers.contains(&format!("filename=\"{file_name}\"")));
    assert!(audio.headers.contains("content-type: audio/mpeg"));
    assert!(audio.body == content, "the file arrived changed");
    let copy = part(&parts, "copy");
    assert!(copy.headers.contains("filename=\"renamed.mp3\""));
    assert!(copy
        .headers
        .contains("content-type: application/octet-stream"));
    assert!(copy.body == content);
}

#[tokio::test]
async fn multipart_streams_from_an_async_reader() {
    let server = upload_server().await;
    let content = binary(200 * 1024);

    // A pipe fed in small pieces by another task: the length is unknown to the form.
    let (mut writer, reader) = tokio::io::duplex(4096);
    let feed = content.clone();
    let feeder = tokio::spawn(async move {
        for chunk in feed.chunks(1000) {
            writer.write_all(chunk).await.unwrap();
        }
        writer.shutdown().await.unwrap();
    });
    let small = b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n".to_vec();
    let form = Multipart::new()
        .text("language", "en")
        .reader("audio", "call.wav", reader, None, Some("audio/wav"))
        .unwrap()
        .reader(
            "subtitles",
            "call.vtt",
            std::io::Cursor::new(small.clone()),
            Some(small.len() as u64),
            Some("text/vtt"),
        )
        .unwrap();
    let client = Client::builder(server.uri()).build().unwrap();
    client
        .post("/upload")
        .multipart(form)
        .send_empty()
        .await
        .unwrap();
    feeder.await.unwrap();
    server.verify().await;

    let parts = received_parts(&server).await;
    assert_eq!(part(&parts, "language").body, b"en");
    let audio = part(&parts, "audio");
    assert!(audio.headers.contains("filename=\"call.wav\""));
    assert!(audio.headers.contains("content-type: audio/wav"));
    assert!(audio.body == content, "the streamed bytes arrived changed");
    let subs = part(&parts, "subtitles");
    assert!(subs.headers.contains("content-type: text/vtt"));
    assert_eq!(subs.body, small);
}

#[tokio::test]
async fn a_multipart_request_is_never_sent_twice() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .clock(Arc::new(client_core::clock::RecordingClock::new()))
        .build()
        .unwrap();
    // Even marked retry-safe, or with an idempotent method, the body cannot be replayed.
    let form = Multipart::new()
        .bytes("f", "a.bin", vec![1, 2, 3], None)
        .unwrap();
    let err = client
        .post("/upload")
        .multipart(form)
        .retry_safe()
        .send_empty()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    let form = Multipart::new().text("a", "b");
    client
        .put("/upload")
        .multipart(form)
        .send_empty()
        .await
        .unwrap_err();
    server.verify().await;
}

#[tokio::test]
async fn a_missing_upload_file_is_an_io_error() {
    let err = Multipart::new()
        .file("audio", scratch("does-not-exist.mp3"), None, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
}

// ---- downloads

async fn download_server(content: &[u8]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/recordings/1/audio"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "content-disposition",
                    "attachment; filename=\"meeting.mp3\"",
                )
                .set_body_raw(content.to_vec(), "audio/mpeg"),
        )
        .expect(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_download_streams_to_a_writer_and_to_a_file() {
    let content = binary(512 * 1024);
    let server = download_server(&content).await;
    let client = Client::builder(server.uri()).build().unwrap();

    let stream = client
        .get("/recordings/{id}/audio")
        .param(1)
        .send_stream()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.content_type(), Some("audio/mpeg"));
    assert_eq!(stream.content_length(), Some(content.len() as u64));
    assert_eq!(stream.file_name().as_deref(), Some("meeting.mp3"));
    let mut sink: Vec<u8> = Vec::new();
    let written = stream.write_to(&mut sink).await.unwrap();
    assert_eq!(written, content.len() as u64);
    assert!(sink == content);

    let file = scratch("download.mp3");
    let saved = client
        .get("/recordings/{id}/audio")
        .param(1)
        .send_stream()
        .await
        .unwrap()
        .save_to(&file)
        .await
        .unwrap();
    assert_eq!(saved, content.len() as u64);
    let on_disk = tokio::fs::read(&file).await.unwrap();
    tokio::fs::remove_file(&file).await.unwrap();
    assert!(on_disk == content);
    server.verify().await;
}

#[tokio::test]
async fn a_download_error_status_is_an_error_before_any_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "no such file"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    let err = client
        .get("/recordings/{id}/audio")
        .param(1)
        .send_stream()
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.message(), Some("no such file"));
}

#[tokio::test]
async fn a_download_that_breaks_off_is_an_error_for_the_caller() {
    // A raw server promising 100 000 bytes and sending 1 000.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\ncontent-length: 100000\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&[7u8; 1000]).await;
            let _ = socket.shutdown().await;
        }
    });
    let client = Client::builder(format!("http://{addr}")).build().unwrap();
    let stream = client.get("/audio").send_stream().await.unwrap();
    let mut sink = Vec::new();
    let err = stream.write_to(&mut sink).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
    assert!(sink.len() <= 1000);
    // A broken stream is not retried behind the caller's back.
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

// ---- absolute URLs

#[tokio::test]
async fn get_absolute_sends_no_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/signed/file.mp3"))
        .and(query_param("X-Amz-Signature", "abc"))
        .respond_with(ResponseTemplate::new(200).set_body_string("audio"))
        .expect(3)
        .mount(&server)
        .await;
    let signed = Url::parse(&format!(
        "{}/signed/file.mp3?X-Amz-Signature=abc",
        server.uri()
    ))
    .unwrap();
    for auth in [
        Auth::bearer("tok-1"),
        Auth::header("X-API-Token", "tok-2").unwrap(),
        Auth::query("api_key", "tok-3"),
    ] {
        let client = Client::builder(format!("{}/api/v1", server.uri()))
            .auth(auth)
            .user_agent("speakr-client/0.1.0")
            .build()
            .unwrap();
        let body = client
            .get_absolute(signed.clone())
            .send_bytes()
            .await
            .unwrap();
        assert_eq!(&body[..], b"audio");
    }
    server.verify().await;
    for r in received(&server).await {
        assert!(r.headers.get("authorization").is_none());
        assert!(r.headers.get("x-api-token").is_none());
        let keys: Vec<String> = r.url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(keys, ["X-Amz-Signature"]);
        // Not a credential: the user agent still goes along.
        assert_eq!(
            r.headers.get("user-agent").unwrap().to_str().unwrap(),
            "speakr-client/0.1.0"
        );
    }
}

// ---- requests rejected before sending

#[tokio::test]
async fn a_wrongly_filled_route_fails_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok())
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();

    let cases = [
        client.get("/tags/{id}"),
        client.get("/tags/{id}").param(1).param(2),
        client.get("/recordings/{id}/tags/{tag_id}").param(1),
        client.get("/tags/{id}").param(""),
        // A dot segment would be dropped or resolved, calling another route.
        client.delete("/tags/{id}").param(".."),
        client.delete("/tags/{id}").param("."),
        client.get("/tags").param(1),
        client.get("/tags").invalid("limit must be within 1..=100"),
        client
            .get("/tags")
            .header("x-bad".parse().unwrap(), "line\nbreak"),
        client.request(Method::PATCH, "/tags/{id}"),
    ];
    for request in cases {
        let err = request.send_empty().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
        assert!(!err.is_retryable());
    }
    server.verify().await;
}

#[tokio::test]
async fn a_wrong_configuration_fails_at_build() {
    for base in [
        "not a url",
        "ftp://example.com/",
        "mailto:someone@example.com",
    ] {
        let err = Client::builder(base).build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{base}");
    }
    let err = Client::builder("http://localhost")
        .default_header("bad header", "x")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_eq!(
        Auth::header("bad header", "x").unwrap_err().kind(),
        ErrorKind::Config
    );
    let err = Client::builder("http://localhost")
        .auth(Auth::bearer("line\nbreak"))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}
