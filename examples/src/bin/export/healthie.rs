//! Healthie: appointments, from `query Appointments` (filtered by date) and `query
//! Appointment` (the record, with its AI-Scribe transcripts on API version `2026-01-01`), and
//! each transcript's VTT file from its expiring URL. Healthie keeps no summary the API serves.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use healthie_client::operations::APPOINTMENT;
use healthie_client::{Appointment, HealthieClient};
use serde_json::{json, Value};

use crate::vendor::{FetchError, Fetched, Listed, Vendor, Window};

/// Healthie, through a [`HealthieClient`].
pub struct Healthie {
    client: HealthieClient,
}

impl Healthie {
    pub fn new(client: HealthieClient) -> Self {
        Healthie { client }
    }
}

/// The appointment inside a `query Appointment` response body.
fn appointment(record: &Value) -> Fetched<Appointment> {
    let found = record.pointer("/data/appointment").filter(|a| !a.is_null());
    let Some(found) = found else {
        let errors = record
            .get("errors")
            .and_then(Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e.get("message").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .filter(|m| !m.is_empty());
        return Err(FetchError::Shape(match errors {
            Some(errors) => format!("Healthie answered with errors: {errors}"),
            None => "Healthie returned no appointment".to_owned(),
        }));
    };
    serde_json::from_value(found.clone())
        .map_err(|e| FetchError::Shape(format!("the record does not read as an appointment: {e}")))
}

impl Vendor for Healthie {
    fn name(&self) -> &'static str {
        "healthie"
    }

    /// `query Appointments`, page after page: between the window's first and last day when
    /// both are given (Healthie takes the two only together), the window applied to each
    /// appointment's `date` too.
    fn list(&self, window: &Window) -> BoxStream<'static, Result<Listed, FetchError>> {
        let mut list = self.client.appointments().list();
        if let (Some(since), Some(until)) = (&window.since, &window.until) {
            list = list.between(format!("{since}T00:00:00Z"), format!("{until}T23:59:59Z"));
        }
        let window = window.clone();
        list.into_stream()
            .map_err(FetchError::Api)
            .try_filter_map(move |a: Appointment| {
                let date = a.date.as_ref().map(|t| t.as_str().to_owned());
                let keep = window.contains(date.as_deref());
                async move {
                    Ok(keep.then_some(Listed {
                        title: a.appointment_type.as_ref().and_then(|t| t.name.clone()),
                        date,
                        id: a.id,
                        listing: None,
                    }))
                }
            })
            .boxed()
    }

    /// `query Appointment(id)`: the response body as received. (The request is the one
    /// healthie-client sends, made here so that the body is kept whole.)
    fn record<'a>(&'a self, item: &'a Listed) -> BoxFuture<'a, Fetched<Vec<u8>>> {
        Box::pin(async move {
            let version = self.client.api_version();
            let document = APPOINTMENT.document(version.schema()).ok_or_else(|| {
                FetchError::Shape("this API version has no `query Appointment`".to_owned())
            })?;
            let mut request = self
                .client
                .core()
                .post("")
                .json(&json!({
                    "query": document,
                    "operationName": APPOINTMENT.name,
                    "variables": { "id": item.id },
                }))
                .header(http::HeaderName::from_static("authorizationsource"), "API")
                .retry_safe();
            if let Some(version) = version.header_value() {
                request = request.header(
                    http::HeaderName::from_static("healthie-graphql-api-version"),
                    version,
                );
            }
            let body = request.send_bytes().await?;
            let record: Value = serde_json::from_slice(&body)
                .map_err(|e| FetchError::Shape(format!("the record is not JSON: {e}")))?;
            appointment(&record)?;
            Ok(body.to_vec())
        })
    }

    /// The transcripts' `expiring_url`s expire within minutes.
    fn record_expires(&self) -> bool {
        true
    }

    fn transcript_extension(&self) -> &'static str {
        "vtt"
    }

    /// The VTT file of each of the appointment's transcripts; several are joined into one
    /// file, each after a `NOTE` line naming it.
    fn transcript<'a>(
        &'a self,
        _item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>> {
        Box::pin(async move {
            let transcripts = appointment(record)?.transcripts.unwrap_or_default();
            let mut files = Vec::new();
            for transcript in &transcripts {
                files.push(self.client.transcripts().vtt_text(transcript).await?);
            }
            Ok(match files.len() {
                0 => None,
                1 => files.pop(),
                _ => {
                    let mut joined = String::from("WEBVTT\n");
                    for (t, file) in transcripts.iter().zip(&files) {
                        let cues = file.strip_prefix("WEBVTT").unwrap_or(file);
                        let cues = cues.split_once('\n').map_or("", |(_, rest)| rest);
                        joined.push_str(&format!(
                            "\nNOTE transcript {}\n\n{}\n",
                            t.id.as_deref().unwrap_or("?"),
                            cues.trim_matches('\n')
                        ));
                    }
                    Some(joined)
                }
            })
        })
    }

    fn summary<'a>(
        &'a self,
        _item: &'a Listed,
        _record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<String>>> {
        Box::pin(async { Ok(None) })
    }
}
