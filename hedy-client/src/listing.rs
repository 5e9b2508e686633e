//! The cursor listings. `GET /sessions` and `GET /highlights` share one builder,
//! [`Listing`]: the same parameters (`limit`, `after`, `topicId`, `format=zapier`), envelope
//! and cursor (`pagination.next`, sent back as `after`), different items.
//! `GET /topics/{topicId}/sessions` ([`crate::topics::ListTopicSessions`]) pages the same way
//! with its own cursor (`pagination.nextCursor`, sent back as `startAfter`).
//!
//! Every listing reads the same three ways: `send()` for one [`Page`], `paginator()` for a
//! stream of pages, `into_stream()` for the items. The listings Hedy answers whole (topics,
//! todos, contexts, webhooks, a session's highlights and todos) are
//! [`client_core::WholeListing`]s, read the same way.

use std::fmt;
use std::marker::PhantomData;
use std::ops::RangeInclusive;

use client_core::{Client, ConflictingEnd, Error, Page, Paginator, RequestBuilder};
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;

use crate::client::HedyClient;
use crate::envelope;

/// The documented bounds of `limit` on every paginated listing (default 50 on the server;
/// 101 is answered `400 invalid_page_size`).
pub const LIMIT_RANGE: RangeInclusive<u32> = 1..=100;

/// A listing under construction: [`crate::sessions::ListSessions`] (`GET /sessions`) or
/// [`crate::highlights::ListHighlights`] (`GET /highlights`).
#[must_use = "call .send() or .into_stream()"]
pub struct Listing<'a, T> {
    client: &'a HedyClient,
    route: &'static str,
    params: ListParams,
    /// The item's id, by which the walk recognizes a page repeating items.
    key: fn(&T) -> &str,
    items: PhantomData<fn() -> T>,
}

#[derive(Debug, Clone, Default)]
struct ListParams {
    limit: Option<u32>,
    after: Option<String>,
    topic_id: Option<String>,
    zapier: bool,
}

impl ListParams {
    fn request(&self, core: &Client, route: &'static str, cursor: Option<&str>) -> RequestBuilder {
        let mut r = core
            .get(route)
            .query_opt("limit", self.limit)
            .query_opt("after", cursor.or(self.after.as_deref()))
            .query_opt("topicId", self.topic_id.as_deref());
        if self.zapier {
            r = r.query("format", "zapier");
        }
        check_limit(r, self.limit)
    }
}

/// Refuse a `limit` outside [`LIMIT_RANGE`] before sending.
pub(crate) fn check_limit(request: RequestBuilder, limit: Option<u32>) -> RequestBuilder {
    match limit {
        Some(n) if !LIMIT_RANGE.contains(&n) => {
            request.invalid(format!("limit must be within 1..=100, got {n}"))
        }
        _ => request,
    }
}

impl<T> fmt::Debug for Listing<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing")
            .field("route", &self.route)
            .field("params", &self.params)
            .finish()
    }
}

impl<T> Clone for Listing<'_, T> {
    fn clone(&self) -> Self {
        Listing {
            client: self.client,
            route: self.route,
            params: self.params.clone(),
            key: self.key,
            items: PhantomData,
        }
    }
}

impl<'a, T> Listing<'a, T> {
    pub(crate) fn new(client: &'a HedyClient, route: &'static str, key: fn(&T) -> &str) -> Self {
        Listing {
            client,
            route,
            params: ListParams::default(),
            key,
            items: PhantomData,
        }
    }

    /// `limit`: 1 to 100 per page (default 50 on the server); checked before sending.
    pub fn limit(mut self, limit: u32) -> Self {
        self.params.limit = Some(limit);
        self
    }

    /// `after`: the cursor from a previous page's `pagination.next`; for
    /// [`Listing::into_stream`], where the walk starts.
    pub fn after(mut self, cursor: impl Into<String>) -> Self {
        self.params.after = Some(cursor.into());
        self
    }

    /// `topicId`: only the items of this topic (offered by Hedy's own integrations; not
    /// verified against the live API — for sessions, [`crate::topics::Topics::sessions`] is
    /// the documented way).
    pub fn topic_id(mut self, topic_id: impl Into<String>) -> Self {
        self.params.topic_id = Some(topic_id.into());
        self
    }

    /// `format=zapier`: a bare array carrying the detail fields, with no pagination (a stream
    /// then yields that one page).
    pub fn zapier(mut self) -> Self {
        self.params.zapier = true;
        self
    }
}

impl<T: DeserializeOwned + Send + 'static> Listing<'_, T> {
    /// One page (`GET /sessions` or `GET /highlights`): the items, `hasMore`, the cursor
    /// (`pagination.next`) and `total` as sent, anything else in [`Page::extra`]. A
    /// `format=zapier` answer has no pagination: only items.
    pub async fn send(self) -> Result<Page<T>, Error> {
        first_page(self.params.request(&self.client.core, self.route, None)).await
    }

    /// Page after page (`pagination.next` sent back as `after`, with the same `limit` and
    /// filters), as a paginator to tune (prefetch, item cap). Guarded like every listing (see
    /// [`client_core::Paginator`]): a repeated cursor, a page of items already yielded, or a
    /// walk past the `total` the server declared ends with a `Pagination` error. The walk ends
    /// quietly when a page says `hasMore: false`, or says `hasMore: true` but gives no `next`
    /// (Hedy's own integrations end there too; [`client_core::ConflictingEnd::End`]).
    pub fn paginator(self) -> Paginator<T> {
        let route = self.route;
        let params = self.params;
        cursor_paginator(
            &self.client.core,
            move |core, cursor| params.request(core, route, cursor),
            self.key,
        )
    }

    /// Every item, fetched lazily page by page (one page ahead).
    pub fn into_stream(self) -> BoxStream<'static, Result<T, Error>> {
        self.paginator().items()
    }
}

/// The first page of a cursor listing.
pub(crate) async fn first_page<T: DeserializeOwned>(
    request: RequestBuilder,
) -> Result<Page<T>, Error> {
    envelope::list(&request.send_raw().await?)
}

/// The walk over a cursor listing whose page after `cursor` is `request(core, cursor)`:
/// items told apart by `key` (their id), and a page that says more follow without a cursor
/// taken as the end ([`ConflictingEnd::End`]).
pub(crate) fn cursor_paginator<T: DeserializeOwned + Send + 'static>(
    core: &Client,
    request: impl Fn(&Client, Option<&str>) -> RequestBuilder + Send + Sync + 'static,
    key: fn(&T) -> &str,
) -> Paginator<T> {
    let core = core.clone();
    Paginator::cursor(move |cursor| {
        let next = request(&core, cursor.as_deref());
        async move { envelope::list(&next.send_raw().await?) }
    })
    .key_by(move |item: &T| key(item).to_owned())
    .on_conflicting_end(ConflictingEnd::End)
}
