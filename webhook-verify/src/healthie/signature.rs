//! The `Signature` header: `label=value` members, hex or base64, bare or in `:…:`, read
//! leniently (Auto) or strictly (the other modes).

use super::sf;
use super::signature_input::{is_key_char, Bare, SfParser, SfResult};
use super::{DEFAULT_LABEL, MAX_HEADER_LEN, MAX_MEMBERS, SIGNATURE};
use crate::encoding::{decode_b64_32, decode_hex32, decode_hex32_bytes};
use crate::error::Error;

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

/// Parse a `Signature` header leniently, as [`Mode::Auto`](super::Mode::Auto) reads it:
/// comma-separated `label=value` members, each value bare or wrapped in `:…:`, holding 64
/// hex digits or base64 of 32 bytes. Members whose value does not decode to 32 bytes are
/// skipped (they may belong to another algorithm); an error if none is usable.
///
/// Lenient means that this reads past what RFC 8941 refuses: whitespace around a member
/// and around its `=` is trimmed, empty members (a doubled, leading or trailing comma) and
/// parts without `=` or with an invalid label are skipped, a bare value ends at its first
/// `;`, and a wrapped value ends at its closing `:`, whatever follows it up to the next
/// comma (parameters or junk: `sig1=:…:garbage` gives the `:…:` signature). Every label
/// that occurs is kept, repeated ones included. [`parse_signature_strict`] is the reading
/// of the strict modes.
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

/// Parse a `Signature` header strictly, as the strict modes
/// ([`Mode::Legacy`](super::Mode::Legacy), [`Mode::Guide`](super::Mode::Guide),
/// [`Mode::Rfc9421`](super::Mode::Rfc9421)) read it: an RFC 8941 Dictionary (§4.2.2), except
/// that a value starting with 64 hex digits is one item, the Legacy signature.
///
/// A member is `label=value` followed by optional parameters (`;key` or `;key=item`, kept
/// out of the signature); members are separated by a comma with optional spaces or tabs
/// around it. A wrapped value is an RFC 8941 byte sequence, `:…:`, holding 64 hex digits or
/// base64 of 32 bytes. Members of any other well-formed kind (an Integer, a Token, a bare
/// key, an Inner List, a byte sequence of another length) are skipped, as they may belong
/// to another algorithm, and a repeated label keeps its last value (RFC 8941 §4.2.2).
///
/// Anything else fails the whole header with [`Error::MalformedHeader`] (name `signature`),
/// as RFC 8941 asks: in particular text after a value or its parameters that is not a
/// comma (`sig1=:…:garbage`, `sig1=:…: x`, `sig1=<64 hex>x`), reason
/// `"unexpected character after a member"`; a comma with nothing after it
/// (`sig1=:…:,`), reason `"trailing comma"`; an empty member (`,,`) or a parameter
/// without a key (`sig1=:…:;`). An error too if no member is usable.
pub fn parse_signature_strict(value: &str) -> Result<Vec<SignatureMember>, Error> {
    Ok(parse_signature_strict_refs(value)?
        .iter()
        .map(|m| SignatureMember {
            label: m.label.to_owned(),
            encoding: m.encoding,
            signature: m.signature,
        })
        .collect())
}

/// Reason given for text after a member that is not a comma (the wording of the
/// `Signature-Input` parser).
const JUNK_AFTER_MEMBER: &str = "unexpected character after a member";

/// [`parse_signature_strict`] without allocating for the usual single member.
pub(super) fn parse_signature_strict_refs(value: &str) -> Result<SmallList<MemberRef<'_>>, Error> {
    let bad = |reason: &'static str| Error::malformed(SIGNATURE.as_str(), reason);
    if value.len() > MAX_HEADER_LEN {
        return Err(bad("too long"));
    }
    // Every member by label, in order of first appearance; `None` for a well-formed value
    // that is not a 32-byte signature.
    let mut members: SmallList<(&str, Option<Decoded>)> = SmallList::default();
    let mut p = SfParser::new(value);
    p.skip_sp();
    while p.peek().is_some() {
        let label = p.key().map_err(bad)?;
        let decoded = if p.peek() == Some(b'=') {
            p.i += 1;
            strict_value(&mut p).map_err(bad)?
        } else {
            // A bare key: Boolean true, with parameters.
            p.params(|_, _| {}).map_err(bad)?;
            None
        };
        let mut repeated = false;
        for slot in members.iter_mut().filter(|(l, _)| *l == label) {
            slot.1 = decoded;
            repeated = true;
        }
        if !repeated {
            if members.len() >= MAX_MEMBERS {
                return Err(bad("too many members"));
            }
            members.push((label, decoded));
        }
        p.skip_ows();
        match p.peek() {
            None => break,
            Some(b',') => {
                p.i += 1;
                p.skip_ows();
                if p.peek().is_none() {
                    return Err(bad("trailing comma"));
                }
            }
            Some(_) => return Err(bad(JUNK_AFTER_MEMBER)),
        }
    }
    let mut out = SmallList::default();
    for (label, decoded) in members.iter() {
        if let Some((encoding, signature)) = decoded {
            out.push(MemberRef {
                label,
                encoding: *encoding,
                signature: *signature,
            });
        }
    }
    if out.is_empty() {
        return Err(bad("no member holds a 32-byte hex or base64 signature"));
    }
    Ok(out)
}

/// A decoded signature and how it was written.
type Decoded = (SignatureEncoding, [u8; 32]);

/// One strict member value and its parameters: the signature if it is one.
fn strict_value(p: &mut SfParser<'_>) -> SfResult<Option<Decoded>> {
    let rest = p.s.get(p.i..).unwrap_or_default();
    // Legacy: 64 hex digits, not an RFC 8941 item; the item ends after them.
    if let Some(signature) = rest.get(..64).and_then(decode_hex32_bytes) {
        p.i += 64;
        p.params(|_, _| {})?;
        return Ok(Some((SignatureEncoding::BareHex, signature)));
    }
    if p.peek() == Some(b':') {
        let decoded = match p.bare_item()? {
            Bare::Other(text) => {
                let inner = text
                    .strip_prefix(':')
                    .and_then(|t| t.strip_suffix(':'))
                    .unwrap_or_default();
                match decode_hex32(inner) {
                    Some(bytes) => Some((SignatureEncoding::WrappedHex, bytes)),
                    None => decode_b64_32(inner.as_bytes())
                        .map(|b| (SignatureEncoding::WrappedBase64, b)),
                }
            }
            _ => None,
        };
        p.params(|_, _| {})?;
        return Ok(decoded);
    }
    // Any other item or inner list, with its parameters.
    sf::member(p)?;
    Ok(None)
}

/// The usual `sig1=<64 hex>`, `sig1=:<64 hex>:` or `sig1=:<base64>:` and nothing else:
/// what [`parse_signature_refs`] and [`parse_signature_strict_refs`] give for such a value
/// (one member, no whitespace, only visible ASCII), or `None`.
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
            (SignatureEncoding::WrappedBase64, decode_b64_32(inner)?)
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
        // Drop sf parameters after the value (`:abc:;p=1`, `abc;p=1`), never present in
        // practice; after a wrapped value, anything up to the next comma is dropped.
        let raw = raw.trim();
        let (wrapped, inner) = match raw.strip_prefix(':') {
            Some(rest) => match rest.find(':') {
                Some(end) => (true, rest.get(..end).unwrap_or("")),
                None => continue,
            },
            None => (false, raw.split(';').next().unwrap_or("").trim_end()),
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
            decode_b64_32(inner.as_bytes()).map(|bytes| {
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
