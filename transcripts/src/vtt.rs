//! WebVTT: parsing (after the W3C WebVTT parsing rules) and rendering.
//!
//! # Reading
//!
//! - The file starts with `WEBVTT` (after an optional byte order mark), alone or followed by
//!   a space or tab and any text; the header lines up to the first blank line are skipped,
//!   except a `Language: xx` line, which sets [`Transcript::language`].
//! - Line ends may be `\r\n`, `\n` or `\r`. A line of only whitespace counts as blank.
//! - A cue is an optional identifier line, a timing line `start --> end`, and text lines up
//!   to a blank line (or to a line containing `-->`, which starts the next block, as the
//!   WebVTT rules have it). Timestamps are `hh:mm:ss.ttt` (one or more hour digits) or
//!   `mm:ss.ttt`; cue settings after the end time (`align:start line:0`, …) are ignored.
//! - `NOTE`, `STYLE` and `REGION` blocks are skipped, wherever they are.
//! - Cue text: a `<v Speaker>` voice span (also with classes, `<v.loud Speaker>`, and closed
//!   or not by `</v>`) gives the segment's speaker; every other tag (`<b>`, `<i>`, `<u>`,
//!   `<c.class>`, `<lang en>`, `<ruby>`, `<rt>`, timestamps `<00:00:01.000>`) is removed;
//!   character references are decoded (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`,
//!   `&lrm;`, `&rlm;`, and numeric ones such as `&#233;` or `&#xE9;`; any other `&` is kept
//!   as text). Lines are joined with `\n`.
//! - **Several voices in one cue** (`<v A>Yes.</v> <v B>No.</v>`, or one voice per line)
//!   become several segments, one per voice, each with the cue's start and end and its text
//!   trimmed of surrounding whitespace: no speaker's words are lost or attributed to
//!   another. Text before the first voice, if any, is a segment without a speaker.
//!
//! [`parse`] is strict: the first malformed block fails the whole parse with a
//! [`ParseError`] naming its line: bad cue timings, text that belongs to no cue, a cue inside
//! the header (a missing blank line). [`parse_lenient`] does what a WebVTT player does:
//! it skips such blocks (reading a cue written inside the header, too) and lists each in
//! [`Parsed::warnings`]. Both fail only when the `WEBVTT` line is missing. Neither panics,
//! whatever the input.
//!
//! # Writing
//!
//! [`render`] writes `WEBVTT`, a `Language:` header line when the language is known, and
//! one cue per segment: `hh:mm:ss.ttt --> hh:mm:ss.ttt`, then `<v Speaker>` when the speaker
//! is known, then the text with `&`, `<` and `>` escaped and blank lines left out (a blank
//! line would end the cue). Every segment needs a start and an end: see
//! [`MissingTimes`](crate::MissingTimes). A transcript written by [`render`] reads back with
//! [`parse`] to the same segments and language (times at millisecond precision; speakers
//! trimmed, an empty speaker read back as none).

use std::time::Duration;

use crate::error::{ParseError, ParseErrorKind, RenderError};
use crate::format::{cue_times, Parsed, RenderOptions};
use crate::lines::{text_lines, Line, Lines};
use crate::model::{Segment, Transcript};
use crate::time::{parse_timings, parse_vtt_timestamp, push_timestamp};

/// Parse a WebVTT file strictly: the first malformed block is an error (see the module
/// docs).
pub fn parse(input: &str) -> Result<Transcript, ParseError> {
    let mut p = Parser::new(input, true)?;
    p.run()?;
    Ok(p.finish())
}

