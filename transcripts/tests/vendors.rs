//! Conversions from each vendor's recorded or documented fixtures: speakers, times and text
//! of the segments, and the meeting fields.
#![cfg(any(
    feature = "speakr",
    feature = "healthie",
    feature = "hedy",
    feature = "heilo"
))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::PathBuf;
use std::time::Duration;

use transcripts::{Segment, Source, Vendor};

fn fixture(path: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(path)).unwrap()
}

/// A recorded capture's response body.
#[cfg(feature = "speakr")]
fn body(name: &str) -> serde_json::Value {
    json(&format!("tests/fixtures/{name}"))["body"].clone()
}

#[cfg(any(feature = "speakr", feature = "healthie", feature = "hedy"))]
fn ms(n: u64) -> Option<Duration> {
    Some(Duration::from_millis(n))
}

fn seg(
    speaker: Option<&str>,
    start: Option<Duration>,
    end: Option<Duration>,
    text: &str,
) -> Segment {
    let mut s = Segment::new(text);
    s.speaker = speaker.map(str::to_owned);
    s.start = start;
    s.end = end;
    s
}

#[cfg(feature = "speakr")]
mod speakr {
    use speakr_client::recordings::{Recording, Transcript as SpeakrTranscript};
    use transcripts::ConvertError;

    use super::*;

    fn quarterly_sync() -> Vec<Segment> {
        vec![
            seg(
                Some("SPEAKER_00"),
                ms(0),
                ms(800),
                "Hello and welcome to the quarterly sync.",
            ),
            seg(
                Some("SPEAKER_01"),
                ms(800),
                ms(1600),
                "Thanks, let's review the roadmap.",
            ),
        ]
    }

    #[test]
    fn segment_json() {
        let t: SpeakrTranscript =
            serde_json::from_value(body("speakr_recording_transcript_json.json")).unwrap();
        let t = transcripts::speakr::transcript(1, &t).unwrap();
        assert_eq!(t.segments, quarterly_sync());
        assert_eq!(t.source, Some(Source::new(Vendor::Speakr, "1")));
        assert_eq!(t.speakers(), ["SPEAKER_00", "SPEAKER_01"]);
    }

    #[test]
    fn srt_rendering_with_voice_spans() {
        let t: SpeakrTranscript =
            serde_json::from_value(body("speakr_recording_transcript_srt.json")).unwrap();
        let t = transcripts::speakr::transcript(1, &t).unwrap();
        assert_eq!(t.segments, quarterly_sync());
    }

    #[test]
    fn text_rendering_with_bracketed_speakers() {
        let t: SpeakrTranscript =
            serde_json::from_value(body("speakr_recording_transcript_text.json")).unwrap();
        let t = transcripts::speakr::transcript(1, &t).unwrap();
        let untimed: Vec<Segment> = quarterly_sync()
            .into_iter()
            .map(|mut s| {
                s.start = None;
                s.end = None;
                s
            })
            .collect();
        assert_eq!(t.segments, untimed);
    }

