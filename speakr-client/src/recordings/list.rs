//! `GET /recordings`: filters, one page or a stream of every recording.

use std::marker::PhantomData;

use client_core::{Client, Page, PageNumberQuery, Paginator, RawResponse, RequestBuilder};
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{Recording, PER_PAGE_RANGE};
use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::types::{null_as_default, page_with_extra};
use crate::Error;

/// The `status` filter of the listing (lower case on the wire). `QUEUED` recordings appear only
/// under [`StatusFilter::All`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Everything (the default).
    All,
    /// `PENDING`.
    Pending,
    /// `PROCESSING` and `SUMMARIZING`.
    Processing,
    /// `COMPLETED`.
    Completed,
    /// `FAILED`.
    Failed,
}

impl StatusFilter {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Pending => "pending",
            StatusFilter::Processing => "processing",
            StatusFilter::Completed => "completed",
            StatusFilter::Failed => "failed",
        }
    }
}

/// The `sort_by` field of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// `created_at` (the default).
    CreatedAt,
    /// `meeting_date`.
    MeetingDate,
    /// `title`.
    Title,
    /// `file_size`.
    FileSize,
    /// `status` (accepted by the server, not in the docs).
    Status,
}

impl SortBy {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            SortBy::CreatedAt => "created_at",
            SortBy::MeetingDate => "meeting_date",
            SortBy::Title => "title",
            SortBy::FileSize => "file_size",
            SortBy::Status => "status",
        }
    }
}

/// The `sort_order` of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// `asc`.
    Asc,
    /// `desc` (the default).
    Desc,
}

impl SortOrder {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

/// The `folder_id` filter of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderFilter {
    /// Recordings in this folder.
    Id(u64),
    /// Recordings in no folder (`folder_id=none`).
    Unfiled,
}

#[derive(Debug, Clone, Default)]
pub(super) struct ListParams {
    pub(super) page: Option<u64>,
    pub(super) per_page: Option<u32>,
    pub(super) status: Option<StatusFilter>,
    pub(super) sort_by: Option<SortBy>,
    pub(super) sort_order: Option<SortOrder>,
    pub(super) date_from: Option<String>,
    pub(super) date_to: Option<String>,
    pub(super) tag_id: Option<u64>,
    pub(super) folder: Option<FolderFilter>,
    pub(super) q: Option<String>,
    pub(super) inbox: Option<bool>,
    pub(super) starred: Option<bool>,
}

impl ListParams {
    /// The request for `page` (or the configured page) with every filter.
    pub(super) fn request(&self, core: &Client, page: Option<u64>) -> RequestBuilder {
        let mut r = core
            .get("/recordings")
            .query_opt("page", page.or(self.page))
            .query_opt("per_page", self.per_page)
            .query_opt("status", self.status.map(StatusFilter::as_str))
            .query_opt("sort_by", self.sort_by.map(SortBy::as_str))
            .query_opt("sort_order", self.sort_order.map(SortOrder::as_str))
            .query_opt("date_from", self.date_from.as_deref())
            .query_opt("date_to", self.date_to.as_deref())
            .query_opt("tag_id", self.tag_id)
            .query_opt(
                "folder_id",
                self.folder.map(|f| match f {
                    FolderFilter::Id(id) => id.to_string(),
                    FolderFilter::Unfiled => "none".to_owned(),
                }),
            )
            .query_opt("q", self.q.as_deref())
            .query_opt("inbox", self.inbox)
            .query_opt("starred", self.starred)
            .rate_class(rate_classes::GET);
        if let Some(n) = self.per_page.filter(|n| !PER_PAGE_RANGE.contains(n)) {
            r = r.invalid(format!("per_page must be within 1..=100, got {n}"));
        }
        if page.or(self.page) == Some(0) {
            r = r.invalid("page numbers start at 1");
        }
        r
    }
}

/// The listing's parameters, each recording decoded as `T` (a [`Recording`], or the record as
/// sent for [`ListRecordings::records`]).
struct RecordingsQuery<T> {
    params: ListParams,
    item: PhantomData<fn() -> T>,
}

