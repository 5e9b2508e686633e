//! SubRip (SRT): parsing and rendering.
//!
//! # Reading
//!
//! Blocks separated by blank lines (a line of only whitespace counts as blank), each a cue
//! number, a timing line `hh:mm:ss,mmm --> hh:mm:ss,mmm` (a `.` is accepted for the `,`, one
//! or more hour digits, anything after the end time ignored) and text lines, joined with
//! `\n`. A byte order mark and `\r\n` or `\r` line ends are accepted; so are a missing cue
//! number and a missing blank line before the next cue's number and timing line.
//!
//! The speaker is read from a leading `<v Speaker>` (the form Speakr's SRT uses) or from a
//! `Speaker: ` prefix on the cue's first line (the form [`render`] writes; a label as
//! described in [`crate::text`]). Formatting tags (`<b>`, `<i>`, `<u>`, `<s>`, `<font …>`,
//! `<v …>` and their end tags) are removed; SRT has no character references, so `&` is text.
//!
//! [`parse`] is strict: a block without a cue number or timing line, or with bad timings,
//! fails the whole parse with a [`ParseError`] naming its line. [`parse_lenient`] skips such
//! blocks and lists them. An empty input is an empty transcript. Neither panics, whatever the
//! input.
//!
//! # Writing
//!
//! [`render`] numbers the cues from 1 and writes `hh:mm:ss,mmm` times. A known speaker is
//! written as a `Speaker: ` prefix when it reads back as a label, else as `<v Speaker>`.
//! SRT has no escaping, so the text is written without what would read back differently:
//! blank lines, whitespace at line ends, formatting tags, and `-->` (written `->`). A
//! transcript written by [`render`] reads back to the same segments, with one ambiguity
//! inherent to the prefix form: a
//! segment **without** a speaker whose text starts with `Label: ` reads back with that
//! speaker (writing it again gives the same file).

use std::time::Duration;

use crate::error::{ParseError, ParseErrorKind, RenderError};
use crate::format::{cue_times, Parsed, RenderOptions};
use crate::lines::{text_lines, Line, Lines};
use crate::model::{Segment, Transcript};
use crate::text::{is_label, speaker_prefix};
use crate::time::{parse_srt_timestamp, parse_timings, push_timestamp};

/// Parse SRT strictly: the first malformed block is an error (see the module docs).
pub fn parse(input: &str) -> Result<Transcript, ParseError> {
    let mut p = Parser::new(input, true);
    p.run()?;
    Ok(p.finish())
}

/// Parse SRT leniently: malformed blocks are skipped and listed.
pub fn parse_lenient(input: &str) -> Result<Parsed, ParseError> {
    let mut p = Parser::new(input, false);
    p.run()?;
    let warnings = std::mem::take(&mut p.warnings);
    Ok(Parsed {
        transcript: p.finish(),
        warnings,
    })
}

struct Parser<'a> {
    input: &'a str,
    lines: Lines<'a>,
    pending: Option<Line<'a>>,
    strict: bool,
    warnings: Vec<ParseError>,
    segments: Vec<Segment>,
}

