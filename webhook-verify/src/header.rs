//! Primitive: reading header values (present, single, visible ASCII) and making them.

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::encoding::{lanes_ge, LANES_01, LANES_80};
use crate::error::Error;

/// `HeaderValue::to_str` succeeds exactly when this is true (visible ASCII or tab), checked
/// eight bytes at a time.
pub(crate) fn is_visible_ascii(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    let mut bad = 0u64;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let y = x & !LANES_80;
        let tab =
            !(y ^ LANES_01.wrapping_mul(0x09)).wrapping_add(LANES_01.wrapping_mul(0x7f)) & LANES_80;
        let control = !lanes_ge(y, 0x20) & LANES_80 & !tab;
        let del = lanes_ge(y, 0x7f);
        bad |= (x & LANES_80) | control | del;
    }
    bad == 0
        && chunks
            .remainder()
            .iter()
            .all(|&b| (0x20..0x7f).contains(&b) || b == b'\t')
}

/// A present, visible-ASCII, non-blank header value, trimmed (the first line).
pub(crate) fn header_text<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Result<&'h str, Error> {
    let value = headers
        .get(name)
        .ok_or_else(|| Error::missing(name.as_str()))?;
    let text = value
        .to_str()
        .map_err(|_| Error::malformed(name.as_str(), "not visible ASCII"))?
        .trim();
    if text.is_empty() {
        return Err(Error::malformed(name.as_str(), "empty"));
    }
    Ok(text)
}

/// The first line of a header, trimmed, if it is visible ASCII.
pub(crate) fn first_line<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// The one line of a header (missing or repeated is an error).
pub(crate) fn single_value<'h>(
    headers: &'h HeaderMap,
    name: &HeaderName,
) -> Result<&'h HeaderValue, Error> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or_else(|| Error::missing(name.as_str()))?;
    if values.next().is_some() {
        return Err(Error::malformed(
            name.as_str(),
            "header sent more than once",
        ));
    }
    Ok(value)
}

/// A header line as trimmed text, if it is visible ASCII.
pub(crate) fn value_text<'h>(value: &'h HeaderValue, name: &HeaderName) -> Result<&'h str, Error> {
    value
        .to_str()
        .map(str::trim)
        .map_err(|_| Error::malformed(name.as_str(), "not visible ASCII"))
}

/// The one line of a header, trimmed; `Err(None)` when it is missing, else the reason it
/// is malformed.
pub(crate) fn single_header_why<'h>(
    headers: &'h HeaderMap,
    name: &HeaderName,
) -> Result<&'h str, Option<&'static str>> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or(None)?;
    if values.next().is_some() {
        return Err(Some("header sent more than once"));
    }
    // `HeaderValue::to_str`, with a faster check.
    let bytes = value.as_bytes();
    if !is_visible_ascii(bytes) {
        return Err(Some("not visible ASCII"));
    }
    std::str::from_utf8(bytes)
        .map(str::trim)
        .map_err(|_| Some("not visible ASCII"))
}

/// A header value from text this crate generated itself (hex, base64, digits and
/// punctuation), which is always valid; anything else is replaced by an empty value
/// rather than panicking.
pub(crate) fn ascii_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A header value from caller-supplied text.
pub(crate) fn user_value(name: &HeaderName, text: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(text).map_err(|_| Error::InvalidHeaderValue {
        name: name.as_str().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_ascii_matches_header_value_to_str() {
        for len in 0..20 {
            for pos in 0..len {
                for b in 0..=255u8 {
                    let mut s = vec![b'x'; len];
                    s[pos] = b;
                    let expected = s.iter().all(|&c| (0x20..0x7f).contains(&c) || c == b'\t');
                    assert_eq!(
                        is_visible_ascii(&s),
                        expected,
                        "byte {b:#x} at {pos} of {len}"
                    );
                    if let Ok(v) = HeaderValue::from_bytes(&s) {
                        assert_eq!(is_visible_ascii(&s), v.to_str().is_ok());
                    }
                }
            }
        }
    }
}
