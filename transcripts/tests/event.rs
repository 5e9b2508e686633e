//! The vendor-neutral event from each vendor's recorded, sample or documented deliveries:
//! signed as the vendor signs them, verified with [`Verifiers`], mapped to the meeting and
//! whether its transcript is ready.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
#![cfg(all(
    feature = "speakr",
    feature = "hedy",
    feature = "heilo",
    feature = "healthie"
))]

use std::time::{SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use transcripts::event::{EventError, EventKind, MeetingEvent, Verifiers};
use transcripts::source::MeetingSource;
use transcripts::{Segment, Source, Transcript, Vendor};

fn headers(pairs: Vec<(HeaderName, HeaderValue)>) -> HeaderMap {
    pairs.into_iter().collect()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// `(event type, meeting id, kind)` of a delivery, `None` for the id when it names no
/// meeting; the kind is `"ready"` or the event type.
type Row = (String, Option<String>, String);

fn row(event_type: &str, event: Option<&MeetingEvent>) -> Row {
    let kind = match event.map(|e| &e.kind) {
        Some(EventKind::TranscriptReady) => "ready".to_owned(),
        Some(EventKind::Other(t)) => t.clone(),
        Some(other) => format!("{other:?}"),
        None => "-".to_owned(),
    };
    (
        event_type.to_owned(),
        event.map(|e| e.meeting_id.clone()),
        kind,
    )
}

fn expected(rows: &[(&str, Option<&str>, &str)]) -> Vec<Row> {
    rows.iter()
        .map(|(t, id, k)| ((*t).to_owned(), id.map(str::to_owned), (*k).to_owned()))
        .collect()
}

const SESSION: &str = "sess_7Qm2xK9aL0";
const CALL: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

#[test]
fn speakr_recorded_deliveries_map_to_recordings() {
    use speakr_client::mock::{MockSpeakr, MOCK_WEBHOOK_SECRET};
    let verifiers =
        Verifiers::new().speakr(speakr_client::webhooks::Verifier::new(MOCK_WEBHOOK_SECRET));
    let mut rows = Vec::new();
    for d in MockSpeakr::deliveries().unwrap() {
        let signed = webhook_verify::speakr::sign_delivery(
            MOCK_WEBHOOK_SECRET,
            &d.delivery_id,
            &d.event_type,
            "2026-11-22T07:35:45.204352Z",
            &d.body,
        )
        .unwrap();
        let delivery = verifiers
            .verify(Vendor::Speakr, &headers(signed), &d.body)
            .unwrap();
        assert_eq!(delivery.vendor, Vendor::Speakr);
        assert_eq!(delivery.event_type, d.event_type);
        assert_eq!(delivery.idempotency_key, d.delivery_id);
        assert!(delivery.handshake.is_none());
        // The typed event converts the same way.
        let parsed = speakr_client::webhooks::parse(&d.body).unwrap();
        assert_eq!(MeetingEvent::try_from(&parsed).ok(), delivery.event);
        if let Some(e) = &delivery.event {
            assert_eq!(e.vendor, Vendor::Speakr);
            assert_eq!(e.transcript, None, "Speakr's events carry no transcript");
        }
        rows.push(row(&delivery.event_type, delivery.event.as_ref()));
    }
    let created = "recording.created";
    let started = "recording.transcription.started";
    let done = "recording.transcription.completed";
    assert_eq!(
        rows,
        expected(&[
            ("webhook.test", None, "-"),
            (created, Some("1"), created),
            (started, Some("1"), started),
            (done, Some("1"), "ready"),
            (created, Some("2"), created),
            (created, Some("3"), created),
            (started, Some("2"), started),
            (started, Some("3"), started),
            (created, Some("4"), created),
            (done, Some("2"), "ready"),
            (started, Some("4"), started),
            (done, Some("3"), "ready"),
            (done, Some("4"), "ready"),
            ("recording.updated", Some("1"), "recording.updated"),
            (started, Some("2"), started),
            (
                "recording.summary.completed",
                Some("3"),
                "recording.summary.completed"
            ),
            (done, Some("2"), "ready"),
            (started, Some("4"), started),
            (done, Some("4"), "ready"),
            ("webhook.test", None, "-"),
        ])
    );
}

#[test]
fn hedy_sample_deliveries_map_to_sessions() {
    use hedy_client::mock::{MockHedy, MOCK_WEBHOOK_SECRET};
    let verifiers =
        Verifiers::new().hedy(hedy_client::webhooks::Verifier::new([MOCK_WEBHOOK_SECRET]));
    let mut rows = Vec::new();
    for d in MockHedy::deliveries().unwrap() {
        let signed =
            webhook_verify::hedy::sign_event(MOCK_WEBHOOK_SECRET, d.event_type.as_str(), &d.body)
                .unwrap();
        let delivery = verifiers
            .verify(Vendor::Hedy, &headers(signed), &d.body)
            .unwrap();
        let parsed = hedy_client::webhooks::parse(&d.body).unwrap();
        assert_eq!(MeetingEvent::try_from(&parsed).ok(), delivery.event);
        if let Some(ready) = delivery.transcript_ready() {
            // `session.ended` carries the session with its transcript.
            let expected = Transcript::new(vec![Segment::new("Good morning everyone...")])
                .with_source(Source::new(Vendor::Hedy, SESSION));
            assert_eq!(ready.transcript.as_ref(), Some(&expected));
        }
        rows.push(row(&delivery.event_type, delivery.event.as_ref()));
    }
    let created = "session.created";
    let exported = "session.exported";
    let highlight = "highlight.created";
    let todo = "todo.exported";
    assert_eq!(
        rows,
        expected(&[
            (created, Some("sess_8Rt5yU3iO1"), created),
            (created, Some("sess_8Rt5yU3iO1"), created),
            ("session.ended", Some(SESSION), "ready"),
            ("session.ended", Some(SESSION), "ready"),
            (exported, Some(SESSION), exported),
            (exported, Some(SESSION), exported),
            (highlight, Some(SESSION), highlight),
            (highlight, Some(SESSION), highlight),
            (todo, Some(SESSION), todo),
            (todo, Some(SESSION), todo),
            ("session.summarized", Some(SESSION), "session.summarized"),
        ])
    );
}

#[test]
fn heilo_documented_deliveries_map_to_calls() {
    use heilo_client::mock::{MockHeilo, MOCK_WEBHOOK_SECRET};
    let verifiers =
        Verifiers::new().heilo(heilo_client::webhooks::Verifier::new([MOCK_WEBHOOK_SECRET]));
    let mut rows = Vec::new();
    for d in MockHeilo::deliveries().unwrap() {
        let signed = webhook_verify::heilo::sign_event(
            MOCK_WEBHOOK_SECRET,
            now(),
            &d.event_id,
            &d.event_type,
            &d.body,
        )
        .unwrap();
        let delivery = verifiers
            .verify(Vendor::Heilo, &headers(signed), &d.body)
            .unwrap();
        assert_eq!(delivery.idempotency_key, d.event_id);
        let parsed = heilo_client::webhooks::parse(&d.body).unwrap();
        assert_eq!(MeetingEvent::try_from(&parsed).ok(), delivery.event);
        if let Some(ready) = delivery.transcript_ready() {
            // `transcript_original` is the reference's `"..."`.
            let expected = Transcript::new(vec![Segment::new("...")])
                .with_source(Source::new(Vendor::Heilo, CALL));
            assert_eq!(ready.transcript.as_ref(), Some(&expected));
        }
        if d.event_type == "webhook.subscription.verify" {
            let reply = delivery.handshake.expect("the handshake answer");
            assert_eq!(reply.status(), StatusCode::OK);
            assert!(reply.body().contains("3q2+7w=="), "{}", reply.body());
        } else {
            assert!(delivery.handshake.is_none());
        }
        rows.push(row(&delivery.event_type, delivery.event.as_ref()));
    }
    let other = |t: &'static str| (t, Some(CALL), t);
    assert_eq!(
        rows,
        expected(&[
            ("call.completed", Some(CALL), "ready"),
            other("call.outbound.attempted"),
            other("call.recording.ready"),
            ("call.transcribed", Some(CALL), "ready"),
            other("call.failed"),
            other("call.outbound.lifecycle_repaired"),
            other("call.deletion_scheduled"),
            other("call.recording.deleted"),
            ("contact.created", None, "-"),
            ("contact.updated", None, "-"),
            // The test delivery's call is a sample, not a meeting.
            ("webhook.test", None, "-"),
            ("webhook.subscription.verify", None, "-"),
        ])
    );
}

#[test]
fn healthie_deliveries_map_to_appointments() {
    use healthie_client::mock::{Delivery, MOCK_WEBHOOK_SECRET};
    use healthie_client::webhooks::{Dialect, EventType, ThinEvent};
    const URL: &str = "https://receiver.example/healthie";
    let verifiers = Verifiers::new().healthie(healthie_client::webhooks::Verifier::new(
        [MOCK_WEBHOOK_SECRET],
        "POST",
        "/healthie",
    ));
    // The mock's delivery log (`sentWebhooks`), plus a patient event and a bare body.
    let events = [
        ThinEvent::new(
            EventType::AppointmentTranscriptAvailable,
            "Appointment",
            "1001",
        ),
        ThinEvent::new(EventType::AppointmentUpdated, "Appointment", "1002")
            .with_changed_fields(["pm_status"]),
        ThinEvent::new(
            EventType::AppointmentRecordingStarted,
            "Appointment",
            "1001",
        ),
        ThinEvent::new(
            EventType::AppointmentRecordingStopped,
            "Appointment",
            "1001",
        ),
        ThinEvent::new(
            EventType::AppointmentTranscriptFailed,
            "Appointment",
            "1003",
        ),
        ThinEvent::new(EventType::PatientCreated, "User", "5001"),
    ];
    let mut rows = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let dialect = [Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421][i % 3];
        let d = Delivery::for_event(event)
            .signed(MOCK_WEBHOOK_SECRET, dialect, URL, now())
            .unwrap();
        let delivery = verifiers
            .verify(Vendor::Healthie, &d.headers, &d.body)
            .unwrap();
        assert_eq!(MeetingEvent::try_from(event).ok(), delivery.event);
        assert_eq!(delivery.idempotency_key.len(), 64, "the body's SHA-256");
        rows.push(row(&delivery.event_type, delivery.event.as_ref()));
    }
    // Healthie's numeric id, without `resource_id_type`.
    let body = br#"{"resource_id":1004,"event_type":"appointment.transcript_available","changed_fields":[]}"#;
    let d = healthie_client::mock::SignedDelivery::new(
        MOCK_WEBHOOK_SECRET,
        Dialect::Legacy,
        URL,
        &body[..],
        now(),
    )
    .unwrap();
    let delivery = verifiers
        .verify(Vendor::Healthie, &d.headers, &d.body)
        .unwrap();
    rows.push(row(&delivery.event_type, delivery.event.as_ref()));
    assert_eq!(
        rows,
        expected(&[
            ("appointment.transcript_available", Some("1001"), "ready"),
            ("appointment.updated", Some("1002"), "appointment.updated"),
            (
                "appointment.recording_started",
                Some("1001"),
                "appointment.recording_started"
            ),
            (
                "appointment.recording_stopped",
                Some("1001"),
                "appointment.recording_stopped"
            ),
            (
                "appointment.transcript_failed",
                Some("1003"),
                "appointment.transcript_failed"
            ),
            ("patient.created", None, "-"),
            ("appointment.transcript_available", Some("1004"), "ready"),
        ])
    );
}

#[test]
fn rejected_deliveries_say_what_to_answer() {
    use hedy_client::mock::MockHedy;
    let sample = &MockHedy::deliveries().unwrap()[2];
    let signed = webhook_verify::hedy::sign_event(
        "another-secret",
        sample.event_type.as_str(),
        &sample.body,
    )
    .unwrap();
    let verifiers = Verifiers::new().hedy(hedy_client::webhooks::Verifier::new(["whsec_mine"]));

    let e = verifiers
        .verify(Vendor::Hedy, &headers(signed.clone()), &sample.body)
        .unwrap_err();
    assert!(matches!(e, EventError::Rejected { .. }), "{e:?}");
    assert_eq!(e.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(e.vendor(), Vendor::Hedy);
    assert!(e.to_string().starts_with("hedy webhook rejected"), "{e}");

    let e = verifiers
        .verify(Vendor::Speakr, &headers(signed), &sample.body)
        .unwrap_err();
    assert!(matches!(e, EventError::NotConfigured(Vendor::Speakr)));
    assert_eq!(e.status(), StatusCode::NOT_FOUND);
    assert!(verifiers.has(Vendor::Hedy) && !verifiers.has(Vendor::Heilo));
    assert_eq!(format!("{verifiers:?}"), "Verifiers { configured: [Hedy] }");
}

/// What a "transcript ready" delivery of each vendor turns into: the carried transcript, or
/// the one fetched from the vendor's mock through the source. The same code for all four.
async fn ready_transcript(
    verifiers: &Verifiers,
    source: &dyn MeetingSource,
    headers: &HeaderMap,
    body: &[u8],
) -> Transcript {
    let delivery = verifiers.verify(source.vendor(), headers, body).unwrap();
    let ready = delivery
        .transcript_ready()
        .expect("a transcript-ready event");
    assert_eq!(ready.vendor, source.vendor());
    match &ready.transcript {
        Some(carried) => carried.clone(),
        None => source
            .transcript(&ready.meeting_id)
            .await
            .unwrap()
            .expect("a transcript"),
    }
}

#[tokio::test]
async fn one_handler_turns_each_vendors_ready_event_into_its_transcript() {
    use healthie_client::webhooks::{Dialect, EventType, ThinEvent};
    use hedy_client::webhooks::{BodyForm, EventType as HedyEvent};

    let speakr = speakr_client::mock::MockSpeakr::start().await;
    let hedy = hedy_client::mock::MockHedy::start().await;
    let heilo = heilo_client::mock::MockHeilo::start().await;
    let healthie = healthie_client::mock::MockHealthie::start().await;
    let verifiers = Verifiers::new()
        .speakr(speakr_client::webhooks::Verifier::new(
            speakr.webhook_secret(),
        ))
        .hedy(hedy_client::webhooks::Verifier::new(
            [hedy.webhook_secret()],
        ))
        .heilo(heilo_client::webhooks::Verifier::new([
            heilo.webhook_secret()
        ]))
        .healthie(healthie_client::webhooks::Verifier::new(
            [healthie.webhook_secret()],
            "POST",
            "/hooks/healthie",
        ));

    // Speakr: `recording.transcription.completed` for recording 1, fetched.
    let d = speakr_client::mock::MockSpeakr::deliveries().unwrap()[3].clone();
    let h = webhook_verify::speakr::sign_delivery(
        speakr.webhook_secret(),
        &d.delivery_id,
        &d.event_type,
        "2026-11-22T07:35:52.232928Z",
        &d.body,
    )
    .unwrap();
    let t = ready_transcript(&verifiers, &speakr.client().unwrap(), &headers(h), &d.body).await;
    assert_eq!(t.speakers(), ["SPEAKER_00", "SPEAKER_01"]);
    assert_eq!(t.source, Some(Source::new(Vendor::Speakr, "1")));

    // Hedy: `session.ended`, carried.
    let d =
        hedy_client::mock::MockHedy::delivery(&HedyEvent::SessionEnded, BodyForm::Flat).unwrap();
    let h =
        webhook_verify::hedy::sign_event(hedy.webhook_secret(), "session.ended", &d.body).unwrap();
    let t = ready_transcript(&verifiers, &hedy.client().unwrap(), &headers(h), &d.body).await;
    assert_eq!(t.to_text(), "Good morning everyone...\n");

    // Heilo: `call.completed`, carried.
    let d = heilo_client::mock::MockHeilo::delivery("call.completed").unwrap();
    let h = webhook_verify::heilo::sign_event(
        heilo.webhook_secret(),
        now(),
        &d.event_id,
        &d.event_type,
        &d.body,
    )
    .unwrap();
    let t = ready_transcript(&verifiers, &heilo.client().unwrap(), &headers(h), &d.body).await;
    assert_eq!(t.source, Some(Source::new(Vendor::Heilo, CALL)));

    // Healthie: `appointment.transcript_available`, fetched: the appointment, then its VTT.
    let event = ThinEvent::new(
        EventType::AppointmentTranscriptAvailable,
        "Appointment",
        "1001",
    );
    let d = healthie_client::mock::Delivery::for_event(&event)
        .signed(
            healthie.webhook_secret(),
            Dialect::Rfc9421,
            "http://127.0.0.1/hooks/healthie",
            now(),
        )
        .unwrap();
    let t = ready_transcript(&verifiers, &healthie.client().unwrap(), &d.headers, &d.body).await;
    assert_eq!(t.speakers(), ["Dana Reyes", "Ari Client"]);
    assert_eq!(t.segments.len(), 3);
    assert!(t.is_timed());

    // Nothing was fetched for the vendors whose deliveries carry the transcript.
    assert!(hedy.server().received_requests().await.unwrap().is_empty());
    assert!(heilo.server().received_requests().await.unwrap().is_empty());
    assert_eq!(speakr.server().received_requests().await.unwrap().len(), 1);
    assert_eq!(
        healthie.server().received_requests().await.unwrap().len(),
        2
    );
}