/// Parse a WebVTT file leniently: malformed blocks are skipped and listed. Fails only when
/// the `WEBVTT` line is missing.
pub fn parse_lenient(input: &str) -> Result<Parsed, ParseError> {
    let mut p = Parser::new(input, false)?;
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
    language: Option<String>,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str, strict: bool) -> Result<Self, ParseError> {
        let input = input.strip_prefix('\u{feff}').unwrap_or(input);
        let mut lines = Lines::new(input);
        let first = lines.next().map_or("", |l| l.text);
        let rest = first.strip_prefix("WEBVTT");
        if !rest.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t'])) {
            return Err(ParseError::new(1, ParseErrorKind::MissingHeader));
        }
        Ok(Parser {
            input,
            lines,
            pending: None,
            strict,
            warnings: Vec::new(),
            segments: Vec::new(),
            language: None,
        })
    }

    fn next_line(&mut self) -> Option<Line<'a>> {
        self.pending.take().or_else(|| self.lines.next())
    }

    /// A malformed block: an error when strict, a warning otherwise.
    fn malformed(&mut self, line: usize, kind: ParseErrorKind) -> Result<(), ParseError> {
        let e = ParseError::new(line, kind);
        if self.strict {
            return Err(e);
        }
        self.warnings.push(e);
        Ok(())
    }

    fn run(&mut self) -> Result<(), ParseError> {
        self.header()?;
        while let Some(first) = self.next_line() {
            if first.is_blank() {
                continue;
            }
            if first.has_arrow() {
                self.cue(first)?;
                continue;
            }
            match self.next_line() {
                Some(second) if !second.is_blank() && second.has_arrow() => self.cue(second)?,
                second => {
                    let skipped = is_block(first.text, "NOTE")
                        || is_block(first.text, "STYLE")
                        || is_block(first.text, "REGION");
                    if !skipped {
                        self.malformed(first.number, ParseErrorKind::NotACue)?;
                    }
                    if second.is_some_and(|l| !l.is_blank()) {
                        self.skip_block();
                    }
                }
            }
        }
        Ok(())
    }

    /// The header lines after `WEBVTT`, up to a blank line.
    fn header(&mut self) -> Result<(), ParseError> {
        while let Some(line) = self.next_line() {
            if line.is_blank() {
                break;
            }
            if line.has_arrow() {
                self.malformed(line.number, ParseErrorKind::CueInHeader)?;
                // Lenient: read it as the cue it was meant to be.
                self.pending = Some(line);
                break;
            }
            if let Some((key, value)) = line.text.split_once(':') {
                let value = value.trim();
                if key.trim().eq_ignore_ascii_case("language") && !value.is_empty() {
                    self.language = Some(value.to_owned());
                }
            }
        }
        Ok(())
    }

    /// Skip the rest of a block: up to a blank line, or up to a line with `-->`, which
    /// starts the next block.
    fn skip_block(&mut self) {
        while let Some(line) = self.next_line() {
            if line.is_blank() {
                break;
            }
            if line.has_arrow() {
                self.pending = Some(line);
                break;
            }
        }
    }

    fn cue(&mut self, timing: Line<'a>) -> Result<(), ParseError> {
        let Some((start, end)) = parse_timings(timing.text, parse_vtt_timestamp) else {
            self.malformed(
                timing.number,
                ParseErrorKind::BadTimings(timing.text.to_owned()),
            )?;
            self.skip_block();
            return Ok(());
        };
        let mut span: Option<(usize, usize)> = None;
        while let Some(line) = self.next_line() {
            if line.is_blank() {
                break;
            }
            if line.has_arrow() {
                self.pending = Some(line);
                break;
            }
            span = Some(span.map_or((line.start, line.end), |(s, _)| (s, line.end)));
        }
        let text = span
            .and_then(|(s, e)| self.input.get(s..e))
            .unwrap_or_default();
        let (start, end) = (Duration::from_millis(start), Duration::from_millis(end));
        if text.contains('\r') {
            // Lines ended by `\r\n` or `\r`: rejoin them with `\n`.
            let joined: Vec<&str> = Lines::new(text).map(|l| l.text).collect();
            push_cue(&joined.join("\n"), start, end, &mut self.segments);
        } else {
            push_cue(text, start, end, &mut self.segments);
        }
        Ok(())
    }

    fn finish(mut self) -> Transcript {
        self.segments.shrink_to_fit();
        Transcript {
            segments: std::mem::take(&mut self.segments),
            language: self.language.take(),
            source: None,
        }
    }
}

