//! What `export` needs from a vendor: list the items of a date window, and fetch one item's
//! record, transcript, summary and audio. One implementation per vendor, each in its own file.

use std::fmt;

use client_core::{ByteStream, Error};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use serde_json::Value;

/// The dates an export covers, both inclusive (`YYYY-MM-DD`, already validated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window {
    /// The first day.
    pub since: Option<String>,
    /// The last day.
    pub until: Option<String>,
}

impl Window {
    /// Whether an item dated `date` (an ISO 8601 date or date-time) falls in the window. An
    /// item without a date falls only in an unbounded window.
    pub fn contains(&self, date: Option<&str>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(day) = date.and_then(|d| d.get(..10)) else {
            return false;
        };
        self.since.as_deref().is_none_or(|s| day >= s)
            && self.until.as_deref().is_none_or(|u| day <= u)
    }
}

/// One item as the listing named it.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The vendor's id.
    pub id: String,
    /// Its date (as the vendor sent it), for the index.
    pub date: Option<String>,
    /// Its title, for the index.
    pub title: Option<String>,
    /// The listing's own record of the item, for vendors whose listing carries the full
    /// record (Speakr); `None` when the record is fetched by id.
    pub listing: Option<Value>,
}

/// Why a part of an item could not be fetched.
#[derive(Debug)]
pub enum FetchError {
    /// The vendor's API answered with an error, or could not be reached.
    Api(Error),
    /// The vendor's answer did not have the shape the export reads.
    Shape(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Api(e) => write!(f, "{e}"),
            FetchError::Shape(message) => f.write_str(message),
        }
    }
}

impl From<Error> for FetchError {
    fn from(e: Error) -> Self {
        FetchError::Api(e)
    }
}

/// The result of fetching one part.
pub type Fetched<T> = Result<T, FetchError>;

/// `GET route` for `id` (the route's one `{…}` segment), kept byte for byte as received once
/// `reads_as` accepts it as the vendor's record: what a REST vendor's record file holds.
pub async fn record_as_received<T>(
    client: &client_core::Client,
    route: &'static str,
    id: &str,
    reads_as: fn(&Value) -> Fetched<T>,
) -> Fetched<Vec<u8>> {
    let body = client.get(route).param(id).send_bytes().await?;
    let record: Value = serde_json::from_slice(&body)
        .map_err(|e| FetchError::Shape(format!("the record is not JSON: {e}")))?;
    reads_as(&record)?;
    Ok(body.to_vec())
}

/// A platform `export` can read.
pub trait Vendor: Send + Sync {
    /// The name on the command line (`hedy`, `speakr`, …).
    fn name(&self) -> &'static str;

    /// Every item of `window`, lazily. The stream ends at the first listing error.
    fn list(&self, window: &Window) -> BoxStream<'static, Result<Listed, FetchError>>;

    /// Whether a record must be fetched again rather than read back from an interrupted run's
    /// file (it holds links that expire, as Healthie's transcript URLs do).
    fn record_expires(&self) -> bool {
        false
    }

    /// The item's record: the JSON body the vendor sent (inside its envelope, if any).
    fn record<'a>(&'a self, item: &'a Listed) -> BoxFuture<'a, Fetched<Vec<u8>>>;

    /// The file extension of the vendor's transcripts (`txt`, `vtt`, …).
    fn transcript_extension(&self) -> &'static str {
        "txt"
    }

    /// The item's transcript, `None` when it has none.
    fn transcript<'a>(
        &'a self,
        item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>>;

    /// The item's summary, `None` when it has none.
    fn summary<'a>(
        &'a self,
        item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>>;

    /// Whether the item will not change any more (a recording still being processed will):
    /// only a settled item is left alone by later runs.
    fn settled(&self, _record: &Value) -> bool {
        true
    }

    /// The file extension of the item's audio, `None` when the vendor serves none for it.
    fn audio_extension(&self, _record: &Value) -> Option<String> {
        None
    }

    /// The item's audio, streamed.
    fn audio<'a>(&'a self, _item: &'a Listed) -> BoxFuture<'a, Fetched<Option<ByteStream>>> {
        Box::pin(async { Ok(None) })
    }
}