impl<T> RecordingsQuery<T> {
    fn new(params: ListParams) -> Self {
        RecordingsQuery {
            params,
            item: PhantomData,
        }
    }
}

impl<T> PageNumberQuery for RecordingsQuery<T>
where
    T: DeserializeOwned + Send + 'static,
{
    type Item = T;

    fn first_page(&self) -> u64 {
        self.params.page.unwrap_or(1)
    }

    fn request(&self, core: &Client, page: Option<u64>) -> RequestBuilder {
        self.params.request(core, page)
    }

    fn read(raw: &RawResponse) -> Result<Page<T>, Error> {
        Ok(raw.json::<Envelope<T>>()?.into_page())
    }
}

/// A `GET /recordings` listing under construction.
#[derive(Debug, Clone)]
#[must_use = "call .send() or .into_stream()"]
pub struct ListRecordings<'a> {
    pub(super) client: &'a SpeakrClient,
    pub(super) params: ListParams,
}

impl<'a> ListRecordings<'a> {
    /// `page` (from 1; default 1). For [`ListRecordings::into_stream`], the first page.
    pub fn page(mut self, page: u64) -> Self {
        self.params.page = Some(page);
        self
    }

    /// `per_page`, 1 to 100 (default 25 on the server); checked before sending.
    pub fn per_page(mut self, per_page: u32) -> Self {
        self.params.per_page = Some(per_page);
        self
    }

    /// `status`.
    pub fn status(mut self, status: StatusFilter) -> Self {
        self.params.status = Some(status);
        self
    }

    /// `sort_by`.
    pub fn sort_by(mut self, sort_by: SortBy) -> Self {
        self.params.sort_by = Some(sort_by);
        self
    }

    /// `sort_order`.
    pub fn sort_order(mut self, order: SortOrder) -> Self {
        self.params.sort_order = Some(order);
        self
    }

    /// `date_from` (ISO date or date-time): recordings **created** at or after it (the server
    /// filters `created_at`, not `meeting_date`).
    pub fn date_from(mut self, date: impl Into<String>) -> Self {
        self.params.date_from = Some(date.into());
        self
    }

    /// `date_to` (ISO date or date-time): recordings **created** before it. The server reads a
    /// bare date as midnight at the start of that day, so `date_to("2026-12-07")` excludes
    /// every recording created on 7 December; pass the next day to include it.
    pub fn date_to(mut self, date: impl Into<String>) -> Self {
        self.params.date_to = Some(date.into());
        self
    }

    /// `tag_id`.
    pub fn tag_id(mut self, tag_id: u64) -> Self {
        self.params.tag_id = Some(tag_id);
        self
    }

    /// `folder_id` (an id, or `none` for unfiled recordings; needs folders enabled).
    pub fn folder(mut self, folder: FolderFilter) -> Self {
        self.params.folder = Some(folder);
        self
    }

    /// `q`: search titles and participants.
    pub fn query(mut self, q: impl Into<String>) -> Self {
        self.params.q = Some(q.into());
        self
    }

    /// `inbox`.
    pub fn inbox(mut self, inbox: bool) -> Self {
        self.params.inbox = Some(inbox);
        self
    }

    /// `starred`.
    pub fn starred(mut self, starred: bool) -> Self {
        self.params.starred = Some(starred);
        self
    }

    /// `GET /recordings`: one page. Its [`Page`] carries the server's `pagination`: `number`
    /// (`page`), `per_page`, `total`, `total_pages`, `has_more` (`has_next`) and, in `extra`,
    /// `has_prev`; any other envelope member is kept in `extra` too.
    pub async fn send(self) -> Result<Page<Recording>, Error> {
        RecordingsQuery::<Recording>::new(self.params)
            .send_page(&self.client.core, None)
            .await
    }

