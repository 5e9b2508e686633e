//! Primitive: SHA-256 (the `sha2` crate) and HMAC-SHA256 (RFC 2104), hand-written on top
//! of SHA-256's compression function (`sha2::compress256`).
//!
//! A secret is turned once into its two keyed states ([`HmacKey`]: SHA-256 after the
//! `key ^ ipad` and `key ^ opad` blocks), so verifying does not redo the key schedule.
//! Those states are as good as the key for forging signatures, so they are zeroized when
//! dropped, and so are the copies each check works on ([`HmacSha256`]).
//!
//! Why not the `hmac` crate: version 0.13 (over `sha2` 0.11) zeroizes on drop too, with its
//! `zeroize` feature, and was measured in this module's place: at 1 KiB the HMAC-hex
//! verifiers and Heilo were 11 to 37 ns (3 to 4 %) slower with it, as it also wipes the
//! 64-byte message buffer of every check, which took Speakr to 1.08 and the generic scheme
//! to 1.05 times a bare `hmac` 0.13 HMAC-SHA256 (the goal is ≤ 1.05) against 1.045 and 1.02
//! to 1.04 with this implementation (BENCHMARKS.md, webhook-verify, "Issue 17"). This
//! implementation is checked against the `hmac` crate in the tests.

use block_buffer::EagerBuffer;
use sha2::digest::consts::U64;
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::ct::ct_eq_32;

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// An HMAC-SHA256 computation keyed with `key`, for the signers.
pub(crate) fn keyed(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_key(key)
}

/// SHA-256 block size in bytes.
const BLOCK: usize = 64;

/// The SHA-256 initial hash value (FIPS 180-4 §5.3.3).
const H256: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

type Block = GenericArray<u8, U64>;

/// The keyed inner and outer SHA-256 states of one secret. Zeroized on drop
/// ([`ZeroizeOnDrop`]).
#[derive(Clone)]
pub(crate) struct HmacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl HmacKey {
    /// Key per RFC 2104: keys longer than a block are hashed first, shorter ones are
    /// zero-padded. Infallible for any key length. Every temporary holding key bytes is
    /// zeroized before returning.
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut padded = Block::default();
        if key.len() > BLOCK {
            let mut digest = Sha256::digest(key);
            for (dst, src) in padded.iter_mut().zip(digest.iter()) {
                *dst = *src;
            }
            digest.as_mut_slice().zeroize();
        } else {
            for (dst, src) in padded.iter_mut().zip(key.iter()) {
                *dst = *src;
            }
        }
        let mut pad = Block::default();
        let mut keyed = |mask: u8| {
            for (dst, src) in pad.iter_mut().zip(padded.iter()) {
                *dst = src ^ mask;
            }
            let mut state = H256;
            sha2::compress256(&mut state, std::slice::from_ref(&pad));
            state
        };
        let inner = keyed(0x36);
        let outer = keyed(0x5c);
        pad.as_mut_slice().zeroize();
        padded.as_mut_slice().zeroize();
        HmacKey { inner, outer }
    }

    /// A fresh HMAC computation under this key.
    #[inline]
    pub(crate) fn start(&self) -> HmacSha256 {
        HmacSha256 {
            state: self.inner,
            outer: self.outer,
            blocks: 1,
            buffer: EagerBuffer::default(),
        }
    }

    /// True once every state word is zero (what dropping leaves behind).
    #[cfg(test)]
    pub(crate) fn is_zeroed(&self) -> bool {
        self.inner.iter().chain(self.outer.iter()).all(|w| *w == 0)
    }
}

impl Zeroize for HmacKey {
    fn zeroize(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        self.zeroize();
        #[cfg(test)]
        tests::record_drop(self);
    }
}

impl ZeroizeOnDrop for HmacKey {}

/// One HMAC-SHA256 computation in progress. Holds a copy of the outer keyed state until
/// it finishes, so both states are zeroized on drop too.
#[derive(Clone)]
pub(crate) struct HmacSha256 {
    /// The inner hash state.
    state: [u32; 8],
    /// The keyed outer state.
    outer: [u32; 8],
    /// Blocks compressed into `state` so far (the key block included).
    blocks: u64,
    buffer: EagerBuffer<U64>,
}

impl HmacSha256 {
    /// A computation keyed with `key` (the key schedule runs now).
    pub(crate) fn new_from_key(key: &[u8]) -> Self {
        HmacKey::new(key).start()
    }

