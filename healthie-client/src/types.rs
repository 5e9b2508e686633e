//! Model pieces shared by several operations: people, connections, and the open enums.

use client_core::{open_enum, Page};
use serde::Deserialize;

pub use client_core::{null_as_default, Timestamp};

/// A user as the crate selects it on appointments (provider, client, attendees).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserSummary {
    /// The user id.
    pub id: String,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Full name.
    #[serde(default)]
    pub full_name: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
}

/// `PageInfo` of a connection (`2026-01-01`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PageInfo {
    /// The cursor to pass as `after` for the next page.
    #[serde(default)]
    pub end_cursor: Option<String>,
    /// Whether a page follows.
    pub has_next_page: bool,
    /// Whether a page precedes.
    #[serde(default)]
    pub has_previous_page: bool,
    /// The cursor of the first item.
    #[serde(default)]
    pub start_cursor: Option<String>,
}

/// A connection (`…PaginationConnection`): `nodes`, `page_info`, `total_count`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
pub(crate) struct Connection<T> {
    #[serde(default, deserialize_with = "null_as_default")]
    pub nodes: Vec<Option<T>>,
    pub page_info: PageInfo,
    #[serde(default)]
    pub total_count: Option<u64>,
}

impl<T> Connection<T> {
    /// A client-core page: the non-null nodes, `has_next_page` and `end_cursor`.
    pub(crate) fn into_page(self) -> Page<T> {
        let mut page = Page::new(self.nodes.into_iter().flatten().collect())
            .has_more(self.page_info.has_next_page)
            .next_cursor(self.page_info.end_cursor);
        if let Some(total) = self.total_count {
            page = page.total(total);
        }
        page
    }
}

/// A baseline list page (`[T!]` paged by `offset`/`page_size`): the stream continues until a
/// page comes back empty, so a server that caps the page size below the one asked for loses
/// nothing.
pub(crate) fn list_page<T>(items: Option<Vec<T>>) -> Page<T> {
    Page::new(items.unwrap_or_default())
}

open_enum! {
    /// `TranscriptStatusEnum`.
    pub enum TranscriptStatus {
        /// Being produced.
        Processing = "processing",
        /// Ready to download.
        Completed = "completed",
        /// Failed.
        Failed = "failed",
        /// Stopped before the end.
        Incomplete = "incomplete",
    }
}

open_enum! {
    /// `TranscriptTypeEnum`.
    pub enum TranscriptType {
        /// Captured live during the appointment (AI Scribe).
        RealtimeCapture = "realtime_capture",
        /// Made from the recording afterwards.
        ProcessedRecording = "processed_recording",
    }
}

open_enum! {
    /// `AppointmentOrderKeys`: the order of the `appointments` collection.
    pub enum AppointmentOrder {
        /// By date, oldest first.
        DateAsc = "DATE_ASC",
        /// By date, newest first.
        DateDesc = "DATE_DESC",
        /// By creation, oldest first.
        CreatedAtAsc = "CREATED_AT_ASC",
        /// By creation, newest first.
        CreatedAtDesc = "CREATED_AT_DESC",
        /// By last update, oldest first.
        UpdatedAtAsc = "UPDATED_AT_ASC",
        /// By last update, newest first.
        UpdatedAtDesc = "UPDATED_AT_DESC",
        /// No order.
        Unsorted = "UNSORTED",
    }
}

open_enum! {
    /// `WebhookOrderKeys` / `SentWebhookOrderKeys`.
    pub enum WebhookOrder {
        /// Oldest first.
        CreatedAtAsc = "CREATED_AT_ASC",
        /// Newest first (Healthie's default).
        CreatedAtDesc = "CREATED_AT_DESC",
        /// By event type, A to Z.
        EventTypeAsc = "EVENT_TYPE_ASC",
        /// By event type, Z to A.
        EventTypeDesc = "EVENT_TYPE_DESC",
        /// By URL, A to Z.
        UrlAsc = "URL_ASC",
        /// By URL, Z to A.
        UrlDesc = "URL_DESC",
    }
}
