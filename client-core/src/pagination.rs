//! Pagination as streams: one [`Paginator`] over cursor, page-number and offset styles, with
//! loop guards (see [`Paginator`]).

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use tokio::sync::mpsc;

use crate::error::{Error, ErrorKind};

/// How many pages one walk fetches at most, unless [`Paginator::max_pages`] says otherwise:
/// a million items at 100 a page, far beyond any account of these APIs, yet a loop the other
/// guards miss still ends.
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// One page of any listing, whatever the vendor's envelope: every vendor crate's `send()`
/// returns this type, and the paginator walks it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Whether the server says more pages follow (`has_more`, `has_next`), when it says.
    pub has_more: Option<bool>,
    /// The cursor for the next page (cursor style).
    pub next_cursor: Option<String>,
    /// The total number of items in the listing, when the server says.
    pub total: Option<u64>,
    /// The number of pages in the listing, when the server says (page-number style).
    pub total_pages: Option<u64>,
    /// This page's number, when the server says (page-number style; the first is 1).
    pub number: Option<u64>,
    /// The page size the server used, when it says.
    pub per_page: Option<u64>,
    /// The envelope's other members, as sent (for example a response's `meta`), so that
    /// nothing the server said is lost.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl<T> Page<T> {
    /// A page with only items; the other fields are filled with the builder methods.
    pub fn new(items: Vec<T>) -> Self {
        Page {
            items,
            has_more: None,
            next_cursor: None,
            total: None,
            total_pages: None,
            number: None,
            per_page: None,
            extra: serde_json::Map::new(),
        }
    }

    /// Set `has_more`.
    pub fn has_more(mut self, more: bool) -> Self {
        self.has_more = Some(more);
        self
    }

    /// Set `has_more` when the server said.
    pub fn has_more_opt(mut self, more: Option<bool>) -> Self {
        self.has_more = more;
        self
    }

    /// Set the next cursor (an empty string counts as none).
    pub fn next_cursor(mut self, cursor: Option<String>) -> Self {
        self.next_cursor = cursor.filter(|c| !c.is_empty());
        self
    }

    /// Set the total number of items the server declared.
    pub fn total(mut self, total: u64) -> Self {
        self.total = Some(total);
        self
    }

    /// Set the number of pages the server declared.
    pub fn total_pages(mut self, pages: u64) -> Self {
        self.total_pages = Some(pages);
        self
    }

    /// Set this page's number and the page size, when the server said them.
    pub fn position(mut self, number: Option<u64>, per_page: Option<u64>) -> Self {
        self.number = number;
        self.per_page = per_page;
        self
    }

    /// Keep an envelope member the page type has no field for.
    pub fn extra(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(name.into(), value);
        self
    }

    /// The same page with each item mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_more: self.has_more,
            next_cursor: self.next_cursor,
            total: self.total,
            total_pages: self.total_pages,
            number: self.number,
            per_page: self.per_page,
            extra: self.extra,
        }
    }
}

/// What the walk does when a page's own signals disagree about whether the listing ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ConflictingEnd {
    /// End with a `Pagination` error: items may be missing (the default).
    #[default]
    Error,
    /// End quietly: the vendor's API is known to send such pages at its real end.
    End,
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

type KeyFn<T> = Arc<dyn Fn(&T, &RandomState) -> u64 + Send + Sync>;

