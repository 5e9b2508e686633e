//! Todos: every action item across sessions in one call (`GET /todos`, not paginated). A
//! session's todos are under [`crate::sessions::Sessions::todos`].
//!
//! ```no_run
//! # async fn run(hedy: hedy_client::HedyClient) -> Result<(), hedy_client::Error> {
//! for todo in hedy.todos().list().send().await?.items {
//!     // `dueDate` is free text ("Tomorrow", "Next week", "May 18, 2027 3pm", ""): never a date.
//!     println!(
//!         "[{}] {} (due: {})",
//!         if todo.completed == Some(true) { "x" } else { " " },
//!         todo.text.as_deref().unwrap_or_default(),
//!         todo.due_date.as_deref().unwrap_or("-"),
//!     );
//! }
//! # Ok(()) }
//! ```

use client_core::WholeListing;
use serde::Deserialize;

use crate::client::HedyClient;
use crate::envelope;
use crate::topics::Topic;
use crate::types::Extra;

/// A todo (action item): in `GET /todos`, a session's `user_todos`, a session's todos and the
/// `todo.exported` webhook.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Todo {
    /// `id` (may be a UUID).
    pub id: String,
    /// `text`.
    #[serde(default)]
    pub text: Option<String>,
    /// `dueDate`: **free-form text** as the assistant wrote it ("Tomorrow", "Next week",
    /// "May 18, 2027 3pm" or `""`); do not parse it as a date.
    #[serde(rename = "dueDate", default)]
    pub due_date: Option<String>,
    /// `completed`.
    #[serde(default)]
    pub completed: Option<bool>,
    /// `sessionId` (in `GET /todos` and webhooks; absent inside `user_todos`).
    #[serde(rename = "sessionId", default)]
    pub session_id: Option<String>,
    /// `topic`: the session's topic, when it has one.
    #[serde(default)]
    pub topic: Option<Topic>,
    /// Every other field as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The todos endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Todos<'a> {
    pub(crate) client: &'a HedyClient,
}

impl Todos<'_> {
    /// `GET /todos`: every todo of every session, answered whole as one flat array (no
    /// limit, no cursor).
    pub fn list(&self) -> WholeListing<Todo> {
        WholeListing::new(
            &self.client.core,
            |core| core.get("/todos"),
            envelope::items,
        )
    }
}
