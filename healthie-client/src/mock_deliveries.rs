//! Signed Healthie webhook deliveries for testing receivers end to end (feature `mock`).
//!
//! Available with the crate feature `mock`.
//!
//! [`Delivery::signed`] builds the headers and body Healthie sends, signed with
//! webhook-verify's Healthie signer in any [`Dialect`]; [`Delivery::post`] `POST`s it to a
//! receiver, once, as Healthie does.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use healthie_client::mock_deliveries::{Delivery, MOCK_SIGNING_SECRET};
//! use healthie_client::webhooks::{Dialect, EventType, ThinEvent};
//!
//! let event = ThinEvent::new(EventType::AppointmentTranscriptAvailable, "Appointment", "12345");
//! let url = "http://127.0.0.1:3000/hooks/healthie";
//! let delivery = Delivery::for_event(MOCK_SIGNING_SECRET, Dialect::Legacy, url, &event, 1_796_000_000)?;
//! let answer = delivery.post(url).await?;
//! assert!(answer.status.is_success());
//! # Ok(()) }
//! ```

use bytes::Bytes;
use client_core::{Client, Error, ErrorKind, HeaderMap, RetryPolicy, StatusCode, Url};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};

use crate::webhooks::{Dialect, ThinEvent};

/// The mock's signing secret (the one [`crate::mock::MockHealthie`]'s subscriptions return).
pub use crate::mock::MOCK_SIGNING_SECRET;

/// A signed delivery: what Healthie `POST`s.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The dialect it is signed in.
    pub dialect: Dialect,
    /// The path and query it is signed for (as registered with Healthie).
    pub path_and_query: String,
    /// `Content-Type`, `Content-Length`, `Content-Digest`, `Signature-Input`, `Signature`.
    pub headers: HeaderMap,
    /// The exact body that is signed and sent.
    pub body: Bytes,
}

/// What a receiver answered to a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivered {
    /// The receiver's status.
    pub status: StatusCode,
    /// Its body (for a non-2xx answer, at most its first
    /// [`client_core::BODY_SNIPPET_LIMIT`] bytes).
    pub body: Bytes,
}

impl Delivery {
    /// `body` signed with `secret` in `dialect` for a `POST` to `registered`: a full URL
    /// (its path and query are signed) or a path and query such as `/hooks?tenant=7`.
    /// `created` (Unix seconds) goes into `Signature-Input`; only the RFC 9421 dialect signs
    /// it, and a receiver checks it against its clock.
    pub fn signed(
        secret: &str,
        dialect: Dialect,
        registered: &str,
        body: impl Into<Bytes>,
        created: u64,
    ) -> Result<Delivery, Error> {
        let path_and_query = path_and_query(registered)?;
        let body = body.into();
        let mut headers = HeaderMap::new();
        for (name, value) in
            webhook_verify::healthie::sign(secret, dialect, "POST", &path_and_query, &body, created)
        {
            headers.insert(name, value);
        }
        Ok(Delivery {
            dialect,
            path_and_query,
            headers,
            body,
        })
    }

    /// [`Delivery::signed`] with the compact JSON of `event` as the body.
    pub fn for_event(
        secret: &str,
        dialect: Dialect,
        registered: &str,
        event: &ThinEvent,
        created: u64,
    ) -> Result<Delivery, Error> {
        let body = serde_json::to_vec(&event.to_value())
            .map_err(|e| Error::new(ErrorKind::InvalidRequest, e.to_string()))?;
        Delivery::signed(secret, dialect, registered, body, created)
    }

    /// `POST` the delivery to `url` once (no retries), with its headers and exact body.
    /// `url`'s path and query should be the ones it was signed for. Returns the receiver's
    /// answer, whatever its status; an error only when no answer came.
    pub async fn post(&self, url: &str) -> Result<Delivered, Error> {
        let client = Client::builder(url)
            .user_agent("healthie-client-mock/webhooks")
            .retry_policy(RetryPolicy::never())
            .build()?;
        let mut request = client
            .post("/")
            .body_bytes(self.body.clone(), "application/json");
        for (name, value) in &self.headers {
            // The HTTP client sets both from the body.
            if name == CONTENT_TYPE || name == CONTENT_LENGTH {
                continue;
            }
            let value = value.to_str().map_err(|_| {
                Error::new(
                    ErrorKind::InvalidRequest,
                    format!("header `{name}` is not visible ASCII"),
                )
            })?;
            request = request.header(name.clone(), value);
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
}

/// The path and query of a URL or of a `/path?query` text.
fn path_and_query(registered: &str) -> Result<String, Error> {
    if registered.starts_with('/') {
        return Ok(registered.to_owned());
    }
    let url = Url::parse(registered).map_err(|e| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!("`{registered}` is neither a URL nor a path: {e}"),
        )
    })?;
    Ok(match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    })
}
