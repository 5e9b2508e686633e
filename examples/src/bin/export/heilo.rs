//! Heilo: calls, from `GET /calls?dateFrom=…&dateTo=…` and `GET /calls/{id}` (the record).
//! Heilo's documentation does not say how a bare `dateTo` date bounds the day, so the window
//! is sent as exact UTC instants (`dateFrom=SINCET00:00:00Z`, `dateTo=` the first instant after
//! the last day) and applied to each call's `created_at` as well.
//! Heilo serves no recording files and no raw transcript: the call's analysis
//! (`transcript_processed`) is its transcript, and the analysis' `summary` its summary.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use heilo_client::calls::Call;
use heilo_client::HeiloClient;
use serde_json::Value;

use crate::vendor::{record_as_received, FetchError, Fetched, Listed, Part, Vendor, Window};

/// Heilo, through a [`HeiloClient`].
pub struct Heilo {
    client: HeiloClient,
}

impl Heilo {
    pub fn new(client: HeiloClient) -> Self {
        Heilo { client }
    }
}

/// The call inside a record (`{"success": true, "data": …, "meta": …}`).
fn call(record: &Value) -> Fetched<Call> {
    let data = record
        .get("data")
        .ok_or_else(|| FetchError::Shape("the call record has no `data`".to_owned()))?;
    serde_json::from_value(data.clone())
        .map_err(|e| FetchError::Shape(format!("the call record does not read as a call: {e}")))
}

impl Vendor for Heilo {
    fn name(&self) -> &'static str {
        "heilo"
    }

    fn label(&self) -> &'static str {
        "Heilo"
    }

    fn route(&self, part: Part) -> &'static str {
        match part {
            Part::Listing => "GET /calls",
            // The transcript and summary are in the record; Heilo serves no audio.
            Part::Record | Part::Transcript | Part::Summary | Part::Audio => "GET /calls/{id}",
        }
    }

    /// `GET /calls?limit=100&dateFrom=…&dateTo=…`, page after page; dated by `created_at`.
    fn list(&self, window: &Window) -> BoxStream<'static, Result<Listed, FetchError>> {
        let mut list = self.client.calls().list().limit(100);
        if let Some(start) = window.start_instant() {
            list = list.date_from(start);
        }
        if let Some(end) = window.end_instant_exclusive() {
            list = list.date_to(end);
        }
        list.into_stream()
            .map_ok(|c: Call| Listed {
                title: c
                    .transcript_processed
                    .as_ref()
                    .and_then(|t| t.subject.clone())
                    .or(c.caller_name),
                date_field: "created_at",
                date: c.created_at.as_ref().map(|t| t.as_str().to_owned()),
                id: c.call_id,
                listing: None,
            })
            .map_err(FetchError::Api)
            .boxed()
    }

    /// `GET /calls/{id}`, as received.
    fn record<'a>(&'a self, item: &'a Listed) -> BoxFuture<'a, Fetched<Vec<u8>>> {
        Box::pin(record_as_received(
            self.client.core(),
            "/calls/{id}",
            &item.id,
            call,
        ))
    }

    /// The call's analysis (`transcript_processed`), one `field: value` line per field.
    fn meeting(&self, record: &Value) -> Option<transcripts::Meeting> {
        call(record).ok().map(|c| transcripts::heilo::meeting(&c))
    }

    /// The call's `transcript_original` when the record carries it. Heilo's API serves a
    /// call's processed analysis, not its text (the text arrives with the `call.completed`
    /// and `call.transcribed` webhooks), so an exported call usually has no transcript; its
    /// analysis is in the record and its summary in `ID.summary.txt`.
    fn transcript<'a>(
        &'a self,
        item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<transcripts::Transcript>>> {
        Box::pin(async move {
            call(record)?;
            Ok(record
                .pointer("/data/transcript_original")
                .and_then(Value::as_str)
                .filter(|t| !t.trim().is_empty())
                .map(|text| transcripts::heilo::transcript_from_text(&item.id, text)))
        })
    }

    /// The analysis' `summary`.
    fn summary<'a>(
        &'a self,
        _item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>> {
        Box::pin(async move {
            Ok(call(record)?
                .transcript_processed
                .and_then(|t| t.summary)
                .filter(|s| !s.trim().is_empty()))
        })
    }
}
