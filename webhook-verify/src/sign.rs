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

pub use crate::generic::sign as generic;
pub use crate::healthie::sign as healthie;
pub use crate::hedy::sign as hedy;
pub use crate::heilo::sign as heilo;
pub use crate::speakr::sign as speakr;
