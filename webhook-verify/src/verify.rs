//! The façade every verifier is used through: the [`Verify`] trait, whose default methods
//! turn a scheme's [`Verdict`] into a [`Verified`] delivery (borrowed or owned), written
//! once for all schemes.

use bytes::Bytes;
use http::HeaderMap;

use crate::error::Error;
use crate::verified::{Verdict, Verified};
use crate::{healthie, heilo, hmac_hex};

/// Anything that can verify a delivery from its headers and raw body; implemented by
/// every scheme's verifier so extractors and tools can be generic (Healthie's verifier
/// carries its method and registered path in its configuration).
///
/// A verifier implements [`Verify::check`] and takes [`Verify::verify`] and
/// [`Verify::verify_bytes`] as they are; a verifier of your own (a wrapper, say) implements
/// `check` by delegating to one of this crate's, and may override the other two.
pub trait Verify: Send + Sync {
    /// Check `body` against the signature in `headers` and say what matched, without
    /// keeping the body (the [`Verdict`] of [`Verify::verify`]).
    fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verdict, Error>;

    /// Verify a borrowed body without copying it: the result borrows `body`
    /// ([`Verified::into_owned`] keeps it beyond). The default calls [`Verify::check`].
    #[inline]
    fn verify<'a>(&self, headers: &HeaderMap, body: &'a [u8]) -> Result<Verified<&'a [u8]>, Error> {
        Ok(self.check(headers, body)?.with_body(body))
    }

    /// Verify a body that is already in a [`Bytes`] (no copy). The default calls
    /// [`Verify::check`].
    #[inline]
    fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        let verdict = self.check(headers, &body)?;
        Ok(verdict.with_body(body))
    }
}

impl<T: Verify + ?Sized> Verify for std::sync::Arc<T> {
    fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verdict, Error> {
        (**self).check(headers, body)
    }

    fn verify<'a>(&self, headers: &HeaderMap, body: &'a [u8]) -> Result<Verified<&'a [u8]>, Error> {
        (**self).verify(headers, body)
    }

    fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        (**self).verify_bytes(headers, body)
    }
}

impl<T: Verify + ?Sized> Verify for Box<T> {
    fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verdict, Error> {
        (**self).check(headers, body)
    }

    fn verify<'a>(&self, headers: &HeaderMap, body: &'a [u8]) -> Result<Verified<&'a [u8]>, Error> {
        (**self).verify(headers, body)
    }

    fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        (**self).verify_bytes(headers, body)
    }
}

/// For each scheme's verifier: [`Verify`] from its `verdict` method, and `verify` and
/// `verify_bytes` as inherent methods too, so that callers need not import the trait.
macro_rules! scheme_verifier {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($generics)*> Verify for $ty {
            #[inline]
            fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verdict, Error> {
                self.verdict(headers, body)
            }
        }

        impl<$($generics)*> $ty {
            /// Verify the raw body; the result borrows `body` ([`Verified::into_owned`]
            /// keeps it beyond). The same as [`Verify::verify`], without importing the
            /// trait.
            #[inline]
            pub fn verify<'a>(
                &self,
                headers: &HeaderMap,
                body: &'a [u8],
            ) -> Result<Verified<&'a [u8]>, Error> {
                Verify::verify(self, headers, body)
            }

            /// Like `verify` for a body already in [`Bytes`]: no copy, an owned result. The
            /// same as [`Verify::verify_bytes`], without importing the trait.
            #[inline]
            pub fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
                Verify::verify_bytes(self, headers, body)
            }
        }
    )*};
}

scheme_verifier! {
    [P] hmac_hex::VerifierFor<P>,
    [] heilo::Verifier,
    [] healthie::Verifier,
}
