//! Sessions: list (one page or a lazy stream over every page), get one with its full
//! transcript and notes, and a session's highlights and todos.
//!
//! ```no_run
//! # async fn run(hedy: hedy_client::HedyClient) -> Result<(), hedy_client::Error> {
//! use futures::TryStreamExt;
//!
//! // One page of summaries (newest first).
//! let page = hedy.sessions().list().limit(50).send().await?;
//! println!("{} sessions, next cursor: {:?}", page.items.len(), page.next_cursor);
//!
//! // Every session, page after page (`pagination.next` sent back as `after`).
//! let mut all = hedy.sessions().list().limit(100).into_stream();
//! while let Some(s) = all.try_next().await? {
//!     println!("{} {}", s.session_id, s.title.as_deref().unwrap_or("(untitled)"));
//! }
//!
//! // The full session, then its highlights and todos (each answered whole).
//! let session = hedy.sessions().get("sess_7Qm2xK9aL0").await?;
//! println!("{}", session.recap.as_deref().unwrap_or_default());
//! for h in hedy.sessions().highlights(&session.session_id).send().await?.items {
//!     println!("highlight {}: {:?}", h.highlight_id, h.title);
//! }
//! for t in hedy.sessions().todos(&session.session_id).send().await?.items {
//!     println!("todo {} (due {:?})", t.text.as_deref().unwrap_or_default(), t.due_date);
//! }
//! # Ok(()) }
//! ```

use client_core::{Client, WholeListing};
use serde::Deserialize;

use crate::client::HedyClient;
use crate::envelope;
use crate::highlights::Highlight;
use crate::listing::Listing;
use crate::todos::Todo;
use crate::topics::Topic;
use crate::types::{lenient_millis, Extra, SessionType, Timestamp};
use crate::Error;

/// A session (a recorded meeting).
///
/// One type serves the list (a summary: id, title, start, duration, type, topic), the detail
/// (`GET /sessions/{sessionId}` adds the transcript, notes, highlights and todos), the
/// `format=zapier` listing and the session webhooks (which add `structured_conversations`
/// and, for `session.exported`, `exportedAt`). Every field but the id is optional: `null` and
/// absent both occur. The JSON keys are mixed camelCase and snake_case, exactly as Hedy
/// sends them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Session {
    /// `sessionId` (not `id`).
    #[serde(rename = "sessionId")]
    pub session_id: String,
    /// `title` (may be null or empty).
    #[serde(default)]
    pub title: Option<String>,
    /// `startTime`.
    #[serde(rename = "startTime", default)]
    pub start_time: Option<Timestamp>,
    /// `endTime` (detail and webhooks; absent on `session.exported`).
    #[serde(rename = "endTime", default)]
    pub end_time: Option<Timestamp>,
    /// `duration`, **unit ambiguous**: Hedy's Make integration reads it as seconds (1800 for
    /// a 30-minute meeting), its endpoint reference and OpenAPI example as minutes (45 for
    /// 14:30–15:15). Kept as sent; [`Session::duration_from_times`] derives seconds from
    /// `startTime` and `endTime` when both are present.
    #[serde(default)]
    pub duration: Option<f64>,
    /// `session_type` in the API, `sessionType` in webhooks (both accepted).
    #[serde(rename = "session_type", alias = "sessionType", default)]
    pub session_type: Option<SessionType>,
    /// `topic`: the nested topic, or `null` (never flat `topicId`/`topicName`; absent from
    /// webhooks).
    #[serde(default)]
    pub topic: Option<Topic>,
    /// `transcript` (detail, webhooks).
    #[serde(default)]
    pub transcript: Option<String>,
    /// `cleaned_transcript` (detail).
    #[serde(default)]
    pub cleaned_transcript: Option<String>,
    /// `cleaned_at` (detail).
    #[serde(default)]
    pub cleaned_at: Option<Timestamp>,
    /// `conversations`: Q&A text (`"Q: …\nA: …"`), or a list in some sources.
    #[serde(default)]
    pub conversations: Option<Conversations>,
    /// `structured_conversations` (webhooks only).
    #[serde(default)]
    pub structured_conversations: Option<Vec<StructuredConversation>>,
    /// `meeting_minutes` (Markdown).
    #[serde(default)]
    pub meeting_minutes: Option<String>,
    /// `recap`.
    #[serde(default)]
    pub recap: Option<String>,
    /// `session_notes`: a string holding Quill-Delta JSON (`[{"insert":"…\n"}]`).
    #[serde(default)]
    pub session_notes: Option<String>,
    /// `highlights`, embedded (keyed `highlightId`, with `timeIndex`, without `sessionId`).
    #[serde(default)]
    pub highlights: Option<Vec<Highlight>>,
    /// `user_todos` (detail): `{id, text, dueDate, completed}`.
    #[serde(default)]
    pub user_todos: Option<Vec<Todo>>,
    /// `exportedAt` (`session.exported` webhooks).
    #[serde(rename = "exportedAt", default)]
    pub exported_at: Option<Timestamp>,
    /// Every other field as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Session {
    /// Seconds between `startTime` and `endTime`, when both are present and parse: an
    /// unambiguous alternative to [`Session::duration`].
    pub fn duration_from_times(&self) -> Option<f64> {
        let start = self.start_time.as_ref()?.unix_seconds()?;
        let end = self.end_time.as_ref()?.unix_seconds()?;
        Some(end - start)
    }
}

