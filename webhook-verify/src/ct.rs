//! Primitive: constant-time comparison of 32-byte tags.
//!
//! Hand-written over `subtle`: the four 64-bit words are compared and the result tested
//! with `subtle`. `subtle`'s slice comparison (what the `hmac` crate's `verify_slice` uses)
//! goes byte by byte and measured 11 to 16 ns more per check (BENCHMARKS.md, webhook-verify,
//! "Issue 17"), where the RFC 9421 dialect has no such room left at 1 KiB.

use subtle::ConstantTimeEq;

/// Constant-time equality of two 32-byte values (four 64-bit words XORed and ORed, the
/// result tested with `subtle`).
#[inline]
pub(crate) fn ct_eq_32(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let word = |x: &[u8; 32], i: usize| {
        let mut w = [0u8; 8];
        if let Some(src) = x.get(i * 8..i * 8 + 8) {
            w.copy_from_slice(src);
        }
        u64::from_ne_bytes(w)
    };
    // XOR and OR have no data-dependent branches; `subtle` keeps the final test opaque.
    let diff = (0..4).fold(0u64, |acc, i| acc | (word(a, i) ^ word(b, i)));
    bool::from(diff.ct_eq(&0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ct_eq_32_compares_every_byte() {
        let a = [7u8; 32];
        assert!(ct_eq_32(&a, &a));
        for i in 0..32 {
            let mut b = a;
            b[i] ^= 1;
            assert!(!ct_eq_32(&a, &b), "byte {i}");
        }
    }
}
