//! Paging shared by every collection: connection cursors (`first`/`after`, `page_info`) from
//! `2026-01-01`, `offset`/`page_size` in the baseline, both on client-core's [`Paginator`]
//! with its loop guards and prefetch; and [`Listing`], the one builder every collection's
//! listing is.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use client_core::{Error, ErrorKind, Page, Paginator};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::{HealthieClient, Schema};
use crate::graphql::Operation;
use crate::types::{list_page, Connection};

/// A collection: the query that pages it and the field of `data` it answers in.
#[derive(Debug)]
pub(crate) struct Collection {
    pub operation: &'static Operation,
    pub field: &'static str,
    /// The baseline ignores `offset`/`page_size` unless `should_paginate: true` is also sent
    /// (only `appointments` has the argument).
    pub should_paginate: bool,
}

/// A collection's variables: its filters and the paging of one request.
#[derive(Serialize)]
struct ListVariables<'a, F: Serialize> {
    #[serde(flatten)]
    filters: &'a F,
    #[serde(flatten)]
    page: PageVariables,
}

/// The paging variables of one request, by schema shape.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum PageVariables {
    /// `first` / `after`.
    Cursor {
        first: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        after: Option<String>,
    },
    /// `offset` / `page_size` (and `should_paginate` where the collection has it).
    Offset {
        offset: u64,
        page_size: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        should_paginate: Option<bool>,
    },
}

impl Collection {
    fn offset(&self, offset: u64, page_size: u32) -> PageVariables {
        PageVariables::Offset {
            offset,
            page_size,
            should_paginate: self.should_paginate.then_some(true),
        }
    }

    /// Fetch one page.
    async fn fetch<T, F>(
        &self,
        client: &HealthieClient,
        filters: &F,
        page: PageVariables,
    ) -> Result<Page<T>, Error>
    where
        T: DeserializeOwned + Send,
        F: Serialize,
    {
        let variables = ListVariables { filters, page };
        match client.inner.version.schema() {
            Schema::Connections => {
                let data: BTreeMap<String, Option<Connection<T>>> = client
                    .execute(self.operation, &variables)
                    .await?
                    .into_result()?;
                let connection = data
                    .into_iter()
                    .find(|(k, _)| k == self.field)
                    .and_then(|(_, v)| v);
                connection.map(Connection::into_page).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Decode,
                        format!("`{}` was null without an error", self.field),
                    )
                })
            }
            Schema::Baseline => {
                let data: BTreeMap<String, Option<Vec<T>>> = client
                    .execute(self.operation, &variables)
                    .await?
                    .into_result()?;
                let items = data
                    .into_iter()
                    .find(|(k, _)| k == self.field)
                    .and_then(|(_, v)| v);
                Ok(list_page(items))
            }
        }
    }
}

type PageFuture<T> = BoxFuture<'static, Result<Page<T>, Error>>;

/// A listing of one collection: its filters `F` (set through the collection's own methods),
/// the page size, and prefetch. One page with [`Listing::send`], the pages with
/// [`Listing::paginator`], every item with [`Listing::into_stream`].
pub struct Listing<T, F> {
    pub(crate) client: HealthieClient,
    pub(crate) collection: &'static Collection,
    pub(crate) filters: F,
    page_size: u32,
    prefetch: usize,
    pub(crate) error: Option<String>,
    /// The item's id, by which the walk recognizes a page repeating items.
    key: fn(&T) -> &str,
    item: PhantomData<fn() -> T>,
}

impl<T, F: fmt::Debug> fmt::Debug for Listing<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing")
            .field("operation", &self.collection.operation.name)
            .field("filters", &self.filters)
            .field("page_size", &self.page_size)
            .field("prefetch", &self.prefetch)
            .field("error", &self.error)
            .finish()
    }
}

impl<T, F> Listing<T, F>
where
    T: DeserializeOwned + Send + 'static,
    F: Serialize + Send + Sync + 'static,
{
    pub(crate) fn new(
        client: &HealthieClient,
        collection: &'static Collection,
        filters: F,
        page_size: u32,
        key: fn(&T) -> &str,
    ) -> Self {
        Listing {
            client: client.clone(),
            collection,
            filters,
            page_size,
            prefetch: 1,
            error: None,
            key,
            item: PhantomData,
        }
    }

    /// Items per page, 1..=100 (Healthie recommends 10 to 50 and costs an unbounded
    /// connection as 100 items).
    pub fn page_size(mut self, size: u32) -> Self {
        if (1..=100).contains(&size) {
            self.page_size = size;
        } else {
            self.error = Some(format!("page size must be 1..=100, got {size}"));
        }
        self
    }

    /// Pages fetched ahead while the caller consumes one (default 1; 0 turns it off).
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages;
        self
    }

    fn check(&self) -> Result<(), Error> {
        match &self.error {
            Some(message) => Err(Error::new(ErrorKind::InvalidRequest, message.clone())),
            None => Ok(()),
        }
    }

    /// The first page (no cursor, or offset 0).
    pub async fn send(self) -> Result<Page<T>, Error> {
        self.check()?;
        let page = match self.client.inner.version.schema() {
            Schema::Connections => PageVariables::Cursor {
                first: self.page_size,
                after: None,
            },
            Schema::Baseline => self.collection.offset(0, self.page_size),
        };
        self.collection
            .fetch(&self.client, &self.filters, page)
            .await
    }

    /// Every page, one request after another (with prefetch), as a [`Paginator`]: read it
    /// with [`Paginator::pages`], or bound it with `max_pages`/`max_items`. Guarded like every
    /// listing (see [`client_core::Paginator`]): a repeated cursor, a page of items already
    /// yielded (the baseline's offsets answered with the same page), or more items than the
    /// connection's `total_count` ends the walk with a `Pagination` error. A connection page
    /// saying `has_next_page: false` before `total_count` items arrived ends it quietly
    /// ([`client_core::ConflictingEnd::End`]): its `nodes` may hold `null`s for records the
    /// caller may not see, which `total_count` still counts. An invalid listing (a page size
    /// out of range) fails on the first page.
    pub fn paginator(self) -> Paginator<T> {
        let Listing {
            client,
            collection,
            filters,
            page_size,
            prefetch,
            error,
            key,
            ..
        } = self;
        let paginator = if let Some(message) = error {
            Paginator::cursor(move |_| -> PageFuture<T> {
                let error = Error::new(ErrorKind::InvalidRequest, message.clone());
                Box::pin(async move { Err(error) })
            })
        } else {
            let shared = Arc::new((client, filters));
            match shared.0.inner.version.schema() {
                Schema::Connections => Paginator::cursor(move |after| -> PageFuture<T> {
                    let shared = shared.clone();
                    Box::pin(async move {
                        let page = PageVariables::Cursor {
                            first: page_size,
                            after,
                        };
                        collection.fetch(&shared.0, &shared.1, page).await
                    })
                }),
                Schema::Baseline => Paginator::offset(move |offset| -> PageFuture<T> {
                    let shared = shared.clone();
                    Box::pin(async move {
                        let page = collection.offset(offset, page_size);
                        collection.fetch(&shared.0, &shared.1, page).await
                    })
                }),
            }
        };
        paginator
            .key_by(move |item: &T| key(item).to_owned())
            .on_conflicting_end(client_core::ConflictingEnd::End)
            .prefetch(prefetch)
    }

    /// Every item, page after page (with prefetch), guarded as [`Listing::paginator`] says.
    pub fn into_stream(self) -> BoxStream<'static, Result<T, Error>> {
        self.paginator().items()
    }
}
