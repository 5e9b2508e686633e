//! The four formats through [`Format`], and the JSON schema as documented in `json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use serde_json::json;
use transcripts::{Format, MissingTimes, RenderOptions, Segment, Source, Transcript, Vendor};

fn sample() -> Transcript {
    Transcript::new(vec![
        Segment::new("Good afternoon.\nHow have you been?")
            .with_speaker("Dana Reyes")
            .with_times(Duration::from_millis(1000), Duration::from_millis(4200)),
        Segment::new("Better, thanks.")
            .with_times(Duration::from_millis(4800), Duration::from_millis(9100)),
    ])
    .with_language("en")
    .with_source(Source::new(Vendor::Healthie, "1001"))
}

#[test]
fn json_schema_version_1() {
    let t = sample();
    let v: serde_json::Value = serde_json::from_str(&transcripts::json::render(&t)).unwrap();
    assert_eq!(
        v,
        json!({
            "schema_version": 1,
            "language": "en",
            "source": {"vendor": "healthie", "meeting_id": "1001"},
            "segments": [
                {"speaker": "Dana Reyes", "start_ms": 1000, "end_ms": 4200,
                 "text": "Good afternoon.\nHow have you been?"},
                {"speaker": null, "start_ms": 4800, "end_ms": 9100, "text": "Better, thanks."}
            ]
        })
    );
    // The serde implementation is the same form.
    assert_eq!(serde_json::to_value(&t).unwrap(), v);
    assert_eq!(serde_json::from_value::<Transcript>(v).unwrap(), t);

    // Unknown values are written as null, never left out.
    let bare = Transcript::new(vec![Segment::new("x")]);
    let v: serde_json::Value = serde_json::from_str(&bare.to_json()).unwrap();
    assert_eq!(
        v,
        json!({"schema_version": 1, "language": null, "source": null,
               "segments": [{"speaker": null, "start_ms": null, "end_ms": null, "text": "x"}]})
    );
}

#[test]
fn every_format_renders_and_reads_back() {
    let t = sample();
    let options = RenderOptions::new();
    for format in Format::ALL {
        let out = t.render(format, &options).unwrap();
        let back = format.parse(&out).unwrap();
        match format {
            Format::Json => assert_eq!(back, t),
            Format::Vtt => {
                assert_eq!(back.segments, t.segments);
                assert_eq!(back.language, t.language);
            }
            Format::Srt => assert_eq!(back.segments, t.segments),
            // Plain text is for reading: it keeps speakers and text, not times, and a line
            // without a speaker label reads back as the previous turn's continuation.
            Format::Text => {
                assert_eq!(back.segments.len(), 1);
                assert_eq!(back.segments[0].speaker.as_deref(), Some("Dana Reyes"));
                assert_eq!(
                    back.segments[0].text,
                    "Good afternoon.\nHow have you been?\nBetter, thanks."
                );
            }
            other => panic!("untested format {other}"),
        }
    }
    assert_eq!(
        t.to_text(),
        "Dana Reyes: Good afternoon.\nHow have you been?\nBetter, thanks.\n"
    );
}

#[test]
fn untimed_transcripts_need_the_synthesize_option() {
    let t = transcripts::text::parse("Good morning everyone. Let's go through our updates...");
    assert!(!t.is_timed());
    for format in [Format::Vtt, Format::Srt] {
        assert!(format.needs_times());
        assert!(t.render(format, &RenderOptions::new()).is_err());
    }
    let synthesized = RenderOptions::new().missing_times(MissingTimes::Synthesize);
    assert_eq!(
        t.render(Format::Srt, &synthesized).unwrap(),
        "1\n00:00:00,000 --> 00:00:00,000\nGood morning everyone. Let's go through our updates...\n"
    );
}
