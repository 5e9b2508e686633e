//! Bounded bodies: a success body over `max_body_size` ends in `BodyTooLarge`, refused on its
//! `Content-Length` before reading or, without one, once reading passes the limit, while the
//! bytes the server managed to send stay bounded (counted on the server, not timed); a
//! streamed download larger than the JSON limit still succeeds, and has its own optional limit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use client_core::{Client, ErrorKind, RetryPolicy, DEFAULT_MAX_BODY_SIZE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MIB: usize = 1024 * 1024;

/// What a broken server streams at most: far more than any limit under test.
const ENDLESS: u64 = 512 * MIB as u64;

/// Slack for the bytes that sit in loopback socket buffers when the client stops reading.
const SOCKET_SLACK: u64 = 32 * MIB as u64;

/// A server that answers every connection with `head`, then streams up to [`ENDLESS`] bytes
/// of JSON-ish filler (raw, or as HTTP/1.1 chunks), counting what it wrote until the client
/// hangs up.
async fn endless_server(head: &'static str, chunked: bool) -> (String, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let block = vec![b' '; 64 * 1024];
                let mut sent: u64 = 0;
                while sent < ENDLESS {
                    let result = if chunked {
                        let mut framed = format!("{:x}\r\n", block.len()).into_bytes();
                        framed.extend_from_slice(&block);
                        framed.extend_from_slice(b"\r\n");
                        socket.write_all(&framed).await
                    } else {
                        socket.write_all(&block).await
                    };
                    if result.is_err() {
                        return;
                    }
                    sent += block.len() as u64;
                    counter.fetch_add(block.len() as u64, Ordering::SeqCst);
                }
            });
        }
    });
    (format!("http://{addr}"), written)
}

fn client(base: &str, max_body: usize) -> Client {
    Client::builder(base)
        .retry_policy(RetryPolicy::never())
        .max_body_size(max_body)
        .build()
        .unwrap()
}

#[test]
fn the_default_limit_is_documented_and_generous() {
    assert_eq!(DEFAULT_MAX_BODY_SIZE, 32 * MIB);
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_reading() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                content-length: 536870912\r\n\r\n";
    let (base, written) = endless_server(head, false).await;
    let err = client(&base, MIB)
        .get("/tags")
        .send_json::<serde_json::Value>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("536870912") && text.contains("1048576"),
        "{text}"
    );
    assert!(text.contains("max_body_size"), "{text}");
    assert!(
        !err.is_retryable(),
        "the same request would get the same body"
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let sent = written.load(Ordering::SeqCst);
    assert!(sent < SOCKET_SLACK, "the server wrote {sent} bytes");
}

#[tokio::test]
async fn a_body_without_length_stops_being_read_at_the_limit() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                transfer-encoding: chunked\r\n\r\n";
    let (base, written) = endless_server(head, true).await;
    let limit = MIB;
    let err = client(&base, limit)
        .get("/tags")
        .send_json::<serde_json::Value>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
    assert!(err.to_string().contains("1048576"), "{err}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let sent = written.load(Ordering::SeqCst);
    assert!(
        sent < limit as u64 + SOCKET_SLACK,
        "the server managed to write {sent} bytes of an endless body"
    );
}

#[tokio::test]
async fn a_text_body_is_bounded_too() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\
                transfer-encoding: chunked\r\n\r\n";
    let (base, _) = endless_server(head, true).await;
    let err = client(&base, MIB)
        .get("/recordings/{id}/transcript")
        .param(1)
        .send_text()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
}

async fn serve_bytes(len: usize) -> MockServer {
    let server = MockServer::start().await;
    let mut body = vec![b' '; len];
    body[0] = b'"';
    body[len - 1] = b'"';
    Mock::given(method("GET"))
        .and(path("/blob"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_body_at_the_limit_is_read_and_one_byte_more_is_not() {
    let server = serve_bytes(MIB).await;
    let value: serde_json::Value = client(&server.uri(), MIB)
        .get("/blob")
        .send_json()
        .await
        .unwrap();
    assert_eq!(value.as_str().map(str::len), Some(MIB - 2));
    let err = client(&server.uri(), MIB - 1)
        .get("/blob")
        .send_bytes()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BodyTooLarge);
}

#[tokio::test]
async fn one_request_may_raise_the_limit() {
    let server = serve_bytes(3 * MIB).await;
    let body = client(&server.uri(), MIB)
        .get("/blob")
        .max_body_size(4 * MIB)
        .send_bytes()
        .await
        .unwrap();
    assert_eq!(body.len(), 3 * MIB);
}

#[tokio::test]
async fn a_streamed_download_larger_than_the_json_limit_succeeds() {
    let server = serve_bytes(3 * MIB).await;
    let stream = client(&server.uri(), MIB)
        .get("/blob")
        .send_stream()
        .await
        .unwrap();
    let mut sink = tokio::io::sink();
    assert_eq!(stream.write_to(&mut sink).await.unwrap(), 3 * MIB as u64);
}

#[tokio::test]
async fn a_download_over_its_own_limit_is_refused_by_length_or_while_streaming() {
    let server = serve_bytes(3 * MIB).await;
    let limited = Client::builder(server.uri())
        .retry_policy(RetryPolicy::never())
        .max_download_size(2 * MIB as u64)
        .build()
        .unwrap();
    let err = limited.get("/blob").send_stream().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
    assert!(err.to_string().contains("max_download_size"), "{err}");

    let head = "HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\n\
                transfer-encoding: chunked\r\n\r\n";
    let (base, written) = endless_server(head, true).await;
    let limited = Client::builder(&base)
        .retry_policy(RetryPolicy::never())
        .max_download_size(2 * MIB as u64)
        .build()
        .unwrap();
    let stream = limited.get("/audio").send_stream().await.unwrap();
    let mut sink = tokio::io::sink();
    let err = stream.write_to(&mut sink).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let sent = written.load(Ordering::SeqCst);
    assert!(sent < 2 * MIB as u64 + SOCKET_SLACK, "{sent} bytes written");
}
