//! [`RecordingTracker`]: the recording lifecycle of appointments, from their webhook events.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

use super::{EventType, ThinEvent};

/// How many appointments a [`RecordingTracker::default`] keeps.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// Where an appointment's recording is, judged from the events seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordingStatus {
    /// Only transcript-side events seen so far (for example `appointment.transcript_started`).
    Pending,
    /// `recording_started` seen, no later stage.
    Recording,
    /// `recording_stopped` (or `recording_completed`) seen: the transcript may still be
    /// processing.
    Processing,
    /// `transcript_available` seen.
    Complete,
    /// `transcript_failed` seen and no transcript became available.
    Failed,
}

/// The recording lifecycle of one appointment.
///
/// Deliveries may arrive late, twice, or out of order, so each stage keeps one instant by a
/// fixed rule: the **earliest** `recording_started`, the **latest** `recording_stopped` (a
/// recording paused and resumed stops more than once), the earliest `recording_completed`,
/// `transcript_started`, `transcript_available` (a real-time transcript comes before the
/// cloud-recording one) and `transcript_failed`. The status follows the furthest stage seen,
/// whatever the order of arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordingLifecycle {
    /// The appointment.
    pub appointment_id: String,
    /// `appointment.recording_started`.
    pub recording_started: Option<SystemTime>,
    /// `appointment.recording_stopped`.
    pub recording_stopped: Option<SystemTime>,
    /// `appointment.recording_completed`.
    pub recording_completed: Option<SystemTime>,
    /// `appointment.transcript_started`.
    pub transcript_started: Option<SystemTime>,
    /// `appointment.transcript_available`.
    pub transcript_available: Option<SystemTime>,
    /// `appointment.transcript_failed`.
    pub transcript_failed: Option<SystemTime>,
    /// How many lifecycle events were observed for this appointment, duplicates included.
    pub events_seen: u32,
}

impl RecordingLifecycle {
    fn new(appointment_id: &str) -> RecordingLifecycle {
        RecordingLifecycle {
            appointment_id: appointment_id.to_owned(),
            recording_started: None,
            recording_stopped: None,
            recording_completed: None,
            transcript_started: None,
            transcript_available: None,
            transcript_failed: None,
            events_seen: 0,
        }
    }

    /// The furthest stage seen.
    pub fn status(&self) -> RecordingStatus {
        if self.transcript_available.is_some() {
            RecordingStatus::Complete
        } else if self.transcript_failed.is_some() {
            RecordingStatus::Failed
        } else if self.recording_stopped.is_some() || self.recording_completed.is_some() {
            RecordingStatus::Processing
        } else if self.recording_started.is_some() {
            RecordingStatus::Recording
        } else {
            RecordingStatus::Pending
        }
    }

    /// The end of the recording: `recording_stopped`, else `recording_completed`.
    pub fn recording_end(&self) -> Option<SystemTime> {
        self.recording_stopped.or(self.recording_completed)
    }

    /// From the first `recording_started` to the recording's end
    /// ([`RecordingLifecycle::recording_end`]). `None` until both are known, or when the
    /// end is before the start (inconsistent times).
    pub fn recording_length(&self) -> Option<Duration> {
        let start = self.recording_started?;
        self.recording_end()?.duration_since(start).ok()
    }

    /// From the recording's end to the first `transcript_available`: how long the transcript
    /// took. `None` until both are known, or when the transcript came first (a real-time
    /// transcript can be ready before the recording stops).
    pub fn time_to_transcript(&self) -> Option<Duration> {
        let end = self.recording_end()?;
        self.transcript_available?.duration_since(end).ok()
    }

    /// The slot for `event_type` and whether it keeps the latest instant, or `None` for an
    /// event that is not part of the lifecycle.
    fn slot(&mut self, event_type: &EventType) -> Option<(&mut Option<SystemTime>, bool)> {
        Some(match event_type {
            EventType::AppointmentRecordingStarted => (&mut self.recording_started, false),
            EventType::AppointmentRecordingStopped => (&mut self.recording_stopped, true),
            EventType::AppointmentRecordingCompleted => (&mut self.recording_completed, false),
            EventType::AppointmentTranscriptStarted => (&mut self.transcript_started, false),
            EventType::AppointmentTranscriptAvailable => (&mut self.transcript_available, false),
            EventType::AppointmentTranscriptFailed => (&mut self.transcript_failed, false),
            _ => return None,
        })
    }
}

/// Whether an event is part of the recording lifecycle.
pub fn is_lifecycle_event(event_type: &EventType) -> bool {
    RecordingLifecycle::new("").slot(event_type).is_some()
}

/// What observing one event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Change {
    /// The first time this stage was seen for the appointment.
    New,
    /// The stage was known; this event moved its instant (an earlier start, a later stop).
    Updated,
    /// The stage was known and this event changed nothing (a repeated delivery).
    Duplicate,
    /// Not a recording-lifecycle event, or not about an appointment: nothing recorded.
    Ignored,
}

/// The result of [`RecordingTracker::observe`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Observation {
    /// What the event changed.
    pub change: Change,
    /// The event arrived after a later stage of the same appointment was already known (for
    /// example `recording_started` after `recording_stopped`). It is recorded all the same.
    pub out_of_order: bool,
    /// The appointment's lifecycle after the event (`None` when ignored).
    pub lifecycle: Option<RecordingLifecycle>,
}

/// The position of a stage in the lifecycle order.
fn rank(event_type: &EventType) -> u8 {
    match event_type {
        EventType::AppointmentRecordingStarted => 0,
        EventType::AppointmentRecordingStopped | EventType::AppointmentRecordingCompleted => 1,
        EventType::AppointmentTranscriptStarted => 2,
        _ => 3,
    }
}

