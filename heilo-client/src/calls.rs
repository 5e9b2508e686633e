//! Calls: `GET /calls` (a page, or every page as a stream) and `GET /calls/{id}`. Both need
//! the `read.calls` scope.
//!
//! Heilo recommends webhooks (`call.completed`, see [`crate::webhooks`]) as a CRM's primary data
//! source; these endpoints read call metadata and transcript text. Recording files are not
//! exposed by the API.
//!
//! ```no_run
//! # async fn run(heilo: heilo_client::HeiloClient) -> Result<(), heilo_client::Error> {
//! use futures::TryStreamExt;
//! use heilo_client::calls::{CrmStatus, Direction};
//!
//! // One page: `number` and `per_page` are the answer's `page` and `limit`, its `meta` is in
//! // `extra` (see `heilo_client::Meta::from_page`).
//! let page = heilo.calls().list().limit(20).direction(Direction::Inbound).send().await?;
//! println!("{} calls on page {:?}, more: {:?}", page.items.len(), page.number, page.has_more);
//!
//! // Every new inbound call of June, page after page.
//! let mut calls = heilo
//!     .calls()
//!     .list()
//!     .direction(Direction::Inbound)
//!     .status(CrmStatus::New)
//!     .date_from("2026-06-01")
//!     .date_to("2026-06-30")
//!     .limit(100)
//!     .into_stream();
//! while let Some(call) = calls.try_next().await? {
//!     let summary = call.transcript_processed.as_ref().and_then(|t| t.summary.as_deref());
//!     println!("{} {:?}: {}", call.call_id, call.caller_phone, summary.unwrap_or("-"));
//! }
//!
//! let one = heilo.calls().get("3fa85f64-5717-4562-b3fc-2c963f66afa6").await?;
//! println!("{:?} s", one.duration);
//! # Ok(()) }
//! ```

use std::ops::RangeInclusive;

use client_core::{Client, Page, PageNumberQuery, Paginator, RawResponse, RequestBuilder};
use futures::stream::BoxStream;
use serde::Deserialize;

use crate::client::HeiloClient;
use crate::types::{null_as_default, open_enum, send_data, unwrap_envelope, Meta, Timestamp};
use crate::Error;

/// The documented bounds of `limit`.
pub const LIMIT_RANGE: RangeInclusive<u32> = 1..=100;

open_enum! {
    /// A call's direction (and the `direction` filter).
    pub enum Direction {
        /// `inbound`.
        Inbound = "inbound",
        /// `outbound`.
        Outbound = "outbound",
    }
}

open_enum! {
    /// A call's CRM status (`crm_status`, and the `status` filter).
    pub enum CrmStatus {
        /// `new`.
        New = "new",
        /// `to_call`.
        ToCall = "to_call",
        /// `contacted`.
        Contacted = "contacted",
        /// `qualified`.
        Qualified = "qualified",
    }
}

open_enum! {
    /// The state of an outbound call (`outbound_lifecycle`, and the lifecycle fields of the
    /// outbound webhook events).
    pub enum OutboundLifecycle {
        /// `completed`: the call connected and ended normally.
        Completed = "completed",
        /// `agent_no_answer`: the Heilo user did not answer.
        AgentNoAnswer = "agent_no_answer",
        /// `customer_no_answer`: the customer did not answer.
        CustomerNoAnswer = "customer_no_answer",
        /// `failed_to_initiate`: the call could not be started.
        FailedToInitiate = "failed_to_initiate",
        /// `agent_only`: only the agent's leg connected (the state a
        /// `call.outbound.lifecycle_repaired` event corrects).
        AgentOnly = "agent_only",
    }
}

