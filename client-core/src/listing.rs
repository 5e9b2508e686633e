//! [`WholeListing`]: a listing the API answers whole, in one response, with the same three
//! ways to read it as every paged listing.

use std::fmt;
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
