//! WebVTT parsing against the cases the W3C WebVTT specification illustrates: cue timings
//! in both forms with settings and identifiers, voice spans, multi-line cues, comment
//! (`NOTE`) blocks, `STYLE` and `REGION` blocks, tags and character references, line ends,
//! and malformed input. The inputs are written for these tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use transcripts::{vtt, ParseErrorKind, Segment};

fn ms(n: u64) -> Option<Duration> {
    Some(Duration::from_millis(n))
}

/// (speaker, start ms, end ms, text) of each segment.
fn rows(input: &str) -> Vec<(Option<String>, u64, u64, String)> {
    vtt::parse(input)
        .unwrap_or_else(|e| panic!("{e}"))
        .segments
        .into_iter()
        .map(|s: Segment| {
            (
                s.speaker,
                s.start.unwrap().as_millis() as u64,
                s.end.unwrap().as_millis() as u64,
                s.text,
            )
        })
        .collect()
}

fn row(
    speaker: Option<&str>,
    start: u64,
    end: u64,
    text: &str,
) -> (Option<String>, u64, u64, String) {
    (speaker.map(str::to_owned), start, end, text.to_owned())
}

#[test]
fn cue_timings_both_forms_with_settings_and_identifiers() {
    let input = "WEBVTT - a lecture\n\
                 \n\
                 1\n\
                 00:11.000 --> 00:13.000 vertical:rl\n\
                 Minutes and seconds only.\n\
                 \n\
                 intro-2\n\
                 00:00:13.000 --> 00:00:16.500 position:10%,line-left align:left size:35%\n\
                 Hours too, and cue settings.\n\
                 \n\
                 01:02:03.004 --> 01:02:05.000 line:0\n\
                 No identifier.\n\
                 \n\
                 120:00:00.000 --> 120:00:01.000\n\
                 More than two hour digits.\n";
    assert_eq!(
        rows(input),
        [
            row(None, 11_000, 13_000, "Minutes and seconds only."),
            row(None, 13_000, 16_500, "Hours too, and cue settings."),
            row(None, 3_723_004, 3_725_000, "No identifier."),
            row(None, 432_000_000, 432_001_000, "More than two hour digits."),
        ]
    );
}

#[test]
fn voice_spans() {
    let input = "WEBVTT\n\n\
                 00:00.000 --> 00:02.000\n\
                 <v Roger Bingham>We are in New York City\n\n\
                 00:02.000 --> 00:04.000\n\
                 <v.first.loud Esme>It's a blue apple tree!</v>\n\n\
                 00:04.000 --> 00:06.000\n\
                 <v Mary>No it isn't!</v>\n<v Esme>Yes it is!\n\n\
                 00:06.000 --> 00:08.000\n\
                 <v   Bob &amp; Alice  >Together.\n\n\
                 00:08.000 --> 00:09.000\n\
                 <v>Unnamed voice.\n";
    assert_eq!(
        rows(input),
        [
            row(Some("Roger Bingham"), 0, 2000, "We are in New York City"),
            row(Some("Esme"), 2000, 4000, "It's a blue apple tree!"),
            // Two voices in one cue: two segments with the cue's times.
            row(Some("Mary"), 4000, 6000, "No it isn't!"),
            row(Some("Esme"), 4000, 6000, "Yes it is!"),
            row(Some("Bob & Alice"), 6000, 8000, "Together."),
            row(None, 8000, 9000, "Unnamed voice."),
        ]
    );
}

#[test]
fn multi_line_cues() {
    let input = "WEBVTT\n\n\
                 00:01.000 --> 00:04.000\n\
                 <v Narrator>Never drink liquid nitrogen.\n\
                 It will perforate your stomach.\n\
                 You could die.\n\n\
                 00:05.000 --> 00:09.000\n\
                 First line\n\
                 second line\n";
    assert_eq!(
        rows(input),
        [
            row(
                Some("Narrator"),
                1000,
                4000,
                "Never drink liquid nitrogen.\nIt will perforate your stomach.\nYou could die."
            ),
            row(None, 5000, 9000, "First line\nsecond line"),
        ]
    );
}

