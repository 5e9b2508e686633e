//! Heilo: calls, from `GET /calls?dateFrom=…&dateTo=…` and `GET /calls/{id}` (the record).
//! Heilo serves no recording files and no raw transcript: the call's analysis
//! (`transcript_processed`) is its transcript, and the analysis' `summary` its summary.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use heilo_client::calls::Call;
use heilo_client::HeiloClient;
use serde_json::Value;

use crate::vendor::{record_as_received, FetchError, Fetched, Listed, Vendor, Window};

/// Heilo, through a [`HeiloClient`].
pub struct Heilo {
    client: HeiloClient,
}

impl Heilo {
    pub fn new(client: HeiloClient) -> Self {
        Heilo { client }
    }
}

/// The call inside a record (`{"success": true, "data": …, "meta": …}`).
fn call(record: &Value) -> Fetched<Call> {
    let data = record
        .get("data")
        .ok_or_else(|| FetchError::Shape("the call record has no `data`".to_owned()))?;
    serde_json::from_value(data.clone())
        .map_err(|e| FetchError::Shape(format!("the call record does not read as a call: {e}")))
}

impl Vendor for Heilo {
    fn name(&self) -> &'static str {
        "heilo"
    }

    /// `GET /calls?limit=100&dateFrom=…&dateTo=…`, page after page.
    fn list(&self, window: &Window) -> BoxStream<'static, Result<Listed, FetchError>> {
        let mut list = self.client.calls().list().limit(100);
        if let Some(since) = &window.since {
            list = list.date_from(since.as_str());
        }
        if let Some(until) = &window.until {
            list = list.date_to(until.as_str());
        }
        list.into_stream()
            .map_ok(|c: Call| Listed {
                title: c
                    .transcript_processed
                    .as_ref()
                    .and_then(|t| t.subject.clone())
                    .or(c.caller_name),
                date: c.created_at.as_ref().map(|t| t.as_str().to_owned()),
                id: c.call_id,
                listing: None,
            })
            .map_err(FetchError::Api)
            .boxed()
    }

    /// `GET /calls/{id}`, as received.
    fn record<'a>(&'a self, item: &'a Listed) -> BoxFuture<'a, Fetched<Vec<u8>>> {
        Box::pin(record_as_received(
            self.client.core(),
            "/calls/{id}",
            &item.id,
            call,
        ))
    }

    /// The call's analysis (`transcript_processed`), one `field: value` line per field.
    fn transcript<'a>(
        &'a self,
        _item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>> {
        Box::pin(async move {
            call(record)?;
            let Some(Value::Object(fields)) = record.pointer("/data/transcript_processed") else {
                return Ok(None);
            };
            let text: String = fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k}: {s}\n"),
                    other => format!("{k}: {other}\n"),
                })
                .collect();
            Ok((!text.is_empty()).then_some(text))
        })
    }

    /// The analysis' `summary`.
    fn summary<'a>(
        &'a self,
        _item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>> {
        Box::pin(async move {
            Ok(call(record)?
                .transcript_processed
                .and_then(|t| t.summary)
                .filter(|s| !s.trim().is_empty()))
        })
    }
}
