//! What every vendor crate's fake server is built from (feature `mock`): routes by path
//! template, a credential matcher, the fallback that answers unknown routes and bad
//! credentials, JSON replies from fixtures, and one signed `POST` of a webhook delivery.
//!
//! Each vendor crate's `mock` module adds only its own routes, fixtures and signer, and offers
//! the same API: `Mock<Vendor>::start()`, `uri()`, `credential()`, `webhook_secret()`,
//! `server()`, `client()`, `Mock<Vendor>::deliveries()` and `deliver(url, &delivery)`.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use wiremock::matchers::{any, method, path_regex};
use wiremock::{Match, Mock, MockBuilder, MockServer, Request, ResponseTemplate};

use crate::client::Client;
use crate::error::Error;
use crate::retry::RetryPolicy;

pub use wiremock;

/// The accessors every vendor mock shares, over its `server: MockServer` field: `uri`,
/// `credential`, `webhook_secret` and `server`. Used inside the mock's `impl` block with the
/// credential it accepts and the secret it signs with:
///
/// ```ignore
/// impl MockHedy {
///     client_core::vendor_mock_methods!(MOCK_API_KEY, MOCK_WEBHOOK_SECRET);
/// }
/// ```
#[macro_export]
macro_rules! vendor_mock_methods {
    ($credential:expr, $secret:expr) => {
        /// The server's root URL (`http://127.0.0.1:<port>`): the base URL to give the
        /// client builder's `base_url`.
        pub fn uri(&self) -> String {
            self.server.uri()
        }

        /// The credential the mock accepts (the client builder's argument).
        pub fn credential(&self) -> &str {
            $credential
        }

        /// The secret the mock signs its webhook deliveries with.
        pub fn webhook_secret(&self) -> &str {
            $secret
        }

        /// The underlying wiremock server (to inspect received requests or mount more routes).
        pub fn server(&self) -> &$crate::mock::wiremock::MockServer {
            &self.server
        }
    };
}

/// A fixture of the calling crate, `fixtures/<dir><name>` under its manifest directory,
/// compiled in (`env!` and `include_str!` expand in the calling crate):
/// `client_core::mock_fixture!("constructed/", "me.json")`.
#[macro_export]
macro_rules! mock_fixture {
    ($dir:literal, $name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/",
            $dir,
            $name
        ))
    };
}

/// What a receiver answered to a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivered {
    /// The status.
    pub status: StatusCode,
    /// The body (for an error status, what the transport kept of it).
    pub body: Bytes,
}

