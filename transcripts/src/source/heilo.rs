//! [`MeetingSource`] for Heilo: calls.

use async_trait::async_trait;
use futures::future::ready;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use heilo_client::webhooks::CallCompleted;
use heilo_client::HeiloClient;
use serde::de::Error as _;
use serde_json::Value;

use super::{non_empty, MeetingSource, SourceError, Window};
use crate::model::{Meeting, Transcript, Vendor};

const VENDOR: Vendor = Vendor::Heilo;

/// `GET /calls/{id}` as received: the call inside `{"success": true, "data": …}`.
async fn record(client: &HeiloClient, id: &str) -> Result<Value, SourceError> {
    let mut body: Value = client
        .core()
        .get("/calls/{id}")
        .param(id)
        .send_json()
        .await
        .map_err(|e| SourceError::api(VENDOR, Some(id), e))?;
    match body.get_mut("data").map(Value::take) {
        Some(call) if call.is_object() => Ok(call),
        _ => Err(SourceError::convert(
            VENDOR,
            Some(id),
            serde_json::Error::custom("the call record has no `data` object").into(),
        )),
    }
}

/// Heilo through its client.
#[async_trait]
impl MeetingSource for HeiloClient {
    fn vendor(&self) -> Vendor {
        VENDOR
    }

    /// `GET /calls?limit=100&dateFrom=FIRSTT00:00:00Z&dateTo=DAY_AFTER_LASTT00:00:00Z`, page
    /// after page. Heilo does not say how a bare `dateTo` date bounds its day, so exact
    /// instants are sent; each call's `created_at` is then checked against the exact window.
    fn meetings(&self, window: Window) -> BoxStream<'static, Result<Meeting, SourceError>> {
        let mut list = self.calls().list().limit(100);
        if let Some(start) = window.start_instant() {
            list = list.date_from(start);
        }
        if let Some(end) = window.end_instant_exclusive() {
            list = list.date_to(end);
        }
        list.into_stream()
            .map_err(|e| SourceError::api(VENDOR, None, e))
            .try_filter(move |c| {
                ready(window.contains_opt(c.created_at.as_ref().and_then(|t| t.to_system_time())))
            })
            .map_ok(|c| crate::heilo::meeting(&c))
            .boxed()
    }

    /// `GET /calls/{id}`, the call kept as received in [`Meeting::raw`].
    async fn meeting(&self, id: &str) -> Result<Meeting, SourceError> {
        let call = record(self, id).await?;
        crate::heilo::meeting_from_json(call).map_err(|e| SourceError::convert(VENDOR, Some(id), e))
    }

    /// The call's verbatim `transcript_original` from `GET /calls/{id}` (speaker turns where
    /// the text carries them), with the analysis' `detected_language`. `None` when the call
    /// carries none: Heilo's `call.completed` and `call.transcribed` webhooks always carry it
    /// (see [`crate::event::MeetingEvent::transcript`]).
    async fn transcript(&self, id: &str) -> Result<Option<Transcript>, SourceError> {
        let call = record(self, id).await?;
        // The record has the fields of `call.completed` data that a transcript needs.
        let fields: CallCompleted = serde_json::from_value(call)
            .map_err(|e| SourceError::convert(VENDOR, Some(id), e.into()))?;
        Ok(non_empty(crate::heilo::completed_transcript(&fields)))
    }

    /// The analysis' `summary` (`transcript_processed.summary`), from `GET /calls/{id}`.
    async fn summary(&self, id: &str) -> Result<Option<String>, SourceError> {
        Ok(self.meeting(id).await?.summary)
    }
}
