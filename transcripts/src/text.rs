//! Plain text: rendering as `Speaker: text` lines, and reading speaker turns out of a
//! vendor's transcript text.
//!
//! # Speaker turns
//!
//! [`parse`] reads the transcript text that Hedy sessions and Heilo calls carry (and
//! Speakr's text rendering). A line starts a new turn when it begins (after any indentation)
//! with one of:
//!
//! - a speaker label and a colon: `Speaker 1: …`, `Dana Reyes: …`, `Dr. O'Neil: …`,
//!   `SPEAKER_00: …`;
//! - a label in brackets and a colon, as Speakr writes it: `[SPEAKER_00]: …`;
//! - a start time in brackets or parentheses, `[00:01:02]`, `[01:02.500]`, `(1:02:03)`,
//!   alone or before either label form: `[00:01:02] Dana: …` (the time becomes the
//!   segment's start).
//!
//! A label is 1 to 64 characters and at most five words separated by single spaces, made of
//! letters, digits and `. ' ’ - _ ( ) #`, with at least one letter; the colon is followed by
//! a space, a tab or the end of the line (so `https://…` and `10:30` are not turns). Lines
//! without a label continue the current turn (joined with `\n`; blank lines are dropped).
//!
//! Turns are recognized only when the **first** non-blank line starts one: prose that merely
//! contains a `Note: …` line further down stays one segment. Text with no turn at all is one
//! untimed segment without a speaker (trimmed); an empty text has no segment.

use std::time::Duration;

use crate::format::RenderOptions;
use crate::lines::{text_lines, Lines};
use crate::model::{Segment, Transcript};
use crate::time::push_timestamp;

/// Render a transcript as plain text: one line per segment, `Speaker: text` when the
/// speaker is known, just the text otherwise (a segment's further lines follow it).
pub fn render(t: &Transcript) -> String {
    render_with(t, &RenderOptions::default())
}

/// Render as plain text with options: with
/// [`RenderOptions::text_timestamps`] each segment whose start is known begins with
/// `[hh:mm:ss.mmm] `.
pub fn render_with(t: &Transcript, options: &RenderOptions) -> String {
    let mut out = String::with_capacity(
        t.segments
            .iter()
            .map(|s| s.text.len() + s.speaker.as_ref().map_or(0, String::len) + 18)
            .sum(),
    );
    for seg in &t.segments {
        if options.text_timestamps {
            if let Some(start) = seg.start {
                out.push('[');
                push_timestamp(&mut out, crate::time::millis(start), '.');
                out.push_str("] ");
            }
        }
        if let Some(speaker) = seg
            .speaker
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            out.push_str(&speaker.replace(['\n', '\r'], " "));
            out.push_str(": ");
        }
        let mut first = true;
        for line in text_lines(&seg.text) {
            if !first {
                out.push('\n');
            }
            first = false;
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Read a transcript text into segments, recognizing speaker turns (see the module docs).
/// Never fails.
pub fn parse(text: &str) -> Transcript {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let starts_with_turn = Lines::new(text)
        .find(|l| !l.is_blank())
        .is_some_and(|l| turn(l.text).is_some());
    if !starts_with_turn {
        let trimmed = text.trim();
        let segments = if trimmed.is_empty() {
            Vec::new()
        } else {
            vec![Segment::new(trimmed)]
        };
        return Transcript::new(segments);
    }
    let mut segments: Vec<Segment> = Vec::new();
    for line in Lines::new(text).filter(|l| !l.is_blank()) {
        match turn(line.text) {
            Some(t) => segments.push(Segment {
                speaker: t.speaker.map(str::to_owned),
                start: t.start,
                end: None,
                text: t.rest.trim().to_owned(),
            }),
            None => {
                if let Some(last) = segments.last_mut() {
                    if !last.text.is_empty() {
                        last.text.push('\n');
                    }
                    last.text.push_str(line.text.trim());
                }
            }
        }
    }
    Transcript::new(segments)
}

/// The start of a turn on one line.
struct Turn<'a> {
    start: Option<Duration>,
    speaker: Option<&'a str>,
    rest: &'a str,
}

fn turn(line: &str) -> Option<Turn<'_>> {
    let line = line.trim_start();
    let (start, after_time) = match time_prefix(line) {
        Some((t, rest)) => (Some(t), rest.trim_start()),
        None => (None, line),
    };
    match speaker_label(after_time).or_else(|| bracket_label(after_time)) {
        Some((label, rest)) => Some(Turn {
            start,
            speaker: Some(label),
            rest,
        }),
        None => start.map(|start| Turn {
            start: Some(start),
            speaker: None,
            rest: after_time,
        }),
    }
}

/// `[hh:mm:ss]`, `[mm:ss]`, with an optional `.fff`, in brackets or parentheses, followed
/// by whitespace or the end of the line.
fn time_prefix(line: &str) -> Option<(Duration, &str)> {
    let close = match line.as_bytes().first()? {
        b'[' => ']',
        b'(' => ')',
        _ => return None,
    };
    let end = line.find(close)?;
    let inner = line.get(1..end)?;
    let rest = line.get(end + 1..)?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let (clock, frac) = match inner.split_once('.') {
        Some((c, f)) if (1..=3).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            let scale = 10u64.pow(3 - u32::try_from(f.len()).ok()?);
            (c, f.parse::<u64>().ok()? * scale)
        }
        Some(_) => return None,
        None => (inner, 0),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let num = |s: &str, max_len: usize| -> Option<u64> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (h, m, s) = match parts.as_slice() {
        [h, m, s] => (num(h, 4)?, num(m, 2)?, num(s, 2)?),
        [m, s] => (0, num(m, 3)?, num(s, 2)?),
        _ => return None,
    };
    if s > 59 || (parts.len() == 3 && m > 59) {
        return None;
    }
    let ms = ((h * 60 + m) * 60 + s) * 1000 + frac;
    Some((Duration::from_millis(ms), rest))
}