/// A lazily fetched, paginated listing: one type over cursor, page-number and offset styles.
///
/// A vendor crate supplies a closure that fetches one page for a [`PageRequest`]; the
/// paginator decides what to ask for next, stops at the end, and refuses to loop in every
/// style. The walk ends with an [`ErrorKind::Pagination`] error that says what the server did
/// when:
/// - a cursor is repeated, or an empty page gives a cursor or claims that more follow;
/// - a page repeats only items already yielded (a server that answers the same page at every
///   page number or offset, or cycles through pages); items are told apart by the key the
///   vendor crate gives ([`Paginator::key_by`]), and a page that repeats *some* earlier items
///   (a listing that shifted while it was walked) yields only the new ones, so no item is
///   yielded twice;
/// - the server says more follow past the totals it declared itself ([`Page::total`],
///   [`Page::total_pages`]), or more distinct items arrive than its declared total;
/// - more than [`Paginator::max_pages`] pages (default [`DEFAULT_MAX_PAGES`]) would be
///   fetched: the last line of defence.
///
/// New items on the page that reveals the problem are still yielded; the error follows them,
/// and the stream ends.
///
/// When a page's own signals **disagree about the end** (it says no more follow while its
/// declared totals say more exist, or it says more follow but gives no cursor), the walk ends
/// with a `Pagination` error by default, because items may be missing. A vendor crate whose API
/// is known to do this harmlessly chooses [`ConflictingEnd::End`] and says so in its docs.
///
/// Pages are fetched lazily; with prefetch (one page by default) the next page is requested
/// while the caller works through the current one.
pub struct Paginator<T> {
    strategy: Strategy,
    fetch: Fetch<T>,
    prefetch: usize,
    max_items: Option<u64>,
    max_pages: u64,
    key: Option<KeyFn<T>>,
    conflicting_end: ConflictingEnd,
}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("strategy", &self.strategy)
            .field("prefetch", &self.prefetch)
            .field("max_items", &self.max_items)
            .field("max_pages", &self.max_pages)
            .field("keyed", &self.key.is_some())
            .field("conflicting_end", &self.conflicting_end)
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
            max_pages: DEFAULT_MAX_PAGES,
            key: None,
            conflicting_end: ConflictingEnd::Error,
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

    /// Fetch at most this many pages (default [`DEFAULT_MAX_PAGES`]); a walk that would go
    /// further ends with a `Pagination` error. The last defence against a server that keeps
    /// claiming more with new items each time; raise it for a listing known to be longer.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Tell items apart by `key` (an id), so that a page repeating items already yielded is
    /// recognized: a page made only of such items ends the walk with a `Pagination` error
    /// (the server is looping), and repeated items on a page with new ones are dropped (the
    /// listing shifted while it was walked). The walk keeps one 64-bit hash per item yielded.
    /// Every vendor crate sets this.
    pub fn key_by<K, F>(mut self, key: F) -> Self
    where
        K: Hash,
        F: Fn(&T) -> K + Send + Sync + 'static,
    {
        self.key = Some(Arc::new(move |item, hasher| hasher.hash_one(key(item))));
        self
    }

    /// What a page whose own signals disagree about the end means (default
    /// [`ConflictingEnd::Error`]; see [`Paginator`]).
    pub fn on_conflicting_end(mut self, policy: ConflictingEnd) -> Self {
        self.conflicting_end = policy;
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
            fetched: 0,
            max_pages: self.max_pages,
            key: self.key,
            hasher: RandomState::new(),
            seen_keys: HashSet::default(),
            page_keys: Vec::new(),
            distinct: 0,
            conflicting_end: self.conflicting_end,
            failed: None,
        };
        let inner = if self.prefetch == 0 {
            Inner::Direct(walker.into_stream())
        } else {
            Inner::Pending {
                walker: Some(Box::new(walker)),
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
    fetched: u64,
    max_pages: u64,
    key: Option<KeyFn<T>>,
    hasher: RandomState,
    seen_keys: HashSet<u64, BuildHasherDefault<Prehashed>>,
    /// The current page's key hashes (kept to reuse its allocation).
    page_keys: Vec<u64>,
    /// Distinct items received so far (before `max_items` trims a page).
    distinct: u64,
    conflicting_end: ConflictingEnd,
    /// An error found after a page whose items are still good: yielded after that page.
    failed: Option<Error>,
}

impl<T: Send + 'static> Walker<T> {
    async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        if let Some(error) = self.failed.take() {
            return Some(Err(error));
        }
        let request = self.next.take()?;
        if self.fetched >= self.max_pages {
            return Some(Err(pagination_error(&format!(
                "the listing goes on past {} pages, the most one walk fetches \
                 (Paginator::max_pages); stopped before requesting {}",
                self.max_pages,
                describe(&request)
            ))));
        }
        self.fetched += 1;
        let mut page = match (self.fetch)(request.clone()).await {
            Ok(page) => page,
            Err(e) => return Some(Err(e)),
        };
        let received = page.items.len() as u64;
        if let Err(e) = self.drop_repeats(&request, &mut page) {
            return Some(Err(e));
        }
        match self.plan_next(&request, &page, received) {
            Ok(next) => self.next = next,
            // The page's new items are good; the error comes right after them.
            Err(e) if !page.items.is_empty() => self.failed = Some(e),
            Err(e) => return Some(Err(e)),
        }
        let len = page.items.len() as u64;
        if let Some(max) = self.max_items {
            let room = max.saturating_sub(self.emitted);
            if len >= room {
                page.items
                    .truncate(usize::try_from(room).unwrap_or(usize::MAX));
                self.next = None;
                // The caller has every item it asked for: what lies beyond does not matter.
                self.failed = None;
            }
        }
        self.emitted += page.items.len() as u64;
        Some(Ok(page))
    }

    /// Remove items already yielded; a page made only of them is the server looping.
    fn drop_repeats(&mut self, request: &PageRequest, page: &mut Page<T>) -> Result<(), Error> {
        let Some(key) = &self.key else {
            self.distinct += page.items.len() as u64;
            return Ok(());
        };
        let before = page.items.len();
        let mut keys = std::mem::take(&mut self.page_keys);
        keys.clear();
        keys.extend(page.items.iter().map(|item| key(item, &self.hasher)));
        if before > 0 && keys.iter().all(|k| self.seen_keys.contains(k)) {
            return Err(pagination_error(&format!(
                "{} repeats only items already yielded ({before} of them): the server is \
                 looping",
                describe(request)
            )));
        }
        let mut next_key = keys.iter();
        page.items
            .retain(|_| next_key.next().is_some_and(|&k| self.seen_keys.insert(k)));
        self.page_keys = keys;
        let dropped = before - page.items.len();
        if dropped > 0 {
            tracing::debug!(
                dropped,
                "items already yielded were dropped (the listing shifted)"
            );
        }
        self.distinct += page.items.len() as u64;
        Ok(())
    }

    /// The request after `page`, `None` at the end, or an error when the server's answer would
    /// make the walk loop, go past its own totals, or stop short of them.
    fn plan_next(
        &mut self,
        request: &PageRequest,
        page: &Page<T>,
        received: u64,
    ) -> Result<Option<PageRequest>, Error> {
        let claims_more = page.has_more == Some(true);
        if received == 0 && claims_more {
            return Err(pagination_error(&format!(
                "{} is empty but claims that more follow",
                describe(request)
            )));
        }
        if let Some(total) = page.total {
            if self.distinct > total {
                return Err(pagination_error(&format!(
                    "{} items received, more than the total of {total} the server declared",
                    self.distinct
                )));
            }
        }
        // Where this page stands against the totals the server declared: `Some(true)` when
        // it is the last one they allow, `Some(false)` when more must follow.
        let at_declared_end = |position_items: u64, page_index: Option<u64>| {
            let by_pages = page.total_pages.zip(page_index).map(|(t, i)| i >= t);
            let by_items = page.total.map(|t| position_items >= t);
            match (by_pages, by_items) {
                (Some(a), Some(b)) => Some(a || b),
                (a, b) => a.or(b),
            }
        };
        match (self.strategy, request) {
            (Strategy::Cursor, _) => {
                let declared_end = at_declared_end(self.distinct, None);
                match (&page.next_cursor, page.has_more) {
                    (_, Some(false)) | (None, None) => {
                        self.short_end(request, page, declared_end)?;
                        Ok(None)
                    }
                    (None, Some(true)) => {
                        self.conflicting(format!(
                            "{} says more follow but gives no cursor",
                            describe(request)
                        ))?;
                        Ok(None)
                    }
                    (Some(cursor), _) => {
                        if received == 0 {
                            return Err(pagination_error(&format!(
                                "{} is empty but gives a next cursor",
                                describe(request)
                            )));
                        }
                        if declared_end == Some(true) {
                            return Err(past_end(request, page));
                        }
                        if !self.seen_cursors.insert(cursor.clone()) {
                            return Err(pagination_error("the server repeated a cursor"));
                        }
                        Ok(Some(PageRequest::Cursor(Some(cursor.clone()))))
                    }
                }
            }
            (Strategy::PageNumber { first }, PageRequest::Number(n)) => {
                let index = n.saturating_sub(first) + 1;
                let declared_end = at_declared_end(self.distinct, Some(index));
                let more = self.follow(request, page, received, declared_end)?;
                Ok(more.then(|| PageRequest::Number(n + 1)))
            }
            (Strategy::Offset, PageRequest::Offset(offset)) => {
                let next = offset + received;
                let more = self.follow(request, page, received, at_declared_end(next, None))?;
                Ok(more.then_some(PageRequest::Offset(next)))
            }
            _ => Err(pagination_error("request does not match the strategy")),
        }
    }

    /// Whether more follow a page-number or offset page: its `has_more`, else its declared
    /// totals, else whether it had items; checked against the declared end. An empty page is
    /// the end whatever the totals say (`short_end` judges that).
    fn follow(
        &self,
        request: &PageRequest,
        page: &Page<T>,
        received: u64,
        declared_end: Option<bool>,
    ) -> Result<bool, Error> {
        let more = received > 0
            && page
                .has_more
                .or(declared_end.map(|end| !end))
                .unwrap_or(true);
        if more && declared_end == Some(true) {
            return Err(past_end(request, page));
        }
        if !more {
            self.short_end(request, page, declared_end)?;
        }
        Ok(more)
    }

    /// The walk ends here: fine unless the server's own totals say more exist.
    fn short_end(
        &self,
        request: &PageRequest,
        page: &Page<T>,
        declared_end: Option<bool>,
    ) -> Result<(), Error> {
        if declared_end != Some(false) {
            return Ok(());
        }
        self.conflicting(format!(
            "{} says it is the last, but the server declared {} and {} items were received",
            describe(request),
            declared(page),
            self.distinct
        ))
    }

    fn conflicting(&self, what: String) -> Result<(), Error> {
        match self.conflicting_end {
            ConflictingEnd::Error => {
                Err(pagination_error(&format!("{what}; items may be missing")))
            }
            ConflictingEnd::End => {
                tracing::debug!(what, "the listing ends here (the vendor's known behaviour)");
                Ok(())
            }
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

/// The hasher of the set of seen keys: they are hashes already (from a per-walk random
/// `RandomState`), so hashing them again would only cost time.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; fold anything else in so the hasher stays correct.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

fn pagination_error(message: &str) -> Error {
    Error::new(ErrorKind::Pagination, message)
}

fn past_end<T>(request: &PageRequest, page: &Page<T>) -> Error {
    pagination_error(&format!(
        "{} says more follow, past the end the server declared ({})",
        describe(request),
        declared(page)
    ))
}

/// A request as words: "page 3", "the page at offset 40", "the page after cursor …".
fn describe(request: &PageRequest) -> String {
    match request {
        PageRequest::Cursor(None) => "the first page".to_owned(),
        PageRequest::Cursor(Some(_)) => "the page after a cursor".to_owned(),
        PageRequest::Number(n) => format!("page {n}"),
        PageRequest::Offset(n) => format!("the page at offset {n}"),
    }
}

/// The totals a page declared, as words.
fn declared<T>(page: &Page<T>) -> String {
    match (page.total, page.total_pages) {
        (Some(t), Some(p)) => format!("total {t}, total_pages {p}"),
        (Some(t), None) => format!("total {t}"),
        (None, Some(p)) => format!("total_pages {p}"),
        (None, None) => "no totals".to_owned(),
    }
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
        walker: Option<Box<Walker<T>>>,
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
