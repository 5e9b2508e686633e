//! Topics: list, get, create, update, delete, and the sessions of a topic (one page or a
//! stream).
//!
//! ```no_run
//! # async fn run(hedy: hedy_client::HedyClient) -> Result<(), hedy_client::Error> {
//! use futures::TryStreamExt;
//! use hedy_client::topics::{NewTopic, TopicChanges};
//!
//! let topic = hedy
//!     .topics()
//!     .create(
//!         NewTopic::new("Sales")
//!             .description("Customer calls")
//!             .color("#4A90D9")
//!             .icon_name("handshake")
//!             .topic_context("Track objections and next steps."),
//!     )
//!     .await?;
//!
//! // Rename it and clear its custom context (`"topicContext": null`).
//! let topic = hedy
//!     .topics()
//!     .update(&topic.id, TopicChanges::new().name("Sales calls").clear_topic_context())
//!     .await?;
//!
//! let mut sessions = hedy.topics().sessions(&topic.id).limit(100).into_stream();
//! while let Some(s) = sessions.try_next().await? {
//!     println!("{} {:?}", s.session_id, s.title);
//! }
//! hedy.topics().delete(&topic.id).await?; // sessions are unlinked, not deleted
//! # Ok(()) }
//! ```

use client_core::{Client, Page, Paginator, RequestBuilder, WholeListing};
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};

use crate::client::HedyClient;
use crate::envelope;
use crate::listing::{check_limit, cursor_paginator, first_page};
use crate::types::{is_hex_color, length_problem, Deleted, Extra, Patch, SessionType, Timestamp};
use crate::Error;

/// The documented maximum length of a topic's name.
pub const NAME_MAX: usize = 100;
/// The documented maximum length of a topic's description.
pub const DESCRIPTION_MAX: usize = 500;
/// The documented maximum length of a topic's custom context (`topicContext`).
pub const TOPIC_CONTEXT_MAX: usize = 20_000;

/// A topic: a category of sessions with optional custom instructions. All keys camelCase.
///
/// The same type is embedded in sessions and todos (with fewer fields). Generated fields
/// (`overview`, `dominantSessionType`, …) may be null or absent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Topic {
    /// `id` (for example `topic_…`).
    pub id: String,
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `description`.
    #[serde(default)]
    pub description: Option<String>,
    /// `color` (`#RRGGBB`).
    #[serde(default)]
    pub color: Option<String>,
    /// `iconName` (a Material icon name).
    #[serde(rename = "iconName", default)]
    pub icon_name: Option<String>,
    /// `topicContext`: custom instructions (up to 20 000 characters).
    #[serde(rename = "topicContext", default)]
    pub topic_context: Option<String>,
    /// `topicContextUpdatedAt`.
    #[serde(rename = "topicContextUpdatedAt", default)]
    pub topic_context_updated_at: Option<Timestamp>,
    /// `createdAt`.
    #[serde(rename = "createdAt", default)]
    pub created_at: Option<Timestamp>,
    /// `updatedAt`.
    #[serde(rename = "updatedAt", default)]
    pub updated_at: Option<Timestamp>,
    /// `overview`: an AI-generated, free-form object (one consumer reads `prepNote`).
    #[serde(default)]
    pub overview: Option<serde_json::Value>,
    /// `overviewUpdatedAt`.
    #[serde(rename = "overviewUpdatedAt", default)]
    pub overview_updated_at: Option<Timestamp>,
    /// `dominantSessionType`.
    #[serde(rename = "dominantSessionType", default)]
    pub dominant_session_type: Option<SessionType>,
    /// `sessionCount`.
    #[serde(rename = "sessionCount", default)]
    pub session_count: Option<u64>,
    /// `lastSessionDate`.
    #[serde(rename = "lastSessionDate", default)]
    pub last_session_date: Option<Timestamp>,
    /// Every other field as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A session as listed by `GET /topics/{topicId}/sessions`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TopicSession {
    /// `sessionId`.
    #[serde(rename = "sessionId")]
    pub session_id: String,
    /// `title`.
    #[serde(default)]
    pub title: Option<String>,
    /// `startTime`.
    #[serde(rename = "startTime", default)]
    pub start_time: Option<Timestamp>,
    /// `duration` (unit ambiguous, see [`crate::sessions::Session::duration`]).
    #[serde(default)]
    pub duration: Option<f64>,
    /// `topicInfo`.
    #[serde(rename = "topicInfo", default)]
    pub topic_info: Option<TopicInfo>,
    /// Every other field as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `topicInfo` of a [`TopicSession`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TopicInfo {
    /// `id`.
    #[serde(default)]
    pub id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
}

/// A topic to create: `name` is required; the rest optional. Bounds are checked before
/// sending: name 1–100 characters, description ≤ 500, color `#RRGGBB`, topic context ≤ 20 000.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewTopic {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    #[serde(rename = "iconName", skip_serializing_if = "Option::is_none")]
    icon_name: Option<String>,
    #[serde(rename = "topicContext", skip_serializing_if = "Option::is_none")]
    topic_context: Option<String>,
}

