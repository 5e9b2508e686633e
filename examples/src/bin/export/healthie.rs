//! Healthie: appointments, from `query Appointments` (filtered by date) and `query
//! Appointment` (the record, with its AI-Scribe transcripts on API version `2026-01-01`), and
//! each transcript's VTT file from its expiring URL. Healthie keeps no summary the API serves.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use healthie_client::{Appointment, HealthieClient};
use serde_json::Value;

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

/// The appointment a stored record holds.
fn appointment(record: &Value) -> Fetched<Appointment> {
    serde_json::from_value(record.clone())
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

    /// `query Appointment(id)`: the appointment object as Healthie sent it.
    fn record<'a>(&'a self, item: &'a Listed) -> BoxFuture<'a, Fetched<Vec<u8>>> {
        Box::pin(async move {
            let record = self.client.appointments().get(&item.id).send_json().await?;
            let record = record.into_result()?;
            appointment(&record)?;
            serde_json::to_vec(&record)
                .map_err(|e| FetchError::Shape(format!("the record does not serialize: {e}")))
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
