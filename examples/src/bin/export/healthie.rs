//! Healthie: appointments, from `query Appointments` (filtered by date) and `query
//! Appointment` (the record, with its AI-Scribe transcripts on API version `2026-01-01`), and
//! each transcript's VTT file from its expiring URL. Healthie keeps no summary the API serves.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use healthie_client::{Appointment, HealthieClient};
use serde_json::Value;

use crate::vendor::{FetchError, Fetched, Listed, Part, Vendor, Window};

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

    fn label(&self) -> &'static str {
        "Healthie"
    }

    fn route(&self, part: Part) -> &'static str {
        match part {
            Part::Listing => "query Appointments",
            Part::Record => "query Appointment",
            Part::Transcript => "GET of a transcript's expiring_url",
            // Healthie serves no summary and no audio: nothing is requested.
            Part::Summary | Part::Audio => "query Appointment",
        }
    }

    /// `query Appointments`, page after page; dated by `date`. When the window has both ends
    /// (Healthie takes the two only together) it is sent as `startDate` = the first day's
    /// 00:00:00Z and `endDate` = 00:00:00Z of the day after the last (the export drops an
    /// appointment at that very instant, should Healthie's end be inclusive).
    fn list(&self, window: &Window) -> BoxStream<'static, Result<Listed, FetchError>> {
        let mut list = self.client.appointments().list();
        if let (Some(start), Some(end)) = (window.start_instant(), window.end_instant_exclusive()) {
            list = list.between(start, end);
        }
        list.into_stream()
            .map_ok(|a: Appointment| Listed {
                title: a.appointment_type.as_ref().and_then(|t| t.name.clone()),
                date_field: "date",
                date: a.date.as_ref().map(|t| t.as_str().to_owned()),
                id: a.id,
                listing: None,
            })
            .map_err(FetchError::Api)
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

    fn meeting(&self, record: &Value) -> Option<transcripts::Meeting> {
        appointment(record)
            .ok()
            .map(|a| transcripts::healthie::meeting(&a))
    }

    /// The VTT file of each of the appointment's transcripts (downloaded from its expiring
    /// link, with no credentials), parsed; several follow one another in one transcript.
    fn transcript<'a>(
        &'a self,
        item: &'a Listed,
        record: &'a Value,
    ) -> BoxFuture<'a, Fetched<Option<transcripts::Transcript>>> {
        Box::pin(async move {
            let files = appointment(record)?.transcripts.unwrap_or_default();
            let mut joined: Option<transcripts::Transcript> = None;
            for file in &files {
                let vtt = self.client.transcripts().vtt_text(file).await?;
                let t = transcripts::healthie::transcript(&item.id, &vtt).map_err(|e| {
                    FetchError::Shape(format!(
                        "transcript {}: {e}",
                        file.id.as_deref().unwrap_or("?")
                    ))
                })?;
                joined = Some(match joined {
                    None => t,
                    Some(mut all) => {
                        all.segments.extend(t.segments);
                        all
                    }
                });
            }
            Ok(joined)
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