fn furthest_rank(l: &RecordingLifecycle) -> Option<u8> {
    if l.transcript_available.is_some() || l.transcript_failed.is_some() {
        Some(3)
    } else if l.transcript_started.is_some() {
        Some(2)
    } else if l.recording_end().is_some() {
        Some(1)
    } else if l.recording_started.is_some() {
        Some(0)
    } else {
        None
    }
}

#[derive(Debug)]
struct Entry {
    lifecycle: RecordingLifecycle,
    tick: u64,
}

/// Follows the recording lifecycle of many appointments:
/// `recording_started` → `recording_stopped` → `transcript_available`, with the recording
/// length and the time to transcript ([`RecordingLifecycle`]).
///
/// Time comes from the caller (the delivery's arrival, or [`ThinEvent::event_time`]), never
/// from the wall clock. Memory is bounded: at most `capacity` appointments are kept, and
/// observing a new one when full forgets the least recently updated. Take an appointment out
/// with [`RecordingTracker::remove`] once it is complete.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use healthie_client::webhooks::{EventType, RecordingStatus, RecordingTracker};
/// let at = |s| UNIX_EPOCH + Duration::from_secs(s);
/// let mut tracker = RecordingTracker::new(100);
/// tracker.record("42", &EventType::AppointmentRecordingStarted, at(1_000));
/// tracker.record("42", &EventType::AppointmentRecordingStopped, at(1_900));
/// let done = tracker.record("42", &EventType::AppointmentTranscriptAvailable, at(2_020));
/// let lifecycle = done.lifecycle.unwrap();
/// assert_eq!(lifecycle.status(), RecordingStatus::Complete);
/// assert_eq!(lifecycle.recording_length(), Some(Duration::from_secs(900)));
/// assert_eq!(lifecycle.time_to_transcript(), Some(Duration::from_secs(120)));
/// ```
#[derive(Debug)]
pub struct RecordingTracker {
    capacity: usize,
    entries: HashMap<String, Entry>,
    order: BTreeMap<u64, String>,
    tick: u64,
    evicted: u64,
}

impl Default for RecordingTracker {
    fn default() -> Self {
        RecordingTracker::new(DEFAULT_CAPACITY)
    }
}

impl RecordingTracker {
    /// A tracker keeping at most `capacity` appointments (at least one).
    pub fn new(capacity: usize) -> RecordingTracker {
        RecordingTracker {
            capacity: capacity.max(1),
            entries: HashMap::new(),
            order: BTreeMap::new(),
            tick: 0,
            evicted: 0,
        }
    }

    /// The most appointments kept at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many appointments are kept now.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no appointment is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many appointments were forgotten to stay within the capacity.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// The lifecycle of `appointment_id`, if kept.
    pub fn get(&self, appointment_id: &str) -> Option<&RecordingLifecycle> {
        self.entries.get(appointment_id).map(|e| &e.lifecycle)
    }

    /// Forget `appointment_id`, returning its lifecycle.
    pub fn remove(&mut self, appointment_id: &str) -> Option<RecordingLifecycle> {
        let entry = self.entries.remove(appointment_id)?;
        self.order.remove(&entry.tick);
        Some(entry.lifecycle)
    }

    /// Observe a verified event at instant `at`. Events that are not about an appointment
    /// ([`ThinEvent::appointment_id`]) or not part of the recording lifecycle are ignored.
    pub fn observe(&mut self, event: &ThinEvent, at: SystemTime) -> Observation {
        match event.appointment_id() {
            Some(id) => self.record(id, &event.event_type, at),
            None => ignored(),
        }
    }

    /// Observe `event_type` for `appointment_id` at instant `at`.
    pub fn record(
        &mut self,
        appointment_id: &str,
        event_type: &EventType,
        at: SystemTime,
    ) -> Observation {
        if !is_lifecycle_event(event_type) {
            return ignored();
        }
        self.tick += 1;
        let tick = self.tick;
        if !self.entries.contains_key(appointment_id) {
            while self.entries.len() >= self.capacity {
                let Some((_, oldest)) = self.order.pop_first() else {
                    break;
                };
                self.entries.remove(&oldest);
                self.evicted += 1;
            }
        }
        let entry = self
            .entries
            .entry(appointment_id.to_owned())
            .or_insert_with(|| Entry {
                lifecycle: RecordingLifecycle::new(appointment_id),
                tick,
            });
        self.order.remove(&entry.tick);
        entry.tick = tick;
        self.order.insert(tick, appointment_id.to_owned());

        let lifecycle = &mut entry.lifecycle;
        let out_of_order = furthest_rank(lifecycle).is_some_and(|r| r > rank(event_type));
        lifecycle.events_seen = lifecycle.events_seen.saturating_add(1);
        let change = match lifecycle.slot(event_type) {
            None => Change::Ignored,
            Some((slot, keep_latest)) => match *slot {
                None => {
                    *slot = Some(at);
                    Change::New
                }
                Some(known) if (keep_latest && at > known) || (!keep_latest && at < known) => {
                    *slot = Some(at);
                    Change::Updated
                }
                Some(_) => Change::Duplicate,
            },
        };
        Observation {
            change,
            out_of_order,
            lifecycle: Some(lifecycle.clone()),
        }
    }
}

fn ignored() -> Observation {
    Observation {
        change: Change::Ignored,
        out_of_order: false,
        lifecycle: None,
    }
}
