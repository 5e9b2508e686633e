//! [`MeetingSource`] for Speakr: recordings.

use async_trait::async_trait;
use futures::future::ready;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use speakr_client::SpeakrClient;

use super::{non_empty, MeetingSource, SourceError, Window};
use crate::model::{Meeting, Transcript, Vendor};

const VENDOR: Vendor = Vendor::Speakr;

/// A recording id: Speakr's ids are numbers; anything else is refused before sending.
fn recording_id(id: &str) -> Result<u64, SourceError> {
    id.trim().parse().map_err(|_| {
        let message = format!("a Speakr recording id is a number, got `{id}`");
        let error = client_core::Error::new(client_core::ErrorKind::InvalidRequest, message);
        SourceError::api(VENDOR, Some(id), error)
    })
}

/// Non-blank text.
fn non_blank(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

/// Speakr through its client: every request goes through the client's rate limiter, which
/// keeps each route under Speakr's per-route hour and day quotas (and the documented
/// per-class table).
#[async_trait]
impl MeetingSource for SpeakrClient {
    fn vendor(&self) -> Vendor {
        VENDOR
    }

    /// `GET /recordings?per_page=100&date_from=FIRST&date_to=DAY_AFTER_LAST`, each recording
    /// kept as received in [`Meeting::raw`]. Speakr filters `created_at` (not the meeting
    /// date), and reads a bare `date_to` as midnight at the start of that day, so the day
    /// after the window's last one is sent; each recording's `created_at` is then checked
    /// against the exact window.
    fn meetings(&self, window: Window) -> BoxStream<'static, Result<Meeting, SourceError>> {
        let mut list = self.recordings().list().per_page(100);
        if let Some(day) = window.first_day() {
            list = list.date_from(day);
        }
        if let Some(day) = window.day_after_last() {
            list = list.date_to(day);
        }
        list.records()
            .items()
            .map_err(|e| SourceError::api(VENDOR, None, e))
            .try_filter(move |record| {
                let created = record.get("created_at").and_then(Value::as_str);
                ready(match created {
                    Some(text) => window.contains_text(text),
                    None => window.is_unbounded(),
                })
            })
            .and_then(|record| {
                let id = record.get("id").map(ToString::to_string);
                ready(
                    crate::speakr::meeting_from_json(record)
                        .map_err(|e| SourceError::convert(VENDOR, id.as_deref(), e)),
                )
            })
            .boxed()
    }

    /// `GET /recordings/{id}`: the detail, read as a [`speakr_client::recordings::Recording`]
    /// (`raw` is `null`).
    async fn meeting(&self, id: &str) -> Result<Meeting, SourceError> {
        let n = recording_id(id)?;
        let recording = self
            .recordings()
            .get(n)
            .send()
            .await
            .map_err(|e| SourceError::api(VENDOR, Some(id), e))?;
        Ok(crate::speakr::meeting(&recording))
    }

    /// `GET /recordings/{id}/transcript?format=json`: the segments with speakers and times,
    /// Speakr's richest form. `None` for a `404` or a transcript without any text; a stored
    /// failure record is a [`crate::ConvertError::TranscriptionFailed`] error.
    async fn transcript(&self, id: &str) -> Result<Option<Transcript>, SourceError> {
        let n = recording_id(id)?;
        let json = match self.recordings().transcript_segments(n).await {
            Ok(json) => json,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(SourceError::api(VENDOR, Some(id), e)),
        };
        let transcript = crate::speakr::transcript_from_json(n, &json)
            .map_err(|e| SourceError::convert(VENDOR, Some(id), e))?;
        Ok(non_empty(Some(transcript)))
    }

    /// `GET /recordings/{id}/summary` (Markdown); `None` for a `404` or an empty summary.
    async fn summary(&self, id: &str) -> Result<Option<String>, SourceError> {
        let n = recording_id(id)?;
        match self.recordings().summary(n).await {
            Ok(s) => Ok(non_blank(s.summary)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(SourceError::api(VENDOR, Some(id), e)),
        }
    }
}
