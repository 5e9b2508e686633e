//! Pagination as streams: one [`Paginator`] over cursor, page-number and offset styles.
//!
//! A vendor crate supplies a closure that fetches one page for a [`PageRequest`]; the
//! paginator decides what to ask for next, stops at the end, and refuses to loop: a repeated
//! cursor, `has_more` without a cursor, or an empty page that claims more all end the stream
//! with a `Pagination` error. Pages are fetched lazily; with prefetch (one page by default) the
//! next page is requested while the caller works through the current one.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use tokio::sync::mpsc;

use crate::error::{Error, ErrorKind};

/// One page as the vendor returned it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Whether the server says more pages follow (`has_more`, `has_next`), when it says.
    pub has_more: Option<bool>,
    /// The cursor for the next page (cursor style).
    pub next_cursor: Option<String>,
    /// The total number of items, when the server says (offset style).
    pub total: Option<u64>,
}

impl<T> Page<T> {
    /// A page with only items; the other fields are filled with the builder methods.
    pub fn new(items: Vec<T>) -> Self {
        Page {
            items,
            has_more: None,
            next_cursor: None,
            total: None,
        }
    }

    /// Set `has_more`.
    pub fn has_more(mut self, more: bool) -> Self {
        self.has_more = Some(more);
        self
    }

    /// Set the next cursor (an empty string counts as none).
    pub fn next_cursor(mut self, cursor: Option<String>) -> Self {
        self.next_cursor = cursor.filter(|c| !c.is_empty());
        self
    }

    /// Set the total.
    pub fn total(mut self, total: u64) -> Self {
        self.total = Some(total);
        self
    }
}

/// Which page to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRequest {
    /// Cursor style: `None` for the first page.
    Cursor(Option<String>),
    /// Page-number style.
    Number(u64),
    /// Offset style: the index of the first item wanted.
    Offset(u64),
}

/// How a listing pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Each page names the next by an opaque cursor.
    Cursor,
    /// Pages are numbered from `first`.
    PageNumber {
        /// The number of the first page (usually 1).
        first: u64,
    },
    /// Pages start at an item offset.
    Offset,
}

type Fetch<T> =
    Arc<dyn Fn(PageRequest) -> BoxFuture<'static, Result<Page<T>, Error>> + Send + Sync>;