/// `line` starts a `NOTE`, `STYLE` or `REGION` block: the word alone or followed by a space
/// or tab.
fn is_block(line: &str, word: &str) -> bool {
    line.strip_prefix(word)
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// Turn one cue's text into segments (see the module docs for voices).
fn push_cue(text: &str, start: Duration, end: Duration, out: &mut Vec<Segment>) {
    let seg = |speaker: Option<String>, text: String| Segment {
        speaker,
        start: Some(start),
        end: Some(end),
        text,
    };
    // Plain text: one copy, exactly sized.
    if !text.bytes().any(|b| b == b'<' || b == b'&') {
        out.push(seg(None, text.to_owned()));
        return;
    }
    // One voice span and plain text after it (optionally closed by `</v>`): the usual form.
    if let Some((speaker, rest)) = leading_voice(text) {
        let rest = rest.strip_suffix("</v>").unwrap_or(rest);
        if !rest.bytes().any(|b| b == b'<' || b == b'&') {
            out.push(seg(speaker, rest.to_owned()));
            return;
        }
    }
    // The general case: strip tags, decode references, split on voices.
    let bytes = text.as_bytes();
    let mut buf = String::with_capacity(text.len());
    let mut speaker: Option<String> = None;
    let mut split = false;
    let mut voices = 0usize;
    let (mut i, mut run) = (0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'<' => {
                buf.push_str(text.get(run..i).unwrap_or_default());
                let close = text
                    .get(i + 1..)
                    .and_then(|r| r.find('>'))
                    .map(|k| i + 1 + k);
                let content = text
                    .get(i + 1..close.unwrap_or(text.len()))
                    .unwrap_or_default();
                i = close.map_or(text.len(), |c| c + 1);
                run = i;
                if let Some(annotation) = voice_annotation(content) {
                    if voices > 0 || !buf.trim().is_empty() {
                        let prev =
                            std::mem::replace(&mut buf, String::with_capacity(text.len() - i));
                        out.push(seg(speaker.take(), trimmed(prev)));
                        split = true;
                    } else {
                        buf.clear();
                    }
                    voices += 1;
                    speaker = annotation;
                }
            }
            b'&' => match reference(bytes.get(i + 1..).unwrap_or_default()) {
                Some((decoded, used)) => {
                    buf.push_str(text.get(run..i).unwrap_or_default());
                    buf.push(decoded);
                    i += 1 + used;
                    run = i;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    buf.push_str(text.get(run..).unwrap_or_default());
    let buf = if split || voices > 1 {
        trimmed(buf)
    } else {
        buf
    };
    out.push(seg(speaker, shrunk(buf)));
}

/// The text without surrounding whitespace (reusing the allocation when nothing changes).
fn trimmed(s: String) -> String {
    let t = s.trim();
    if t.len() == s.len() {
        s
    } else {
        t.to_owned()
    }
}

/// Give back a buffer's spare capacity when it is worth a reallocation.
fn shrunk(mut s: String) -> String {
    if s.capacity() - s.len() > 16 {
        s.shrink_to_fit();
    }
    s
}

/// `<v Speaker>` (or `<v.class Speaker>`) at the very start of the text: the speaker and
/// what follows the tag.
fn leading_voice(text: &str) -> Option<(Option<String>, &str)> {
    let inner = text.strip_prefix('<')?;
    let close = inner.find('>')?;
    let annotation = voice_annotation(inner.get(..close)?)?;
    Some((annotation, inner.get(close + 1..)?))
}

/// The speaker of a tag's content when it is a voice start tag (`v`, `v.loud`, followed by
/// whitespace and the annotation): `Some(None)` for a voice without a name.
#[allow(clippy::option_option)]
fn voice_annotation(content: &str) -> Option<Option<String>> {
    let rest = content.strip_prefix('v')?;
    let (name_end, annotation) = match rest.find(|c: char| c.is_ascii_whitespace()) {
        Some(k) => (k, rest.get(k..).unwrap_or_default()),
        None => (rest.len(), ""),
    };
    // After `v`: nothing, or classes (`.loud.x`) before the whitespace.
    let classes = rest.get(..name_end).unwrap_or_default();
    if !(classes.is_empty() || classes.starts_with('.')) {
        return None;
    }
    let annotation = annotation.trim();
    if annotation.is_empty() {
        return Some(None);
    }
    Some(Some(decode_references(annotation)))
}

/// Decode the character references of a text (see [`reference`]).
fn decode_references(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut i, mut run) = (0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        if b == b'&' {
            if let Some((c, used)) = reference(bytes.get(i + 1..).unwrap_or_default()) {
                out.push_str(s.get(run..i).unwrap_or_default());
                out.push(c);
                i += 1 + used;
                run = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out
}

/// A character reference after `&`: the character and the bytes used (`;` included).
fn reference(after: &[u8]) -> Option<(char, usize)> {
    let semi = after.iter().take(12).position(|&b| b == b';')?;
    let name = after.get(..semi)?;
    let c = match name {
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"quot" => '"',
        b"apos" => '\'',
        b"nbsp" => '\u{a0}',
        b"lrm" => '\u{200e}',
        b"rlm" => '\u{200f}',
        [b'#', b'x' | b'X', hex @ ..] if !hex.is_empty() => {
            numeric(std::str::from_utf8(hex).ok()?, 16)?
        }
        [b'#', dec @ ..] if !dec.is_empty() => numeric(std::str::from_utf8(dec).ok()?, 10)?,
        _ => return None,
    };
    Some((c, semi + 1))
}

/// A numeric reference's character; U+FFFD for a number that is not a character (as the
/// HTML rules do).
fn numeric(digits: &str, radix: u32) -> Option<char> {
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let n = u32::from_str_radix(digits, radix).unwrap_or(u32::MAX);
    Some(match n {
        0 => '\u{fffd}',
        n => char::from_u32(n).unwrap_or('\u{fffd}'),
    })
}

/// Render a transcript as WebVTT; every segment needs a start and an end.
pub fn render(t: &Transcript) -> Result<String, RenderError> {
    render_with(t, &RenderOptions::default())
}

/// Render a transcript as WebVTT with options (see
/// [`MissingTimes`](crate::MissingTimes)).
pub fn render_with(t: &Transcript, options: &RenderOptions) -> Result<String, RenderError> {
    let times = cue_times(t, options.missing_times)?;
    let estimate: usize = t
        .segments
        .iter()
        .map(|s| s.text.len() + s.speaker.as_ref().map_or(0, |s| s.len() + 4) + 32)
        .sum();
    let mut out = String::with_capacity(estimate + 16);
    out.push_str("WEBVTT\n");
    if let Some(lang) = t.language.as_deref().map(str::trim) {
        if !lang.is_empty() && !lang.contains(['\n', '\r']) && !lang.contains("-->") {
            out.push_str("Language: ");
            out.push_str(lang);
            out.push('\n');
        }
    }
    for (seg, (start, end)) in t.segments.iter().zip(times) {
        out.push('\n');
        push_timestamp(&mut out, start, '.');
        out.push_str(" --> ");
        push_timestamp(&mut out, end, '.');
        out.push('\n');
        let speaker = seg
            .speaker
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(speaker) = speaker {
            out.push_str("<v ");
            if speaker.contains(['\n', '\r']) {
                escape_into(&mut out, &speaker.replace(['\n', '\r'], " "));
            } else {
                escape_into(&mut out, speaker);
            }
            out.push('>');
        }
        let mut first = true;
        for line in text_lines(&seg.text) {
            if !first {
                out.push('\n');
            }
            first = false;
            escape_into(&mut out, line);
        }
        if !first || speaker.is_some() {
            out.push('\n');
        }
    }
    Ok(out)
}

/// Append `s` with `&`, `<` and `>` escaped.
fn escape_into(out: &mut String, s: &str) {
    if !s.contains(['&', '<', '>']) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Option<Duration> {
        Some(Duration::from_millis(n))
    }

    #[test]
    fn references() {
        assert_eq!(
            decode_references("a &amp; b &lt;c&gt; &#233;&#xE9; &bogus; &"),
            "a & b <c> éé &bogus; &"
        );
        assert_eq!(decode_references("&#0;&#x110000;"), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn voices_and_tags() {
        let mut out = Vec::new();
        push_cue(
            "<v.loud Dana Reyes>Hello <b>there</b></v>",
            Duration::ZERO,
            Duration::from_secs(1),
            &mut out,
        );
        push_cue(
            "<v A>Yes.</v> <v B>No &amp; never.</v>",
            Duration::ZERO,
            Duration::from_secs(1),
            &mut out,
        );
        push_cue(
            "<c.x>plain</c> <00:00:01.000>text",
            Duration::ZERO,
            Duration::ZERO,
            &mut out,
        );
        let got: Vec<(Option<&str>, &str)> = out
            .iter()
            .map(|s| (s.speaker.as_deref(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("Dana Reyes"), "Hello there"),
                (Some("A"), "Yes."),
                (Some("B"), "No & never."),
                (None, "plain text"),
            ]
        );
        assert_eq!(out[1].end, ms(1000));
    }

    #[test]
    fn voice_tag_forms() {
        assert_eq!(voice_annotation("v Bob"), Some(Some("Bob".into())));
        assert_eq!(voice_annotation("v.a.b  Bob  "), Some(Some("Bob".into())));
        assert_eq!(voice_annotation("v"), Some(None));
        assert_eq!(voice_annotation("vid x"), None);
        assert_eq!(voice_annotation("b"), None);
    }
}
