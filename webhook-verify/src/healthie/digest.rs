//! Body integrity: the `Content-Digest` header and the SHA-256 it must equal.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::MAX_HEADER_LEN;
use crate::hmac_hex::decode_hex32;
use crate::Error;

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
    let digest = decode_b64_32_plain(inner)?;
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

/// Standard padded base64 of 32 bytes (44 characters): ten full groups of three bytes,
/// then two bytes and one `=`.
fn encode_b64_32(bytes: &[u8; 32]) -> [u8; 44] {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digit = |n: u32| ALPHABET[(n & 0x3f) as usize];
    let mut out = [b'='; 44];
    let (groups, tail) = bytes.split_at(30);
    for (dst, src) in out.chunks_exact_mut(4).zip(groups.chunks_exact(3)) {
        let n = (u32::from(src[0]) << 16) | (u32::from(src[1]) << 8) | u32::from(src[2]);
        dst.copy_from_slice(&[digit(n >> 18), digit(n >> 12), digit(n >> 6), digit(n)]);
    }
    let n = (u32::from(tail[0]) << 16) | (u32::from(tail[1]) << 8);
    out[40] = digit(n >> 18);
    out[41] = digit(n >> 12);
    out[42] = digit(n >> 6);
    out
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
            .or_else(|| decode_b64_32(inner))
            .ok_or_else(|| {
                Error::malformed(name, "sha-256 value is not 32 bytes of base64 or hex")
            })?;
        found = Some(digest);
    }
    found.ok_or(Error::UnsupportedDigest)
}

pub(super) fn decode_b64_32(s: &str) -> Option<[u8; 32]> {
    if let Some(out) = decode_b64_32_plain(s.as_bytes()) {
        return Some(out);
    }
    // 32 bytes are 44 base64 characters with padding; reject anything longer before
    // decoding so the buffer below can never overflow.
    if s.len() > 44 {
        return None;
    }
    let mut buf = [0u8; 48];
    let n = STANDARD.decode_slice(s, &mut buf).ok()?;
    let bytes = buf.get(..n)?;
    <[u8; 32]>::try_from(bytes).ok()
}

/// Standard base64 of 32 bytes in its only canonical form: 43 alphabet characters, the
/// last with its two spare bits clear, and one `=`. Accepts nothing that the `base64`
/// crate's `STANDARD` engine rejects and decodes it the same (see the tests); anything
/// else is `None` and goes to that engine.
pub(super) fn decode_b64_32_plain(s: &[u8]) -> Option<[u8; 32]> {
    let s: &[u8; 44] = s.try_into().ok()?;
    let [ref quads @ .., c40, c41, c42, pad] = *s;
    if pad != b'=' {
        return None;
    }
    let value = |c: u8| B64_VALUES[usize::from(c)];
    let mut out = [0u8; 32];
    let mut invalid = 0u8;
    for (dst, quad) in out.chunks_exact_mut(3).zip(quads.chunks_exact(4)) {
        let mut n = 0u32;
        for &c in quad {
            let v = value(c);
            invalid |= v;
            n = (n << 6) | u32::from(v & 0x3f);
        }
        let [_, a, b, c] = n.to_be_bytes();
        dst.copy_from_slice(&[a, b, c]);
    }
    let (v40, v41, v42) = (value(c40), value(c41), value(c42));
    invalid |= v40 | v41 | v42;
    let n = (u32::from(v40 & 0x3f) << 12) | (u32::from(v41 & 0x3f) << 6) | u32::from(v42 & 0x3f);
    if let Some(tail) = out.get_mut(30..) {
        tail.copy_from_slice(&((n >> 2) as u16).to_be_bytes());
    }
    // Non-alphabet characters are 0xff; spare bits must be zero (canonical encoding).
    (invalid & 0xc0 == 0 && n & 0b11 == 0).then_some(out)
}

/// Value of each byte as a standard base64 digit, 0xff for a non-digit.
pub(super) const B64_VALUES: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut table = [0xffu8; 256];
    let mut i = 0;
    while i < alphabet.len() {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

pub(super) fn ct_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b.iter()) {
        diff |= x ^ y;
    }
    diff == 0
}