/// `conversations`: text in every observed response; some integrations also accept a list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Conversations {
    /// The observed form: `"Q: …\nA: …"`.
    Text(String),
    /// A list of entries.
    List(Vec<StructuredConversation>),
    /// Anything else, as sent.
    Other(serde_json::Value),
}

impl Conversations {
    /// The text form, if that is what was sent.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Conversations::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// An entry of `structured_conversations` (webhooks).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct StructuredConversation {
    /// `type` (for example `suggestion`).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// `question` (often null).
    #[serde(default)]
    pub question: Option<String>,
    /// `answer`.
    #[serde(default)]
    pub answer: Option<String>,
    /// `timestamp`: epoch **milliseconds** (a number, unlike every other timestamp).
    #[serde(rename = "timestamp", default, deserialize_with = "lenient_millis")]
    pub timestamp_ms: Option<i64>,
    /// Every other field as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The sessions endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Sessions<'a> {
    pub(crate) client: &'a HedyClient,
}

impl<'a> Sessions<'a> {
    fn core(&self) -> &'a Client {
        &self.client.core
    }

    /// `GET /sessions`: a listing (`limit`, `after`, `topicId`, `format=zapier` on the
    /// builder), one page or all of them.
    pub fn list(&self) -> ListSessions<'a> {
        Listing::new(self.client, "/sessions", |session: &Session| {
            session.session_id.as_str()
        })
    }

    /// `GET /sessions/{sessionId}`: the full session. An unknown id is a `NotFound` error
    /// (`session_not_found`).
    pub async fn get(&self, session_id: impl Into<String>) -> Result<Session, Error> {
        let raw = self
            .core()
            .get("/sessions/{sessionId}")
            .param(session_id.into())
            .send_raw()
            .await?;
        envelope::one(&raw)
    }

    /// `GET /sessions/{sessionId}/highlights`: the session's highlights with every field
    /// (their id arrives as `id`; it lands in [`Highlight::highlight_id`]), answered whole.
    pub fn highlights(&self, session_id: impl Into<String>) -> WholeListing<Highlight> {
        let session_id = session_id.into();
        WholeListing::new(
            self.core(),
            move |core| {
                core.get("/sessions/{sessionId}/highlights")
                    .param(&session_id)
            },
            envelope::items,
        )
    }

    /// `GET /sessions/{sessionId}/todos`: the session's todos (not paginated; wrapped or
    /// bare), answered whole.
    pub fn todos(&self, session_id: impl Into<String>) -> WholeListing<Todo> {
        let session_id = session_id.into();
        WholeListing::new(
            self.core(),
            move |core| core.get("/sessions/{sessionId}/todos").param(&session_id),
            envelope::items,
        )
    }

    /// `GET /sessions/{sessionId}/todos/{todoId}`: one todo (`todo_not_found` → `NotFound`).
    pub async fn todo(
        &self,
        session_id: impl Into<String>,
        todo_id: impl Into<String>,
    ) -> Result<Todo, Error> {
        let raw = self
            .core()
            .get("/sessions/{sessionId}/todos/{todoId}")
            .param(session_id.into())
            .param(todo_id.into())
            .send_raw()
            .await?;
        envelope::one(&raw)
    }
}

/// A `GET /sessions` listing under construction (see [`Listing`]).
pub type ListSessions<'a> = Listing<'a, Session>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_item_and_detail_decode() {
        let item: Session = serde_json::from_str(
            r#"{"sessionId":"s1","title":null,"startTime":"2026-03-02T09:30:00Z","duration":2700,
                "session_type":"meeting","topic":null,"newField":[1]}"#,
        )
        .unwrap();
        assert_eq!(item.session_id, "s1");
        assert_eq!(item.title, None);
        assert_eq!(item.duration, Some(2700.0));
        assert_eq!(item.session_type, Some(SessionType::Meeting));
        assert!(item.highlights.is_none());
        assert_eq!(item.extra["newField"], serde_json::json!([1]));
        let webhook: Session = serde_json::from_str(
            r#"{"sessionId":"s1","sessionType":"workshop","startTime":"2026-03-03T14:00:00Z",
                "endTime":"2026-03-03T14:30:00Z","conversations":[{"type":"qa","answer":"x","timestamp":1.5}]}"#,
        )
        .unwrap();
        assert_eq!(
            webhook.session_type,
            Some(SessionType::Unknown("workshop".into()))
        );
        assert_eq!(webhook.duration_from_times(), Some(1800.0));
        match webhook.conversations {
            Some(Conversations::List(l)) => assert_eq!(l[0].timestamp_ms, Some(1)),
            other => panic!("{other:?}"),
        }
    }
}
