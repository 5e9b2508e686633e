//! The Healthie part of the tour (driven by healthie-client's mock GraphQL endpoint, which
//! answers with fixtures constructed from Healthie's published schema: no Healthie server has
//! been observed).

use futures::TryStreamExt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use healthie_client::mock::Delivery;
use healthie_client::mock::{MockHealthie, MOCK_WEBHOOK_SECRET};
use healthie_client::webhooks::{
    verify_and_parse, Dialect, EventType, RecordingTracker, ThinEvent, Verifier,
};
use wiremock::ResponseTemplate;

pub async fn run() -> super::TourResult {
    println!(
        "== healthie-client: the Healthie GraphQL API (mock, fixtures constructed from the schema)"
    );
    let mock = MockHealthie::start().await;
    let healthie = mock.client()?;

    // Every appointment, two per page: connection pagination (first/after) on 2026-01-01.
    let appointments: Vec<_> = healthie
        .appointments()
        .list()
        .filter("past")
        .page_size(2)
        .into_stream()
        .try_collect()
        .await?;
    println!(
        "streamed {} appointments over 3 pages (API version {}):",
        appointments.len(),
        healthie.api_version().header_value().unwrap_or("baseline")
    );
    for a in &appointments {
        println!(
            "  {} {}  {:<12} {}",
            a.id,
            a.date.as_ref().map(|d| d.as_str()).unwrap_or("?"),
            a.pm_status.as_deref().unwrap_or("-"),
            a.user
                .as_ref()
                .and_then(|u| u.full_name.as_deref())
                .unwrap_or("?")
        );
    }
    // The same stream on the unversioned baseline pages by offset.
    let baseline = mock.baseline_client()?;
    let count = baseline
        .appointments()
        .list()
        .page_size(2)
        .into_stream()
        .try_collect::<Vec<_>>()
        .await?
        .len();
    println!("baseline schema (offset/page_size): {count} appointments");

    // One appointment with its AI-Scribe transcript, and the VTT from its expiring URL.
    let appointment = healthie.appointments().get("1001").send().await?;
    for transcript in appointment.transcripts.iter().flatten() {
        let vtt = healthie.transcripts().vtt_text(transcript).await?;
        println!(
            "transcript {} ({:?}, {:?}): {} lines of VTT, first cue: {:?}",
            transcript.id.as_deref().unwrap_or("?"),
            transcript.transcript_type.as_ref().map(|t| t.as_str()),
            transcript.status.as_ref().map(|s| s.as_str()),
            vtt.lines().count(),
            vtt.lines().find(|l| l.starts_with("<v ")).unwrap_or("")
        );
    }

    // A GraphQL error, decoded: a cost refusal (no code, recognised by its message).
    let body = MockHealthie::error_body("complexity").ok_or("no fixture")?;
    mock.fail_next(
        "Appointments",
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
        1,
    )
    .await;
    match healthie.appointments().list().send().await {
        Ok(page) => println!("unexpected: {} appointments", page.items.len()),
        Err(e) => println!(
            "error decoded: kind {:?}, retryable {}, message {:?}",
            e.kind(),
            e.is_retryable(),
            e.message().unwrap_or_default()
        ),
    }

    // Webhook management: subscribe to the AI-Scribe transcript event.
    let webhook = healthie
        .webhooks()
        .create(
            "https://receiver.example/hooks/healthie",
            [EventType::AppointmentTranscriptAvailable],
        )
        .send()
        .await?;
    println!(
        "subscribed webhook {} to {:?} (secret {:?})",
        webhook.id,
        webhook
            .event_types()
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>(),
        webhook.signature_secret
    );

    // Signed deliveries, one per dialect, verified then parsed; the verified event leads to
    // its appointment. The recording lifecycle is tracked from the three AI-Scribe events.
    let registered = "/hooks/healthie";
    let verifier = Verifier::new(MOCK_WEBHOOK_SECRET, "POST", registered);
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let mut tracker = RecordingTracker::default();
    let start = SystemTime::now();
    let stages = [
        (EventType::AppointmentRecordingStarted, Dialect::Legacy, 0),
        (EventType::AppointmentRecordingStopped, Dialect::Guide, 1800),
        (
            EventType::AppointmentTranscriptAvailable,
            Dialect::Rfc9421,
            1920,
        ),
    ];
    for (event_type, dialect, offset) in stages {
        let event = ThinEvent::new(event_type, "Appointment", "1001");
        let delivery =
            Delivery::for_event(&event).signed(MOCK_WEBHOOK_SECRET, dialect, registered, now)?;
        let verified = verify_and_parse(&verifier, &delivery.headers, &delivery.body)?;
        let seen = tracker.observe(&verified.event, start + Duration::from_secs(offset));
        println!(
            "delivery verified: {} in the {:?} dialect, key {}…, recording {:?}",
            verified.event.event_type,
            verified.dialect.ok_or("no dialect")?,
            verified.idempotency_key.get(..12).unwrap_or_default(),
            seen.lifecycle.map(|l| l.status())
        );
    }
    let lifecycle = tracker.get("1001").ok_or("not tracked")?;
    println!(
        "recording of appointment 1001: {:?} long, transcript {:?} after the recording stopped",
        lifecycle.recording_length().unwrap_or_default(),
        lifecycle.time_to_transcript().unwrap_or_default()
    );
    let last = ThinEvent::new(
        EventType::AppointmentTranscriptAvailable,
        "Appointment",
        "1001",
    );
    let appointment = healthie.appointments().for_event(&last)?.send().await?;
    println!(
        "the event's appointment: {} with {} transcript(s)",
        appointment.id,
        appointment.transcripts.iter().flatten().count()
    );
    Ok(())
}
