//! Session contexts: reusable instructions that guide how Hedy analyses meetings. List, get,
//! create, update, delete. A default context applies to every new session; free accounts may
//! have one context (`context_limit_exceeded` / `tier_limit_exceeded` → `Forbidden`).
//!
//! ```no_run
//! # async fn run(hedy: hedy_client::HedyClient) -> Result<(), hedy_client::Error> {
//! use hedy_client::contexts::{ContextChanges, NewContext};
//!
//! let ctx = hedy
//!     .contexts()
//!     .create(NewContext::new("Sales calls").content("Focus on objections.").is_default(true))
//!     .await?;
//! hedy.contexts()
//!     .update(&ctx.id, ContextChanges::new().content("Focus on objections and budget."))
//!     .await?;
//! for c in hedy.contexts().list().send().await?.items {
//!     println!("{} {:?} default={:?}", c.id, c.title, c.is_default);
//! }
//! hedy.contexts().delete(&ctx.id).await?;
//! # Ok(()) }
//! ```

use client_core::{Client, WholeListing};
use serde::{Deserialize, Serialize};

use crate::client::HedyClient;
use crate::envelope;
use crate::types::{length_problem, Deleted, Extra, Timestamp};
use crate::Error;

/// The documented maximum length of a context's title.
pub const TITLE_MAX: usize = 200;
/// The documented maximum length of a context's content.
pub const CONTENT_MAX: usize = 20_000;

/// A session context. All keys camelCase.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct SessionContext {
    /// `id` (for example `ctx_…`).
    pub id: String,
    /// `title`.
    #[serde(default)]
    pub title: Option<String>,
    /// `content`: the instructions.
    #[serde(default)]
    pub content: Option<String>,
    /// `isDefault`: applied to every new session.
    #[serde(rename = "isDefault", default)]
    pub is_default: Option<bool>,
    /// `createdAt`.
    #[serde(rename = "createdAt", default)]
    pub created_at: Option<Timestamp>,
    /// `updatedAt`.
    #[serde(rename = "updatedAt", default)]
    pub updated_at: Option<Timestamp>,
    /// Every other field as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A context to create: `title` (1–200 characters) is required; `content` up to 20 000
/// characters. Checked before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewContext {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<String>,
    #[serde(rename = "isDefault", skip_serializing_if = "Option::is_none")]
    is_default: Option<bool>,
}

impl NewContext {
    /// A context titled `title`.
    pub fn new(title: impl Into<String>) -> Self {
        NewContext {
            title: title.into(),
            content: None,
            is_default: None,
        }
    }

    /// `content`: the instructions.
    pub fn content(mut self, content: impl Into<String>) -> Self {
        self.content = Some(content.into());
        self
    }

    /// `isDefault`: `true` makes it the default (and clears the others).
    pub fn is_default(mut self, is_default: bool) -> Self {
        self.is_default = Some(is_default);
        self
    }

    fn problem(&self) -> Option<String> {
        length_problem("title", &self.title, 1, TITLE_MAX).or_else(|| {
            self.content
                .as_deref()
                .and_then(|c| length_problem("content", c, 0, CONTENT_MAX))
        })
    }
}

/// Changes to a context: any subset of `title`, `content`, `isDefault`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContextChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<String>,
    #[serde(rename = "isDefault", skip_serializing_if = "Option::is_none")]
    is_default: Option<bool>,
}

impl ContextChanges {
    /// No change yet.
    pub fn new() -> Self {
        ContextChanges::default()
    }

    /// `title` (1–200 characters).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// `content` (up to 20 000 characters).
    pub fn content(mut self, content: impl Into<String>) -> Self {
        self.content = Some(content.into());
        self
    }

    /// `isDefault`.
    pub fn is_default(mut self, is_default: bool) -> Self {
        self.is_default = Some(is_default);
        self
    }

    fn problem(&self) -> Option<String> {
        self.title
            .as_deref()
            .and_then(|t| length_problem("title", t, 1, TITLE_MAX))
            .or_else(|| {
                self.content
                    .as_deref()
                    .and_then(|c| length_problem("content", c, 0, CONTENT_MAX))
            })
    }
}

/// The session-context endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Contexts<'a> {
    pub(crate) client: &'a HedyClient,
}

impl<'a> Contexts<'a> {
    fn core(&self) -> &'a Client {
        &self.client.core
    }

    /// `GET /contexts`: every context, most recently updated first, answered whole (not
    /// paginated).
    pub fn list(&self) -> WholeListing<SessionContext> {
        WholeListing::new(self.core(), |core| core.get("/contexts"), envelope::items)
    }

    /// `GET /contexts/{contextId}` (`not_found` → `NotFound`).
    pub async fn get(&self, context_id: impl Into<String>) -> Result<SessionContext, Error> {
        let raw = self
            .core()
            .get("/contexts/{contextId}")
            .param(context_id.into())
            .send_raw()
            .await?;
        envelope::one(&raw)
    }

    /// `POST /contexts` (answered 201). Bounds are checked before sending; never retried once
    /// it may have reached the server.
    pub async fn create(&self, context: NewContext) -> Result<SessionContext, Error> {
        let mut request = self.core().post("/contexts").json(&context);
        if let Some(problem) = context.problem() {
            request = request.invalid(problem);
        }
        envelope::one(&request.send_raw().await?)
    }

    /// `PATCH /contexts/{contextId}`: change the fields given (bounds checked before sending).
    pub async fn update(
        &self,
        context_id: impl Into<String>,
        changes: ContextChanges,
    ) -> Result<SessionContext, Error> {
        let mut request = self
            .core()
            .patch("/contexts/{contextId}")
            .param(context_id.into())
            .json(&changes);
        if let Some(problem) = changes.problem() {
            request = request.invalid(problem);
        }
        envelope::one(&request.send_raw().await?)
    }

    /// `DELETE /contexts/{contextId}`. When the default is deleted, the most recently updated
    /// remaining context becomes the default.
    pub async fn delete(&self, context_id: impl Into<String>) -> Result<Deleted, Error> {
        let raw = self
            .core()
            .delete("/contexts/{contextId}")
            .param(context_id.into())
            .send_raw()
            .await?;
        envelope::deleted(&raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(NewContext::new("Sales").content("x").problem(), None);
        assert!(NewContext::new("").problem().is_some());
        assert!(NewContext::new("t".repeat(201)).problem().is_some());
        assert!(NewContext::new("t")
            .content("c".repeat(20_001))
            .problem()
            .is_some());
        assert_eq!(ContextChanges::new().is_default(true).problem(), None);
        assert!(ContextChanges::new().title("").problem().is_some());
        assert_eq!(
            serde_json::to_value(NewContext::new("T").is_default(true)).unwrap(),
            serde_json::json!({"title": "T", "isDefault": true})
        );
    }
}
