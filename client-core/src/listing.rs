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

/// A listing the API returns in one response (no pagination: `GET /topics` answers every
/// topic). It reads like every paged listing of the vendor crates: [`send`](Self::send) for
/// the page (the only one, with `has_more: false`), [`paginator`](Self::paginator) for a
/// stream of pages, [`into_stream`](Self::into_stream) for the items.
#[must_use = "call .send() or .into_stream()"]
pub struct WholeListing<T> {
    client: Client,
    request: MakeRequest,
    decode: Decode<T>,
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
            decode,
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
    decode: Decode<T>,
) -> Result<Page<T>, Error> {
    let raw = request(client).send_raw().await?;
    Ok(Page::new(decode(&raw)?).has_more(false))
}