#[test]
fn comment_blocks_are_skipped() {
    let input = "WEBVTT\n\n\
                 NOTE This file was written by hand.\n\n\
                 NOTE\n\
                 A comment over\n\
                 several lines.\n\n\
                 00:01.000 --> 00:02.000\n\
                 Spoken.\n\n\
                 NOTE\tbetween cues\n\n\
                 00:02.000 --> 00:03.000\n\
                 Also spoken.\n\n\
                 NOTE at the end\n";
    assert_eq!(
        rows(input),
        [
            row(None, 1000, 2000, "Spoken."),
            row(None, 2000, 3000, "Also spoken."),
        ]
    );
}

#[test]
fn style_and_region_blocks_are_skipped() {
    let input = "WEBVTT\n\n\
                 STYLE\n\
                 ::cue {\n  color: yellow;\n}\n\
                 ::cue(b) { font-weight: 900 }\n\n\
                 REGION\n\
                 id:speaker-box\n\
                 width:40%\n\
                 lines:3\n\
                 regionanchor:0%,100%\n\
                 viewportanchor:10%,90%\n\
                 scroll:up\n\n\
                 00:00.000 --> 00:20.000 region:speaker-box align:left\n\
                 <v Fred>Hi, my name is Fred\n";
    assert_eq!(
        rows(input),
        [row(Some("Fred"), 0, 20_000, "Hi, my name is Fred")]
    );
}

#[test]
fn tags_are_removed_and_references_decoded() {
    let input = "WEBVTT\n\n\
                 00:00.000 --> 00:05.000\n\
                 <c.yellow.bg_blue>Colour</c> <i>italic</i> <b>bold</b> <u>under</u>\n\
                 <lang en-GB>colour</lang> <ruby>漢<rt>kan</rt></ruby>\n\
                 Karaoke <00:00:01.000>one <00:00:02.000>two\n\
                 Tom &amp; Jerry &lt;3 &gt; &nbsp;x&lrm;&rlm; &#169; &#x263A; &unknown; & alone\n";
    assert_eq!(
        rows(input),
        [row(
            None,
            0,
            5000,
            "Colour italic bold under\ncolour 漢kan\nKaraoke one two\n\
             Tom & Jerry <3 > \u{a0}x\u{200e}\u{200f} © ☺ &unknown; & alone"
        )]
    );
}

#[test]
fn bom_crlf_and_cr_line_ends() {
    let lf = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>one\ntwo\n\n00:02.000 --> 00:03.000\nthree\n";
    let expected = rows(lf);
    assert_eq!(expected.len(), 2);
    assert_eq!(expected[0].3, "one\ntwo");
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    assert_eq!(rows(&crlf), expected);
    assert_eq!(rows(&lf.replace('\n', "\r")), expected);
    let bytes = crlf.as_bytes();
    assert_eq!(
        vtt::parse(&transcripts::decode(bytes))
            .unwrap()
            .segments
            .len(),
        2
    );
}

#[test]
fn header_forms_and_language() {
    assert!(vtt::parse("WEBVTT").unwrap().segments.is_empty());
    assert!(vtt::parse("WEBVTT\tcomment").is_ok());
    let t = vtt::parse("WEBVTT\nKind: captions\nLanguage: en-US\n\n00:01.000 --> 00:02.000\nx\n")
        .unwrap();
    assert_eq!(t.language.as_deref(), Some("en-US"));
    for bad in ["", "WEBVTTX", "webvtt", "WEBVT", "\n\nWEBVTT", " WEBVTT"] {
        let e = vtt::parse(bad).unwrap_err();
        assert_eq!(
            (e.line, e.kind),
            (1, ParseErrorKind::MissingHeader),
            "{bad:?}"
        );
    }
}

#[test]
fn a_line_with_an_arrow_starts_the_next_cue() {
    // No blank line between the cues: the WebVTT rules end the first cue at the arrow.
    let input = "WEBVTT\n\n00:01.000 --> 00:02.000\nfirst\n00:02.000 --> 00:03.000\nsecond\n";
    assert_eq!(
        rows(input),
        [
            row(None, 1000, 2000, "first"),
            row(None, 2000, 3000, "second")
        ]
    );
}

#[test]
fn blank_lines_with_spaces_separate_cues() {
    let input = "WEBVTT\n \n00:01.000 --> 00:02.000\nfirst\n\t \n00:02.000 --> 00:03.000\nsecond";
    assert_eq!(
        rows(input),
        [
            row(None, 1000, 2000, "first"),
            row(None, 2000, 3000, "second")
        ]
    );
}

#[test]
fn empty_cue_text() {
    let input = "WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:02.000 --> 00:03.000\n";
    assert_eq!(
        rows(input),
        [row(None, 1000, 2000, ""), row(None, 2000, 3000, "")]
    );
}