    #[test]
    fn failed_transcription_is_an_error() {
        let t: SpeakrTranscript =
            serde_json::from_value(body("speakr_recording_failed_transcript_json.json")).unwrap();
        match transcripts::speakr::transcript(3, &t) {
            Err(ConvertError::TranscriptionFailed(m)) => {
                assert_eq!(m, "Could not connect to the transcription service.")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn recording_detail_as_meeting_and_transcript() {
        let raw = body("speakr_recording_get.json");
        let m = transcripts::speakr::meeting_from_json(raw.clone()).unwrap();
        assert_eq!(m.vendor, Vendor::Speakr);
        assert_eq!(m.id, "1");
        assert_eq!(m.title.as_deref(), Some("Test Upload"));
        // `meeting_date` carries no offset: read as UTC.
        assert_eq!(m.start.as_deref(), Some("2026-11-20T10:00:00Z"));
        assert_eq!(m.duration, ms(2038));
        assert!(m.participants.is_empty());
        assert_eq!(
            m.summary.as_deref(),
            Some("## Summary\n\n- Quarterly sync held.\n- Roadmap reviewed.")
        );
        assert_eq!(m.raw, raw);

        // The detail shape carries the rendered text.
        let r: Recording = serde_json::from_value(raw).unwrap();
        let t = transcripts::speakr::transcript_from_recording(&r)
            .unwrap()
            .unwrap();
        assert_eq!(t.speakers(), ["SPEAKER_00", "SPEAKER_01"]);
        assert_eq!(t.segments[1].text, "Thanks, let's review the roadmap.");
        assert_eq!(transcripts::Meeting::from(&r).raw, serde_json::Value::Null);
    }

    #[test]
    fn full_shape_carries_the_segment_json() {
        let raw = body("speakr_recording_regenerate_title.json")["recording"].clone();
        let r: Recording = serde_json::from_value(raw.clone()).unwrap();
        let t = transcripts::speakr::transcript_from_recording(&r)
            .unwrap()
            .unwrap();
        assert_eq!(t.segments, quarterly_sync());
        let m = transcripts::speakr::meeting_from_json(raw).unwrap();
        assert_eq!(m.title.as_deref(), Some("Quarterly Roadmap Sync"));
        assert_eq!(m.start.as_deref(), Some("2026-11-22T07:36:16Z"));
        assert_eq!(m.duration, ms(1045));
    }
}

#[cfg(feature = "healthie")]
mod healthie {
    use super::*;

    #[test]
    fn ai_scribe_vtt() {
        let vtt = fixture("../healthie-client/fixtures/constructed/transcript.vtt");
        let t = transcripts::healthie::transcript("1001", &vtt).unwrap();
        assert_eq!(
            t.segments,
            [
                seg(
                    Some("Dana Reyes"),
                    ms(1000),
                    ms(4200),
                    "Good afternoon, how have you been since the last visit?"
                ),
                seg(
                    Some("Ari Client"),
                    ms(4800),
                    ms(9100),
                    "Better, the new routine is helping with sleep."
                ),
                seg(
                    Some("Dana Reyes"),
                    ms(9600),
                    ms(13000),
                    "Good. Let's go over the log you kept this week."
                ),
            ]
        );
        assert_eq!(t.source, Some(Source::new(Vendor::Healthie, "1001")));
        let lenient = transcripts::healthie::transcript_lenient("1001", &vtt).unwrap();
        assert_eq!(lenient.transcript, t);
        assert!(lenient.warnings.is_empty());
    }

    #[test]
    fn malformed_vtt_names_the_line() {
        let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.200\n<v A>Hi\n\n00:00:05 --> 00:00:06.000\n<v B>Oops\n";
        match transcripts::healthie::transcript("1", vtt) {
            Err(transcripts::ConvertError::Parse(e)) => assert_eq!(e.line, 6),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn appointment_as_meeting() {
        let list = json("../healthie-client/fixtures/constructed/appointments.json");
        let raw = list["appointments"][0].clone();
        let m = transcripts::healthie::meeting_from_json(raw.clone()).unwrap();
        assert_eq!(m.vendor, Vendor::Healthie);
        assert_eq!(m.id, "1001");
        assert_eq!(m.title.as_deref(), Some("Follow-up visit"));
        assert_eq!(m.start.as_deref(), Some("2026-11-02T20:00:00Z"));
        assert_eq!(m.duration, Some(Duration::from_secs(50 * 60)));
        assert_eq!(m.participants, ["Dana Reyes", "Ari Client"]);
        assert_eq!(m.summary, None);
        assert_eq!(m.raw, raw);
        // Every appointment of the fixture converts.
        for a in list["appointments"].as_array().unwrap() {
            transcripts::healthie::meeting_from_json(a.clone()).unwrap();
        }
    }
}

#[cfg(feature = "hedy")]
mod hedy {
    use hedy_client::sessions::Session;

    use super::*;

    #[test]
    fn transcript_with_speaker_turns() {
        let s: Session =
            serde_json::from_value(json("tests/fixtures/hedy_session_turns.json")).unwrap();
        let t = transcripts::hedy::transcript(&s).unwrap();
        assert_eq!(
            t.segments,
            [
                seg(Some("Speaker 1"), None, None, "Good morning, everyone."),
                seg(
                    Some("Speaker 2"),
                    None,
                    None,
                    "Morning! Quick update from design.\nWe finished the onboarding mockups."
                ),
                seg(
                    Some("Speaker 1"),
                    None,
                    None,
                    "Great, let's review them on Thursday."
                ),
            ]
        );
        assert_eq!(t.source, Some(Source::new(Vendor::Hedy, "sess_turns01")));
    }

    #[test]
    fn plain_transcript_is_one_untimed_segment() {
        let raw = json("../hedy-client/fixtures/constructed/session_get.json");
        let s: Session = serde_json::from_value(raw.clone()).unwrap();
        let t = transcripts::hedy::transcript(&s).unwrap();
        assert_eq!(
            t.segments,
            [seg(
                None,
                None,
                None,
                "Good morning everyone. Let's go through our updates..."
            )]
        );
        let m = transcripts::hedy::meeting_from_json(raw.clone()).unwrap();
        assert_eq!(m.id, "sess_7Qm2xK9aL0");
        assert_eq!(m.title.as_deref(), Some("Weekly Team Standup"));
        assert_eq!(m.start.as_deref(), Some("2026-03-03T14:00:00Z"));
        assert_eq!(m.duration, ms(1_799_578));
        assert_eq!(
            m.summary.as_deref(),
            Some("Team discussed Q1 priorities. Launch set for March 15.")
        );
        assert!(m.participants.is_empty());
        assert_eq!(m.raw, raw);
    }

    #[test]
    fn list_item_has_no_transcript() {
        let s: Session = serde_json::from_str(
            r#"{"sessionId":"s1","title":"x","startTime":"2026-03-02T09:30:00Z"}"#,
        )
        .unwrap();
        assert!(transcripts::hedy::transcript(&s).is_none());
        assert_eq!(transcripts::Meeting::from(&s).duration, None);
    }
}

#[cfg(feature = "heilo")]
mod heilo {
    use heilo_client::webhooks::{CallCompleted, CallTranscribed};

    use super::*;

    #[test]
    fn transcribed_event_with_turns() {
        let e = json("tests/fixtures/heilo_call_transcribed_turns.json");
        let data: CallTranscribed = serde_json::from_value(e["data"].clone()).unwrap();
        let t = transcripts::heilo::transcribed_transcript(&data).unwrap();
        assert_eq!(t.language.as_deref(), Some("pl"));
        assert_eq!(t.speakers(), ["Agent", "Caller"]);
        assert_eq!(t.segments.len(), 4);
        assert_eq!(
            t.segments[1],
            seg(
                Some("Caller"),
                None,
                None,
                "Chciałbym umówić przegląd klimatyzacji."
            )
        );
        assert_eq!(
            t.source,
            Some(Source::new(
                Vendor::Heilo,
                "9b2f7c1e-4d3a-4f5b-8c6d-7e8f9a0b1c2d"
            ))
        );
    }

    #[test]
    fn documented_completed_event() {
        let e = json("../heilo-client/fixtures/documented/events/call.completed.json");
        let data: CallCompleted = serde_json::from_value(e["data"].clone()).unwrap();
        let t = transcripts::heilo::completed_transcript(&data).unwrap();
        // The reference's placeholder text: one untimed segment.
        assert_eq!(t.segments, [seg(None, None, None, "...")]);
    }

    #[test]
    fn call_as_meeting() {
        let page = json("../heilo-client/fixtures/documented/calls_list.json");
        let raw = page["data"]["items"][0].clone();
        let m = transcripts::heilo::meeting_from_json(raw.clone()).unwrap();
        assert_eq!(m.vendor, Vendor::Heilo);
        assert_eq!(m.id, "3fa85f64-5717-4562-b3fc-2c963f66afa6");
        assert_eq!(m.start.as_deref(), Some("2026-06-03T12:34:56Z"));
        assert_eq!(m.duration, Some(Duration::from_secs(87)));
        assert_eq!(m.participants, ["Jan Kowalski"]);
        // The documented example's placeholder, as sent.
        assert_eq!(m.summary.as_deref(), Some("..."));
        assert_eq!(m.title, None);
        assert_eq!(m.raw, raw);
    }
}