/// The processed call analysis (`transcript_processed`).
///
/// Every field is optional: `None` when the call did not contain that information. The
/// documented stable subset and the documented "may appear" fields are typed; anything else
/// the analysis includes is kept in [`TranscriptProcessed::other`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TranscriptProcessed {
    /// The caller's name, if they gave one.
    #[serde(default)]
    pub caller_name: Option<String>,
    /// A short paragraph summarising the call.
    #[serde(default)]
    pub summary: Option<String>,
    /// A one-line title (up to 80 characters).
    #[serde(default)]
    pub subject: Option<String>,
    /// What the caller asked for.
    #[serde(default)]
    pub service_needed: Option<String>,
    /// Whether the request matches the services offered.
    #[serde(default)]
    pub services_match: Option<bool>,
    /// Lead quality estimate, 1 to 10.
    #[serde(default)]
    pub lead_score: Option<f64>,
    /// A date or time the caller mentioned.
    #[serde(default)]
    pub preferred_date: Option<String>,
    /// The city, if mentioned.
    #[serde(default)]
    pub client_city: Option<String>,
    /// The street address, if mentioned.
    #[serde(default)]
    pub client_address: Option<String>,
    /// Extra context from the call.
    #[serde(default)]
    pub additional_details: Option<String>,
    /// A geographic reference detected in the conversation (may appear).
    #[serde(default)]
    pub caller_location: Option<String>,
    /// The country, if mentioned (may appear).
    #[serde(default)]
    pub client_country: Option<String>,
    /// The other party's name: outbound and conversation-mode calls only (may appear).
    #[serde(default)]
    pub counterparty_name: Option<String>,
    /// The conversation's language code, such as `pl` (the key may be absent).
    #[serde(default)]
    pub detected_language: Option<String>,
    /// Suggested follow-ups and decisions extracted from the call (may appear).
    #[serde(default)]
    pub proposal_items: Option<Vec<serde_json::Value>>,
    /// Every other field of the analysis, as sent.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// A call, as `GET /calls` and `GET /calls/{id}` return it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Call {
    /// The call's id (a UUID).
    pub call_id: String,
    /// Inbound or outbound.
    #[serde(default)]
    pub direction: Option<Direction>,
    /// The other party's number, as stored on the call.
    #[serde(default)]
    pub caller_phone: Option<String>,
    /// The same number (an alias kept for field mapping).
    #[serde(default)]
    pub customer_phone_e164: Option<String>,
    /// The caller's name.
    #[serde(default)]
    pub caller_name: Option<String>,
    /// The length in seconds.
    #[serde(default)]
    pub duration: Option<f64>,
    /// The CRM status.
    #[serde(default)]
    pub crm_status: Option<CrmStatus>,
    /// The review status (`null` in the documented example; its values are not documented,
    /// so it is kept as sent).
    #[serde(default)]
    pub review_status: Option<serde_json::Value>,
    /// The outbound state, for outbound calls.
    #[serde(default)]
    pub outbound_lifecycle: Option<OutboundLifecycle>,
    /// The processed analysis.
    #[serde(default)]
    pub transcript_processed: Option<TranscriptProcessed>,
    /// When the call was created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
}

/// The `data` of a `GET /calls` answer, read into a [`Page`].
#[derive(Deserialize)]
struct CallsData {
    #[serde(default, deserialize_with = "null_as_default")]
    items: Vec<Call>,
    #[serde(default)]
    has_more: Option<bool>,
    #[serde(default)]
    page: Option<u64>,
    #[serde(default)]
    limit: Option<u64>,
    /// Members this version does not know, kept in the page's `extra`.
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

/// The calls endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Calls<'a> {
    pub(crate) client: &'a HeiloClient,
}

impl<'a> Calls<'a> {
    /// `GET /calls`: a listing to filter, then [`ListCalls::send`] (one page),
    /// [`ListCalls::paginator`] (every page) or [`ListCalls::into_stream`] (every call).
    pub fn list(&self) -> ListCalls<'a> {
        ListCalls {
            client: self.client,
            params: ListParams::default(),
        }
    }

    /// `GET /calls/{id}`: one call. `NotFound` when it does not exist, was deleted or belongs
    /// to another organization. An empty id is refused before sending.
    pub async fn get(&self, id: impl Into<String>) -> Result<Call, Error> {
        let request = self.client.core.get("/calls/{id}").param(id.into());
        let (call, _): (Call, Meta) = send_data(request).await?;
        Ok(call)
    }
}

#[derive(Debug, Clone, Default)]
struct ListParams {
    page: Option<u64>,
    limit: Option<u32>,
    direction: Option<Direction>,
    status: Option<CrmStatus>,
    date_from: Option<String>,
    date_to: Option<String>,
}

impl PageNumberQuery for ListParams {
    type Item = Call;

    fn first_page(&self) -> u64 {
        self.page.unwrap_or(1)
    }

    /// The request for `page` (or the configured page) with every filter, refused before
    /// sending when a documented bound is broken.
    fn request(&self, core: &Client, page: Option<u64>) -> RequestBuilder {
        let page = page.or(self.page);
        let mut r = core
            .get("/calls")
            .query_opt("page", page)
            .query_opt("limit", self.limit)
            .query_opt("direction", self.direction.as_ref())
            .query_opt("status", self.status.as_ref())
            .query_opt("dateFrom", self.date_from.as_deref())
            .query_opt("dateTo", self.date_to.as_deref());
        if let Some(message) = self.problem(page) {
            r = r.invalid(message);
        }
        r
    }