#[test]
fn strict_errors_name_the_line() {
    let cases: [(&str, usize, ParseErrorKind); 4] = [
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:02.00 --> 00:03.000\nbad\n",
            6,
            ParseErrorKind::BadTimings("00:02.00 --> 00:03.000".into()),
        ),
        (
            "WEBVTT\n\nid\n00:61.000 --> 00:62.000\nbad\n",
            4,
            ParseErrorKind::BadTimings("00:61.000 --> 00:62.000".into()),
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\nstray text\nmore\n",
            6,
            ParseErrorKind::NotACue,
        ),
        (
            "WEBVTT\n00:01.000 --> 00:02.000\nin the header\n",
            2,
            ParseErrorKind::CueInHeader,
        ),
    ];
    for (input, line, kind) in cases {
        let e = vtt::parse(input).unwrap_err();
        assert_eq!((e.line, e.kind), (line, kind), "{input:?}");
    }
    let e = vtt::parse("WEBVTT\n\n00:01.000 --> x\n").unwrap_err();
    assert_eq!(e.to_string(), "line 3: bad cue timings `00:01.000 --> x`");
}

#[test]
fn lenient_skips_and_lists() {
    let input = "WEBVTT\n00:00.500 --> 00:01.000\nheader cue\n\n\
                 00:01.000 --> 00:02.000\n<v A>kept\n\n\
                 00:02.00 --> 00:03.000\ndropped\n\n\
                 stray\n\n\
                 00:04.000 --> 00:05.000\n<v B>kept too\n";
    let parsed = vtt::parse_lenient(input).unwrap();
    let texts: Vec<&str> = parsed
        .transcript
        .segments
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(texts, ["header cue", "kept", "kept too"]);
    let lines: Vec<(usize, &ParseErrorKind)> =
        parsed.warnings.iter().map(|w| (w.line, &w.kind)).collect();
    assert_eq!(
        lines,
        [
            (2, &ParseErrorKind::CueInHeader),
            (
                8,
                &ParseErrorKind::BadTimings("00:02.00 --> 00:03.000".into())
            ),
            (11, &ParseErrorKind::NotACue),
        ]
    );
    assert_eq!(parsed.transcript.segments[2].start, ms(4000));
    assert!(vtt::parse_lenient("no header").is_err());
}

#[test]
fn renders_voice_spans_and_escapes() {
    let t = transcripts::Transcript::new(vec![
        Segment::new("a < b & c > d\n\nsecond line")
            .with_speaker("Bob <the> Builder")
            .with_times(
                Duration::from_millis(1500),
                Duration::from_millis(3_723_004),
            ),
        Segment::new("no speaker --> here")
            .with_times(Duration::from_secs(4), Duration::from_secs(5)),
    ])
    .with_language("en");
    let out = vtt::render(&t).unwrap();
    assert_eq!(
        out,
        "WEBVTT\nLanguage: en\n\n\
         00:00:01.500 --> 01:02:03.004\n\
         <v Bob &lt;the&gt; Builder>a &lt; b &amp; c &gt; d\nsecond line\n\n\
         00:00:04.000 --> 00:00:05.000\n\
         no speaker --&gt; here\n"
    );
    let back = vtt::parse(&out).unwrap();
    assert_eq!(
        back.segments[0].speaker.as_deref(),
        Some("Bob <the> Builder")
    );
    assert_eq!(back.segments[0].text, "a < b & c > d\nsecond line");
    assert_eq!(back.segments[1].text, "no speaker --> here");
    assert_eq!(back.language.as_deref(), Some("en"));
}

#[test]
fn rendering_needs_times_unless_synthesized() {
    use transcripts::{MissingTimes, RenderError, RenderOptions};
    let t = transcripts::text::parse("Speaker 1: Hello.\nSpeaker 2: Hi.");
    assert_eq!(
        vtt::render(&t),
        Err(RenderError::MissingTimes { segment: 0 })
    );
    let out = vtt::render_with(
        &t,
        &RenderOptions::new().missing_times(MissingTimes::Synthesize),
    )
    .unwrap();
    assert_eq!(
        out,
        "WEBVTT\n\n00:00:00.000 --> 00:00:00.000\n<v Speaker 1>Hello.\n\n\
         00:00:00.000 --> 00:00:00.000\n<v Speaker 2>Hi.\n"
    );
}
