//! Highlights: the important moments of sessions, listed across sessions (summaries, one page
//! or a stream) or fetched one by one with every field.
//!
//! ```no_run
//! # async fn run(hedy: hedy_client::HedyClient) -> Result<(), hedy_client::Error> {
//! use futures::TryStreamExt;
//!
//! let recent = hedy.highlights().list().limit(20).send().await?;
//! for h in &recent.items {
//!     // The listing sends exactly highlightId, sessionId, timestamp and title.
//!     println!("{} in {:?}: {:?}", h.highlight_id, h.session_id, h.title);
//! }
//! let all: Vec<_> = hedy.highlights().list().into_stream().try_collect().await?;
//! if let Some(first) = all.first() {
//!     let full = hedy.highlights().get(&first.highlight_id).await?;
//!     println!("{:?} at {:?} ms: {:?}", full.main_idea, full.time_index_ms, full.ai_insight);
//! }
//! # Ok(()) }
//! ```

use serde::Deserialize;

use crate::client::HedyClient;
use crate::envelope;
use crate::listing::Listing;
use crate::types::{lenient_millis, Extra, Timestamp};
use crate::Error;

/// A highlight.
///
/// `GET /highlights` sends only the id, `sessionId`, `timestamp` and `title`; the detail,
/// a session's highlights, the ones embedded in a session and the `highlight.created`
/// webhook add the rest. The id arrives as `highlightId` or, on
/// `GET /sessions/{sessionId}/highlights` and in the documented webhook example, as `id`:
/// both land in [`Highlight::highlight_id`] (when both are sent and differ, `id` is kept in
/// [`Highlight::extra`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "HighlightWire")]
#[non_exhaustive]
pub struct Highlight {
    /// `highlightId` (or `id`).
    pub highlight_id: String,
    /// `sessionId` (absent when embedded in a session).
    pub session_id: Option<String>,
    /// `timestamp`: when the moment happened.
    pub timestamp: Option<Timestamp>,
    /// `title`.
    pub title: Option<String>,
    /// `timeIndex`: milliseconds from the start of the session.
    pub time_index_ms: Option<i64>,
    /// `rawQuote`.
    pub raw_quote: Option<String>,
    /// `cleanedQuote`.
    pub cleaned_quote: Option<String>,
    /// `mainIdea`.
    pub main_idea: Option<String>,
    /// `aiInsight` (singular; an `aiInsights` key from older shapes is kept in `extra`).
    pub ai_insight: Option<String>,
    /// Every other field as sent.
    pub extra: Extra,
}

/// The wire form: the id under either key.
#[derive(Deserialize)]
struct HighlightWire {
    #[serde(rename = "highlightId", default)]
    highlight_id: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(rename = "sessionId", default)]
    session_id: Option<String>,
    #[serde(default)]
    timestamp: Option<Timestamp>,
    #[serde(default)]
    title: Option<String>,
    #[serde(rename = "timeIndex", default, deserialize_with = "lenient_millis")]
    time_index: Option<i64>,
    #[serde(rename = "rawQuote", default)]
    raw_quote: Option<String>,
    #[serde(rename = "cleanedQuote", default)]
    cleaned_quote: Option<String>,
    #[serde(rename = "mainIdea", default)]
    main_idea: Option<String>,
    #[serde(rename = "aiInsight", default)]
    ai_insight: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

impl TryFrom<HighlightWire> for Highlight {
    type Error = String;

    fn try_from(w: HighlightWire) -> Result<Self, String> {
        let mut extra = w.extra;
        let highlight_id = match (w.highlight_id, w.id) {
            (Some(h), Some(id)) => {
                if id != h {
                    extra.insert("id".to_owned(), serde_json::Value::String(id));
                }
                h
            }
            (Some(h), None) => h,
            (None, Some(id)) => id,
            (None, None) => return Err("a highlight needs `highlightId` or `id`".to_owned()),
        };
        Ok(Highlight {
            highlight_id,
            session_id: w.session_id,
            timestamp: w.timestamp,
            title: w.title,
            time_index_ms: w.time_index,
            raw_quote: w.raw_quote,
            cleaned_quote: w.cleaned_quote,
            main_idea: w.main_idea,
            ai_insight: w.ai_insight,
            extra,
        })
    }
}

/// The highlights endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Highlights<'a> {
    pub(crate) client: &'a HedyClient,
}

impl<'a> Highlights<'a> {
    /// `GET /highlights`: summaries, newest first (`limit`, `after`, `topicId`,
    /// `format=zapier` on the builder), one page or all of them.
    pub fn list(&self) -> ListHighlights<'a> {
        Listing::new(self.client, "/highlights", |highlight: &Highlight| {
            highlight.highlight_id.as_str()
        })
    }

    /// `GET /highlights/{highlightId}`: one highlight with every field
    /// (`highlight_not_found` → `NotFound`).
    pub async fn get(&self, highlight_id: impl Into<String>) -> Result<Highlight, Error> {
        let raw = self
            .client
            .core
            .get("/highlights/{highlightId}")
            .param(highlight_id.into())
            .send_raw()
            .await?;
        envelope::one(&raw)
    }
}

/// A `GET /highlights` listing under construction (see [`Listing`]).
pub type ListHighlights<'a> = Listing<'a, Highlight>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_under_either_key() {
        let a: Highlight =
            serde_json::from_str(r#"{"highlightId":"h1","timeIndex":720000,"aiInsights":"x"}"#)
                .unwrap();
        assert_eq!(a.highlight_id, "h1");
        assert_eq!(a.time_index_ms, Some(720_000));
        assert_eq!(a.extra["aiInsights"], "x");
        let b: Highlight = serde_json::from_str(r#"{"id":"h2","sessionId":"s"}"#).unwrap();
        assert_eq!(b.highlight_id, "h2");
        let both: Highlight = serde_json::from_str(r#"{"id":"x","highlightId":"h3"}"#).unwrap();
        assert_eq!(both.highlight_id, "h3");
        assert_eq!(both.extra["id"], "x");
        let same: Highlight = serde_json::from_str(r#"{"id":"h4","highlightId":"h4"}"#).unwrap();
        assert!(same.extra.is_empty());
        let err = serde_json::from_str::<Highlight>(r#"{"title":"no id"}"#).unwrap_err();
        assert!(err.to_string().contains("highlightId"), "{err}");
    }
}
