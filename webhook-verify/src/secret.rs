//! Primitive: the configured secrets, several at once for rotation, as keyed HMAC states.

use std::fmt;

use crate::mac::HmacKey;

/// One or more HMAC keys. A delivery verifies if **any** of them matches, which is how a
/// receiver survives a secret rotation (keep the old and the new secret for a while).
///
/// The key is the exact bytes given: the UTF-8 bytes of the secret string as the vendor
/// shows it (`whsec_` prefixes included, nothing base64-decoded). Use
/// [`Secrets::push`]/[`Secrets::new`] with raw bytes when a vendor hands out a
/// base64 key that must be decoded first (RFC 9421 test keys do).
///
/// `Debug` never prints key material. Each key is pre-processed into its two keyed HMAC
/// states once, so verifying does not redo the key schedule. Those states are as good as
/// the key for signing, so they are **zeroized when the `Secrets` (and so the verifier
/// holding it) is dropped**, with the `zeroize` crate's volatile writes; the secret bytes
/// themselves are never stored. Each key lives in its own allocation, so growing the list
/// never leaves a stale copy behind.
#[derive(Clone, Default)]
pub struct Secrets {
    #[allow(clippy::vec_box)] // boxed so that a reallocation moves no key material
    keys: Vec<Box<HmacKey>>,
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
        self.keys.push(Box::new(HmacKey::new(secret.as_ref())));
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
    pub(crate) fn macs(&self) -> impl Iterator<Item = (usize, &HmacKey)> {
        self.keys.iter().map(|k| &**k).enumerate()
    }
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

#[cfg(test)]
mod tests {
    use crate::mac::tests::take_drops;

    /// Dropping a verifier drops its `Secrets`, and every keyed state is left all zeros
    /// (the `Drop` of each key zeroizes it, then records what it left behind).
    #[test]
    fn a_dropped_verifier_leaves_its_keys_zeroized() {
        let healthie = crate::healthie::Verifier::new(["current", "previous"], "POST", "/h");
        let heilo = crate::heilo::Verifier::new(["current"]);
        let speakr = crate::speakr::Verifier::new(["current", "previous", "older"]);
        take_drops();
        drop(healthie);
        assert_eq!(take_drops(), vec![true, true]);
        drop(heilo);
        assert_eq!(take_drops(), vec![true]);
        drop(speakr);
        assert_eq!(take_drops(), vec![true, true, true]);
    }

    #[test]
    fn growing_the_list_moves_no_key_material() {
        let mut secrets = super::Secrets::default();
        take_drops();
        for i in 0..40u8 {
            secrets.push([i]);
        }
        // Reallocations moved only the boxes' pointers: no key was dropped or copied.
        assert!(take_drops().is_empty());
        drop(secrets);
        let drops = take_drops();
        assert_eq!(drops.len(), 40);
        assert!(drops.iter().all(|zeroed| *zeroed));
    }
}
