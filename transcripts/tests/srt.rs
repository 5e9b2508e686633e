//! SRT parsing and rendering.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use transcripts::{srt, ParseErrorKind, Segment, Transcript};

fn t(start: u64, end: u64) -> (Duration, Duration) {
    (Duration::from_millis(start), Duration::from_millis(end))
}

fn seg(speaker: Option<&str>, (start, end): (Duration, Duration), text: &str) -> Segment {
    let s = Segment::new(text).with_times(start, end);
    match speaker {
        Some(sp) => s.with_speaker(sp),
        None => s,
    }
}

#[test]
fn blocks_speakers_and_tags() {
    let input = "\u{feff}1\r\n00:00:01,000 --> 00:00:04,200\r\nDana Reyes: Good afternoon.\r\n\r\n\
                 2\r\n00:00:04,800 --> 00:00:09,100 X1:40 X2:600 Y1:20 Y2:50\r\n<i>Italic</i> and\r\n<b>two lines</b>\r\n\r\n\
                 3\r\n00:00:10.000 --> 00:00:11.000\r\n<v SPEAKER_01>Thanks &amp; bye.\r\n";
    let got = srt::parse(input).unwrap();
    assert_eq!(
        got.segments,
        [
            seg(Some("Dana Reyes"), t(1000, 4200), "Good afternoon."),
            seg(None, t(4800, 9100), "Italic and\ntwo lines"),
            // SRT has no character references.
            seg(Some("SPEAKER_01"), t(10_000, 11_000), "Thanks &amp; bye."),
        ]
    );
}

#[test]
fn missing_numbers_and_missing_blank_lines() {
    let input = "00:00:01,000 --> 00:00:02,000\nno number\n2\n00:00:02,000 --> 00:00:03,000\nno blank line before\n\n\n\n3\n00:00:03,000 --> 00:00:04,000\nextra blank lines\n";
    let got = srt::parse(input).unwrap();
    let texts: Vec<&str> = got.segments.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        ["no number", "no blank line before", "extra blank lines"]
    );
    assert_eq!(got.segments[2].start, Some(Duration::from_secs(3)));
}

#[test]
fn empty_input_is_an_empty_transcript() {
    assert!(srt::parse("").unwrap().segments.is_empty());
    assert!(srt::parse("\n \r\n").unwrap().segments.is_empty());
}

#[test]
fn strict_errors_name_the_line() {
    let cases: [(&str, usize, ParseErrorKind); 3] = [
        (
            "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:02 --> 00:00:03,000\nbad\n",
            6,
            ParseErrorKind::BadTimings("00:00:02 --> 00:00:03,000".into()),
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nok\n\nhello there\n",
            5,
            ParseErrorKind::BadIndex("hello there".into()),
        ),
        ("7\n", 1, ParseErrorKind::NotACue),
    ];
    for (input, line, kind) in cases {
        let e = srt::parse(input).unwrap_err();
        assert_eq!((e.line, e.kind), (line, kind), "{input:?}");
    }
}

#[test]
fn lenient_skips_and_lists() {
    let input = "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nnot a timing\nx\n\n3\n00:00:03,000 --> 00:00:04,000\nalso ok\n";
    let parsed = srt::parse_lenient(input).unwrap();
    assert_eq!(parsed.transcript.segments.len(), 2);
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].line, 6);
}

#[test]
fn renders_prefix_or_voice_and_reads_back() {
    let transcript = Transcript::new(vec![
        seg(
            Some("Dana Reyes"),
            t(1000, 4200),
            "Good afternoon.\nHow are you?",
        ),
        seg(
            Some("Dr. Who: the return"),
            t(4200, 5000),
            "Colon in the name.",
        ),
        seg(None, t(5000, 6000), "No speaker, <i>tag</i> and --> arrow."),
        seg(Some("Ari"), t(6000, 7000), ""),
    ]);
    let out = srt::render(&transcript).unwrap();
    assert_eq!(
        out,
        "1\n00:00:01,000 --> 00:00:04,200\nDana Reyes: Good afternoon.\nHow are you?\n\n\
         2\n00:00:04,200 --> 00:00:05,000\n<v Dr. Who: the return>Colon in the name.\n\n\
         3\n00:00:05,000 --> 00:00:06,000\nNo speaker, tag and -> arrow.\n\n\
         4\n00:00:06,000 --> 00:00:07,000\nAri:\n"
    );
    let back = srt::parse(&out).unwrap();
    assert_eq!(back.segments[0], transcript.segments[0]);
    assert_eq!(back.segments[1], transcript.segments[1]);
    assert_eq!(back.segments[2].text, "No speaker, tag and -> arrow.");
    assert_eq!(back.segments[3], transcript.segments[3]);
    assert_eq!(srt::render(&back).unwrap(), out);
}