fn is_index(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

fn timings(line: &str) -> Option<(u64, u64)> {
    parse_timings(line, parse_srt_timestamp)
}

impl<'a> Parser<'a> {
    fn new(input: &'a str, strict: bool) -> Self {
        let input = input.strip_prefix('\u{feff}').unwrap_or(input);
        Parser {
            input,
            lines: Lines::new(input),
            pending: None,
            strict,
            warnings: Vec::new(),
            segments: Vec::new(),
        }
    }

    fn next_line(&mut self) -> Option<Line<'a>> {
        self.pending.take().or_else(|| self.lines.next())
    }

    fn malformed(&mut self, line: usize, kind: ParseErrorKind) -> Result<(), ParseError> {
        let e = ParseError::new(line, kind);
        if self.strict {
            return Err(e);
        }
        self.warnings.push(e);
        Ok(())
    }

    fn skip_block(&mut self) {
        while let Some(line) = self.next_line() {
            if line.is_blank() {
                break;
            }
        }
    }

    fn run(&mut self) -> Result<(), ParseError> {
        while let Some(first) = self.next_line() {
            if first.is_blank() {
                continue;
            }
            let timing = if first.has_arrow() {
                first
            } else if is_index(first.text) {
                match self.next_line() {
                    Some(l) if !l.is_blank() => l,
                    _ => {
                        self.malformed(first.number, ParseErrorKind::NotACue)?;
                        continue;
                    }
                }
            } else {
                self.malformed(
                    first.number,
                    ParseErrorKind::BadIndex(first.text.to_owned()),
                )?;
                self.skip_block();
                continue;
            };
            let Some((start, end)) = timings(timing.text) else {
                self.malformed(
                    timing.number,
                    ParseErrorKind::BadTimings(timing.text.to_owned()),
                )?;
                self.skip_block();
                continue;
            };
            self.cue(start, end);
        }
        Ok(())
    }

    fn cue(&mut self, start: u64, end: u64) {
        // The text's span, and its end before the last line (to drop a cue number that turns
        // out to belong to the next cue).
        let mut span: Option<(usize, usize)> = None;
        let mut before_last: Option<(usize, usize)> = None;
        let mut last_is_index = false;
        while let Some(line) = self.next_line() {
            if line.is_blank() {
                break;
            }
            if line.has_arrow() && timings(line.text).is_some() {
                // The next cue, without a blank line before it.
                if last_is_index {
                    span = before_last;
                }
                self.pending = Some(line);
                break;
            }
            before_last = span;
            last_is_index = is_index(line.text);
            span = Some(span.map_or((line.start, line.end), |(s, _)| (s, line.end)));
        }
        let text = span
            .and_then(|(s, e)| self.input.get(s..e))
            .unwrap_or_default();
        let seg = if text.contains('\r') {
            let joined: Vec<&str> = Lines::new(text).map(|l| l.text).collect();
            cue_segment(&joined.join("\n"))
        } else {
            cue_segment(text)
        };
        self.segments.push(Segment {
            start: Some(Duration::from_millis(start)),
            end: Some(Duration::from_millis(end)),
            ..seg
        });
    }

    fn finish(mut self) -> Transcript {
        self.segments.shrink_to_fit();
        Transcript::new(std::mem::take(&mut self.segments))
    }
}

/// A cue's speaker and text.
fn cue_segment(text: &str) -> Segment {
    if let Some((speaker, rest)) = leading_voice(text) {
        return Segment {
            speaker,
            text: strip_tags(rest).into_owned(),
            ..Segment::default()
        };
    }
    let stripped = strip_tags(text);
    match speaker_prefix(&stripped) {
        Some((label, rest)) => Segment {
            speaker: Some(label.to_owned()),
            text: rest.to_owned(),
            ..Segment::default()
        },
        None => Segment {
            text: stripped.into_owned(),
            ..Segment::default()
        },
    }
}

/// `<v Speaker>` or `<v.class Speaker>` at the start: the speaker (as written: SRT has no
/// references) and the rest.
#[allow(clippy::option_option)]
fn leading_voice(text: &str) -> Option<(Option<String>, &str)> {
    let inner = text.strip_prefix("<v")?;
    let close = inner.find('>')?;
    let content = inner.get(..close)?;
    let rest = inner.get(close + 1..)?;
    let (classes, annotation) = match content.find(|c: char| c.is_ascii_whitespace()) {
        Some(k) => (content.get(..k)?, content.get(k..)?),
        None => (content, ""),
    };
    if !(classes.is_empty() || classes.starts_with('.')) {
        return None;
    }
    let name = annotation.trim();
    Some(((!name.is_empty()).then(|| name.to_owned()), rest))
}

/// Whether the tag content (between `<` and `>`) is a formatting tag SRT files use.
fn is_format_tag(content: &str) -> bool {
    let name = content.strip_prefix('/').unwrap_or(content);
    let end = name
        .find(|c: char| c.is_ascii_whitespace() || c == '.')
        .unwrap_or(name.len());
    let name = name.get(..end).unwrap_or_default();
    ["b", "i", "u", "s", "font", "v"]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(name))
}

