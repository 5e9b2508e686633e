//! The recording-lifecycle tracker: recording_started → recording_stopped →
//! transcript_available, with durations, in and out of order, with duplicates, failures and
//! a bounded memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use healthie_client::webhooks::{Change, EventType, RecordingStatus, RecordingTracker, ThinEvent};

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

const STARTED: EventType = EventType::AppointmentRecordingStarted;
const STOPPED: EventType = EventType::AppointmentRecordingStopped;
const AVAILABLE: EventType = EventType::AppointmentTranscriptAvailable;

#[test]
fn lifecycle_in_order() {
    let mut t = RecordingTracker::new(10);
    let o = t.record("42", &STARTED, at(1_000));
    assert_eq!(o.change, Change::New);
    assert!(!o.out_of_order);
    let l = o.lifecycle.unwrap();
    assert_eq!(l.status(), RecordingStatus::Recording);
    assert_eq!(l.recording_length(), None);

    let l = t.record("42", &STOPPED, at(1_900)).lifecycle.unwrap();
    assert_eq!(l.status(), RecordingStatus::Processing);
    assert_eq!(l.recording_length(), Some(Duration::from_secs(900)));
    assert_eq!(l.time_to_transcript(), None);

    let o = t.record("42", &AVAILABLE, at(5_500));
    assert_eq!(o.change, Change::New);
    let l = o.lifecycle.unwrap();
    assert_eq!(l.status(), RecordingStatus::Complete);
    assert_eq!(l.recording_started, Some(at(1_000)));
    assert_eq!(l.recording_stopped, Some(at(1_900)));
    assert_eq!(l.transcript_available, Some(at(5_500)));
    assert_eq!(l.recording_length(), Some(Duration::from_secs(900)));
    assert_eq!(l.time_to_transcript(), Some(Duration::from_secs(3_600)));
    assert_eq!(l.events_seen, 3);
    assert_eq!(t.get("42"), Some(&l));
    assert_eq!(t.len(), 1);
}

#[test]
fn lifecycle_out_of_order() {
    let mut t = RecordingTracker::new(10);
    // The transcript arrives first, then the stop, then the start.
    let o = t.record("7", &AVAILABLE, at(5_000));
    assert!(!o.out_of_order);
    assert_eq!(o.lifecycle.unwrap().status(), RecordingStatus::Complete);
    let o = t.record("7", &STOPPED, at(2_000));
    assert!(o.out_of_order);
    assert_eq!(o.change, Change::New);
    let o = t.record("7", &STARTED, at(1_400));
    assert!(o.out_of_order);
    let l = o.lifecycle.unwrap();
    assert_eq!(l.status(), RecordingStatus::Complete);
    assert_eq!(l.recording_length(), Some(Duration::from_secs(600)));
    assert_eq!(l.time_to_transcript(), Some(Duration::from_secs(3_000)));

    // Inconsistent instants give no duration rather than a wrong one.
    let l = t.record("8", &STOPPED, at(100)).lifecycle.unwrap();
    assert_eq!(l.status(), RecordingStatus::Processing);
    let l = t.record("8", &STARTED, at(200)).lifecycle.unwrap();
    assert_eq!(l.recording_length(), None);
    // A real-time transcript ready before the stop: no time to transcript.
    t.record("9", &STARTED, at(0));
    t.record("9", &AVAILABLE, at(50));
    let l = t.record("9", &STOPPED, at(60)).lifecycle.unwrap();
    assert_eq!(l.recording_length(), Some(Duration::from_secs(60)));
    assert_eq!(l.time_to_transcript(), None);
}

