//! An axum extractor that reads the body (with a size limit) and verifies it.
//!
//! Available with the crate feature `axum`.
//!
//! Put a [`WebhookVerifier`] in the router state (or make it `FromRef` of your state)
//! and take [`VerifiedWebhook`] as the handler's last argument. Rejections are plain
//! text with a short reason: 400 for a malformed request (missing or unparsable
//! headers), 401 for a bad signature, digest or timestamp, 413 over the size limit.
//!
//! ```
//! use axum::{routing::post, Router};
//! use webhook_verify::axum::{VerifiedWebhook, WebhookVerifier};
//! use webhook_verify::speakr;
//!
//! async fn hook(VerifiedWebhook(delivery): VerifiedWebhook) -> &'static str {
//!     // dedupe on delivery.idempotency_key(), then process delivery.body()
//!     "ok"
//! }
//!
//! let state = WebhookVerifier::new(speakr::Verifier::new("secret")).body_limit(256 * 1024);
//! let app: Router = Router::new().route("/hooks/speakr", post(hook)).with_state(state);
//! ```

use std::sync::Arc;

use axum::body::{Body, HttpBody};
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};

use crate::{Error, Verified, Verify};

/// Default body limit: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// A shareable verifier plus the body size limit; the extractor's state (crate feature `axum`).
#[derive(Clone)]
pub struct WebhookVerifier {
    verifier: Arc<dyn Verify>,
    body_limit: usize,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("body_limit", &self.body_limit)
            .finish_non_exhaustive()
    }
}

impl WebhookVerifier {
    /// Wrap any scheme's verifier, with a 1 MiB body limit.
    pub fn new(verifier: impl Verify + 'static) -> Self {
        WebhookVerifier {
            verifier: Arc::new(verifier),
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// Reject bodies larger than `limit` bytes with 413 (checked against
    /// `Content-Length` first, then while reading).
    pub fn body_limit(mut self, limit: usize) -> Self {
        self.body_limit = limit;
        self
    }

    /// The verifier.
    pub fn verifier(&self) -> &dyn Verify {
        &*self.verifier
    }
}

/// A verified delivery, extracted from the request (crate feature `axum`).
#[derive(Debug, Clone)]
pub struct VerifiedWebhook(pub Verified);

/// Why the extractor rejected a request: status plus a short plain-text reason.
#[derive(Debug)]
pub struct WebhookRejection {
    /// The error.
    pub error: Error,
}

impl WebhookRejection {
    /// The status the response carries.
    pub fn status(&self) -> StatusCode {
        // `Error::status` uses the same `http` types as axum.
        self.error.status()
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        (self.status(), self.error.to_string()).into_response()
    }
}

impl From<Error> for WebhookRejection {
    fn from(error: Error) -> Self {
        WebhookRejection { error }
    }
}

/// The buffer to reserve once a body spans several frames: the declared length, never more
/// than `limit` (a declared length is untrusted), and at least the `read` bytes already in
/// hand. Without a usable declared length the buffer starts at `read` and grows.
fn initial_capacity(declared: Option<u64>, limit: usize, read: usize) -> usize {
    let declared = declared.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
    declared.min(limit).max(read)
}

/// Read at most `limit` bytes of `body`, whatever `declared` (the parsed `Content-Length`)
/// claims. A body arriving in one frame is returned without copying; otherwise the frames
/// are copied into a buffer reserved once from `declared`.
async fn read_limited(mut body: Body, limit: usize, declared: Option<u64>) -> Result<Bytes, Error> {
    let too_large = Error::BodyTooLarge { limit };
    if body
        .size_hint()
        .exact()
        .or(Some(body.size_hint().lower()))
        .is_some_and(|n| n > limit as u64)
    {
        return Err(too_large);
    }
    let mut read = 0usize;
    let mut first = Bytes::new();
    let mut buf: Option<BytesMut> = None;
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let frame = frame.map_err(|_| Error::BodyRead)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if data.is_empty() {
            continue;
        }
        read = read.saturating_add(data.len());
        if read > limit {
            return Err(too_large);
        }
        match &mut buf {
            Some(buf) => buf.extend_from_slice(&data),
            None if first.is_empty() => first = data,
            None => {
                let mut joined = BytesMut::with_capacity(initial_capacity(declared, limit, read));
                joined.extend_from_slice(&first);
                joined.extend_from_slice(&data);
                first = Bytes::new();
                buf = Some(joined);
            }
        }
    }
    Ok(buf.map_or(first, BytesMut::freeze))
}

impl<S> FromRequest<S> for VerifiedWebhook
where
    S: Send + Sync,
    WebhookVerifier: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = WebhookVerifier::from_ref(state);
        let (parts, body) = req.into_parts();
        let declared = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|len| len > verifier.body_limit as u64) {
            return Err(Error::BodyTooLarge {
                limit: verifier.body_limit,
            }
            .into());
        }
        let bytes = read_limited(body, verifier.body_limit, declared).await?;
        let verified = verifier.verifier.verify_bytes(&parts.headers, bytes)?;
        Ok(VerifiedWebhook(verified))
    }
}

#[cfg(test)]
mod tests {
    use super::initial_capacity;

    #[test]
    fn the_reservation_follows_content_length_within_the_limit() {
        // Declared and within the limit: reserved as declared.
        assert_eq!(initial_capacity(Some(1024), 4096, 700), 1024);
        // Declared above the limit (never trusted): capped at the limit.
        assert_eq!(initial_capacity(Some(u64::MAX), 4096, 700), 4096);
        // Declared below what already arrived: at least what is in hand.
        assert_eq!(initial_capacity(Some(10), 4096, 700), 700);
        // Missing or unparsable: start from what is in hand and grow.
        assert_eq!(initial_capacity(None, 4096, 700), 700);
    }
}