/// The text without formatting tags (one pass).
fn strip_tags(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('<') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        match from.find('>') {
            Some(close) if is_format_tag(from.get(1..close).unwrap_or_default()) => {
                rest = from.get(close + 1..).unwrap_or_default();
            }
            _ => {
                out.push('<');
                rest = from.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The text as it can be written: blank lines and trailing whitespace dropped, tags
/// removed, `-->` written `->`, repeated until nothing changes, so that it reads back as
/// written.
fn writable(text: &str) -> std::borrow::Cow<'_, str> {
    let ready = !text.contains(['<', '\r'])
        && !text.contains("-->")
        && text
            .split('\n')
            .all(|l| !l.is_empty() && !l.ends_with(|c: char| c.is_ascii_whitespace()));
    if ready {
        return text.into();
    }
    let mut cur = text.to_owned();
    loop {
        let mut next = strip_tags(&cur).into_owned();
        while next.contains("-->") {
            next = next.replace("-->", "->");
        }
        let next = text_lines(&next)
            .map(|l| l.trim_end_matches(|c: char| c.is_ascii_whitespace()))
            .collect::<Vec<_>>()
            .join("\n");
        if next == cur {
            return cur.into();
        }
        cur = next;
    }
}

/// Render a transcript as SRT; every segment needs a start and an end.
pub fn render(t: &Transcript) -> Result<String, RenderError> {
    render_with(t, &RenderOptions::default())
}

/// Render a transcript as SRT with options (see [`MissingTimes`](crate::MissingTimes)).
pub fn render_with(t: &Transcript, options: &RenderOptions) -> Result<String, RenderError> {
    let times = cue_times(t, options.missing_times)?;
    let estimate: usize = t
        .segments
        .iter()
        .map(|s| s.text.len() + s.speaker.as_ref().map_or(0, |s| s.len() + 4) + 40)
        .sum();
    let mut out = String::with_capacity(estimate);
    for (i, (seg, (start, end))) in t.segments.iter().zip(times).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&(i + 1).to_string());
        out.push('\n');
        push_timestamp(&mut out, start, ',');
        out.push_str(" --> ");
        push_timestamp(&mut out, end, ',');
        out.push('\n');
        let speaker = seg
            .speaker
            .as_deref()
            .map(|s| s.replace(['\n', '\r'], " ").replace('>', ""))
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let text = writable(&seg.text);
        let has_speaker = speaker.is_some();
        match speaker {
            Some(s) if is_label(&s) => {
                out.push_str(&s);
                out.push(':');
                if !text.is_empty() {
                    out.push(' ');
                }
            }
            Some(s) => {
                out.push_str("<v ");
                out.push_str(&s);
                out.push('>');
            }
            None => {}
        }
        out.push_str(&text);
        if !text.is_empty() || has_speaker {
            out.push('\n');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_and_tags() {
        let s = cue_segment("<v SPEAKER_00>Hello <i>there</i>.");
        assert_eq!(s.speaker.as_deref(), Some("SPEAKER_00"));
        assert_eq!(s.text, "Hello there.");
        let s = cue_segment("Dana: <b>Hi</b> &amp; a < b");
        assert_eq!(s.speaker.as_deref(), Some("Dana"));
        assert_eq!(s.text, "Hi &amp; a < b");
        let s = cue_segment("<font color=\"red\">Plain</font>");
        assert_eq!(s.speaker, None);
        assert_eq!(s.text, "Plain");
    }

    #[test]
    fn writable_is_a_fixpoint() {
        assert_eq!(writable("a <<b>b> c"), "a  c");
        assert_eq!(writable("x\n<i>\ny"), "x\ny");
        assert_eq!(writable("a ---> b"), "a -> b");
        assert_eq!(writable("plain\ntext"), "plain\ntext");
    }
}
