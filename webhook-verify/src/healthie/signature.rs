//! The `Signature` header: `label=value` members, hex or base64, bare or in `:…:`.

use super::digest::{decode_b64_32, decode_b64_32_plain};
use super::signature_input::is_key_char;
use super::{DEFAULT_LABEL, MAX_HEADER_LEN, MAX_MEMBERS};
use crate::hmac_hex::{decode_hex32, decode_hex32_bytes};
use crate::Error;

/// How a `Signature` member's value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureEncoding {
    /// `sig1=<64 hex>` (Legacy).
    BareHex,
    /// `sig1=<base64>` without the byte-sequence colons (seen in no source; tolerated in Auto).
    BareBase64,
    /// `sig1=:<64 hex>:` (Guide).
    WrappedHex,
    /// `sig1=:<base64>:` (RFC 9421 byte sequence).
    WrappedBase64,
}

/// One member of a `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureMember {
    /// The label, such as `sig1`.
    pub label: String,
    /// How the value was encoded.
    pub encoding: SignatureEncoding,
    /// The decoded 32-byte signature.
    pub signature: [u8; 32],
}

/// Parse a `Signature` header leniently: comma-separated `label=value` members, each value
/// bare or wrapped in `:…:`, holding 64 hex digits or base64 of 32 bytes. Members whose
/// value does not decode to 32 bytes are skipped (they may belong to another algorithm);
/// an error if none is usable.
pub fn parse_signature(value: &str) -> Result<Vec<SignatureMember>, Error> {
    Ok(parse_signature_refs(value)?
        .iter()
        .map(|m| SignatureMember {
            label: m.label.to_owned(),
            encoding: m.encoding,
            signature: m.signature,
        })
        .collect())
}

/// The usual `sig1=<64 hex>`, `sig1=:<64 hex>:` or `sig1=:<base64>:` and nothing else:
/// what [`parse_signature_refs`] gives for such a value (one member, no whitespace, only
/// visible ASCII), or `None`.
pub(super) fn plain_signature(value: &[u8]) -> Option<MemberRef<'static>> {
    let rest = value.strip_prefix(b"sig1=")?;
    let (encoding, signature) = match rest.len() {
        64 => (SignatureEncoding::BareHex, decode_hex32_bytes(rest)?),
        66 => {
            let inner = rest.strip_prefix(b":")?.strip_suffix(b":")?;
            (SignatureEncoding::WrappedHex, decode_hex32_bytes(inner)?)
        }
        46 => {
            let inner = rest.strip_prefix(b":")?.strip_suffix(b":")?;
            (
                SignatureEncoding::WrappedBase64,
                decode_b64_32_plain(inner)?,
            )
        }
        _ => return None,
    };
    Some(MemberRef {
        label: DEFAULT_LABEL,
        encoding,
        signature,
    })
}

/// A [`SignatureMember`] that borrows its label from the header.
#[derive(Debug, Clone, Copy)]
pub(super) struct MemberRef<'a> {
    pub(super) label: &'a str,
    pub(super) encoding: SignatureEncoding,
    pub(super) signature: [u8; 32],
}

/// [`parse_signature`] without allocating for the usual single member.
pub(super) fn parse_signature_refs(value: &str) -> Result<SmallList<MemberRef<'_>>, Error> {
    let name = "signature";
    if value.len() > MAX_HEADER_LEN {
        return Err(Error::malformed(name, "too long"));
    }
    let mut out = SmallList::default();
    for part in value.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((label, raw)) = part.split_once('=') else {
            continue;
        };
        let label = label.trim();
        if label.is_empty() || !label.bytes().all(is_key_char) {
            continue;
        }
        // Drop sf parameters after the value (`:abc:;p=1`), never present in practice.
        let raw = raw.trim();
        let (wrapped, inner) = match raw.strip_prefix(':') {
            Some(rest) => match rest.find(':') {
                Some(end) => (true, rest.get(..end).unwrap_or("")),
                None => continue,
            },
            None => (false, raw),
        };
        let decoded = if let Some(bytes) = decode_hex32(inner) {
            Some((
                bytes,
                if wrapped {
                    SignatureEncoding::WrappedHex
                } else {
                    SignatureEncoding::BareHex
                },
            ))
        } else {
            decode_b64_32(inner).map(|bytes| {
                (
                    bytes,
                    if wrapped {
                        SignatureEncoding::WrappedBase64
                    } else {
                        SignatureEncoding::BareBase64
                    },
                )
            })
        };
        if let Some((signature, encoding)) = decoded {
            if out.len() >= MAX_MEMBERS {
                return Err(Error::malformed(name, "too many members"));
            }
            out.push(MemberRef {
                label,
                encoding,
                signature,
            });
        }
    }
    if out.is_empty() {
        return Err(Error::malformed(
            name,
            "no member holds a 32-byte hex or base64 signature",
        ));
    }
    Ok(out)
}

/// A list that keeps its first element inline, so one element needs no allocation.
#[derive(Debug, Clone)]
pub(super) struct SmallList<T> {
    pub(super) first: Option<T>,
    pub(super) rest: Vec<T>,
}

impl<T> Default for SmallList<T> {
    fn default() -> Self {
        SmallList {
            first: None,
            rest: Vec::new(),
        }
    }
}

impl<T> SmallList<T> {
    pub(super) fn push(&mut self, item: T) {
        if self.first.is_none() {
            self.first = Some(item);
        } else {
            self.rest.push(item);
        }
    }

    pub(super) fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.first.iter().chain(self.rest.iter())
    }

    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.first.iter_mut().chain(self.rest.iter_mut())
    }
}