/// `Label: rest` at the start of a line (see the module docs for what a label is): the
/// label and what follows the colon and one space or tab.
fn speaker_label(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let label = line.get(..colon)?;
    if !is_label(label) {
        return None;
    }
    after_colon(line.get(colon + 1..)?).map(|rest| (label, rest))
}

/// `Label: rest` as SRT cues carry it: the colon followed by exactly one space (or the end
/// of the line), the form the SRT renderer writes.
pub(crate) fn speaker_prefix(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let label = line.get(..colon)?;
    let after = line.get(colon + 1..)?;
    let rest = if after.is_empty() {
        after
    } else {
        after.strip_prefix(' ')?
    };
    is_label(label).then_some((label, rest))
}

/// `[Label]: rest`, Speakr's text form.
fn bracket_label(line: &str) -> Option<(&str, &str)> {
    let inner = line.strip_prefix('[')?;
    let close = inner.find(']')?;
    let label = inner.get(..close)?.trim();
    let after = inner.get(close + 1..)?.strip_prefix(':')?;
    if !is_label(label) {
        return None;
    }
    after_colon(after).map(|rest| (label, rest))
}

fn after_colon(after: &str) -> Option<&str> {
    match after.as_bytes().first() {
        None => Some(""),
        Some(b' ' | b'\t') => after.get(1..),
        Some(_) => None,
    }
}

/// Whether `s` reads as a speaker label (see the module docs).
pub(crate) fn is_label(s: &str) -> bool {
    let chars = s.chars().count();
    (1..=64).contains(&chars)
        && s.split(' ').count() <= 5
        && s.split(' ').all(|w| !w.is_empty())
        && s.chars().any(char::is_alphabetic)
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '.' | '\'' | '’' | '-' | '_' | '(' | ')' | '#')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns(text: &str) -> Vec<(Option<String>, Option<u64>, String)> {
        parse(text)
            .segments
            .into_iter()
            .map(|s| {
                (
                    s.speaker,
                    s.start.map(|d| u64::try_from(d.as_millis()).unwrap()),
                    s.text,
                )
            })
            .collect()
    }

    #[test]
    fn labels() {
        for ok in [
            "Speaker 1",
            "Dana Reyes",
            "Dr. O'Neil",
            "SPEAKER_00",
            "Q",
            "Łukasz Żak",
        ] {
            assert!(is_label(ok), "{ok}");
        }
        for bad in [
            "",
            " A",
            "A  B",
            "a b c d e f",
            "123",
            "http://x",
            "A:B",
            "[A]",
        ] {
            assert!(!is_label(bad), "{bad}");
        }
        assert_eq!(speaker_label("A: b: c"), Some(("A", "b: c")));
        assert_eq!(speaker_label("A:"), Some(("A", "")));
        assert_eq!(speaker_label("https://example.com"), None);
        assert_eq!(speaker_label("Meet at 10:30"), None);
    }

    #[test]
    fn turns_with_names_brackets_and_times() {
        assert_eq!(
            turns("Speaker 1: Hello.\nSpeaker 2: Hi,\nhow are you?\n\nSpeaker 1: Fine."),
            [
                (Some("Speaker 1".into()), None, "Hello.".into()),
                (Some("Speaker 2".into()), None, "Hi,\nhow are you?".into()),
                (Some("Speaker 1".into()), None, "Fine.".into()),
            ]
        );
        assert_eq!(
            turns("[SPEAKER_00]: Hello and welcome.\n[SPEAKER_01]: Thanks."),
            [
                (Some("SPEAKER_00".into()), None, "Hello and welcome.".into()),
                (Some("SPEAKER_01".into()), None, "Thanks.".into()),
            ]
        );
        assert_eq!(
            turns("[00:00:05] Dana: Hi.\n(01:02.5) Ari: Hello.\n[1:00:00] Quiet."),
            [
                (Some("Dana".into()), Some(5000), "Hi.".into()),
                (Some("Ari".into()), Some(62_500), "Hello.".into()),
                (None, Some(3_600_000), "Quiet.".into()),
            ]
        );
    }

    #[test]
    fn prose_is_one_segment() {
        assert_eq!(
            turns("  Good morning everyone.\nNote: we start late.  "),
            [(
                None,
                None,
                "Good morning everyone.\nNote: we start late.".into()
            )]
        );
        assert!(parse(" \n ").segments.is_empty());
    }

    #[test]
    fn renders_lines() {
        let t = Transcript::new(vec![
            Segment::new("Hello.")
                .with_speaker("Dana")
                .with_start(Duration::from_millis(1500)),
            Segment::new("Line one\n\nline two"),
        ]);
        assert_eq!(render(&t), "Dana: Hello.\nLine one\nline two\n");
        assert_eq!(
            render_with(&t, &RenderOptions::new().text_timestamps(true)),
            "[00:00:01.500] Dana: Hello.\nLine one\nline two\n"
        );
    }
}