    /// `GET /recordings`, page after page (`page`, `per_page`, `has_next`) with the same
    /// filters, as a paginator to tune (prefetch, item cap).
    ///
    /// The walk is guarded like every listing of the workspace (see [`client_core::Paginator`]):
    /// it ends with a `Pagination` error when a page repeats only recordings already yielded,
    /// when the server says `has_next: true` past its own `total_pages` or `total`, and when a
    /// page says `has_next: false` while the server's own `total_pages` / `total` say more
    /// exist (Speakr's totals are computed with the same filters in the same response, so a
    /// disagreement means recordings would be missed).
    pub fn paginator(self) -> Paginator<Recording> {
        self.walk().key_by(|recording: &Recording| recording.id)
    }

    /// Like [`ListRecordings::paginator`], but each recording is kept exactly as the server
    /// sent it (for archiving every field, known or not). The same guards apply; a recording
    /// is told apart by its `id`.
    pub fn records(self) -> Paginator<serde_json::Value> {
        self.walk().key_by(|record: &serde_json::Value| {
            // A record without an id is told apart by all of its text.
            record
                .get("id")
                .map_or_else(|| record.to_string(), ToString::to_string)
        })
    }

    /// The guarded page-number walk, decoding each recording as `T`.
    fn walk<T>(self) -> Paginator<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        RecordingsQuery::new(self.params).walk(&self.client.core)
    }

    /// `GET /recordings`: every recording matching the filters, fetched lazily page by page
    /// (one page ahead).
    pub fn into_stream(self) -> BoxStream<'static, Result<Recording, Error>> {
        self.paginator().items()
    }
}

/// One page of `GET /recordings` as sent, each recording decoded as `T`.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
struct Envelope<T> {
    #[serde(default = "Vec::new", deserialize_with = "null_as_default")]
    recordings: Vec<T>,
    #[serde(default)]
    pagination: Option<Pagination>,
    /// Members this version does not know.
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

impl<T> Envelope<T> {
    fn into_page(self) -> Page<T> {
        let mut page = page_with_extra(self.recordings, self.rest);
        if let Some(p) = self.pagination {
            // A `pagination` without `has_next` says there is no next page.
            page = page
                .position(p.page, p.per_page)
                .has_more(p.has_next.unwrap_or(false));
            if let Some(has_prev) = p.has_prev {
                page = page.extra("has_prev", has_prev.into());
            }
            if let Some(total) = p.total {
                page = page.total(total);
            }
            if let Some(pages) = p.total_pages {
                page = page.total_pages(pages);
            }
        }
        page
    }
}

/// The `pagination` object.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
struct Pagination {
    #[serde(default)]
    page: Option<u64>,
    #[serde(default)]
    per_page: Option<u64>,
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    total_pages: Option<u64>,
    #[serde(default)]
    has_next: Option<bool>,
    #[serde(default)]
    has_prev: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_keeps_the_whole_envelope() {
        let envelope: Envelope<serde_json::Value> = serde_json::from_str(
            r#"{"recordings": [{"id": 1}], "pagination": {"page": 2, "per_page": 1, "total": 3,
                "total_pages": 3, "has_next": true, "has_prev": true}, "facets": {"tags": 2}}"#,
        )
        .unwrap();
        let page = envelope.into_page();
        assert_eq!(page.items.len(), 1);
        assert_eq!((page.number, page.per_page), (Some(2), Some(1)));
        assert_eq!((page.total, page.total_pages), (Some(3), Some(3)));
        assert_eq!(page.has_more, Some(true));
        assert_eq!(page.extra["has_prev"], true);
        assert_eq!(page.extra["facets"]["tags"], 2);

        // No `has_next` in a `pagination`: no next page, as before.
        let envelope: Envelope<serde_json::Value> =
            serde_json::from_str(r#"{"recordings": null, "pagination": {"page": 1}}"#).unwrap();
        let page = envelope.into_page();
        assert!(page.items.is_empty());
        assert_eq!(page.has_more, Some(false));
        assert!(page.extra.is_empty());
    }
}
