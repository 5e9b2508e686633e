//! Speakr: recordings, from `GET /recordings` (whose items are the full records), with
//! `GET /recordings/{id}/transcript?format=text`, `GET /recordings/{id}/summary` and
//! `GET /recordings/{id}/audio`.

use std::sync::Arc;

use client_core::{ByteStream, Page, Paginator};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use speakr_client::recordings::{Transcript, TranscriptFormat};
use speakr_client::SpeakrClient;

use crate::vendor::{FetchError, Fetched, Listed, Vendor, Window};

/// The route class of Speakr's quota for reads (`GET` other than `/stats`).
const GET_CLASS: &str = "get";

/// Speakr, through a [`SpeakrClient`].
pub struct Speakr {
    client: SpeakrClient,
}

impl Speakr {
    pub fn new(client: SpeakrClient) -> Self {
        Speakr { client }
    }

    fn id(item: &Listed) -> Fetched<u64> {
        item.id
            .parse()
            .map_err(|_| FetchError::Shape(format!("recording id `{}` is not a number", item.id)))
    }
}

impl Vendor for Speakr {
    fn name(&self) -> &'static str {
        "speakr"
    }

    /// `GET /recordings?page=…&per_page=100&date_from=…&date_to=…`, page after page, each item
    /// kept as received.
    fn list(&self, window: &Window) -> BoxStream<'static, Result<Listed, FetchError>> {
        let core = self.client.core().clone();
        let window = Arc::new(window.clone());
        Paginator::page_number(1, move |n| {
            let core = core.clone();
            let window = window.clone();
            async move {
                let page: Value = core
                    .get("/recordings")
                    .query("page", n)
                    .query("per_page", 100)
                    .query_opt("date_from", window.since.as_deref())
                    .query_opt("date_to", window.until.as_deref())
                    .rate_class(GET_CLASS)
                    .send_json()
                    .await?;
                let items = match page.get("recordings") {
                    Some(Value::Array(items)) => items.clone(),
                    Some(Value::Null) | None => Vec::new(),
                    Some(_) => {
                        return Err(client_core::Error::new(
                            client_core::ErrorKind::Decode,
                            "`recordings` is not a list",
                        ))
                    }
                };
                let more = page
                    .pointer("/pagination/has_next")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                Ok(Page::new(items).has_more(more))
            }
        })
        .items()
        .map_err(FetchError::Api)
        .and_then(|record| async move {
            let id = record.get("id").and_then(Value::as_u64).ok_or_else(|| {
                FetchError::Shape(format!("a recording without a numeric id: {record}"))
            })?;
            let text = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_owned);
            Ok(Listed {
                id: id.to_string(),
                date: text("meeting_date").or_else(|| text("created_at")),
                title: text("title"),
                listing: Some(record),
            })
        })
        .boxed()
    }

    /// The listing's item (its keys in alphabetical order).
    fn record<'a>(&'a self, item: &'a Listed) -> BoxFuture<'a, Fetched<Vec<u8>>> {
        Box::pin(async move {
            let record = item.listing.as_ref().ok_or_else(|| {
                FetchError::Shape(format!("recording {} was not listed", item.id))
            })?;
            serde_json::to_vec_pretty(record)
                .map_err(|e| FetchError::Shape(format!("recording {}: {e}", item.id)))
        })
    }

    fn transcript<'a>(
        &'a self,
        item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>> {
        Box::pin(async move {
            if record.get("has_transcription").and_then(Value::as_bool) == Some(false) {
                return Ok(None);
            }
            let id = Speakr::id(item)?;
            let transcript = match self
                .client
                .recordings()
                .transcript(id, TranscriptFormat::Text)
                .await
            {
                Ok(t) => t,
                Err(e) if e.is_not_found() => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            let text = match transcript {
                Transcript::Text(t) | Transcript::Srt(t) | Transcript::Vtt(t) => Some(t),
                Transcript::Json(json) if json.transcription_error().is_some() => None,
                Transcript::Json(json) => Some(
                    json.segments
                        .iter()
                        .map(|s| {
                            format!(
                                "[{}]: {}\n",
                                s.speaker.as_deref().unwrap_or("?"),
                                s.sentence
                            )
                        })
                        .collect(),
                ),
                Transcript::Other { content, .. } => content,
                _ => None,
            };
            Ok(text)
        })
    }

    fn summary<'a>(
        &'a self,
        item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>> {
        Box::pin(async move {
            if record.get("has_summary").and_then(Value::as_bool) == Some(false) {
                return Ok(None);
            }
            match self.client.recordings().summary(Speakr::id(item)?).await {
                Ok(s) => Ok(s.summary.filter(|s| !s.is_empty())),
                Err(e) if e.is_not_found() => Ok(None),
                Err(e) => Err(e.into()),
            }
        })
    }

    fn settled(&self, record: &Value) -> bool {
        record
            .get("status")
            .and_then(Value::as_str)
            .is_some_and(|s| {
                s.eq_ignore_ascii_case("completed") || s.eq_ignore_ascii_case("failed")
            })
    }

    fn audio_extension(&self, record: &Value) -> Option<String> {
        if record.get("audio_available").and_then(Value::as_bool) == Some(false) {
            return None;
        }
        let extension = record
            .get("original_filename")
            .and_then(Value::as_str)
            .and_then(|name| name.rsplit_once('.'))
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .filter(|ext| {
                (1..=5).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        Some(extension.unwrap_or_else(|| "audio".to_owned()))
    }

    fn audio<'a>(&'a self, item: &'a Listed) -> BoxFuture<'a, Fetched<Option<ByteStream>>> {
        Box::pin(async move {
            let id = Speakr::id(item)?;
            match self.client.recordings().audio(id).stream().await {
                Ok(stream) => Ok(Some(stream)),
                Err(e) if e.is_not_found() => Ok(None),
                Err(e) => Err(e.into()),
            }
        })
    }
}
