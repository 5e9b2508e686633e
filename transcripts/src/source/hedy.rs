//! [`MeetingSource`] for Hedy: sessions.

use async_trait::async_trait;
use futures::future::ready;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use hedy_client::sessions::Session;
use hedy_client::HedyClient;
use serde_json::Value;

use super::{non_empty, MeetingSource, SourceError, Window};
use crate::model::{Meeting, Transcript, Vendor};

const VENDOR: Vendor = Vendor::Hedy;

/// `GET /sessions/{sessionId}` as received: the session, bare or inside Hedy's
/// `{"success": true, "data": …}` envelope.
async fn record(client: &HedyClient, id: &str) -> Result<Value, SourceError> {
    let body: Value = client
        .core()
        .get("/sessions/{sessionId}")
        .param(id)
        .send_json()
        .await
        .map_err(|e| SourceError::api(VENDOR, Some(id), e))?;
    Ok(match body {
        Value::Object(mut map) if map.contains_key("success") && map.contains_key("data") => {
            map.remove("data").unwrap_or(Value::Null)
        }
        other => other,
    })
}

/// The session of a record.
fn session(id: &str, record: Value) -> Result<Session, SourceError> {
    serde_json::from_value(record).map_err(|e| SourceError::convert(VENDOR, Some(id), e.into()))
}

/// Hedy through its client.
#[async_trait]
impl MeetingSource for HedyClient {
    fn vendor(&self) -> Vendor {
        VENDOR
    }

    /// `GET /sessions?limit=100`, page after page. Hedy's listing has no date filter: the
    /// window is applied to each session's `startTime` as it is listed.
    fn meetings(&self, window: Window) -> BoxStream<'static, Result<Meeting, SourceError>> {
        self.sessions()
            .list()
            .limit(100)
            .into_stream()
            .map_err(|e| SourceError::api(VENDOR, None, e))
            .try_filter(move |s| {
                ready(window.contains_opt(s.start_time.as_ref().and_then(|t| t.to_system_time())))
            })
            .map_ok(|s| crate::hedy::meeting(&s))
            .boxed()
    }

    /// `GET /sessions/{sessionId}`, kept as received in [`Meeting::raw`].
    async fn meeting(&self, id: &str) -> Result<Meeting, SourceError> {
        let record = record(self, id).await?;
        crate::hedy::meeting_from_json(record)
            .map_err(|e| SourceError::convert(VENDOR, Some(id), e))
    }

    /// The session's `transcript` (else its `cleaned_transcript`), from
    /// `GET /sessions/{sessionId}`: speaker turns where the text carries them, otherwise
    /// one untimed segment. `None` when the session has no transcript text.
    async fn transcript(&self, id: &str) -> Result<Option<Transcript>, SourceError> {
        let s = session(id, record(self, id).await?)?;
        Ok(non_empty(crate::hedy::transcript(&s)))
    }

    /// The session's `recap`, else its `meeting_minutes` (Markdown), from
    /// `GET /sessions/{sessionId}`.
    async fn summary(&self, id: &str) -> Result<Option<String>, SourceError> {
        Ok(self.meeting(id).await?.summary)
    }
}
