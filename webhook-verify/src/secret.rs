//! Secrets for signature verification, several at once for rotation.

use std::fmt;

use hmac::Hmac;
use sha2::Sha256;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// One or more HMAC keys. A delivery verifies if **any** of them matches, which is how a
/// receiver survives a secret rotation (keep the old and the new secret for a while).
///
/// The key is the exact bytes given: the UTF-8 bytes of the secret string as the vendor
/// shows it (`whsec_` prefixes included, nothing base64-decoded). Use
/// [`Secrets::push`]/[`Secrets::new`] with raw bytes when a vendor hands out a
/// base64 key that must be decoded first (RFC 9421 test keys do).
///
/// `Debug` never prints key material. Each key is pre-processed into an HMAC state once,
/// so verifying does not redo the key schedule.
#[derive(Clone, Default)]
pub struct Secrets {
    keys: Vec<HmacSha256>,
}

impl Secrets {
    /// Build from any list of strings or byte strings; the index of each secret is its
    /// position here and is reported by [`crate::Verified::secret_index`].
    pub fn new<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let mut out = Secrets::default();
        for s in secrets {
            out.push(s);
        }
        out
    }

    /// A single secret.
    pub fn single(secret: impl AsRef<[u8]>) -> Self {
        Secrets::new([secret])
    }

    /// Append a secret (it gets the next index).
    pub fn push(&mut self, secret: impl AsRef<[u8]>) {
        self.keys.push(keyed(secret.as_ref()));
    }

    /// Number of secrets.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when no secret is configured (every verification then fails with
    /// [`crate::Error::NoSecrets`]).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Keyed HMAC states, in order.
    pub(crate) fn macs(&self) -> impl Iterator<Item = (usize, &HmacSha256)> {
        self.keys.iter().enumerate()
    }
}

/// An HMAC-SHA256 state keyed with `key`.
///
/// Done by hand per RFC 2104 (keys longer than the 64-byte block are hashed first, shorter
/// ones are zero-padded) so that keying is infallible; `Mac::new_from_slice` does the same
/// but returns a `Result`.
pub(crate) fn keyed(key: &[u8]) -> HmacSha256 {
    use hmac::digest::{generic_array::GenericArray, KeyInit};
    use sha2::Digest;
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        let digest = Sha256::digest(key);
        for (dst, src) in block.iter_mut().zip(digest.iter()) {
            *dst = *src;
        }
    } else {
        for (dst, src) in block.iter_mut().zip(key.iter()) {
            *dst = *src;
        }
    }
    <HmacSha256 as KeyInit>::new(GenericArray::from_slice(&block))
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets([REDACTED; {}])", self.keys.len())
    }
}

impl From<&str> for Secrets {
    fn from(s: &str) -> Self {
        Secrets::single(s)
    }
}

impl From<String> for Secrets {
    fn from(s: String) -> Self {
        Secrets::single(s)
    }
}

impl From<&String> for Secrets {
    fn from(s: &String) -> Self {
        Secrets::single(s)
    }
}

impl<S: AsRef<[u8]>, const N: usize> From<[S; N]> for Secrets {
    fn from(s: [S; N]) -> Self {
        Secrets::new(s)
    }
}

impl<S: AsRef<[u8]>> From<Vec<S>> for Secrets {
    fn from(s: Vec<S>) -> Self {
        Secrets::new(s)
    }
}

impl<S: AsRef<[u8]>> From<&[S]> for Secrets {
    fn from(s: &[S]) -> Self {
        Secrets::new(s)
    }
}
