//! Primitive: the text encodings of 32-byte signatures and digests (hex and standard base64).
//!
//! Base64 is the `base64` crate's `STANDARD` engine (canonical padding, no trailing bits).
//! Hex *decoding* is hand-written: the `hex` crate's `decode_to_slice` measured 61 ns per
//! 64-digit signature against 11 ns here (BENCHMARKS.md, webhook-verify, "Issue 17"), and
//! every Hedy, Speakr, generic, Heilo, Legacy and Guide delivery decodes one: 50 ns is 5 %
//! of a 1 KiB delivery, the whole margin of the HMAC-hex goal (≤ 1.05 × a bare HMAC).
//! Hex *encoding* (the signers) is the `hex` crate's, and so is the decoder's test reference.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// Decode exactly 64 hex digits (either case) into 32 bytes. (The input is the received,
/// public signature, so a data-dependent decode is fine.)
pub(crate) fn decode_hex32(s: &str) -> Option<[u8; 32]> {
    decode_hex32_bytes(s.as_bytes())
}

/// [`decode_hex32`] on bytes.
///
/// Eight digits at a time in a `u64` (SWAR): every lane is checked to be `0-9`, `a-f` or
/// `A-F`, then turned into its value and pairs of lanes are packed into bytes. Exactly the
/// strings accepted by a per-character decoder are accepted (see the exhaustive test).
pub(crate) fn decode_hex32_bytes(bytes: &[u8]) -> Option<[u8; 32]> {
    let bytes: &[u8; 64] = bytes.try_into().ok()?;
    let mut out = [0u8; 32];
    let mut invalid = 0u64;
    for (dst, src) in out.chunks_exact_mut(4).zip(bytes.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(src);
        let x = u64::from_le_bytes(word);
        let (value, bad) = hex_lanes(x);
        invalid |= bad;
        dst.copy_from_slice(&value.to_le_bytes());
    }
    (invalid == 0).then_some(out)
}

pub(crate) const LANES_01: u64 = 0x0101_0101_0101_0101;
pub(crate) const LANES_80: u64 = 0x8080_8080_8080_8080;

/// Per lane of `y` (every lane below 0x80): high bit set where the lane is `>= lo`.
pub(crate) const fn lanes_ge(y: u64, lo: u8) -> u64 {
    y.wrapping_add(LANES_01.wrapping_mul(0x80 - lo as u64)) & LANES_80
}

/// Per lane of `y` (every lane below 0x80): high bit set where the lane is `<= hi`.
const fn lanes_le(y: u64, hi: u8) -> u64 {
    !y.wrapping_add(LANES_01.wrapping_mul(0x7f - hi as u64)) & LANES_80
}

/// Eight ASCII hex digits (little-endian lanes, first digit in the lowest byte) to four
/// bytes, and a non-zero second value if any lane is not a hex digit.
fn hex_lanes(x: u64) -> (u32, u64) {
    let high = x & LANES_80;
    let y = x & !LANES_80;
    let digit = lanes_ge(y, b'0') & lanes_le(y, b'9');
    let lower = y | LANES_01.wrapping_mul(0x20);
    let letter = lanes_ge(lower, b'a') & lanes_le(lower, b'f');
    let bad = high | ((digit | letter) ^ LANES_80);
    // '0'-'9' have bit 6 clear and their value in the low nibble; letters have bit 6 set
    // and 1-6 in the low nibble, hence + 9.
    let nibbles = (y & LANES_01.wrapping_mul(0x0f)) + ((y >> 6) & LANES_01).wrapping_mul(9);
    // Each 16-bit lane: first digit << 4 | second digit, in its low byte.
    let pairs = ((nibbles & 0x000f_000f_000f_000f) << 4) | ((nibbles >> 8) & 0x000f_000f_000f_000f);
    let packed = (pairs | (pairs >> 8)) & 0x0000_ffff_0000_ffff;
    let packed = packed | (packed >> 16);
    ((packed & 0xffff_ffff) as u32, bad)
}

/// Standard base64 of 32 bytes in its only canonical form (43 digits and one `=`, the
/// spare bits clear), decoded; anything else is `None`.
pub(crate) fn decode_b64_32(text: &[u8]) -> Option<[u8; 32]> {
    // 32 bytes are 44 characters; no other length can decode to them.
    if text.len() != 44 {
        return None;
    }
    let mut buf = [0u8; 33];
    match STANDARD.decode_slice(text, &mut buf) {
        Ok(32) => buf.first_chunk::<32>().copied(),
        _ => None,
    }
}

/// Standard padded base64 of 32 bytes (44 characters).
pub(crate) fn encode_b64_32(bytes: &[u8; 32]) -> [u8; 44] {
    let mut out = [0u8; 44];
    // The buffer is exactly the encoded length, so this cannot fail; if it did, the
    // zeros would match no header and the caller would take its general path.
    let _ = STANDARD.encode_slice(bytes, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-character decoder the SWAR one replaced.
    fn reference_hex32(bytes: &[u8]) -> Option<[u8; 32]> {
        fn nibble(c: u8) -> Option<u8> {
            match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'a'..=b'f' => Some(c - b'a' + 10),
                b'A'..=b'F' => Some(c - b'A' + 10),
                _ => None,
            }
        }
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            *o = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Some(out)
    }

    #[test]
    fn hex32_matches_the_reference_for_every_byte_at_every_position() {
        let base: Vec<u8> =
            b"0123456789abcdefABCDEF0123456789fedcbaFEDCBA98765432100123456789".to_vec();
        assert_eq!(base.len(), 64);
        assert!(decode_hex32_bytes(&base).is_some());
        for pos in 0..64 {
            for b in 0..=255u8 {
                let mut s = base.clone();
                s[pos] = b;
                assert_eq!(
                    decode_hex32_bytes(&s),
                    reference_hex32(&s),
                    "byte {b:#x} at {pos}"
                );
                let mut decoded = [0u8; 32];
                let by_crate = hex::decode_to_slice(&s, &mut decoded)
                    .ok()
                    .map(|()| decoded);
                assert_eq!(
                    decode_hex32_bytes(&s),
                    by_crate,
                    "hex crate, {b:#x} at {pos}"
                );
            }
        }
        for len in [0, 1, 63, 65, 128] {
            assert_eq!(decode_hex32_bytes(&vec![b'a'; len]), None);
        }
    }

    #[test]
    fn b64_round_trips_and_refuses_non_canonical_forms() {
        for seed in 0..64u8 {
            let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ seed);
            let text = encode_b64_32(&bytes);
            assert_eq!(text.as_slice(), STANDARD.encode(bytes).as_bytes());
            assert_eq!(decode_b64_32(&text), Some(bytes));
            // Unpadded, or with the spare bits of the last digit set: not canonical.
            assert_eq!(decode_b64_32(&text[..43]), None);
            let mut spare = text;
            spare[42] = if spare[42] == b'A' { b'B' } else { b'A' };
            if STANDARD.decode(spare).is_err() {
                assert_eq!(decode_b64_32(&spare), None);
            }
        }
    }
}
