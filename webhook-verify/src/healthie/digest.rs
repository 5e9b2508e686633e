//! Body integrity: the `Content-Digest` header and the SHA-256 it must equal.

use super::MAX_HEADER_LEN;
use crate::encoding::{decode_b64_32, decode_hex32, encode_b64_32};
use crate::error::Error;

/// The usual `sha-256=:<base64>:` (or `sha-256=<base64>`) and nothing else, as text and
/// digest: exactly what [`parse_content_digest`] and the `to_str` + trim before it give for
/// such a value (it has a single member, no whitespace, and only visible ASCII). `None`
/// for anything else.
pub(super) fn plain_content_digest(value: &[u8]) -> Option<(&str, [u8; 32])> {
    let inner = match value.len() {
        54 => value
            .strip_prefix(b"sha-256=:")
            .and_then(|rest| rest.strip_suffix(b":")),
        52 => value.strip_prefix(b"sha-256="),
        _ => None,
    }?;
    let digest = decode_b64_32(inner)?;
    Some((std::str::from_utf8(value).ok()?, digest))
}

/// The usual `sha-256=:<base64>:` (or `sha-256=<base64>`) whose base64 is the canonical
/// encoding of `actual`: the header text, else `None`. Encoding our digest and comparing
/// text is cheaper than decoding theirs, and equivalent: [`plain_content_digest`] accepts
/// only canonical base64, which decodes to `actual` exactly when it is this encoding.
/// `None` says nothing about why (another shape, or a mismatch): the caller then takes
/// the general path, which finds out.
#[inline]
pub(super) fn plain_digest_text<'v>(value: &'v [u8], actual: &[u8; 32]) -> Option<&'v str> {
    // Fixed-size comparisons, which compile to a few word compares.
    let inner: &[u8; 44] = match value.len() {
        54 if value.first_chunk::<9>() == Some(b"sha-256=:") && value.last() == Some(&b':') => {
            value.get(9..53)?.try_into().ok()?
        }
        52 if value.first_chunk::<8>() == Some(b"sha-256=") => value.get(8..)?.try_into().ok()?,
        _ => return None,
    };
    // Word-wise (public data: no need for constant time, only for no call to memcmp).
    let ours = encode_b64_32(actual);
    let differs = inner
        .chunks_exact(4)
        .zip(ours.chunks_exact(4))
        .fold(0u32, |acc, (a, b)| {
            let word = |c: &[u8]| u32::from_ne_bytes([c[0], c[1], c[2], c[3]]);
            acc | (word(a) ^ word(b))
        });
    if differs != 0 {
        return None;
    }
    std::str::from_utf8(value).ok()
}

/// Parse a `Content-Digest` value and return its `sha-256` digest.
///
/// Accepts an RFC 9530 dictionary (`sha-256=:<base64>:`, possibly with other members such
/// as `sha-512`, which are ignored) and the lenient forms `sha-256=<base64>` and
/// `sha-256=<64 hex>`; the algorithm name is matched case-insensitively. No `sha-256`
/// member is [`Error::UnsupportedDigest`]; a bad value is [`Error::MalformedHeader`].
pub fn parse_content_digest(value: &str) -> Result<[u8; 32], Error> {
    if let Some((_, digest)) = plain_content_digest(value.as_bytes()) {
        return Ok(digest);
    }
    let name = "content-digest";
    if value.len() > MAX_HEADER_LEN {
        return Err(Error::malformed(name, "too long"));
    }
    if value.trim().is_empty() {
        return Err(Error::malformed(name, "empty"));
    }
    let mut found = None;
    for part in value.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((alg, raw)) = part.split_once('=') else {
            return Err(Error::malformed(name, "member without '='"));
        };
        if !alg.trim().eq_ignore_ascii_case("sha-256") {
            continue;
        }
        if found.is_some() {
            return Err(Error::malformed(name, "duplicate sha-256 member"));
        }
        let raw = raw.trim();
        let raw = raw.split(';').next().unwrap_or(raw).trim();
        let inner = match (raw.strip_prefix(':'), raw.ends_with(':')) {
            (Some(rest), true) => rest.strip_suffix(':').unwrap_or(""),
            (None, false) => raw,
            _ => return Err(Error::malformed(name, "unbalanced ':' around the digest")),
        };
        let digest = decode_hex32(inner)
            .or_else(|| decode_b64_32(inner.as_bytes()))
            .ok_or_else(|| {
                Error::malformed(name, "sha-256 value is not 32 bytes of base64 or hex")
            })?;
        found = Some(digest);
    }
    found.ok_or(Error::UnsupportedDigest)
}