    /// Feed `data`. Small pieces are only copied into the block buffer; whole blocks of a
    /// large input are compressed in place, without a copy.
    #[inline]
    pub(crate) fn update(&mut self, data: &[u8]) {
        let state = &mut self.state;
        let blocks = &mut self.blocks;
        self.buffer.digest_blocks(data, |b| {
            *blocks += b.len() as u64;
            sha2::compress256(state, b);
        });
    }

    /// The 32-byte tag.
    pub(crate) fn finalize(mut self) -> [u8; 32] {
        let bits = (self.blocks * BLOCK as u64 + self.buffer.get_pos() as u64) * 8;
        let state = &mut self.state;
        self.buffer.len64_padding_be(bits, |b| {
            sha2::compress256(state, std::slice::from_ref(b));
        });
        // Outer hash: the keyed outer state over the 32-byte inner digest, padded.
        let mut last = Block::default();
        for (dst, word) in last.chunks_exact_mut(4).zip(self.state.iter()) {
            dst.copy_from_slice(&word.to_be_bytes());
        }
        if let Some(b) = last.get_mut(32) {
            *b = 0x80;
        }
        let outer_bits = ((BLOCK + 32) as u64 * 8).to_be_bytes();
        if let Some(tail) = last.get_mut(BLOCK - 8..) {
            tail.copy_from_slice(&outer_bits);
        }
        let mut outer = self.outer;
        sha2::compress256(&mut outer, std::slice::from_ref(&last));
        let mut out = [0u8; 32];
        for (dst, word) in out.chunks_exact_mut(4).zip(outer.iter()) {
            dst.copy_from_slice(&word.to_be_bytes());
        }
        out
    }

    /// Whether the tag equals `expected`, compared in constant time (`subtle`).
    #[inline]
    pub(crate) fn verify(self, expected: &[u8; 32]) -> bool {
        ct_eq_32(&self.finalize(), expected)
    }
}

impl Drop for HmacSha256 {
    fn drop(&mut self) {
        self.state.zeroize();
        self.outer.zeroize();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::RefCell;

    use hmac::{Hmac, Mac};

    use super::*;

    thread_local! {
        /// For each `HmacKey` dropped on this thread: whether it was all zeros afterwards.
        static DROPPED: RefCell<Vec<bool>> = const { RefCell::new(Vec::new()) };
    }

    pub(crate) fn record_drop(key: &HmacKey) {
        DROPPED.with(|d| d.borrow_mut().push(key.is_zeroed()));
    }

    /// What `HmacKey`s dropped on this thread since the last call left behind.
    pub(crate) fn take_drops() -> Vec<bool> {
        DROPPED.with(|d| std::mem::take(&mut *d.borrow_mut()))
    }

    #[test]
    fn agrees_with_the_hmac_crate() {
        let data: Vec<u8> = (0..3000u32).map(|i| (i * 7 + 3) as u8).collect();
        for key_len in [0usize, 1, 32, 63, 64, 65, 200] {
            let key: Vec<u8> = (0..key_len).map(|i| i as u8 ^ 0x5a).collect();
            for len in [0usize, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 3000] {
                let msg = data.get(..len).unwrap();
                let mut reference = Hmac::<Sha256>::new_from_slice(&key).unwrap();
                reference.update(msg);
                let want: [u8; 32] = reference.finalize().into_bytes().into();
                // In one piece, and in uneven pieces.
                let mut mac = HmacSha256::new_from_key(&key);
                mac.update(msg);
                assert_eq!(mac.clone().finalize(), want, "key {key_len}, len {len}");
                assert!(mac.verify(&want));
                let mut mac = HmacKey::new(&key).start();
                for piece in msg.chunks(7) {
                    mac.update(piece);
                }
                assert_eq!(mac.finalize(), want, "pieces: key {key_len}, len {len}");
            }
        }
    }

    #[test]
    fn keyed_matches_new_from_slice() {
        for len in [0usize, 1, 32, 63, 64, 65, 200] {
            let key: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut a = keyed(&key);
            let mut b = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            a.update(b"abc");
            b.update(b"abc");
            assert_eq!(a.finalize(), <[u8; 32]>::from(b.finalize().into_bytes()));
        }
    }

    #[test]
    fn sha256_is_sha256() {
        let data = b"The quick brown fox jumps over the lazy dog";
        assert_eq!(
            hex::encode(sha256(data)),
            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        );
    }

    #[test]
    fn zeroize_clears_both_states() {
        let mut key = HmacKey::new(b"whsec_secret");
        assert!(!key.is_zeroed());
        key.zeroize();
        assert!(key.is_zeroed());
    }

    #[test]
    fn key_types_are_zeroize_on_drop() {
        fn zeroize_on_drop<T: ZeroizeOnDrop>() {}
        zeroize_on_drop::<HmacKey>();
    }
}
