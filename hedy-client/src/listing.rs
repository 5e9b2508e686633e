//! The two cursor listings, `GET /sessions` and `GET /highlights`: the same parameters
//! (`limit`, `after`, `topicId`, `format=zapier`), envelope and cursor (`pagination.next`,
//! sent back as `after`), different items.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use client_core::{Client, Error, Paginator, RequestBuilder};
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;

use crate::client::HedyClient;
use crate::envelope;
use crate::sessions::LIMIT_RANGE;
use crate::types::ListPage;

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
    /// One page (`GET /sessions` or `GET /highlights`).
    pub async fn send(self) -> Result<ListPage<T>, Error> {
        let raw = self
            .params
            .request(&self.client.core, self.route, None)
            .send_raw()
            .await?;
        envelope::list(&raw)
    }

    /// Page after page (`pagination.next` sent back as `after`, with the same `limit` and
    /// filters), as a paginator to tune (prefetch, item cap). Guarded like every listing (see
    /// [`client_core::Paginator`]): a repeated cursor, a page of items already yielded, or a
    /// walk past the `total` the server declared ends with a `Pagination` error. The walk ends
    /// quietly when a page says `hasMore: false`, or says `hasMore: true` but gives no `next`
    /// (Hedy's own integrations end there too; [`client_core::ConflictingEnd::End`]).
    pub fn paginator(self) -> Paginator<T> {
        let core = self.client.core.clone();
        let route = self.route;
        let params = Arc::new(self.params);
        let key = self.key;
        Paginator::cursor(move |cursor| {
            let core = core.clone();
            let params = params.clone();
            async move {
                let raw = params
                    .request(&core, route, cursor.as_deref())
                    .send_raw()
                    .await?;
                Ok(envelope::list::<T>(&raw)?.into_page())
            }
        })
        .key_by(move |item: &T| key(item).to_owned())
        .on_conflicting_end(client_core::ConflictingEnd::End)
    }

    /// Every item, fetched lazily page by page (one page ahead).
    pub fn into_stream(self) -> BoxStream<'static, Result<T, Error>> {
        self.paginator().items()
    }
}
