//! Success responses: buffered ([`RawResponse`]) or streamed ([`ByteStream`]).

use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::{self, BoxStream, Stream, StreamExt};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::error::{Error, ErrorKind};

/// A whole success response.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status (2xx).
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl RawResponse {
    /// Decode the body as JSON into `T`, straight from the bytes. A failure keeps the JSON path
    /// and a truncated body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_json(self.status, &self.body)
    }

    /// The body as UTF-8 text.
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.to_vec()).map_err(|e| {
            Error::new(ErrorKind::Decode, "the response body is not UTF-8")
                .with_status(self.status)
                .with_source(e)
        })
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        content_type(&self.headers)
    }
}

/// Decode JSON from bytes into `T`, keeping the path of a failure.
///
/// The fast path is plain `serde_json`; only a failed decode is run again with path tracking,
/// so that successful calls pay nothing for the diagnostics.
pub fn decode_json<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T, Error> {
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(plain) => {
            let mut de = serde_json::Deserializer::from_slice(body);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => Err(Error::decode(status, body, e)),
                // Only trailing input can fail the plain decode but not the tracked one.
                Ok(_) => Err(Error::new(ErrorKind::Decode, plain.to_string())
                    .with_status(status)
                    .with_body_snippet(body)
                    .with_source(plain)),
            }
        }
    }
}

fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// A success response whose body arrives in chunks: downloads never sit whole in memory.
pub struct ByteStream {
    status: StatusCode,
    headers: HeaderMap,
    body: BoxStream<'static, Result<Bytes, Error>>,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("content_type", &content_type(&self.headers))
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    /// The body of `response`, ending with `BodyTooLarge` once more than `limit` bytes came.
    pub(crate) fn new(response: reqwest::Response, limit: Option<u64>) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let mut received: u64 = 0;
        let mut over = false;
        let body = response
            .bytes_stream()
            .map(|chunk| {
                chunk.map_err(|e| {
                    let e = e.without_url();
                    let kind = if e.is_timeout() {
                        ErrorKind::Timeout
                    } else {
                        ErrorKind::Transport
                    };
                    Error::new(kind, "the download broke off").with_source(e)
                })
            })
            .map(move |chunk| {
                let chunk = chunk?;
                received = received.saturating_add(chunk.len() as u64);
                match limit {
                    Some(limit) if received > limit => Err(Error::new(
                        ErrorKind::BodyTooLarge,
                        format!(
                            "the download passed the limit of {limit} bytes \
                             (ClientBuilder::max_download_size)"
                        ),
                    )),
                    _ => Ok(chunk),
                }
            })
            .take_while(move |item| {
                // Nothing after the first error over the limit.
                let go = !over;
                over |= item.is_err();
                futures::future::ready(go)
            })
            .boxed();
        ByteStream {
            status,
            headers,
            body,
        }
    }

    pub(crate) fn from_bytes(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        ByteStream {
            status,
            headers,
            body: stream::once(async move { Ok(body) }).boxed(),
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        content_type(&self.headers)
    }

    /// The `Content-Length` header, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
    }

    /// The file name from `Content-Disposition`, if any.
    pub fn file_name(&self) -> Option<String> {
        let value = self
            .headers
            .get(http::header::CONTENT_DISPOSITION)?
            .to_str()
            .ok()?;
        value.split(';').map(str::trim).find_map(|part| {
            let rest = part.strip_prefix("filename=")?;
            Some(rest.trim_matches('"').to_owned())
        })
    }

    /// Copy the whole body into `writer`, chunk by chunk; returns the number of bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, writer: &mut W) -> Result<u64, Error> {
        let mut written: u64 = 0;
        while let Some(chunk) = self.body.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        if let Some(expected) = self.content_length() {
            if expected != written {
                return Err(Error::new(
                    ErrorKind::Transport,
                    format!("the download ended after {written} of {expected} bytes"),
                ));
            }
        }
        Ok(written)
    }

    /// Write the whole body to a new file at `path` (replaced if it exists).
    pub async fn save_to(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let mut file = tokio::fs::File::create(path.as_ref()).await?;
        let n = self.write_to(&mut file).await?;
        file.sync_all().await?;
        Ok(n)
    }

    /// Read the whole body into memory (for small bodies such as a calendar file).
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let mut buf = Vec::new();
        while let Some(chunk) = self.body.next().await {
            buf.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(buf))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.body.as_mut().poll_next(cx)
    }
}