/// `POST` `body` with `headers` to `url` once, as a vendor delivers a webhook: never retried,
/// any status answered is returned (an error only when no answer came).
pub async fn deliver(
    url: &str,
    user_agent: &str,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Delivered, Error> {
    let client = Client::builder(url)
        .user_agent(user_agent)
        .retry_policy(RetryPolicy::never())
        .build()?;
    // A `Content-Type` among `headers` replaces the JSON default; `Content-Length` is the
    // transport's to set (from the body, the same value a signer signed).
    let mut request = client.post("/").body_bytes(body, "application/json");
    for (name, value) in &headers {
        if name == http::header::CONTENT_LENGTH {
            continue;
        }
        if let Ok(value) = value.to_str() {
            request = request.header(name.clone(), value);
        }
    }
    match request.send_raw().await {
        Ok(response) => Ok(Delivered {
            status: response.status,
            body: response.body,
        }),
        Err(e) => match e.status() {
            Some(status) => Ok(Delivered {
                status,
                body: Bytes::from(e.body_snippet().unwrap_or_default().to_owned()),
            }),
            None => Err(e),
        },
    }
}

/// A mock for `verb` on a path template: each `{…}` placeholder matches one path segment
/// (`/calls/{id}` matches `/calls/c_1`, not `/calls/c_1/x`).
pub fn route(verb: &str, template: &str) -> MockBuilder {
    Mock::given(method(verb)).and(path_regex(template_regex(template)))
}

fn template_regex(template: &str) -> String {
    let mut pattern = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        pattern.push_str(&escape(&rest[..open]));
        pattern.push_str("[^/]+");
        rest = rest[open..]
            .find('}')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    pattern.push_str(&escape(rest));
    pattern.push('$');
    pattern
}

fn escape(literal: &str) -> String {
    literal
        .chars()
        .flat_map(|c| {
            let special = ".+*?()|[]{}^$\\".contains(c);
            special.then_some('\\').into_iter().chain(Some(c))
        })
        .collect()
}

/// Matches a request whose header `name` is exactly `value` (a credential).
#[derive(Debug, Clone)]
pub struct HeaderIs {
    name: &'static str,
    value: String,
}

impl HeaderIs {
    /// `name: value`.
    pub fn new(name: &'static str, value: impl Into<String>) -> Self {
        HeaderIs {
            name,
            value: value.into(),
        }
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(token: &str) -> Self {
        HeaderIs::new("authorization", format!("Bearer {token}"))
    }
}

impl Match for HeaderIs {
    fn matches(&self, request: &Request) -> bool {
        request.headers.get(self.name).and_then(|v| v.to_str().ok()) == Some(self.value.as_str())
    }
}

/// Mount the last-resort route (lowest priority): `not_found` for a request with the right
/// credential (`authorized`) to a route nothing else answers, `unauthorized` for any request
/// without it.
pub async fn mount_fallback(
    server: &MockServer,
    authorized: impl Match + 'static,
    not_found: ResponseTemplate,
    unauthorized: ResponseTemplate,
) {
    Mock::given(any())
        .respond_with(move |request: &Request| {
            if authorized.matches(request) {
                not_found.clone()
            } else {
                unauthorized.clone()
            }
        })
        .with_priority(u8::MAX)
        .mount(server)
        .await;
}

/// A JSON reply of `body` (a fixture, sent as is) with `status`.
pub fn json(status: u16, body: &'static str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
}

/// The value of query parameter `name` of a request, if present.
pub fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_one_segment_per_placeholder() {
        assert_eq!(template_regex("/calls/{id}"), "^/calls/[^/]+$");
        assert_eq!(
            template_regex("/api/v1/recordings/{id}/tags/{tag_id}"),
            "^/api/v1/recordings/[^/]+/tags/[^/]+$"
        );
        assert_eq!(template_regex("/graphql"), "^/graphql$");
        assert_eq!(template_regex("/a.b"), "^/a\\.b$");
    }

    #[tokio::test]
    async fn routes_fallback_and_delivery() {
        let server = MockServer::start().await;
        route("GET", "/things/{id}")
            .and(HeaderIs::bearer("k"))
            .respond_with(json(200, r#"{"ok":true}"#))
            .mount(&server)
            .await;
        route("POST", "/")
            .respond_with(ResponseTemplate::new(202).set_body_string("queued"))
            .mount(&server)
            .await;
        mount_fallback(
            &server,
            HeaderIs::bearer("k"),
            ResponseTemplate::new(404),
            ResponseTemplate::new(401),
        )
        .await;
        let http = reqwest::Client::new();
        let get = |path: &str, key: &str| {
            http.get(format!("{}{path}", server.uri()))
                .bearer_auth(key)
                .send()
        };
        assert_eq!(get("/things/1", "k").await.unwrap().status(), 200);
        assert_eq!(get("/things/1/x", "k").await.unwrap().status(), 404);
        assert_eq!(get("/things/1", "wrong").await.unwrap().status(), 401);

        let mut headers = HeaderMap::new();
        headers.insert("x-signature", "abc".parse().unwrap());
        let delivered = deliver(&server.uri(), "test", headers, Bytes::from_static(b"{}"))
            .await
            .unwrap();
        assert_eq!(delivered.status, StatusCode::ACCEPTED);
        assert_eq!(delivered.body, "queued");
        let received = server.received_requests().await.unwrap();
        let post = received
            .iter()
            .find(|r| r.method.as_str() == "POST")
            .unwrap();
        assert_eq!(post.headers["x-signature"], "abc");
        assert_eq!(post.headers["content-type"], "application/json");
        assert_eq!(post.body, b"{}");
    }
}
