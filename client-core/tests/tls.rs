//! The TLS features: which backend a build chose, that a client with the built-in HTTP client
//! builds with each of them (with `rustls-ring` too, where reqwest has no provider of its own),
//! and that a build without TLS refuses `https` at once while plain HTTP still works.
//!
//! CI runs this file once per TLS choice (`.ci/run`); the workspace run covers the
//! all-features build.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use client_core::{Client, ErrorKind, RetryPolicy, TlsBackend, Url, TLS_BACKEND};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base: &str) -> Result<Client, client_core::Error> {
    Client::builder(base)
        .retry_policy(RetryPolicy::never())
        .build()
}

#[test]
fn the_features_choose_the_backend() {
    let expected = if cfg!(feature = "native-tls") {
        TlsBackend::NativeTls
    } else if cfg!(feature = "rustls-ring") {
        TlsBackend::RustlsRing
    } else if cfg!(feature = "rustls") {
        TlsBackend::RustlsAwsLcRs
    } else {
        TlsBackend::None
    };
    assert_eq!(TLS_BACKEND, expected);
}

#[tokio::test]
async fn plain_http_works_with_every_choice() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_string("pong"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri()).unwrap();
    assert_eq!(client.get("/ping").send_text().await.unwrap(), "pong");
}

#[tokio::test]
async fn https_follows_the_build() {
    // A plain-HTTP server behind an https URL: a TLS build tries a handshake and fails to
    // connect; a build without TLS refuses before connecting.
    let server = MockServer::start().await;
    let https_base = server.uri().replace("http://", "https://");
    if TLS_BACKEND == TlsBackend::None {
        let err = client(&https_base).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.to_string().contains("rustls-ring"), "{err}");

        // An absolute https URL from a client on an http base is refused the same way.
        let client = client(&server.uri()).unwrap();
        let url = Url::parse(&format!("{https_base}/file.vtt")).unwrap();
        let err = client.get_absolute(url).send_bytes().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    } else {
        let client = client(&https_base).unwrap();
        let err = client.get("/ping").send_text().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connect, "{err:?}");
    }
    // Nothing reached the server as HTTP either way.
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn a_given_reqwest_client_keeps_its_own_tls() {
    if TLS_BACKEND == TlsBackend::RustlsRing {
        // reqwest is built without a provider of its own there: an application that builds
        // its own `reqwest::Client` installs one first (README, "TLS").
        return;
    }
    // The caller's client decides; no check of ours stands in the way.
    let client = Client::builder("https://api.example.com")
        .http_client(reqwest::Client::new())
        .build();
    assert!(client.is_ok());
}