#[test]
fn lifecycle_duplicates_and_repeats() {
    let mut t = RecordingTracker::new(10);
    t.record("1", &STARTED, at(1_000));
    // The same delivery again.
    let o = t.record("1", &STARTED, at(1_000));
    assert_eq!(o.change, Change::Duplicate);
    // A later start (a resumed recording) keeps the first.
    assert_eq!(t.record("1", &STARTED, at(1_300)).change, Change::Duplicate);
    // An earlier one (a late delivery) moves it back.
    assert_eq!(t.record("1", &STARTED, at(900)).change, Change::Updated);
    t.record("1", &STOPPED, at(1_200));
    // Stopped again later (after a resume): the latest stop counts.
    assert_eq!(t.record("1", &STOPPED, at(1_500)).change, Change::Updated);
    assert_eq!(t.record("1", &STOPPED, at(1_400)).change, Change::Duplicate);
    t.record("1", &AVAILABLE, at(1_600));
    // A second transcript (cloud after real-time) keeps the first.
    let o = t.record("1", &AVAILABLE, at(9_000));
    assert_eq!(o.change, Change::Duplicate);
    let l = o.lifecycle.unwrap();
    assert_eq!(l.recording_length(), Some(Duration::from_secs(600)));
    assert_eq!(l.time_to_transcript(), Some(Duration::from_secs(100)));
    assert_eq!(l.events_seen, 9);
}

#[test]
fn lifecycle_failures_and_other_stages() {
    let mut t = RecordingTracker::new(10);
    let l = t
        .record("3", &EventType::AppointmentTranscriptStarted, at(10))
        .lifecycle
        .unwrap();
    assert_eq!(l.status(), RecordingStatus::Pending);
    let l = t
        .record("3", &EventType::AppointmentRecordingCompleted, at(20))
        .lifecycle
        .unwrap();
    assert_eq!(l.status(), RecordingStatus::Processing);
    assert_eq!(l.recording_end(), Some(at(20)));
    let l = t
        .record("3", &EventType::AppointmentTranscriptFailed, at(30))
        .lifecycle
        .unwrap();
    assert_eq!(l.status(), RecordingStatus::Failed);
    let l = t.record("3", &AVAILABLE, at(40)).lifecycle.unwrap();
    assert_eq!(l.status(), RecordingStatus::Complete);
    assert_eq!(l.time_to_transcript(), Some(Duration::from_secs(20)));
}

#[test]
fn lifecycle_ignores_other_events() {
    let mut t = RecordingTracker::default();
    for other in [
        EventType::AppointmentUpdated,
        EventType::AppointmentParticipantJoined,
        EventType::Unknown("appointment.recording_paused".into()),
    ] {
        let o = t.record("1", &other, at(1));
        assert_eq!(o.change, Change::Ignored);
        assert_eq!(o.lifecycle, None);
    }
    // Not about an appointment.
    let user = ThinEvent::new(STARTED, "User", "1");
    assert_eq!(t.observe(&user, at(1)).change, Change::Ignored);
    assert!(t.is_empty());
    // About one: recorded under its id.
    let appointment = ThinEvent::new(STARTED, "Appointment", "55");
    assert_eq!(t.observe(&appointment, at(1)).change, Change::New);
    assert_eq!(t.get("55").unwrap().recording_started, Some(at(1)));
}

#[test]
fn lifecycle_memory_is_bounded() {
    let mut t = RecordingTracker::new(3);
    assert_eq!(t.capacity(), 3);
    for id in ["a", "b", "c"] {
        t.record(id, &STARTED, at(1));
    }
    // Touch "a": "b" is now the least recently updated.
    t.record("a", &STOPPED, at(2));
    t.record("d", &STARTED, at(3));
    assert_eq!(t.len(), 3);
    assert_eq!(t.evicted(), 1);
    assert!(t.get("b").is_none());
    assert!(t.get("a").is_some() && t.get("c").is_some() && t.get("d").is_some());
    for i in 0..1_000 {
        t.record(&format!("x{i}"), &STARTED, at(i));
    }
    assert_eq!(t.len(), 3);
    assert_eq!(t.evicted(), 1_001);
    let removed = t.remove("x999").unwrap();
    assert_eq!(removed.appointment_id, "x999");
    assert_eq!(t.len(), 2);
    assert!(t.remove("x999").is_none());
    // Capacity zero means one.
    let mut one = RecordingTracker::new(0);
    one.record("p", &STARTED, at(1));
    one.record("q", &STARTED, at(1));
    assert_eq!(one.len(), 1);
    assert!(one.get("q").is_some());
}
