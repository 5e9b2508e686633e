//! `GET /recordings/{id}/audio`: downloading the audio file.

use std::path::Path;

use client_core::{ByteStream, ErrorKind};
use tokio::io::AsyncWrite;

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::Error;

/// A `GET /recordings/{id}/audio` download. Speakr either sends the file or redirects (302) to
/// a pre-signed storage URL; the redirect is followed **without** the API token. The body is
/// streamed: it never sits whole in memory.
#[derive(Debug, Clone)]
#[must_use = "call .stream(), .write_to() or .save_to()"]
pub struct AudioDownload<'a> {
    pub(super) client: &'a SpeakrClient,
    pub(super) id: u64,
    pub(super) download: Option<bool>,
}

impl AudioDownload<'_> {
    /// `download=true|false`: ask for an attachment rather than an inline stream.
    pub fn download(mut self, download: bool) -> Self {
        self.download = Some(download);
        self
    }

    /// `GET /recordings/{id}/audio`: the response, once its head has arrived (file name and
    /// type in its headers; the observed server sends MP3 bytes under the original `.wav`
    /// name).
    pub async fn stream(self) -> Result<ByteStream, Error> {
        let core = &self.client.core;
        let first = core
            .get("/recordings/{id}/audio")
            .param(self.id)
            .query_opt("download", self.download)
            .rate_class(rate_classes::GET)
            .send_stream()
            .await;
        match first {
            Err(e)
                if e.kind() != ErrorKind::Auth
                    && e.status().is_some_and(|s| s.is_redirection()) =>
            {
                match e.redirect_location() {
                    Some(location) => core.get_absolute(location.clone()).send_stream().await,
                    None => Err(e),
                }
            }
            other => other,
        }
    }

    /// `GET /recordings/{id}/audio` into `writer`, chunk by chunk; returns the bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin>(self, writer: &mut W) -> Result<u64, Error> {
        self.stream().await?.write_to(writer).await
    }

    /// `GET /recordings/{id}/audio` into a new file at `path`; returns the bytes written.
    pub async fn save_to(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        self.stream().await?.save_to(path).await
    }
}
