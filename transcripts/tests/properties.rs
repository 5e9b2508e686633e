//! Property tests: WebVTT and SRT written by the crate read back to the same transcript;
//! render → parse → render is stable for any transcript; no input makes a parser panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use proptest::prelude::*;
use transcripts::{srt, text, vtt, Segment, Transcript};

fn time() -> impl Strategy<Value = Duration> {
    (0u64..360_000_000).prop_map(Duration::from_millis)
}

/// Any text at all, line breaks of every kind included.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[a-z <>&;:\\-\r\n\t]{0,40}",
        proptest::collection::vec(
            prop_oneof![
                Just("<v A>"),
                Just("</v>"),
                Just("<b>"),
                Just("&amp;"),
                Just("-->"),
                Just("\r\n"),
                Just("\n"),
                Just("\n\n"),
                Just(" "),
                Just("Name: "),
                Just("x"),
                Just("12"),
                Just("00:00:01,000 --> 00:00:02,000"),
            ],
            0..10
        )
        .prop_map(|v| v.concat()),
    ]
}

fn any_speaker() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        ".{0,20}",
        "[A-Za-z ]{0,12}",
        "[a-z<>&:\n ]{0,10}"
    ])
}

fn any_segment() -> impl Strategy<Value = Segment> {
    (any_speaker(), time(), time(), any_text()).prop_map(|(speaker, start, end, text)| {
        let mut s = Segment::new(text).with_times(start, end);
        s.speaker = speaker;
        s
    })
}

fn any_transcript() -> impl Strategy<Value = Transcript> {
    (
        proptest::collection::vec(any_segment(), 0..8),
        proptest::option::of(".{0,8}"),
    )
        .prop_map(|(segments, language)| {
            let mut t = Transcript::new(segments);
            t.language = language;
            t
        })
}

/// Text as the renderers keep it: lines that are not blank, joined with `\n`.
fn clean_text(chars: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec(chars, 0..4).prop_map(|lines| {
        lines
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// A speaker as the renderers keep it: trimmed, not empty, one line.
fn clean_speaker(chars: &'static str) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(chars.prop_filter_map("blank speaker", |s: String| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_owned())
    }))
}

fn timed(speaker: Option<String>, start: Duration, end: Duration, text: String) -> Segment {
    let mut s = Segment::new(text).with_times(start, end);
    s.speaker = speaker;
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Any text and speaker (escaped as needed) survive WebVTT exactly.
    #[test]
    fn vtt_round_trip(
        segs in proptest::collection::vec(
            (clean_speaker("[^\r\n]{1,16}"), time(), time(), clean_text("[^\r\n]{0,30}")), 0..10),
        language in proptest::option::of("[a-z]{2}(-[A-Z]{2})?"),
    ) {
        let mut t = Transcript::new(segs.into_iter().map(|(sp, a, b, x)| timed(sp, a, b, x)).collect());
        t.language = language;
        let out = vtt::render(&t).unwrap();
        prop_assert_eq!(vtt::parse(&out).unwrap(), t);
    }

    /// Speakers that read as labels, and text without tags, arrows or colons, survive SRT
    /// exactly; other speakers go through `<v …>`.
    #[test]
    fn srt_round_trip(
        segs in proptest::collection::vec(
            (
                prop_oneof![
                    clean_speaker("[A-Za-z][A-Za-z0-9._']{0,8}( [A-Za-z0-9]{1,6}){0,2}"),
                    clean_speaker("[^\r\n<>]{1,16}"),
                ],
                time(),
                time(),
                clean_text("[A-Za-z0-9 ,.!?'\"&;()\u{e9}\u{4e16}]{0,30}")
                    .prop_map(|t| t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")),
            ),
            0..10),
    ) {
        let t = Transcript::new(segs.into_iter().map(|(sp, a, b, x)| timed(sp, a, b, x)).collect());
        let out = srt::render(&t).unwrap();
        prop_assert_eq!(srt::parse(&out).unwrap(), t);
    }

    /// Whatever the transcript, what the crate writes it reads back (strictly), and writing
    /// that again gives the same file.
    #[test]
    fn vtt_render_parse_render_is_stable(t in any_transcript()) {
        let first = vtt::render(&t).unwrap();
        let back = vtt::parse(&first).unwrap();
        // Every `<` is escaped, so no segment splits into several voices.
        prop_assert_eq!(back.segments.len(), t.segments.len());
        prop_assert_eq!(vtt::render(&back).unwrap(), first);
    }

    #[test]
    fn srt_render_parse_render_is_stable(t in any_transcript()) {
        let first = srt::render(&t).unwrap();
        let back = srt::parse(&first).unwrap();
        prop_assert_eq!(back.segments.len(), t.segments.len());
        prop_assert_eq!(srt::render(&back).unwrap(), first);
    }
}

fn all_parsers(input: &str) {
    let _ = vtt::parse(input);
    let _ = vtt::parse_lenient(input);
    let _ = srt::parse(input);
    let _ = srt::parse_lenient(input);
    let _ = text::parse(input);
    let _ = transcripts::json::parse(input);
}

/// Fragments that lead the parsers into their deeper paths.
fn vtt_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("WEBVTT"),
            Just("\n"),
            Just("\r\n"),
            Just("\r"),
            Just(" "),
            Just("-->"),
            Just("00:01.000"),
            Just("00:00:01.000"),
            Just("99999999999999999999:00:00.000"),
            Just("00:00:01,000"),
            Just("<v"),
            Just("<v.loud "),
            Just(">"),
            Just("</v>"),
            Just("<"),
            Just("&"),
            Just("&amp;"),
            Just("&#"),
            Just("&#x"),
            Just("&#1114112;"),
            Just(";"),
            Just("NOTE"),
            Just("STYLE"),
            Just("REGION"),
            Just("1"),
            Just("Name:"),
            Just("[00:01]"),
            Just("\u{feff}"),
            Just("é"),
            Just("{\"schema_version\":1,\"segments\":["),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn parsers_never_panic_on_strings(s in any::<String>()) {
        all_parsers(&s);
        all_parsers(&format!("WEBVTT\n\n{s}"));
    }

    #[test]
    fn parsers_never_panic_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..256)) {
        all_parsers(&transcripts::decode(&b));
    }

    #[test]
    fn parsers_never_panic_on_cue_like_input(s in vtt_like()) {
        all_parsers(&s);
    }
}

#[test]
fn text_form_round_trips_labelled_turns() {
    let t = Transcript::new(vec![
        Segment::new("Hello.").with_speaker("Speaker 1"),
        Segment::new("Hi,\nhow are you?").with_speaker("Speaker 2"),
    ]);
    assert_eq!(text::parse(&text::render(&t)), t);
}