/// A lazily fetched, paginated listing.
pub struct Paginator<T> {
    strategy: Strategy,
    fetch: Fetch<T>,
    prefetch: usize,
    max_items: Option<u64>,
}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("strategy", &self.strategy)
            .field("prefetch", &self.prefetch)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Paginator<T> {
    /// A paginator with `strategy` that calls `fetch` for each page.
    pub fn new<F, Fut>(strategy: Strategy, fetch: F) -> Self
    where
        F: Fn(PageRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
    {
        Paginator {
            strategy,
            fetch: Arc::new(move |req| Box::pin(fetch(req))),
            prefetch: 1,
            max_items: None,
        }
    }

    /// Cursor style: `fetch` gets `None` for the first page, then each page's next cursor.
    pub fn cursor<F, Fut>(fetch: F) -> Self
    where
        F: Fn(Option<String>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
    {
        Self::new(Strategy::Cursor, move |request| {
            let cursor = match request {
                PageRequest::Cursor(cursor) => Ok(cursor),
                other => Err(other),
            };
            Self::typed(cursor, &fetch)
        })
    }

    /// Page-number style: `fetch` gets `first`, then each following page number.
    pub fn page_number<F, Fut>(first: u64, fetch: F) -> Self
    where
        F: Fn(u64) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
    {
        Self::new(Strategy::PageNumber { first }, move |request| {
            let number = match request {
                PageRequest::Number(n) => Ok(n),
                other => Err(other),
            };
            Self::typed(number, &fetch)
        })
    }

    /// Offset style: `fetch` gets the index of the first item wanted (0, then the count so
    /// far).
    pub fn offset<F, Fut>(fetch: F) -> Self
    where
        F: Fn(u64) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
    {
        Self::new(Strategy::Offset, move |request| {
            let offset = match request {
                PageRequest::Offset(n) => Ok(n),
                other => Err(other),
            };
            Self::typed(offset, &fetch)
        })
    }

    /// Call a typed fetch, or fail a request of another style (which the walker never makes).
    fn typed<A, F, Fut>(
        argument: Result<A, PageRequest>,
        fetch: &F,
    ) -> futures::future::Either<Fut, futures::future::Ready<Result<Page<T>, Error>>>
    where
        F: Fn(A) -> Fut,
        Fut: Future<Output = Result<Page<T>, Error>>,
    {
        match argument {
            Ok(a) => futures::future::Either::Left(fetch(a)),
            Err(other) => futures::future::Either::Right(futures::future::ready(Err(
                pagination_error(&format!("unexpected page request {other:?}")),
            ))),
        }
    }

    /// How many pages may be fetched ahead of the one being consumed (default 1; 0 fetches
    /// each page only when the caller asks for it). Prefetching needs a Tokio runtime.
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages;
        self
    }

    /// Stop after this many items.
    pub fn max_items(mut self, max: u64) -> Self {
        self.max_items = Some(max);
        self
    }

    /// Every page, in order.
    pub fn pages(self) -> PageStream<T> {
        let walker = Walker {
            strategy: self.strategy,
            fetch: self.fetch,
            next: Some(match self.strategy {
                Strategy::Cursor => PageRequest::Cursor(None),
                Strategy::PageNumber { first } => PageRequest::Number(first),
                Strategy::Offset => PageRequest::Offset(0),
            }),
            seen_cursors: HashSet::new(),
            emitted: 0,
            max_items: self.max_items,
        };
        let inner = if self.prefetch == 0 {
            Inner::Direct(walker.into_stream())
        } else {
            Inner::Pending {
                walker: Some(walker),
                depth: self.prefetch,
            }
        };
        PageStream { inner }
    }

    /// Every item, in order.
    pub fn items(self) -> BoxStream<'static, Result<T, Error>> {
        self.pages()
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

/// Decides the next request from each page and enforces the stopping rules.
struct Walker<T> {
    strategy: Strategy,
    fetch: Fetch<T>,
    next: Option<PageRequest>,
    seen_cursors: HashSet<String>,
    emitted: u64,
    max_items: Option<u64>,
}

impl<T: Send + 'static> Walker<T> {
    async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        let request = self.next.take()?;
        let mut page = match (self.fetch)(request.clone()).await {
            Ok(page) => page,
            Err(e) => return Some(Err(e)),
        };
        match self.plan_next(&request, &page) {
            Ok(next) => self.next = next,
            Err(e) => return Some(Err(e)),
        }
        let len = page.items.len() as u64;
        if let Some(max) = self.max_items {
            let room = max.saturating_sub(self.emitted);
            if len >= room {
                page.items
                    .truncate(usize::try_from(room).unwrap_or(usize::MAX));
                self.next = None;
            }
        }
        self.emitted += page.items.len() as u64;
        Some(Ok(page))
    }

    /// The request after `page`, `None` at the end, or an error when the server's answer would
    /// make the walk loop or stop silently short.
    fn plan_next(
        &mut self,
        request: &PageRequest,
        page: &Page<T>,
    ) -> Result<Option<PageRequest>, Error> {
        let claims_more = page.has_more == Some(true);
        if page.items.is_empty() && claims_more {
            return Err(pagination_error("an empty page claims that more follow"));
        }
        match (self.strategy, request) {
            (Strategy::Cursor, _) => match (&page.next_cursor, page.has_more) {
                (_, Some(false)) | (None, None) => Ok(None),
                (None, Some(true)) => Err(pagination_error(
                    "the page says more follow but gives no cursor",
                )),
                (Some(cursor), _) => {
                    if page.items.is_empty() {
                        return Err(pagination_error("an empty page gives a next cursor"));
                    }
                    if !self.seen_cursors.insert(cursor.clone()) {
                        return Err(pagination_error("the server repeated a cursor"));
                    }
                    Ok(Some(PageRequest::Cursor(Some(cursor.clone()))))
                }
            },
            (Strategy::PageNumber { .. }, PageRequest::Number(n)) => {
                let more = page.has_more.unwrap_or(!page.items.is_empty());
                Ok(more.then(|| PageRequest::Number(n + 1)))
            }
            (Strategy::Offset, PageRequest::Offset(offset)) => {
                let next = offset + page.items.len() as u64;
                let more = page
                    .has_more
                    .or(page.total.map(|total| next < total))
                    .unwrap_or(!page.items.is_empty());
                if more && page.items.is_empty() {
                    return Err(pagination_error("an empty page claims that more follow"));
                }
                Ok(more.then_some(PageRequest::Offset(next)))
            }
            _ => Err(pagination_error("request does not match the strategy")),
        }
    }

    fn into_stream(self) -> BoxStream<'static, Result<Page<T>, Error>> {
        stream::unfold(Some(self), |state| async move {
            let mut walker = state?;
            match walker.next_page().await? {
                Ok(page) => Some((Ok(page), Some(walker))),
                Err(e) => Some((Err(e), None)),
            }
        })
        .boxed()
    }

    /// Walk in a background task, at most `depth` pages ahead of the consumer: a fetch starts
    /// only once there is room for its page.
    fn spawn(mut self, depth: usize) -> (mpsc::Receiver<Result<Page<T>, Error>>, AbortOnDrop) {
        let (tx, rx) = mpsc::channel(depth);
        let task = tokio::spawn(async move {
            loop {
                let Ok(permit) = tx.reserve().await else {
                    return;
                };
                match self.next_page().await {
                    None => return,
                    Some(Ok(page)) => permit.send(Ok(page)),
                    Some(Err(e)) => {
                        permit.send(Err(e));
                        return;
                    }
                }
            }
        });
        (rx, AbortOnDrop(task.abort_handle()))
    }
}

fn pagination_error(message: &str) -> Error {
    Error::new(ErrorKind::Pagination, message)
}

/// Stops the background walker when the stream is dropped.
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

enum Inner<T> {
    Direct(BoxStream<'static, Result<Page<T>, Error>>),
    Pending {
        walker: Option<Walker<T>>,
        depth: usize,
    },
    Prefetching {
        rx: mpsc::Receiver<Result<Page<T>, Error>>,
        _walker: AbortOnDrop,
    },
}

/// A stream of pages (see [`Paginator::pages`]).
pub struct PageStream<T> {
    inner: Inner<T>,
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PageStream")
    }
}

impl<T: Send + 'static> Stream for PageStream<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match &mut self.inner {
                Inner::Direct(s) => return s.as_mut().poll_next(cx),
                Inner::Prefetching { rx, .. } => return rx.poll_recv(cx),
                Inner::Pending { walker, depth } => {
                    // Start the walk on first use, so a listing never built into a stream
                    // sends nothing.
                    let depth = *depth;
                    let Some(walker) = walker.take() else {
                        return Poll::Ready(None);
                    };
                    let (rx, guard) = walker.spawn(depth);
                    self.inner = Inner::Prefetching { rx, _walker: guard };
                }
            }
        }
    }
}

impl<T> Unpin for PageStream<T> {}
