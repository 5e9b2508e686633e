//! Primitive: matching received signatures against the configured secrets, each
//! comparison in constant time, without a heap allocation.

use crate::error::Error;
use crate::mac::HmacSha256;
use crate::secret::Secrets;

/// Up to [`SigList::CAPACITY`] decoded signatures, without a heap allocation.
#[derive(Clone, Copy)]
pub(crate) struct SigList {
    items: [[u8; 32]; SigList::CAPACITY],
    len: usize,
}

impl Default for SigList {
    fn default() -> Self {
        SigList {
            items: [[0; 32]; SigList::CAPACITY],
            len: 0,
        }
    }
}

impl SigList {
    pub(crate) const CAPACITY: usize = 4;

    /// A list of one signature.
    pub(crate) fn one(sig: [u8; 32]) -> Self {
        let mut list = SigList::default();
        list.push(sig);
        list
    }

    /// Append; false when full.
    pub(crate) fn push(&mut self, sig: [u8; 32]) -> bool {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = sig;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    pub(crate) fn as_slice(&self) -> &[[u8; 32]] {
        self.items.get(..self.len).unwrap_or(&[])
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Run `feed` on a fresh keyed HMAC per secret and compare the result with every
/// candidate signature in constant time; the index of the first matching secret.
pub(crate) fn match_any(
    secrets: &Secrets,
    signatures: &[[u8; 32]],
    mut feed: impl FnMut(&mut HmacSha256),
) -> Result<usize, Error> {
    if secrets.is_empty() {
        return Err(Error::NoSecrets);
    }
    let Some((last, others)) = signatures.split_last() else {
        return Err(Error::NoMatchingSignature);
    };
    for (index, key) in secrets.macs() {
        let mut mac = key.start();
        feed(&mut mac);
        // verify consumes the state: earlier candidates get a copy of it.
        for sig in others {
            if mac.clone().verify(sig) {
                return Ok(index);
            }
        }
        if mac.verify(last) {
            return Ok(index);
        }
    }
    Err(Error::NoMatchingSignature)
}

/// The index of the first secret whose HMAC over what `emit` feeds it is `signature`
/// (compared in constant time); `Ok(None)` if none is. The message is fed straight into
/// each keyed state, never built; an error from `emit` (the same for every secret, as it
/// depends only on the request) is returned at once.
#[inline]
pub(crate) fn first_secret<E>(
    secrets: &Secrets,
    signature: &[u8; 32],
    mut emit: impl FnMut(&mut HmacSha256) -> Result<(), E>,
) -> Result<Option<usize>, E> {
    for (index, key) in secrets.macs() {
        let mut mac = key.start();
        emit(&mut mac)?;
        if mac.verify(signature) {
            return Ok(Some(index));
        }
    }
    Ok(None)
}
