//! [`MeetingSource`] for Healthie: appointments and their AI-Scribe transcripts.

use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use futures::future::ready;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use healthie_client::types::TranscriptType;
use healthie_client::{HealthieClient, Schema, Transcript as HealthieTranscript};

use super::{MeetingSource, SourceError, Window};
use crate::model::{Meeting, Source, Transcript, Vendor};

const VENDOR: Vendor = Vendor::Healthie;

/// Healthie through its client.
#[async_trait]
impl MeetingSource for HealthieClient {
    fn vendor(&self) -> Vendor {
        VENDOR
    }

    /// `query Appointments`, page after page. A window with both ends is sent as
    /// `startDate`/`endDate` (Healthie takes them only together): the instants
    /// `FIRSTT00:00:00Z` and `DAY_AFTER_LASTT00:00:00Z` from `2026-01-01`, the dates
    /// `FIRST` and `DAY_AFTER_LAST` on the baseline schema. Each appointment's `date` is then
    /// checked against the exact window.
    fn meetings(&self, window: Window) -> BoxStream<'static, Result<Meeting, SourceError>> {
        let mut list = self.appointments().list();
        let bounds = match self.api_version().schema() {
            Schema::Baseline => (window.first_day(), window.day_after_last()),
            Schema::Connections => (window.start_instant(), window.end_instant_exclusive()),
        };
        if let (Some(start), Some(end)) = bounds {
            list = list.between(start, end);
        }
        list.into_stream()
            .map_err(|e| SourceError::api(VENDOR, None, e))
            .try_filter(move |a| {
                ready(window.contains_opt(a.date.as_ref().and_then(|t| t.to_system_time())))
            })
            .map_ok(|a| crate::healthie::meeting(&a))
            .boxed()
    }

    /// `query Appointment(id)`, the appointment kept as received in [`Meeting::raw`]. Its
    /// transcripts' `expiring_url`s in `raw` expire within minutes.
    async fn meeting(&self, id: &str) -> Result<Meeting, SourceError> {
        let record = self
            .appointments()
            .get(id)
            .send_json()
            .await
            .and_then(|r| r.into_result())
            .map_err(|e| SourceError::api(VENDOR, Some(id), e))?;
        crate::healthie::meeting_from_json(record)
            .map_err(|e| SourceError::convert(VENDOR, Some(id), e))
    }

    /// The appointment's completed AI-Scribe transcripts (`query Appointment(id)`, which
    /// needs API version `2026-01-01`), each WebVTT file downloaded at once from its
    /// `expiring_url` with `transcripts().vtt_text`: a plain `GET` of the pre-signed URL that
    /// sends no API key, no `AuthorizationSource` and no other credential (the URL carries
    /// its own authorization), and parsed strictly.
    ///
    /// When the appointment has a `processed_recording` transcript, those are used, else
    /// the live captures; several of one kind are joined in order of `transcript_start`,
    /// the later ones' times shifted by how much later they started. `None` when the
    /// appointment has no completed transcript.
    async fn transcript(&self, id: &str) -> Result<Option<Transcript>, SourceError> {
        if self.api_version().schema() == Schema::Baseline {
            return Err(SourceError::api(
                VENDOR,
                Some(id),
                client_core::Error::new(
                    client_core::ErrorKind::InvalidRequest,
                    "Healthie serves transcripts only from API version 2026-01-01; the client \
                     uses the unversioned baseline schema",
                ),
            ));
        }
        let appointment = self
            .appointments()
            .get(id)
            .send()
            .await
            .map_err(|e| SourceError::api(VENDOR, Some(id), e))?;
        let chosen = choose(appointment.transcripts.unwrap_or_default());
        let mut parts = Vec::with_capacity(chosen.len());
        for t in &chosen {
            let vtt = self
                .transcripts()
                .vtt_text(t)
                .await
                .map_err(|e| SourceError::api(VENDOR, Some(id), e))?;
            let parsed = crate::healthie::transcript(id, &vtt)
                .map_err(|e| SourceError::convert(VENDOR, Some(id), e))?;
            parts.push((start_of(t), parsed));
        }
        Ok(join(id, parts))
    }

    /// Healthie keeps no summary the API serves: always `None`, without a request.
    async fn summary(&self, _id: &str) -> Result<Option<String>, SourceError> {
        Ok(None)
    }
}

/// The transcripts to read: the processed recordings when there are any, else the rest,
/// in order of `transcript_start` (those without one last, in Healthie's order).
fn choose(transcripts: Vec<HealthieTranscript>) -> Vec<HealthieTranscript> {
    let processed = |t: &HealthieTranscript| {
        t.transcript_type.as_ref() == Some(&TranscriptType::ProcessedRecording)
    };
    let any_processed = transcripts.iter().any(processed);
    let mut chosen: Vec<HealthieTranscript> = transcripts
        .into_iter()
        .filter(|t| t.expiring_url.is_some() && (!any_processed || processed(t)))
        .collect();
    chosen.sort_by_key(|t| (start_of(t).is_none(), start_of(t)));
    chosen
}

fn start_of(t: &HealthieTranscript) -> Option<SystemTime> {
    t.transcript_start.as_ref().and_then(|s| s.to_system_time())
}

/// The parts as one transcript: segments in order, each later part's times shifted by the
/// time between its start and the first part's.
fn join(id: &str, parts: Vec<(Option<SystemTime>, Transcript)>) -> Option<Transcript> {
    let first_start = parts.first().and_then(|(start, _)| *start);
    let mut segments = Vec::new();
    for (start, part) in parts {
        let shift = match (first_start, start) {
            (Some(first), Some(start)) => start.duration_since(first).unwrap_or_default(),
            _ => Duration::ZERO,
        };
        segments.extend(part.segments.into_iter().map(|mut s| {
            s.start = s.start.map(|t| t.saturating_add(shift));
            s.end = s.end.map(|t| t.saturating_add(shift));
            s
        }));
    }
    (!segments.is_empty()).then(|| Transcript::new(segments).with_source(Source::new(VENDOR, id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Segment;

    #[test]
    fn later_parts_are_shifted_by_their_start() {
        let at = |s: &str| client_core::Timestamp::from(s).to_system_time();
        let seg = |a, b, text: &str| {
            Segment::new(text).with_times(Duration::from_secs(a), Duration::from_secs(b))
        };
        let joined = join(
            "7",
            vec![
                (
                    at("2026-11-02T20:00:00Z"),
                    Transcript::new(vec![seg(1, 2, "one")]),
                ),
                (
                    at("2026-11-02T20:10:00Z"),
                    Transcript::new(vec![seg(1, 2, "two")]),
                ),
            ],
        )
        .unwrap();
        assert_eq!(joined.segments[1].start, Some(Duration::from_secs(601)));
        assert_eq!(joined.segments[0].end, Some(Duration::from_secs(2)));
        assert_eq!(joined.source, Some(Source::new(Vendor::Healthie, "7")));
        assert_eq!(join("7", Vec::new()), None);
    }
}
