//! AI-Scribe transcripts: the VTT file behind a transcript's expiring URL, and
//! `deleteTranscript`.
//!
//! Transcripts are read through their appointment ([`crate::appointments::Appointments::get`]);
//! Healthie has no query for a transcript alone.

use client_core::{ByteStream, Error, ErrorKind};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::appointments::Transcript;
use crate::client::HealthieClient;
use crate::graphql::{Operation, OperationKind};

/// `mutation DeleteTranscript`.
pub static DELETE_TRANSCRIPT: Operation = Operation {
    name: "DeleteTranscript",
    kind: OperationKind::Mutation,
    connections: "mutation DeleteTranscript($input: DeleteTranscriptInput) { \
                  deleteTranscript(input: $input) { messages { field message } success transcript_id } }",
    baseline: None,
};

/// Transcript operations (see [`HealthieClient::transcripts`]).
#[derive(Debug, Clone, Copy)]
pub struct Transcripts<'a> {
    pub(crate) client: &'a HealthieClient,
}

/// What `deleteTranscript` answered.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DeletedTranscript {
    /// Whether Healthie deleted it.
    #[serde(default)]
    pub success: Option<bool>,
    /// The id of the deleted transcript.
    #[serde(default)]
    pub transcript_id: Option<String>,
}

impl Transcripts<'_> {
    /// Stream the transcript's VTT file from its `expiring_url`: a plain `GET` of that
    /// pre-signed URL, without the API key or any Healthie header (the URL carries its own
    /// authorization), retried on transient faults. Download it soon after fetching the
    /// appointment: the URL expires.
    pub async fn download_vtt(self, transcript: &Transcript) -> Result<ByteStream, Error> {
        let url = expiring_url(transcript)?;
        self.client.core.get_absolute(url).send_stream().await
    }

    /// The transcript's VTT file as text (see [`Transcripts::download_vtt`]).
    pub async fn vtt_text(self, transcript: &Transcript) -> Result<String, Error> {
        let url = expiring_url(transcript)?;
        self.client.core.get_absolute(url).send_text().await
    }

    /// Delete a transcript: `mutation DeleteTranscript` (`deleteTranscript(input: {id})`),
    /// `2026-01-01` only. `id` is the composite id (`realtime_capture_123`). Sent once, never
    /// retried once it may have reached Healthie.
    pub async fn delete(self, id: &str) -> Result<DeletedTranscript, Error> {
        if id.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "the transcript id is empty",
            ));
        }
        #[derive(Serialize)]
        struct Input<'a> {
            id: &'a str,
        }
        let deleted: DeletedTranscript = self
            .client
            .mutate(&DELETE_TRANSCRIPT, "deleteTranscript", &Input { id })
            .await?;
        if deleted.success == Some(false) {
            return Err(Error::new(
                ErrorKind::Graphql,
                format!("`deleteTranscript` reported failure for `{id}`"),
            ));
        }
        Ok(deleted)
    }
}

/// The transcript's download URL, checked.
fn expiring_url(transcript: &Transcript) -> Result<Url, Error> {
    let raw = transcript.expiring_url.as_deref().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!(
                "transcript `{}` has no expiring_url (select it, or the transcript is not completed)",
                transcript.id.as_deref().unwrap_or("?")
            ),
        )
    })?;
    let url = Url::parse(raw).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("transcript expiring_url `{raw}` is not a URL: {e}"),
        )
    })?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(Error::new(
            ErrorKind::Decode,
            format!("transcript expiring_url has scheme `{}`", url.scheme()),
        ));
    }
    Ok(url)
}
