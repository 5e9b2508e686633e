//! Signers for every scheme, re-exported in one place.
//!
//! Each returns the `(name, value)` header pairs to send with the body. They are used
//! by this crate's tests, by the vendor crates' mock servers and by the `webhook`
//! command-line tool.
//!
//! | scheme | signer |
//! |---|---|
//! | Hedy | [`crate::hedy::sign`] |
//! | Speakr | [`crate::speakr::sign`], [`crate::speakr::sign_delivery`] |
//! | generic | [`crate::generic::sign`] |
//! | any HMAC-hex config | [`crate::hmac_hex::sign`] |
//! | Heilo | [`crate::heilo::sign`], [`crate::heilo::sign_event`] |
//! | Healthie (each dialect) | [`crate::healthie::sign`] |

use http::header::{HeaderName, HeaderValue};

use crate::Error;

pub use crate::generic::sign as generic;
pub use crate::healthie::sign as healthie;
pub use crate::hedy::sign as hedy;
pub use crate::heilo::sign as heilo;
pub use crate::speakr::sign as speakr;

/// A header value from text this crate generated itself (hex, base64, digits and
/// punctuation), which is always valid; anything else is replaced by an empty value
/// rather than panicking.
pub(crate) fn ascii_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A header value from caller-supplied text.
pub(crate) fn user_value(name: &HeaderName, text: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(text).map_err(|_| Error::InvalidHeaderValue {
        name: name.as_str().to_owned(),
    })
}