    /// One page of `GET /calls`: `page` and `limit` as the position, `meta` and unknown `data`
    /// members in `extra`.
    fn read(raw: &RawResponse) -> Result<Page<Call>, Error> {
        let (data, meta): (CallsData, serde_json::Value) = unwrap_envelope(raw)?;
        let mut page = Page::new(data.items)
            .has_more_opt(data.has_more)
            .position(data.page, data.limit);
        page.extra = data.other;
        if !meta.is_null() {
            page = page.extra("meta", meta);
        }
        Ok(page)
    }
}

impl ListParams {
    fn problem(&self, page: Option<u64>) -> Option<String> {
        if let Some(n) = self.limit.filter(|n| !LIMIT_RANGE.contains(n)) {
            return Some(format!("limit must be within 1..=100, got {n}"));
        }
        if page == Some(0) {
            return Some("page numbers start at 1".to_owned());
        }
        let mut bounds = Vec::new();
        for (name, value) in [("dateFrom", &self.date_from), ("dateTo", &self.date_to)] {
            if let Some(v) = value {
                match Timestamp::from(v.as_str()).to_system_time() {
                    Some(t) => bounds.push(t),
                    None => {
                        return Some(format!(
                            "{name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time, got `{v}`"
                        ))
                    }
                }
            }
        }
        if let [from, to] = bounds[..] {
            if from > to {
                return Some("dateFrom is after dateTo".to_owned());
            }
        }
        None
    }
}

/// A `GET /calls` listing under construction.
#[derive(Debug, Clone)]
#[must_use = "call .send(), .paginator() or .into_stream()"]
pub struct ListCalls<'a> {
    client: &'a HeiloClient,
    params: ListParams,
}

impl<'a> ListCalls<'a> {
    /// `page`, from 1 (the server's default is 1). For [`ListCalls::into_stream`], the first
    /// page fetched. `0` is refused before sending.
    pub fn page(mut self, page: u64) -> Self {
        self.params.page = Some(page);
        self
    }

    /// `limit`, 1 to 100 (the server's default is 20); checked before sending.
    pub fn limit(mut self, limit: u32) -> Self {
        self.params.limit = Some(limit);
        self
    }

    /// `direction`: inbound or outbound calls only.
    pub fn direction(mut self, direction: Direction) -> Self {
        self.params.direction = Some(direction);
        self
    }

    /// `status`: calls with this CRM status only.
    pub fn status(mut self, status: CrmStatus) -> Self {
        self.params.status = Some(status);
        self
    }

    /// `dateFrom`: a date (`2026-06-03`) or an ISO 8601 date-time (`2026-06-03T12:34:56Z`);
    /// anything else, or a `dateFrom` after `dateTo`, is refused before sending.
    pub fn date_from(mut self, date: impl Into<String>) -> Self {
        self.params.date_from = Some(date.into());
        self
    }

    /// `dateTo`: a date or an ISO 8601 date-time (see [`ListCalls::date_from`]).
    pub fn date_to(mut self, date: impl Into<String>) -> Self {
        self.params.date_to = Some(date.into());
        self
    }

    /// `GET /calls`: one page, with its `page` and `limit` as [`Page::number`] and
    /// [`Page::per_page`], and the response's `meta` (and any member of `data` this version
    /// does not know) in [`Page::extra`].
    pub async fn send(self) -> Result<Page<Call>, Error> {
        self.params.send_page(&self.client.core, None).await
    }

    /// `GET /calls`, page after page (`page`, `limit`, `has_more`) with the same filters, as
    /// a paginator to tune (prefetch, item cap). Invalid parameters fail the first page,
    /// before any request. Guarded like every listing (see [`client_core::Paginator`]): a
    /// page of calls already yielded (a server answering `has_more: true` with the same
    /// calls) or an empty page claiming more ends the stream with a `Pagination` error. Heilo
    /// sends no totals, so `has_more: false` (or an empty page) is the end.
    pub fn paginator(self) -> Paginator<Call> {
        self.params
            .walk(&self.client.core)
            .key_by(|call: &Call| call.call_id.clone())
    }

    /// `GET /calls`: every call matching the filters, fetched lazily page by page (one page
    /// ahead; needs a Tokio runtime).
    pub fn into_stream(self) -> BoxStream<'static, Result<Call, Error>> {
        self.paginator().items()
    }
}
