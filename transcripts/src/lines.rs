//! Lines of a text with their positions and numbers; `\r\n`, `\n` and `\r` all end a line.

/// One line, without its terminator.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// The text of the line.
    pub(crate) text: &'a str,
    /// Byte offset of the line's first byte.
    pub(crate) start: usize,
    /// Byte offset just past the line's last byte (before the terminator).
    pub(crate) end: usize,
    /// 1-based line number.
    pub(crate) number: usize,
}

impl Line<'_> {
    /// Empty or only whitespace: a block separator. (The WebVTT rules want an empty line;
    /// files with stray spaces on separator lines are common enough to accept.)
    pub(crate) fn is_blank(&self) -> bool {
        self.text.bytes().all(|b| b.is_ascii_whitespace())
    }

    /// Contains `-->`.
    pub(crate) fn has_arrow(&self) -> bool {
        has_arrow(self.text)
    }
}

/// Whether `s` contains `-->`.
pub(crate) fn has_arrow(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(k) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'>')) {
        let at = i + k;
        if at >= 2 && b.get(at - 2..at) == Some(b"--") {
            return true;
        }
        i = at + 1;
    }
    false
}

/// The lines of a text.
pub(crate) struct Lines<'a> {
    text: &'a str,
    pos: usize,
    number: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Lines {
            text,
            pos: 0,
            number: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        let rest = bytes.get(start..)?;
        let (end, next) = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(k) => {
                let end = start + k;
                let crlf = bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n');
                (end, end + if crlf { 2 } else { 1 })
            }
            None => (bytes.len(), bytes.len()),
        };
        self.pos = next;
        self.number += 1;
        Some(Line {
            // Line ends are ASCII, so both offsets are char boundaries.
            text: self.text.get(start..end)?,
            start,
            end,
            number: self.number,
        })
    }
}

/// Split a segment's text into lines the way the renderers write them: on `\r\n`, `\n` or
/// `\r`, dropping blank lines (a blank line would end the cue).
pub(crate) fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    Lines::new(text).filter(|l| !l.is_blank()).map(|l| l.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_line_ends() {
        let v: Vec<(usize, &str)> = Lines::new("a\r\nb\rc\n\nd")
            .map(|l| (l.number, l.text))
            .collect();
        assert_eq!(v, [(1, "a"), (2, "b"), (3, "c"), (4, ""), (5, "d")]);
        assert_eq!(Lines::new("a\n").count(), 1);
        assert_eq!(Lines::new("").count(), 0);
    }

    #[test]
    fn arrows() {
        assert!(has_arrow("00:01.000 --> 00:02.000"));
        assert!(has_arrow("-->"));
        assert!(!has_arrow("->"));
        assert!(!has_arrow("- ->"));
        assert!(has_arrow(">>-->"));
    }
}
