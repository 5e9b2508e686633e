//! [`WholeListing`]: a listing the API answers whole, in one response, with the same three
//! ways to read it as every paged listing; [`PageNumberQuery`]: the plumbing of a listing
//! paged by page number (one page, or every page as a [`Paginator`]).

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures::stream::BoxStream;

use crate::client::Client;
use crate::error::Error;
use crate::pagination::{Page, Paginator};
use crate::request::RequestBuilder;
use crate::response::RawResponse;

/// Builds the listing's request.
type MakeRequest = Arc<dyn Fn(&Client) -> RequestBuilder + Send + Sync>;
/// Reads the items out of the vendor's envelope.
type Decode<T> = fn(&RawResponse) -> Result<Vec<T>, Error>;
/// Reads the whole page out of the vendor's envelope: the items and the other members.
type DecodePage<T> = fn(&RawResponse) -> Result<Page<T>, Error>;

/// How a response becomes the page.
enum Decoder<T> {
    /// Items only ([`WholeListing::new`]).
    Items(Decode<T>),
    /// Items and envelope members ([`WholeListing::with_envelope`]).
    Page(DecodePage<T>),
}

impl<T> Clone for Decoder<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Decoder<T> {}

impl<T> Decoder<T> {
    fn page(self, raw: &RawResponse) -> Result<Page<T>, Error> {
        match self {
            Decoder::Items(decode) => Ok(Page::new(decode(raw)?)),
            Decoder::Page(decode) => decode(raw),
        }
    }
}

/// A listing the API returns in one response (no pagination: `GET /topics` answers every
/// topic). It reads like every paged listing of the vendor crates: [`send`](Self::send) for
/// the page (the only one, with `has_more: false`), [`paginator`](Self::paginator) for a
/// stream of pages, [`into_stream`](Self::into_stream) for the items.
#[must_use = "call .send() or .into_stream()"]
pub struct WholeListing<T> {
    client: Client,
    request: MakeRequest,
    decode: Decoder<T>,
}

impl<T> fmt::Debug for WholeListing<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WholeListing")
            .field("base_url", &self.client.base_url().as_str())
            .finish_non_exhaustive()
    }
}

impl<T> Clone for WholeListing<T> {
    fn clone(&self) -> Self {
        WholeListing {
            client: self.client.clone(),
            request: self.request.clone(),
            decode: self.decode,
        }
    }
}

impl<T: Send + 'static> WholeListing<T> {
    /// A listing sent by `client` as `request` builds it, its items read by `decode`.
    pub fn new(
        client: &Client,
        request: impl Fn(&Client) -> RequestBuilder + Send + Sync + 'static,
        decode: Decode<T>,
    ) -> Self {
        WholeListing {
            client: client.clone(),
            request: Arc::new(request),
            decode: Decoder::Items(decode),
        }
    }

    /// A listing whose envelope says more than its items (a cap, the values a field accepts):
    /// `decode` reads the whole page, with those members in [`Page::extra`], so that nothing
    /// the server sent is lost.
    pub fn with_envelope(
        client: &Client,
        request: impl Fn(&Client) -> RequestBuilder + Send + Sync + 'static,
        decode: DecodePage<T>,
    ) -> Self {
        WholeListing {
            client: client.clone(),
            request: Arc::new(request),
            decode: Decoder::Page(decode),
        }
    }

    /// The whole listing, as one page.
    pub async fn send(self) -> Result<Page<T>, Error> {
        fetch(&self.client, &self.request, self.decode).await
    }

    /// The listing as a stream of pages (one page), to read like a paged listing.
    pub fn paginator(self) -> Paginator<T> {
        Paginator::cursor(move |_| {
            let client = self.client.clone();
            let request = self.request.clone();
            let decode = self.decode;
            async move { fetch(&client, &request, decode).await }
        })
    }

    /// Every item.
    pub fn into_stream(self) -> BoxStream<'static, Result<T, Error>> {
        self.paginator().items()
    }
}

async fn fetch<T>(
    client: &Client,
    request: &MakeRequest,
    decode: Decoder<T>,
) -> Result<Page<T>, Error> {
    let raw = request(client).send_raw().await?;
    Ok(decode.page(&raw)?.has_more(false))
}

/// The query of a listing paged by page number (`?page=1`, `?page=2`, …): how to ask for a
/// page and how to read one. A vendor crate implements [`request`](Self::request) and
/// [`read`](Self::read) once per listing; one page ([`send_page`](Self::send_page)) and the
/// guarded walk over every page ([`walk`](Self::walk)) come with the trait, so that each
/// listing builder's `send`, `paginator` and `into_stream` are the same few lines everywhere.
///
/// A request that [`RequestBuilder::invalid`] marked (a bound broken, a page `0`) fails when
/// sent, before anything reaches the server: for [`walk`](Self::walk), as the first page.
pub trait PageNumberQuery: Send + Sync + 'static {
    /// What each page holds.
    type Item: Send + 'static;

    /// The first page [`walk`](Self::walk) fetches (the configured page, or the API's first).
    fn first_page(&self) -> u64;

    /// The request for `page`, or for the configured page when `None`, with every filter.
    fn request(&self, core: &Client, page: Option<u64>) -> RequestBuilder;

    /// One page read out of the vendor's envelope: its items, its position, totals and
    /// whether more follow, and the envelope's other members in [`Page::extra`].
    fn read(raw: &RawResponse) -> Result<Page<Self::Item>, Error>;

    /// Sends the request for `page` (or the configured page when `None`) and reads the page.
    fn send_page(
        &self,
        core: &Client,
        page: Option<u64>,
    ) -> impl Future<Output = Result<Page<Self::Item>, Error>> + Send {
        async move {
            let raw = self.request(core, page).send_raw().await?;
            Self::read(&raw)
        }
    }

    /// Every page from [`first_page`](Self::first_page) on, sent by `core`, as a
    /// [`Paginator::page_number`] (with its guards; add [`Paginator::key_by`] for the item's id).
    fn walk(self, core: &Client) -> Paginator<Self::Item>
    where
        Self: Sized,
    {
        let core = core.clone();
        let first = self.first_page();
        let query = Arc::new(self);
        Paginator::page_number(first, move |n| {
            let core = core.clone();
            let query = query.clone();
            async move { query.send_page(&core, Some(n)).await }
        })
    }
}