impl NewTopic {
    /// A topic named `name` (1–100 characters).
    pub fn new(name: impl Into<String>) -> Self {
        NewTopic {
            name: name.into(),
            description: None,
            color: None,
            icon_name: None,
            topic_context: None,
        }
    }

    /// `description` (up to 500 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// `color` (`#RRGGBB`).
    pub fn color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// `iconName` (a Material icon name, for example `group`).
    pub fn icon_name(mut self, icon_name: impl Into<String>) -> Self {
        self.icon_name = Some(icon_name.into());
        self
    }

    /// `topicContext`: custom instructions for sessions of this topic (up to 20 000
    /// characters).
    pub fn topic_context(mut self, context: impl Into<String>) -> Self {
        self.topic_context = Some(context.into());
        self
    }

    fn problem(&self) -> Option<String> {
        length_problem("name", &self.name, 1, NAME_MAX).or_else(|| {
            field_problems(
                &self.description,
                &self.color,
                self.topic_context.as_deref(),
            )
        })
    }
}

/// Changes to a topic: any subset of the fields (an empty set is sent as `{}`).
/// `topicContext` is three-way: left out, set, or cleared with `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TopicChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    #[serde(rename = "iconName", skip_serializing_if = "Option::is_none")]
    icon_name: Option<String>,
    #[serde(rename = "topicContext", skip_serializing_if = "Patch::is_unchanged")]
    topic_context: Patch<String>,
}

impl TopicChanges {
    /// No change yet.
    pub fn new() -> Self {
        TopicChanges::default()
    }

    /// `name` (1–100 characters).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `description` (up to 500 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// `color` (`#RRGGBB`).
    pub fn color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// `iconName`.
    pub fn icon_name(mut self, icon_name: impl Into<String>) -> Self {
        self.icon_name = Some(icon_name.into());
        self
    }

    /// `topicContext`: [`Patch::Set`] a value, [`Patch::Null`] to clear it (`"topicContext":
    /// null`), [`Patch::Unchanged`] to leave it out. A plain string sets it.
    pub fn topic_context(mut self, context: impl Into<Patch<String>>) -> Self {
        self.topic_context = context.into();
        self
    }

    /// Clear the custom context: sends `"topicContext": null`.
    pub fn clear_topic_context(self) -> Self {
        self.topic_context(Patch::Null)
    }

    fn problem(&self) -> Option<String> {
        self.name
            .as_deref()
            .and_then(|n| length_problem("name", n, 1, NAME_MAX))
            .or_else(|| {
                field_problems(
                    &self.description,
                    &self.color,
                    self.topic_context.as_set().map(String::as_str),
                )
            })
    }
}

fn field_problems(
    description: &Option<String>,
    color: &Option<String>,
    topic_context: Option<&str>,
) -> Option<String> {
    if let Some(p) = description
        .as_deref()
        .and_then(|d| length_problem("description", d, 0, DESCRIPTION_MAX))
    {
        return Some(p);
    }
    if let Some(c) = color.as_deref().filter(|c| !is_hex_color(c)) {
        return Some(format!("`color` must be #RRGGBB, got {c:?}"));
    }
    topic_context.and_then(|t| length_problem("topicContext", t, 0, TOPIC_CONTEXT_MAX))
}

/// The topics endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Topics<'a> {
    pub(crate) client: &'a HedyClient,
}

impl<'a> Topics<'a> {
    fn core(&self) -> &'a Client {
        &self.client.core
    }

    /// `GET /topics`: every topic, most recently updated first, answered whole (not
    /// paginated).
    pub fn list(&self) -> WholeListing<Topic> {
        WholeListing::new(self.core(), |core| core.get("/topics"), envelope::items)
    }

    /// `GET /topics/{topicId}`: one topic with its overview (`not_found` → `NotFound`).
    pub async fn get(&self, topic_id: impl Into<String>) -> Result<Topic, Error> {
        let raw = self
            .core()
            .get("/topics/{topicId}")
            .param(topic_id.into())
            .send_raw()
            .await?;
        envelope::one(&raw)
    }

    /// `POST /topics` (answered 201). Bounds are checked before sending. Never retried once
    /// it may have reached the server (a retry could create the topic twice).
    pub async fn create(&self, topic: NewTopic) -> Result<Topic, Error> {
        let mut request = self.core().post("/topics").json(&topic);
        if let Some(problem) = topic.problem() {
            request = request.invalid(problem);
        }
        envelope::one(&request.send_raw().await?)
    }

    /// `PATCH /topics/{topicId}`: change the fields given (bounds checked before sending).
    pub async fn update(
        &self,
        topic_id: impl Into<String>,
        changes: TopicChanges,
    ) -> Result<Topic, Error> {
        let mut request = self
            .core()
            .patch("/topics/{topicId}")
            .param(topic_id.into())
            .json(&changes);
        if let Some(problem) = changes.problem() {
            request = request.invalid(problem);
        }
        envelope::one(&request.send_raw().await?)
    }

    /// `DELETE /topics/{topicId}`: delete a topic; its sessions are unlinked, not deleted.
    /// Over 4 000 sessions fails with `deletion_limit_exceeded` after partial work; a delete
    /// already running is a `Conflict` (`deletion_in_progress`).
    pub async fn delete(&self, topic_id: impl Into<String>) -> Result<Deleted, Error> {
        let raw = self
            .core()
            .delete("/topics/{topicId}")
            .param(topic_id.into())
            .send_raw()
            .await?;
        envelope::deleted(&raw)
    }

    /// `GET /topics/{topicId}/sessions`: the topic's sessions (`limit`, `startAfter` on the
    /// builder), one page or all of them.
    pub fn sessions(&self, topic_id: impl Into<String>) -> ListTopicSessions<'a> {
        ListTopicSessions {
            client: self.client,
            params: TopicSessionParams {
                topic_id: topic_id.into(),
                limit: None,
                start_after: None,
            },
        }
    }
}

