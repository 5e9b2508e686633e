//! Speakr: recordings, from `GET /recordings` (whose items are the full records), with
//! `GET /recordings/{id}/transcript?format=text`, `GET /recordings/{id}/summary` and
//! `GET /recordings/{id}/audio`.
//!
//! Speakr's `date_from` / `date_to` filter `created_at`, and a bare `date_to` date means
//! "created before 00:00:00 of that day": the window's last day is sent as the day after it.

use client_core::ByteStream;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use speakr_client::recordings::TranscriptFormat;
use speakr_client::SpeakrClient;

use crate::vendor::{extension_of, FetchError, Fetched, Listed, Part, Vendor, Window};

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

    fn label(&self) -> &'static str {
        "Speakr"
    }

    fn route(&self, part: Part) -> &'static str {
        match part {
            // The record is the listing's item.
            Part::Listing | Part::Record => "GET /recordings",
            Part::Transcript => "GET /recordings/{id}/transcript",
            Part::Summary => "GET /recordings/{id}/summary",
            Part::Audio => "GET /recordings/{id}/audio",
        }
    }

    /// `GET /recordings?page=…&per_page=100&date_from=SINCE&date_to=UNTIL+1`, the client's
    /// guarded walk, each recording kept as received; dated by `created_at`, the field the
    /// server's window filters.
    fn list(&self, window: &Window) -> BoxStream<'static, Result<Listed, FetchError>> {
        let mut list = self.client.recordings().list().per_page(100);
        if let Some(since) = &window.since {
            list = list.date_from(since.as_str());
        }
        if let Some(end) = window.end_day_exclusive() {
            list = list.date_to(end);
        }
        list.records()
            .items()
            .map_err(FetchError::Api)
            .and_then(|record| async move {
                let id = record.get("id").and_then(Value::as_u64).ok_or_else(|| {
                    FetchError::Shape(format!("a recording without a numeric id: {record}"))
                })?;
                let text = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_owned);
                Ok(Listed {
                    id: id.to_string(),
                    date_field: "created_at",
                    date: text("created_at"),
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

    fn meeting(&self, record: &Value) -> Option<transcripts::Meeting> {
        transcripts::speakr::meeting_from_json(record.clone()).ok()
    }

    /// `GET /recordings/{id}/transcript?format=json`: the segments with speakers and times
    /// (Speakr's richest form); a recording whose transcription failed has none.
    fn transcript<'a>(
        &'a self,
        item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<transcripts::Transcript>>> {
        Box::pin(async move {
            if record.get("has_transcription").and_then(Value::as_bool) == Some(false) {
                return Ok(None);
            }
            let id = Speakr::id(item)?;
            let transcript = match self
                .client
                .recordings()
                .transcript(id, TranscriptFormat::Json)
                .await
            {
                Ok(t) => t,
                Err(e) if e.is_not_found() => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            match transcripts::speakr::transcript(id, &transcript) {
                Ok(t) => Ok(Some(t)),
                Err(transcripts::ConvertError::TranscriptionFailed(_)) => Ok(None),
                Err(e) => Err(FetchError::Shape(format!("recording {id}: {e}"))),
            }
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

    fn has_audio(&self, record: &Value) -> bool {
        record.get("audio_available").and_then(Value::as_bool) != Some(false)
    }

    /// The extension of `original_filename`: Speakr keeps the uploaded name but serves the
    /// audio transcoded (MP3), so the download's `Content-Type` comes first.
    fn original_extension(&self, record: &Value) -> Option<String> {
        record
            .get("original_filename")
            .and_then(Value::as_str)
            .and_then(extension_of)
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
