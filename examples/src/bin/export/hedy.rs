//! Hedy: sessions, from `GET /sessions` (summaries) and `GET /sessions/{sessionId}` (the
//! record, with the transcript, recap and meeting minutes in it). Hedy's listing has no date
//! filter: the window is applied to each session's `startTime` as it is listed.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use hedy_client::sessions::Session;
use hedy_client::HedyClient;
use serde_json::Value;

use crate::vendor::{record_as_received, FetchError, Fetched, Listed, Part, Vendor, Window};

/// Hedy, through a [`HedyClient`].
pub struct Hedy {
    client: HedyClient,
}

impl Hedy {
    pub fn new(client: HedyClient) -> Self {
        Hedy { client }
    }
}

/// The session inside a record: Hedy sends it bare or as `{"success": true, "data": …}`.
fn session(record: &Value) -> Fetched<Session> {
    let inner = match record.get("data") {
        Some(data) if record.get("success").is_some() => data,
        _ => record,
    };
    serde_json::from_value(inner.clone()).map_err(|e| {
        FetchError::Shape(format!(
            "the session record does not read as a session: {e}"
        ))
    })
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

impl Vendor for Hedy {
    fn name(&self) -> &'static str {
        "hedy"
    }

    fn label(&self) -> &'static str {
        "Hedy"
    }

    fn route(&self, part: Part) -> &'static str {
        match part {
            Part::Listing => "GET /sessions",
            // The transcript and summary are in the record; Hedy serves no audio.
            Part::Record | Part::Transcript | Part::Summary | Part::Audio => {
                "GET /sessions/{sessionId}"
            }
        }
    }

    /// `GET /sessions?limit=100`, page after page (every session: the export keeps those of
    /// the window by `startTime`).
    fn list(&self, _window: &Window) -> BoxStream<'static, Result<Listed, FetchError>> {
        self.client
            .sessions()
            .list()
            .limit(100)
            .into_stream()
            .map_ok(|s: Session| Listed {
                id: s.session_id,
                date_field: "startTime",
                date: s.start_time.as_ref().map(|t| t.as_str().to_owned()),
                title: s.title,
                listing: None,
            })
            .map_err(FetchError::Api)
            .boxed()
    }

    /// `GET /sessions/{sessionId}`, as received.
    fn record<'a>(&'a self, item: &'a Listed) -> BoxFuture<'a, Fetched<Vec<u8>>> {
        Box::pin(record_as_received(
            self.client.core(),
            "/sessions/{sessionId}",
            &item.id,
            session,
        ))
    }

    /// The record's `transcript` (or, without one, its `cleaned_transcript`).
    fn meeting(&self, record: &Value) -> Option<transcripts::Meeting> {
        session(record).ok().map(|s| transcripts::hedy::meeting(&s))
    }

    /// The session's `transcript` (else `cleaned_transcript`), read for speaker turns.
    fn transcript<'a>(
        &'a self,
        _item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<transcripts::Transcript>>> {
        Box::pin(async move { Ok(transcripts::hedy::transcript(&session(record)?)) })
    }

    /// The record's `recap` and `meeting_minutes`.
    fn summary<'a>(
        &'a self,
        _item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>> {
        Box::pin(async move {
            let s = session(record)?;
            let parts: Vec<String> = [non_empty(s.recap), non_empty(s.meeting_minutes)]
                .into_iter()
                .flatten()
                .collect();
            Ok((!parts.is_empty()).then(|| parts.join("\n\n")))
        })
    }
}
