//! Primitive: the configured secrets, several at once for rotation, as keyed HMAC states;
//! and one secret as a vendor's API hands it out ([`SigningSecret`]).

use std::fmt;

use serde::Deserialize;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::mac::HmacKey;

/// A webhook's signing secret as a vendor's API returns it when a webhook is created or its
/// secret rotated (Hedy's `signingSecret`, Heilo's `signing_secret`, Speakr's `secret`,
/// Healthie's `signature_secret`), or as you load it from your own store.
///
/// It deserializes from the bare JSON string. `Debug` never shows it
/// (`SigningSecret(<redacted>)`), equality is compared in constant time, and the string is
/// zeroized when the value is dropped, as [`Secrets`] does with its keys. It is the bytes of
/// the string ([`AsRef<[u8]>`](AsRef)), so a verifier takes it directly:
///
/// ```
/// use webhook_verify::{speakr, SigningSecret};
///
/// let current = SigningSecret::new("whsec_current");
/// let previous = SigningSecret::new("whsec_previous");
/// let one = speakr::Verifier::new(&current);
/// let both = speakr::Verifier::new([&current, &previous]);
/// assert_eq!(current.expose(), "whsec_current");
/// assert_eq!(format!("{current:?}"), "SigningSecret(<redacted>)");
/// # let _ = (one, both);
/// ```
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct SigningSecret(String);

impl SigningSecret {
    /// Wrap a secret, for example one read from your vault at start-up.
    pub fn new(secret: impl Into<String>) -> Self {
        SigningSecret(secret.into())
    }

    /// The secret itself: store it somewhere safe (it is usually shown only once).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl AsRef<[u8]> for SigningSecret {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl PartialEq for SigningSecret {
    /// Constant time in the contents (a difference in length returns at once).
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.0.as_bytes().ct_eq(other.0.as_bytes()))
    }
}

impl Eq for SigningSecret {}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSecret(<redacted>)")
    }
}

impl Drop for SigningSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for SigningSecret {}

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

impl From<SigningSecret> for Secrets {
    fn from(s: SigningSecret) -> Self {
        Secrets::single(&s)
    }
}

impl From<&SigningSecret> for Secrets {
    fn from(s: &SigningSecret) -> Self {
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
    use super::SigningSecret;
    use crate::mac::tests::take_drops;

    #[test]
    fn a_signing_secret_deserializes_from_a_string_and_never_shows() {
        let s: SigningSecret = serde_json::from_str(r#""whsec_s3cr3t""#).unwrap();
        assert_eq!(s.expose(), "whsec_s3cr3t");
        assert_eq!(format!("{s:?}"), "SigningSecret(<redacted>)");
        assert_eq!(
            format!("{:?}", Some(s.clone())),
            "Some(SigningSecret(<redacted>))"
        );
        assert_eq!(s, SigningSecret::new("whsec_s3cr3t"));
        assert_ne!(s, SigningSecret::new("whsec_s3cr3T"));
        assert_ne!(s, SigningSecret::new("whsec_s3cr3"));
        assert_eq!(AsRef::<[u8]>::as_ref(&s), b"whsec_s3cr3t");
        assert!(serde_json::from_str::<SigningSecret>("42").is_err());
    }

    #[test]
    fn verifiers_take_a_signing_secret() {
        let current = SigningSecret::new("current");
        let previous = SigningSecret::new("previous");
        let body = b"{}";
        let mut headers = http::HeaderMap::new();
        for (k, v) in crate::speakr::sign(current.expose(), body) {
            headers.insert(k, v);
        }
        let verified = crate::speakr::Verifier::new(&current)
            .verify(&headers, body)
            .unwrap();
        assert_eq!(verified.secret_index(), 0);
        let verified = crate::speakr::Verifier::new([&previous, &current])
            .verify(&headers, body)
            .unwrap();
        assert_eq!(verified.secret_index(), 1);
        assert_eq!(super::Secrets::from([&current, &previous]).len(), 2);
        assert!(crate::speakr::Verifier::new(previous)
            .verify(&headers, body)
            .is_err());
        assert_eq!(super::Secrets::from(current.clone()).len(), 1);
        let _ = crate::hedy::Verifier::new(current.clone());
        let _ = crate::heilo::Verifier::new([current.clone()]);
        let _ = crate::healthie::Verifier::new(&current, "POST", "/h");
    }

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