#[derive(Debug, Clone)]
struct TopicSessionParams {
    topic_id: String,
    limit: Option<u32>,
    start_after: Option<String>,
}

impl TopicSessionParams {
    fn request(&self, core: &Client, cursor: Option<&str>) -> RequestBuilder {
        let r = core
            .get("/topics/{topicId}/sessions")
            .param(&self.topic_id)
            .query_opt("limit", self.limit)
            .query_opt("startAfter", cursor.or(self.start_after.as_deref()));
        check_limit(r, self.limit)
    }
}

/// A `GET /topics/{topicId}/sessions` listing under construction.
#[derive(Debug, Clone)]
#[must_use = "call .send() or .into_stream()"]
pub struct ListTopicSessions<'a> {
    client: &'a HedyClient,
    params: TopicSessionParams,
}

impl ListTopicSessions<'_> {
    /// `limit`: 1 to 100 per page (default 50 on the server); checked before sending.
    pub fn limit(mut self, limit: u32) -> Self {
        self.params.limit = Some(limit);
        self
    }

    /// `startAfter`: the cursor from a previous page's `pagination.nextCursor`.
    pub fn start_after(mut self, cursor: impl Into<String>) -> Self {
        self.params.start_after = Some(cursor.into());
        self
    }

    /// `GET /topics/{topicId}/sessions`: one page (the nested
    /// `{"data": {"sessions": [...], "pagination": {count, hasMore, nextCursor}}}` form):
    /// `hasMore` and the cursor (`nextCursor`) as sent, `count` in [`Page::extra`].
    pub async fn send(self) -> Result<Page<TopicSession>, Error> {
        first_page(self.params.request(&self.client.core, None)).await
    }

    /// `GET /topics/{topicId}/sessions`, page after page (`pagination.nextCursor` sent back as
    /// `startAfter`), as a paginator. Guarded and ended like the other cursor listings (see
    /// [`crate::listing::Listing::paginator`]).
    pub fn paginator(self) -> Paginator<TopicSession> {
        let params = self.params;
        cursor_paginator(
            &self.client.core,
            move |core, cursor| params.request(core, cursor),
            |session: &TopicSession| session.session_id.as_str(),
        )
    }

    /// `GET /topics/{topicId}/sessions`: every session of the topic, fetched lazily.
    pub fn into_stream(self) -> BoxStream<'static, Result<TopicSession, Error>> {
        self.paginator().items()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_topic_bounds() {
        assert_eq!(NewTopic::new("Sales").color("#4A90D9").problem(), None);
        assert!(NewTopic::new("").problem().is_some());
        assert!(NewTopic::new("x".repeat(101)).problem().is_some());
        assert!(NewTopic::new("a")
            .description("d".repeat(501))
            .problem()
            .is_some());
        assert!(NewTopic::new("a").color("blue").problem().is_some());
        assert!(NewTopic::new("a")
            .topic_context("c".repeat(20_001))
            .problem()
            .is_some());
        assert_eq!(
            NewTopic::new("a")
                .topic_context("c".repeat(20_000))
                .problem(),
            None
        );
    }

    #[test]
    fn changes_serialize_and_check() {
        let json = |c: &TopicChanges| serde_json::to_value(c).unwrap();
        assert_eq!(json(&TopicChanges::new()), serde_json::json!({}));
        assert_eq!(
            json(&TopicChanges::new().clear_topic_context()),
            serde_json::json!({"topicContext": null})
        );
        assert_eq!(
            json(&TopicChanges::new().topic_context("x").icon_name("group")),
            serde_json::json!({"topicContext": "x", "iconName": "group"})
        );
        assert!(TopicChanges::new().name("").problem().is_some());
        assert!(TopicChanges::new().color("#12345").problem().is_some());
        assert_eq!(TopicChanges::new().clear_topic_context().problem(), None);
    }
}
