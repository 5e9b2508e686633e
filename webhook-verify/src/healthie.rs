//! Healthie: `Content-Digest`, `Signature-Input` and `Signature` (the HTTP Message
//! Signatures family), verified in one of three dialects.
//!
//! The vendor's own texts disagree about the exact signature base, so the verifier
//! supports the three forms in the contract and reports which one matched
//! ([`crate::Verified::dialect`], [`crate::Verified::variant`]):
//!
//! | dialect | signature base | `Signature` |
//! |---|---|---|
//! | [`Dialect::Legacy`] | `lower(method) SP path SP query SP <Content-Digest after its first '='> SP application/json SP <body length>` | `sig1=<64 hex>` |
//! | [`Dialect::Guide`] | six `"@method": POST`-style lines joined by LF (or the two characters `\n`) | `sig1=:<64 hex>:` |
//! | [`Dialect::Rfc9421`] | RFC 9421 §2.5 base from the components in `Signature-Input`, ending with the received `"@signature-params"` text | `sig1=:<base64>:` |
//!
//! Step 1 is always body integrity: `Content-Digest` must carry a `sha-256` member equal
//! to SHA-256 of the raw body (`:base64:`, bare base64 or 64 hex), else the delivery is
//! rejected. The legacy HMAC covers only the digest *text*, so without this check the
//! body would not be authenticated at all.
//!
//! The caller supplies the method and the **path and query exactly as registered with
//! Healthie** (a proxy may rewrite what the receiver sees). Healthie sends no
//! authenticated timestamp in the Legacy and Guide dialects, so replays cannot be
//! rejected cryptographically: dedupe on [`crate::Verified::idempotency_key`] (SHA-256 of
//! the body). [`IpAllowList`] is an extra, never the only, check.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use bytes::Bytes;
use hmac::Mac;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

use crate::clock::{skew, Clock, SharedClock};
use crate::error::echo;
use crate::heilo::Decimal;
use crate::hmac_hex::{decode_hex32, decode_hex32_bytes, is_visible_ascii};
use crate::secret::{keyed, HmacSha256, Secrets};
use crate::sign::ascii_value;
use crate::verified::{EventSource, KeySource, Scheme, Verified};
use crate::{Error, Verify};

/// `Content-Digest`.
pub const CONTENT_DIGEST: HeaderName = HeaderName::from_static("content-digest");
/// `Signature-Input`.
pub const SIGNATURE_INPUT: HeaderName = HeaderName::from_static("signature-input");
/// `Signature`.
pub const SIGNATURE: HeaderName = HeaderName::from_static("signature");

const MAX_HEADER_LEN: usize = 8192;
const MAX_MEMBERS: usize = 16;
const MAX_COMPONENTS: usize = 32;
/// The label Healthie uses.
pub const DEFAULT_LABEL: &str = "sig1";
/// Components the RFC 9421 dialect requires by default.
pub const DEFAULT_REQUIRED_COMPONENTS: [&str; 3] = ["@method", "@path", "content-digest"];
/// Default tolerance for an RFC 9421 `created` in the past, seconds.
pub const DEFAULT_CREATED_PAST: u64 = 300;
/// Default tolerance for an RFC 9421 `created` ahead of our clock, seconds.
pub const DEFAULT_CREATED_FUTURE: u64 = 60;

/// The form of signature base that matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// The space-separated form used by the only production-proven verifier.
    Legacy,
    /// The LF-joined `"@method": POST` form of the vendor guide, hex signature in `:…:`.
    Guide,
    /// Strict RFC 9421 with a base64 byte-sequence signature.
    Rfc9421,
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Legacy => "legacy",
            Dialect::Guide => "guide",
            Dialect::Rfc9421 => "rfc9421",
        })
    }
}

/// Which dialects a [`Verifier`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Pick the dialect by the shape of the `Signature` value, then try the others with
    /// the same signature bytes. Every try is a full HMAC with the shared secret, so extra
    /// candidates do not make forgery easier.
    #[default]
    Auto,
    /// Only [`Dialect::Legacy`] with a bare hex signature.
    Legacy,
    /// Only [`Dialect::Guide`] with a `:hex:` signature.
    Guide,
    /// Only [`Dialect::Rfc9421`] with a `:base64:` signature.
    Rfc9421,
}

/// One candidate signature base, as returned by [`Verifier::signature_bases`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureBase {
    /// The dialect.
    pub dialect: Dialect,
    /// Which variant of the dialect (separator, digest-token form, …).
    pub variant: String,
    /// The signature label (RFC 9421 only).
    pub label: Option<String>,
    /// The exact bytes that are HMAC'd, as text.
    pub base: String,
}

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

/// The usual `sha-256=:<base64>:` (or `sha-256=<base64>`) and nothing else, as text and
/// digest: exactly what [`parse_content_digest`] and the `to_str` + trim before it give for
/// such a value (it has a single member, no whitespace, and only visible ASCII). `None`
/// for anything else.
fn plain_content_digest(value: &[u8]) -> Option<(&str, [u8; 32])> {
    let inner = match value.len() {
        54 => value
            .strip_prefix(b"sha-256=:")
            .and_then(|rest| rest.strip_suffix(b":")),
        52 => value.strip_prefix(b"sha-256="),
        _ => None,
    }?;
    let digest = decode_b64_32_plain(inner)?;
    Some((std::str::from_utf8(value).ok()?, digest))
}

/// The usual `sig1=<64 hex>`, `sig1=:<64 hex>:` or `sig1=:<base64>:` and nothing else:
/// what [`parse_signature_refs`] gives for such a value (one member, no whitespace, only
/// visible ASCII), or `None`.
fn plain_signature(value: &[u8]) -> Option<MemberRef<'static>> {
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
struct MemberRef<'a> {
    label: &'a str,
    encoding: SignatureEncoding,
    signature: [u8; 32],
}

/// [`parse_signature`] without allocating for the usual single member.
fn parse_signature_refs(value: &str) -> Result<SmallList<MemberRef<'_>>, Error> {
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
struct SmallList<T> {
    first: Option<T>,
    rest: Vec<T>,
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
    fn push(&mut self, item: T) {
        if self.first.is_none() {
            self.first = Some(item);
        } else {
            self.rest.push(item);
        }
    }

    fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }

    fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    fn iter(&self) -> impl Iterator<Item = &T> {
        self.first.iter().chain(self.rest.iter())
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.first.iter_mut().chain(self.rest.iter_mut())
    }
}

/// Parse a `Content-Digest` value and return its `sha-256` digest.
///
/// Accepts an RFC 9530 dictionary (`sha-256=:<base64>:`, possibly with other members such
/// as `sha-512`, which are ignored) and the lenient forms `sha-256=<base64>` and
/// `sha-256=<64 hex>`; the algorithm name is matched case-insensitively. No `sha-256`
/// member is [`Error::UnsupportedDigest`]; a bad value is [`Error::MalformedHeader`].
pub fn parse_content_digest(value: &str) -> Result<[u8; 32], Error> {
    if let Some((_, digest)) = plain_content_digest(value.as_bytes()) {
        return Ok(digest);
    }
    let name = "content-digest";
    if value.len() > MAX_HEADER_LEN {
        return Err(Error::malformed(name, "too long"));
    }
    if value.trim().is_empty() {
        return Err(Error::malformed(name, "empty"));
    }
    let mut found = None;
    for part in value.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((alg, raw)) = part.split_once('=') else {
            return Err(Error::malformed(name, "member without '='"));
        };
        if !alg.trim().eq_ignore_ascii_case("sha-256") {
            continue;
        }
        if found.is_some() {
            return Err(Error::malformed(name, "duplicate sha-256 member"));
        }
        let raw = raw.trim();
        let raw = raw.split(';').next().unwrap_or(raw).trim();
        let inner = match (raw.strip_prefix(':'), raw.ends_with(':')) {
            (Some(rest), true) => rest.strip_suffix(':').unwrap_or(""),
            (None, false) => raw,
            _ => return Err(Error::malformed(name, "unbalanced ':' around the digest")),
        };
        let digest = decode_hex32(inner)
            .or_else(|| decode_b64_32(inner))
            .ok_or_else(|| {
                Error::malformed(name, "sha-256 value is not 32 bytes of base64 or hex")
            })?;
        found = Some(digest);
    }
    found.ok_or(Error::UnsupportedDigest)
}

/// A parameter value in `Signature-Input`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// An sf Integer.
    Integer(i64),
    /// An sf String (unescaped).
    String(String),
    /// An sf Token.
    Token(String),
    /// An sf Boolean (a bare key is `true`).
    Boolean(bool),
    /// Any other bare item (decimal, byte sequence, date), kept as written.
    Other(String),
}

/// One covered component of an RFC 9421 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// The component name, such as `@method` or `content-digest`.
    pub name: String,
    /// Its parameters as written (`;sf`, `;key="a"`), empty in practice.
    pub params: String,
}

/// One member of a `Signature-Input` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInput {
    /// The label, such as `sig1`.
    pub label: String,
    /// Covered components in order.
    pub components: Vec<Component>,
    /// Signature parameters (`created`, `keyid`, `alg`, …) in order.
    pub params: Vec<(String, ParamValue)>,
    /// The member value exactly as received (everything after `label=`): the text of the
    /// `"@signature-params"` line.
    pub raw: String,
}

impl SignatureInput {
    /// A parameter by name.
    pub fn param(&self, name: &str) -> Option<&ParamValue> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The canonical RFC 8941 serialisation of this member's value (used as a fallback
    /// when a sender re-spaced the header).
    pub fn canonical(&self) -> String {
        let mut s = String::from("(");
        for (i, c) in self.components.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            push_sf_string(&mut s, &c.name);
            s.push_str(&c.params);
        }
        s.push(')');
        for (k, v) in &self.params {
            s.push(';');
            s.push_str(k);
            match v {
                ParamValue::Boolean(true) => {}
                ParamValue::Boolean(false) => s.push_str("=?0"),
                ParamValue::Integer(i) => {
                    s.push('=');
                    s.push_str(&i.to_string());
                }
                ParamValue::String(t) => {
                    s.push('=');
                    push_sf_string(&mut s, t);
                }
                ParamValue::Token(t) | ParamValue::Other(t) => {
                    s.push('=');
                    s.push_str(t);
                }
            }
        }
        s
    }
}

/// Parse a `Signature-Input` header (an RFC 8941 Dictionary whose members are inner lists
/// of strings with parameters). Members that are not inner lists are skipped; a syntax
/// error anywhere is [`Error::MalformedHeader`].
pub fn parse_signature_input(value: &str) -> Result<Vec<SignatureInput>, Error> {
    let mut out: Vec<SignatureInput> = Vec::new();
    scan_dictionary(value, |member| {
        // A later member with the same label overrides (RFC 8941 §4.2.2).
        out.retain(|m| m.label != member.label);
        out.push(member.to_owned_input());
    })
    .map_err(|reason| Error::malformed(SIGNATURE_INPUT.as_str(), reason))?;
    Ok(out)
}

/// Parse (and fully validate) a `Signature-Input` dictionary, handing each inner-list
/// member to `member` as slices of `value`; nothing is allocated.
fn scan_dictionary<'a>(value: &'a str, member: impl FnMut(MemberSpan<'a>)) -> SfResult<()> {
    if value.len() > MAX_HEADER_LEN {
        return Err("too long");
    }
    SfParser::new(value).dictionary(member, None)
}

/// One inner-list member of `Signature-Input`, as slices of the header text.
#[derive(Debug, Clone, Copy, Default)]
struct MemberSpan<'a> {
    label: &'a str,
    /// The inner list, `(` to `)`.
    list: &'a str,
    /// The member's parameters, `;created=…;keyid=…`.
    params: &'a str,
    /// Everything after `label=`: the `@signature-params` text.
    raw: &'a str,
}

impl<'a> MemberSpan<'a> {
    /// The covered components in order (the span was validated when it was scanned).
    fn components(&self, out: &mut Covered<'a>) -> SfResult<()> {
        out.len = 0;
        SfParser::new(self.list).inner_list(|name, params| out.push(Comp { name, params }))
    }

    /// Components and policy parameters into `out` (the spans were validated).
    fn capture(&self, out: &mut Captured<'a>) -> SfResult<()> {
        out.clear();
        self.components(&mut out.covered)?;
        SfParser::new(self.params).params(|key, value| out.param(key, value))?;
        out.found = true;
        Ok(())
    }

    /// Calls `f` with every parameter in order (repeated keys included).
    fn each_param(&self, f: impl FnMut(&'a str, Bare<'a>)) -> SfResult<()> {
        SfParser::new(self.params).params(f)
    }

    fn to_owned_input(self) -> SignatureInput {
        let mut components = Vec::new();
        let mut params: Vec<(String, ParamValue)> = Vec::new();
        // Both spans were validated when the header was scanned: these cannot fail.
        let _ = SfParser::new(self.list).inner_list(|name, params| {
            components.push(Component {
                name: name.unescape().into_owned(),
                params: params.to_owned(),
            })
        });
        let _ = self.each_param(|key, value| {
            params.retain(|(k, _)| k != key);
            params.push((key.to_owned(), value.to_owned()));
        });
        SignatureInput {
            label: self.label.to_owned(),
            components,
            params,
            raw: self.raw.to_owned(),
        }
    }
}

/// An sf-string as written: the text between the quotes, escapes still in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct SfStr<'a> {
    raw: &'a str,
    escaped: bool,
}

impl<'a> SfStr<'a> {
    /// The string's value. Escaping is canonical (only `\"` and `\\`), so two strings are
    /// equal exactly when their `raw` texts are.
    #[inline]
    fn unescape(self) -> Cow<'a, str> {
        if !self.escaped {
            return Cow::Borrowed(self.raw);
        }
        let mut out = String::with_capacity(self.raw.len());
        let mut chars = self.raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }
}

/// A bare item as written.
#[derive(Debug, Clone, Copy)]
enum Bare<'a> {
    Integer(i64),
    String(SfStr<'a>),
    Token(&'a str),
    Boolean(bool),
    Other(&'a str),
}

impl Bare<'_> {
    fn to_owned(self) -> ParamValue {
        match self {
            Bare::Integer(i) => ParamValue::Integer(i),
            Bare::String(s) => ParamValue::String(s.unescape().into_owned()),
            Bare::Token(t) => ParamValue::Token(t.to_owned()),
            Bare::Boolean(b) => ParamValue::Boolean(b),
            Bare::Other(t) => ParamValue::Other(t.to_owned()),
        }
    }
}

/// A covered component as written.
#[derive(Debug, Clone, Copy, Default)]
struct Comp<'a> {
    name: SfStr<'a>,
    /// Its parameters' text (empty in practice).
    params: &'a str,
}

/// What the RFC 9421 checks need of one `Signature-Input` member.
#[derive(Default)]
struct Captured<'a> {
    found: bool,
    covered: Covered<'a>,
    /// The last `alg`, `created` and `expires` parameters.
    alg: Option<Bare<'a>>,
    created: Option<Bare<'a>>,
    expires: Option<Bare<'a>>,
}

impl<'a> Captured<'a> {
    fn clear(&mut self) {
        self.found = false;
        self.covered.len = 0;
        self.alg = None;
        self.created = None;
        self.expires = None;
    }

    fn param(&mut self, key: &'a str, value: Bare<'a>) {
        match key {
            "alg" => self.alg = Some(value),
            "created" => self.created = Some(value),
            "expires" => self.expires = Some(value),
            _ => {}
        }
    }
}

/// The covered components of one signature, at most [`MAX_COMPONENTS`], on the stack.
#[derive(Default)]
struct Covered<'a> {
    items: [Comp<'a>; MAX_COMPONENTS],
    len: usize,
}

impl<'a> Covered<'a> {
    fn push(&mut self, comp: Comp<'a>) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = comp;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[Comp<'a>] {
        self.items.get(..self.len).unwrap_or(&[])
    }
}

struct SfParser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

type SfResult<T> = Result<T, &'static str>;

impl<'a> SfParser<'a> {
    fn new(text: &'a str) -> Self {
        SfParser {
            s: text.as_bytes(),
            text,
            i: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Advance past the bytes that satisfy `keep`.
    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        let rest = self.s.get(self.i..).unwrap_or_default();
        self.i += rest.iter().take_while(|&&c| keep(c)).count();
    }

    fn skip_sp(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ') | Some(b'\t')) {
            self.i += 1;
        }
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to).unwrap_or("")
    }

    /// The whole dictionary; `member` gets every inner-list member. When `capture` names a
    /// label, the components and policy parameters of (the last) member with that label are
    /// also recorded there, so they need not be parsed again.
    fn dictionary(
        &mut self,
        mut member: impl FnMut(MemberSpan<'a>),
        mut capture: Option<(&str, &mut Captured<'a>)>,
    ) -> SfResult<()> {
        // Distinct labels of inner-list members so far.
        let mut labels = [""; MAX_MEMBERS];
        let mut distinct = 0;
        self.skip_sp();
        if self.peek().is_none() {
            return Err("empty");
        }
        loop {
            let label = self.key()?;
            if self.peek() == Some(b'=') {
                self.i += 1;
                let start = self.i;
                if self.peek() == Some(b'(') {
                    let params_start = match capture.as_mut() {
                        Some((want, out)) if *want == label => {
                            out.clear();
                            let covered = &mut out.covered;
                            self.inner_list(|name, params| covered.push(Comp { name, params }))?;
                            let params_start = self.i;
                            self.params(|key, value| out.param(key, value))?;
                            out.found = true;
                            params_start
                        }
                        _ => {
                            self.inner_list(|_, _| {})?;
                            let params_start = self.i;
                            self.params(|_, _| {})?;
                            params_start
                        }
                    };
                    let list = self.slice(start, params_start);
                    let seen = labels.get(..distinct).unwrap_or(&[]).contains(&label);
                    if !seen {
                        match labels.get_mut(distinct) {
                            Some(slot) => *slot = label,
                            None => return Err("too many members"),
                        }
                        distinct += 1;
                    } else if distinct >= MAX_MEMBERS {
                        return Err("too many members");
                    }
                    member(MemberSpan {
                        label,
                        list,
                        params: self.slice(params_start, self.i),
                        raw: self.slice(start, self.i),
                    });
                } else {
                    self.bare_item()?;
                    self.params(|_, _| {})?;
                }
            } else {
                self.params(|_, _| {})?;
            }
            self.skip_ows();
            match self.peek() {
                None => return Ok(()),
                Some(b',') => {
                    self.i += 1;
                    self.skip_ows();
                    if self.peek().is_none() {
                        return Err("trailing comma");
                    }
                }
                Some(_) => return Err("unexpected character after a member"),
            }
        }
    }

    fn key(&mut self) -> SfResult<&'a str> {
        let start = self.i;
        match self.peek() {
            Some(c) if c.is_ascii_lowercase() || c == b'*' => self.i += 1,
            _ => return Err("a key must start with a lowercase letter or '*'"),
        }
        self.skip_while(is_key_char);
        Ok(self.slice(start, self.i))
    }

    /// An inner list of strings with parameters; `item` gets each string and the text of
    /// its parameters.
    fn inner_list(&mut self, mut item: impl FnMut(SfStr<'a>, &'a str)) -> SfResult<()> {
        // Caller checked the '('.
        self.i += 1;
        let mut count = 0;
        loop {
            self.skip_sp();
            match self.peek() {
                Some(b')') => {
                    self.i += 1;
                    return Ok(());
                }
                None => return Err("unterminated inner list"),
                Some(b'"') => {
                    let name = self.string()?;
                    let pstart = self.i;
                    self.params(|_, _| {})?;
                    if count >= MAX_COMPONENTS {
                        return Err("too many components");
                    }
                    count += 1;
                    item(name, self.slice(pstart, self.i));
                }
                Some(_) => return Err("covered components must be strings"),
            }
            match self.peek() {
                Some(b' ') | Some(b')') => {}
                _ => return Err("items of an inner list must be separated by spaces"),
            }
        }
    }

    /// Parameters; `param` gets each one in order, repeated keys included (the last one
    /// wins, RFC 8941 §4.2.3.2).
    fn params(&mut self, mut param: impl FnMut(&'a str, Bare<'a>)) -> SfResult<()> {
        if self.peek() != Some(b';') {
            return Ok(());
        }
        // Distinct keys so far.
        let mut keys = [""; MAX_COMPONENTS];
        let mut distinct = 0;
        while self.peek() == Some(b';') {
            self.i += 1;
            self.skip_sp();
            let key = self.key()?;
            let value = if self.peek() == Some(b'=') {
                self.i += 1;
                self.bare_item()?
            } else {
                Bare::Boolean(true)
            };
            if distinct >= MAX_COMPONENTS {
                return Err("too many parameters");
            }
            if !keys.get(..distinct).unwrap_or(&[]).contains(&key) {
                if let Some(slot) = keys.get_mut(distinct) {
                    *slot = key;
                }
                distinct += 1;
            }
            param(key, value);
        }
        Ok(())
    }

    fn bare_item(&mut self) -> SfResult<Bare<'a>> {
        let start = self.i;
        match self.peek() {
            Some(b'"') => Ok(Bare::String(self.string()?)),
            Some(c) if c == b'-' || c.is_ascii_digit() => {
                if c == b'-' {
                    self.i += 1;
                }
                let digits = self.i;
                self.skip_while(|c| c.is_ascii_digit());
                if self.i == digits {
                    return Err("a number needs digits");
                }
                if self.peek() == Some(b'.') {
                    self.i += 1;
                    let frac = self.i;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.i += 1;
                    }
                    if self.i == frac || self.i - frac > 3 || frac - digits > 13 {
                        return Err("invalid decimal");
                    }
                    return Ok(Bare::Other(self.slice(start, self.i)));
                }
                if self.i - digits > 15 {
                    return Err("integer too long");
                }
                self.slice(start, self.i)
                    .parse::<i64>()
                    .map(Bare::Integer)
                    .map_err(|_| "invalid integer")
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'*' => {
                self.i += 1;
                self.skip_while(|c| is_tchar(c) || c == b':' || c == b'/');
                Ok(Bare::Token(self.slice(start, self.i)))
            }
            Some(b':') => {
                self.i += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
                {
                    self.i += 1;
                }
                if self.peek() != Some(b':') {
                    return Err("unterminated byte sequence");
                }
                self.i += 1;
                Ok(Bare::Other(self.slice(start, self.i)))
            }
            Some(b'?') => {
                self.i += 1;
                let v = match self.peek() {
                    Some(b'0') => false,
                    Some(b'1') => true,
                    _ => return Err("invalid boolean"),
                };
                self.i += 1;
                Ok(Bare::Boolean(v))
            }
            Some(b'@') => {
                self.i += 1;
                let digits = self.i;
                if self.peek() == Some(b'-') {
                    self.i += 1;
                }
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
                if self.i == digits {
                    return Err("invalid date");
                }
                Ok(Bare::Other(self.slice(start, self.i)))
            }
            _ => Err("invalid bare item"),
        }
    }

    fn string(&mut self) -> SfResult<SfStr<'a>> {
        // Caller checked the '"'.
        self.i += 1;
        let start = self.i;
        let mut escaped = false;
        loop {
            self.skip_while(|c| STRING_CHARS[usize::from(c)]);
            match self.peek() {
                None => return Err("unterminated string"),
                Some(b'"') => {
                    let raw = self.slice(start, self.i);
                    self.i += 1;
                    return Ok(SfStr { raw, escaped });
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'"' | b'\\') => {
                            escaped = true;
                            self.i += 1;
                        }
                        _ => return Err("invalid escape in string"),
                    }
                }
                Some(_) => return Err("invalid character in string"),
            }
        }
    }
}

/// Append `text` as an RFC 8941 sf-string (quoted, `"` and `\\` escaped).
fn push_sf_string(out: &mut String, text: &str) {
    out.push('"');
    if !text.contains(['"', '\\']) {
        out.push_str(text);
        out.push('"');
        return;
    }
    for ch in text.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
}

fn is_key_char(c: u8) -> bool {
    KEY_CHARS[usize::from(c)]
}

/// Characters that stand for themselves in an sf-string: visible ASCII and space, except
/// `"` and `\`.
const STRING_CHARS: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0x20;
    while c < 0x7f {
        table[c] = c != b'"' as usize && c != b'\\' as usize;
        c += 1;
    }
    table
};

/// `lcalpha / DIGIT / "_" / "-" / "." / "*"` (RFC 8941 key characters).
const KEY_CHARS: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] =
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.' | b'*');
        c += 1;
    }
    table
};

fn is_tchar(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

fn decode_b64_32(s: &str) -> Option<[u8; 32]> {
    if let Some(out) = decode_b64_32_plain(s.as_bytes()) {
        return Some(out);
    }
    // 32 bytes are 44 base64 characters with padding; reject anything longer before
    // decoding so the buffer below can never overflow.
    if s.len() > 44 {
        return None;
    }
    let mut buf = [0u8; 48];
    let n = STANDARD.decode_slice(s, &mut buf).ok()?;
    let bytes = buf.get(..n)?;
    <[u8; 32]>::try_from(bytes).ok()
}

/// Standard base64 of 32 bytes in its only canonical form: 43 alphabet characters, the
/// last with its two spare bits clear, and one `=`. Accepts nothing that the `base64`
/// crate's `STANDARD` engine rejects and decodes it the same (see the tests); anything
/// else is `None` and goes to that engine.
fn decode_b64_32_plain(s: &[u8]) -> Option<[u8; 32]> {
    let s: &[u8; 44] = s.try_into().ok()?;
    let [ref quads @ .., c40, c41, c42, pad] = *s;
    if pad != b'=' {
        return None;
    }
    let value = |c: u8| B64_VALUES[usize::from(c)];
    let mut out = [0u8; 32];
    let mut invalid = 0u8;
    for (dst, quad) in out.chunks_exact_mut(3).zip(quads.chunks_exact(4)) {
        let mut n = 0u32;
        for &c in quad {
            let v = value(c);
            invalid |= v;
            n = (n << 6) | u32::from(v & 0x3f);
        }
        let [_, a, b, c] = n.to_be_bytes();
        dst.copy_from_slice(&[a, b, c]);
    }
    let (v40, v41, v42) = (value(c40), value(c41), value(c42));
    invalid |= v40 | v41 | v42;
    let n = (u32::from(v40 & 0x3f) << 12) | (u32::from(v41 & 0x3f) << 6) | u32::from(v42 & 0x3f);
    if let Some(tail) = out.get_mut(30..) {
        tail.copy_from_slice(&((n >> 2) as u16).to_be_bytes());
    }
    // Non-alphabet characters are 0xff; spare bits must be zero (canonical encoding).
    (invalid & 0xc0 == 0 && n & 0b11 == 0).then_some(out)
}

/// Value of each byte as a standard base64 digit, 0xff for a non-digit.
const B64_VALUES: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut table = [0xffu8; 256];
    let mut i = 0;
    while i < alphabet.len() {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn ct_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b.iter()) {
        diff |= x ^ y;
    }
    diff == 0
}

/// Healthie's published source addresses for webhook deliveries.
pub const PRODUCTION_IPS: [Ipv4Addr; 4] = [
    Ipv4Addr::new(52, 4, 158, 130),
    Ipv4Addr::new(3, 216, 152, 234),
    Ipv4Addr::new(54, 243, 233, 84),
    Ipv4Addr::new(50, 19, 211, 21),
];

/// Healthie's staging source addresses (the last one per the newer docs).
pub const STAGING_IPS: [Ipv4Addr; 3] = [
    Ipv4Addr::new(18, 206, 70, 225),
    Ipv4Addr::new(44, 195, 8, 253),
    Ipv4Addr::new(44, 198, 216, 125),
];

/// A source-IP allow-list for Healthie deliveries. Defence in depth only: addresses
/// change and proxies hide them, so never use it instead of signature verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpAllowList {
    ips: Vec<IpAddr>,
}

impl IpAllowList {
    /// The production addresses.
    pub fn production() -> Self {
        IpAllowList {
            ips: PRODUCTION_IPS.iter().copied().map(IpAddr::V4).collect(),
        }
    }

    /// The staging addresses.
    pub fn staging() -> Self {
        IpAllowList {
            ips: STAGING_IPS.iter().copied().map(IpAddr::V4).collect(),
        }
    }

    /// Production and staging.
    pub fn all() -> Self {
        let mut list = Self::production();
        list.ips.extend(STAGING_IPS.iter().copied().map(IpAddr::V4));
        list
    }

    /// Add an address (for example a new one announced by Healthie).
    pub fn with(mut self, ip: IpAddr) -> Self {
        self.ips.push(ip.to_canonical());
        self
    }

    /// True if `ip` (IPv4 or IPv4-mapped IPv6) is on the list.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.ips.contains(&ip.to_canonical())
    }
}

/// Verifies Healthie deliveries for one registered endpoint.
#[derive(Debug, Clone)]
pub struct Verifier {
    secrets: Secrets,
    method: String,
    method_lower: String,
    path: String,
    query: String,
    authority: Option<String>,
    mode: Mode,
    required: Vec<String>,
    created_past: u64,
    created_future: u64,
    require_created: bool,
    clock: SharedClock,
}

impl Verifier {
    /// A verifier for deliveries sent with `method` (Healthie uses `POST`) to
    /// `path_and_query` **as registered with Healthie** (for example
    /// `/hooks/healthie?tenant=7`), accepting any of `secrets` (UTF-8 bytes of the secret,
    /// `whsec_` prefix included). Mode [`Mode::Auto`].
    pub fn new(
        secrets: impl Into<Secrets>,
        method: impl AsRef<str>,
        path_and_query: impl AsRef<str>,
    ) -> Self {
        let pq = path_and_query.as_ref();
        let (path, query) = match pq.split_once('?') {
            Some((p, q)) => (p, q),
            None => (pq, ""),
        };
        Verifier {
            secrets: secrets.into(),
            method: method.as_ref().trim().to_ascii_uppercase(),
            method_lower: method.as_ref().trim().to_ascii_lowercase(),
            path: path.to_owned(),
            query: query.to_owned(),
            authority: None,
            mode: Mode::Auto,
            required: DEFAULT_REQUIRED_COMPONENTS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            created_past: DEFAULT_CREATED_PAST,
            created_future: DEFAULT_CREATED_FUTURE,
            require_created: false,
            clock: SharedClock::system(),
        }
    }

    /// Restrict to one dialect (once the logs show which one Healthie really uses).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// RFC 9421: the components a signature must cover (default `@method`, `@path`,
    /// `content-digest`). An empty list relaxes the policy; without `content-digest` the
    /// signature no longer binds the body, only the digest check does.
    pub fn required_components<I, S>(mut self, components: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.required = components.into_iter().map(Into::into).collect();
        self
    }

    /// RFC 9421: accept `created` up to `past` old and `future` ahead (default 300 s / 60 s).
    pub fn created_tolerance(mut self, past: Duration, future: Duration) -> Self {
        self.created_past = past.as_secs();
        self.created_future = future.as_secs();
        self
    }

    /// RFC 9421: reject signatures without a `created` parameter (default: accept).
    pub fn require_created(mut self, require: bool) -> Self {
        self.require_created = require;
        self
    }

    /// RFC 9421: the value of `@authority` (default: the `Host` header, lower-cased).
    pub fn authority(mut self, authority: impl Into<String>) -> Self {
        self.authority = Some(authority.into().to_ascii_lowercase());
        self
    }

    /// Use `clock` for the `created`/`expires` checks (tests).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = SharedClock(Arc::new(clock));
        self
    }

    /// Verify the raw body.
    /// The result borrows `body`; [`Verified::into_owned`] keeps it beyond.
    pub fn verify<'a>(
        &self,
        headers: &HeaderMap,
        body: &'a [u8],
    ) -> Result<Verified<&'a [u8]>, Error> {
        let meta = self.check(headers, body)?;
        Ok(meta.into_verified(body))
    }

    /// Like [`Verifier::verify`] without copying the body.
    pub fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        let meta = self.check(headers, &body)?;
        Ok(meta.into_verified(body))
    }

    /// Every signature base this verifier would try for the request, in order, for
    /// troubleshooting a mismatch. Contains request data only, never a secret. Bases that
    /// cannot be built (for example RFC 9421 without `Signature-Input`) are left out.
    pub fn signature_bases(&self, headers: &HeaderMap, body: &[u8]) -> Vec<SignatureBase> {
        let dialects: &[Dialect] = match self.mode {
            Mode::Auto => &[Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421],
            Mode::Legacy => &[Dialect::Legacy],
            Mode::Guide => &[Dialect::Guide],
            Mode::Rfc9421 => &[Dialect::Rfc9421],
        };
        let req = Request::new(headers, body.len(), None);
        let mut out = Vec::new();
        for d in dialects {
            match d {
                Dialect::Legacy => {
                    let mut i = 0;
                    while let Some(parts) = self.legacy_base(&req, i) {
                        let mut base = String::new();
                        self.emit_legacy(&parts, &mut base);
                        out.push(SignatureBase {
                            dialect: Dialect::Legacy,
                            variant: parts.variant().describe().to_owned(),
                            label: None,
                            base,
                        });
                        i += 1;
                    }
                }
                Dialect::Guide => {
                    let mut i = 0;
                    while let Some(parts) = self.guide_base(&req, i) {
                        let mut base = String::new();
                        self.emit_guide(&parts, &mut base);
                        out.push(SignatureBase {
                            dialect: Dialect::Guide,
                            variant: parts.variant().describe().to_owned(),
                            label: None,
                            base,
                        });
                        i += 1;
                    }
                }
                Dialect::Rfc9421 => {
                    let Some(text) = headers.get(&SIGNATURE_INPUT).and_then(|v| v.to_str().ok())
                    else {
                        continue;
                    };
                    let Ok(inputs) = parse_signature_input(text) else {
                        continue;
                    };
                    let Ok(spans) = SignatureInputs::scan(text, None) else {
                        continue;
                    };
                    for input in &inputs {
                        let mut covered = Covered::default();
                        let Some(Ok(())) =
                            spans.get(&input.label).map(|m| m.components(&mut covered))
                        else {
                            continue;
                        };
                        let mut lines = String::new();
                        if self
                            .emit_rfc9421_lines(&req, covered.as_slice(), &mut lines)
                            .is_err()
                        {
                            continue;
                        }
                        let canonical = input.canonical();
                        let mut forms = vec![(false, input.raw.as_str())];
                        if canonical != input.raw {
                            forms.push((true, canonical.as_str()));
                        }
                        for (is_canonical, params) in forms {
                            out.push(SignatureBase {
                                dialect: Dialect::Rfc9421,
                                variant: Variant::Rfc {
                                    canonical: is_canonical,
                                }
                                .describe()
                                .to_owned(),
                                label: Some(input.label.clone()),
                                base: with_params(&lines, params),
                            });
                        }
                    }
                }
            }
        }
        out
    }

    fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<Meta, Error> {
        if self.secrets.is_empty() {
            return Err(Error::NoSecrets);
        }
        // Step 1: body integrity. The usual header shapes are parsed straight from the
        // bytes; anything else goes through the general parsers (which also produce the
        // errors).
        let value = single_value(headers, &CONTENT_DIGEST)?;
        let (digest_text, claimed) = match plain_content_digest(value.as_bytes()) {
            Some(parsed) => parsed,
            None => {
                let text = value_text(value, &CONTENT_DIGEST)?;
                (text, parse_content_digest(text)?)
            }
        };
        let actual: [u8; 32] = Sha256::digest(body).into();
        if !ct_eq(&claimed, &actual) {
            return Err(Error::DigestMismatch);
        }

        // Step 2: the signature.
        let value = single_value(headers, &SIGNATURE)?;
        let members = match plain_signature(value.as_bytes()) {
            Some(member) => {
                let mut list = SmallList::default();
                list.push(member);
                list
            }
            None => parse_signature_refs(value_text(value, &SIGNATURE)?)?,
        };
        let req = Request::new(headers, body.len(), Some(digest_text));
        // Signature-Input is scanned at most once, on first use.
        let mut inputs: Option<InputsCache<'_>> = None;
        let mut first_error: Option<Error> = None;
        let mut usable = false;
        // sig1 first, then the rest in order.
        let ordered = members
            .iter()
            .filter(|m| m.label == DEFAULT_LABEL)
            .chain(members.iter().filter(|m| m.label != DEFAULT_LABEL));
        for member in ordered {
            let order: &[Dialect] = match (self.mode, member.encoding) {
                (Mode::Auto, SignatureEncoding::BareHex | SignatureEncoding::BareBase64) => {
                    &[Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421]
                }
                (Mode::Auto, SignatureEncoding::WrappedHex) => {
                    &[Dialect::Guide, Dialect::Legacy, Dialect::Rfc9421]
                }
                (Mode::Auto, SignatureEncoding::WrappedBase64) => {
                    &[Dialect::Rfc9421, Dialect::Legacy, Dialect::Guide]
                }
                (Mode::Legacy, SignatureEncoding::BareHex) => &[Dialect::Legacy],
                (Mode::Guide, SignatureEncoding::WrappedHex) => &[Dialect::Guide],
                (Mode::Rfc9421, SignatureEncoding::WrappedBase64) => &[Dialect::Rfc9421],
                _ => &[],
            };
            if !order.is_empty() {
                usable = true;
            }
            for (pos, dialect) in order.iter().enumerate() {
                match self.try_dialect(&req, &mut inputs, *dialect, member) {
                    Ok(Some((index, variant))) => {
                        return Ok(Meta {
                            dialect: *dialect,
                            index,
                            variant,
                            digest: actual,
                        })
                    }
                    Ok(None) => {}
                    // A policy failure of the preferred dialect is the most useful report;
                    // failures of fallback dialects are expected noise.
                    Err(e) if pos == 0 => {
                        if first_error.is_none() {
                            first_error = Some(e);
                        }
                    }
                    Err(_) => {}
                }
            }
        }
        if !usable {
            return Err(Error::malformed(
                SIGNATURE.as_str(),
                "no signature encoded the way this mode expects",
            ));
        }
        Err(first_error.unwrap_or(Error::NoMatchingSignature))
    }

    /// Try every base of `dialect` with every secret against `member`.
    fn try_dialect<'h>(
        &self,
        req: &Request<'h>,
        inputs: &mut Option<InputsCache<'h>>,
        dialect: Dialect,
        member: &MemberRef<'h>,
    ) -> Result<Option<(usize, Variant)>, Error> {
        let signature = &member.signature;
        match dialect {
            Dialect::Legacy => {
                let mut i = 0;
                while let Some(parts) = self.legacy_base(req, i) {
                    if let Some(index) = self.matches(signature, |mac| {
                        self.emit_legacy(&parts, mac);
                        Ok(())
                    })? {
                        return Ok(Some((index, parts.variant())));
                    }
                    i += 1;
                }
                Ok(None)
            }
            Dialect::Guide => {
                let mut i = 0;
                while let Some(parts) = self.guide_base(req, i) {
                    if let Some(index) = self.matches(signature, |mac| {
                        self.emit_guide(&parts, mac);
                        Ok(())
                    })? {
                        return Ok(Some((index, parts.variant())));
                    }
                    i += 1;
                }
                Ok(None)
            }
            Dialect::Rfc9421 => {
                let (input, captured) = inputs
                    .get_or_insert_with(InputsCache::default)
                    .member(req.headers, member.label)?
                    .ok_or_else(|| {
                        Error::malformed(
                            SIGNATURE_INPUT.as_str(),
                            "no member with the signature's label",
                        )
                    })?;
                self.check_policy(captured)?;
                let covered = captured.covered.as_slice();
                let emit = |mac: &mut MacSink<'_>, params: &str| {
                    self.emit_rfc9421_lines(req, covered, mac)?;
                    mac.put("\"@signature-params\": ");
                    mac.put(params);
                    Ok(())
                };
                if let Some(index) = self.matches(signature, |mac| emit(mac, input.raw))? {
                    return Ok(Some((index, Variant::Rfc { canonical: false })));
                }
                // A sender (or proxy) may have re-spaced the header: also try the
                // canonical serialisation of the same parameters.
                let canonical = input.to_owned_input().canonical();
                if canonical != input.raw {
                    if let Some(index) = self.matches(signature, |mac| emit(mac, &canonical))? {
                        return Ok(Some((index, Variant::Rfc { canonical: true })));
                    }
                }
                Ok(None)
            }
        }
    }

    /// The index of the first secret whose HMAC over what `emit` feeds it is `signature`
    /// (compared in constant time). The base is fed straight into each keyed state, never
    /// built as a string; an error from `emit` (it is the same for every secret) is returned.
    fn matches(
        &self,
        signature: &[u8; 32],
        mut emit: impl FnMut(&mut MacSink<'_>) -> Result<(), Error>,
    ) -> Result<Option<usize>, Error> {
        for (index, keyed_mac) in self.secrets.macs() {
            let mut mac = keyed_mac.clone();
            let mut sink = MacSink::new(&mut mac);
            emit(&mut sink)?;
            sink.flush();
            if mac.verify_slice(signature).is_ok() {
                return Ok(Some(index));
            }
        }
        Ok(None)
    }

    fn check_policy(&self, captured: &Captured<'_>) -> Result<(), Error> {
        let covered = captured.covered.as_slice();
        match captured.alg {
            None => {}
            Some(Bare::String(s)) if s.raw == "hmac-sha256" => {}
            Some(Bare::String(s)) => {
                return Err(Error::UnsupportedAlgorithm {
                    alg: echo(&s.unescape()),
                })
            }
            Some(Bare::Token(t) | Bare::Other(t)) => {
                return Err(Error::UnsupportedAlgorithm { alg: echo(t) })
            }
            Some(Bare::Integer(_) | Bare::Boolean(_)) => {
                return Err(Error::UnsupportedAlgorithm {
                    alg: "(not a string)".to_owned(),
                })
            }
        }
        for required in &self.required {
            let is_required = |c: &Comp<'_>| {
                if c.name.escaped {
                    c.name.unescape() == required.as_str()
                } else {
                    c.name.raw == required
                }
            };
            if !covered.iter().any(is_required) {
                return Err(Error::MissingComponent {
                    component: echo(required),
                });
            }
        }
        let now = self.clock.now();
        match captured.created {
            Some(Bare::Integer(created)) => {
                let created = u64::try_from(created).map_err(|_| {
                    Error::malformed(SIGNATURE_INPUT.as_str(), "created is negative")
                })?;
                if now.saturating_sub(created) > self.created_past
                    || created.saturating_sub(now) > self.created_future
                {
                    return Err(Error::TimestampOutsideTolerance {
                        skew_seconds: skew(created, now),
                    });
                }
            }
            Some(_) => {
                return Err(Error::malformed(
                    SIGNATURE_INPUT.as_str(),
                    "created is not an integer",
                ))
            }
            None if self.require_created => {
                return Err(Error::malformed(
                    SIGNATURE_INPUT.as_str(),
                    "created is missing",
                ))
            }
            None => {}
        }
        match captured.expires {
            Some(Bare::Integer(expires)) => {
                let expires = u64::try_from(expires).unwrap_or(0);
                if now > expires {
                    return Err(Error::TimestampOutsideTolerance {
                        skew_seconds: skew(expires, now),
                    });
                }
            }
            Some(_) => {
                return Err(Error::malformed(
                    SIGNATURE_INPUT.as_str(),
                    "expires is not an integer",
                ))
            }
            None => {}
        }
        Ok(())
    }

    /// Legacy candidate number `i` (None past the last one). Order: separator (space, LF,
    /// the two characters `\n`) × digest token (verbatim, ':' toggled) × content type
    /// (literal `application/json`, the header value when it differs).
    fn legacy_base<'r>(&self, req: &Request<'r>, i: usize) -> Option<LegacyBase<'r>> {
        let digest_full = req.digest?;
        let token = digest_full.split_once('=').map(|(_, t)| t).unwrap_or("");
        let header_ct = req.content_type().filter(|ct| *ct != "application/json");
        let cts: usize = if header_ct.is_some() { 2 } else { 1 };
        let per_sep = 2 * cts;
        let sep = i / per_sep;
        let rest = i % per_sep;
        let sep_text = *LEGACY_SEPARATORS.get(sep)?;
        let toggled = rest / cts == 1;
        let use_header_ct = rest % cts == 1;
        // The token with ':' toggled: `:abc:` becomes `abc`, anything else `:…:`.
        let token = if toggled {
            match token.strip_prefix(':').and_then(|t| t.strip_suffix(':')) {
                Some(inner) => ("", inner, ""),
                None => (":", token, ":"),
            }
        } else {
            ("", token, "")
        };
        let ct = match (use_header_ct, header_ct) {
            (true, Some(ct)) => ct,
            _ => "application/json",
        };
        Some(LegacyBase {
            sep,
            sep_text,
            toggled,
            header_ct: use_header_ct,
            token,
            ct,
            len: Decimal::new(req.body_len as u64),
        })
    }

    /// `lower(method) SP path SP query SP token SP content-type SP length`, with the
    /// candidate's separator instead of SP.
    fn emit_legacy(&self, b: &LegacyBase<'_>, sink: &mut impl Sink) {
        let (pre, token, post) = b.token;
        sink.put(&self.method_lower);
        sink.put(b.sep_text);
        sink.put(&self.path);
        sink.put(b.sep_text);
        sink.put(&self.query);
        sink.put(b.sep_text);
        sink.put(pre);
        sink.put(token);
        sink.put(post);
        sink.put(b.sep_text);
        sink.put(b.ct);
        sink.put(b.sep_text);
        sink.put(b.len.as_str());
    }

    /// Guide candidate number `i`: separator (LF, the two characters `\n`) × query form
    /// (`?<query>`, and `??<query>` as the guide's sample produces when there is a query).
    fn guide_base<'r>(&self, req: &Request<'r>, i: usize) -> Option<GuideBase<'r>> {
        let forms = if self.query.is_empty() { 1 } else { 2 };
        let sep = i / forms;
        let doubled = i % forms == 1;
        let sep_text = *GUIDE_SEPARATORS.get(sep)?;
        Some(GuideBase {
            sep,
            sep_text,
            doubled,
            digest: req.digest?,
            ct: req.content_type().unwrap_or("application/json"),
            len: req.content_length(),
            body_len: Decimal::new(req.body_len as u64),
        })
    }

    /// Six `"name": value` lines joined by the candidate's separator.
    fn emit_guide(&self, b: &GuideBase<'_>, sink: &mut impl Sink) {
        sink.put("\"@method\": ");
        sink.put(&self.method);
        sink.put(b.sep_text);
        sink.put("\"@path\": ");
        sink.put(&self.path);
        sink.put(b.sep_text);
        sink.put(if b.doubled {
            "\"@query\": ??"
        } else {
            "\"@query\": ?"
        });
        sink.put(&self.query);
        sink.put(b.sep_text);
        sink.put("\"content-digest\": ");
        sink.put(b.digest);
        sink.put(b.sep_text);
        sink.put("\"content-type\": ");
        sink.put(b.ct);
        sink.put(b.sep_text);
        sink.put("\"content-length\": ");
        sink.put(b.len.unwrap_or(b.body_len.as_str()));
    }

    /// The RFC 9421 base lines for the covered components, each ending in LF; the caller
    /// adds the final `"@signature-params"` line.
    fn emit_rfc9421_lines(
        &self,
        req: &Request<'_>,
        covered: &[Comp<'_>],
        sink: &mut impl Sink,
    ) -> Result<(), Error> {
        for (n, c) in covered.iter().enumerate() {
            if covered
                .get(..n)
                .is_some_and(|before| before.iter().any(|b| b.name == c.name))
            {
                return Err(Error::malformed(
                    SIGNATURE_INPUT.as_str(),
                    "component listed twice",
                ));
            }
            let unescaped;
            let name: &str = if c.name.escaped {
                unescaped = c.name.unescape();
                &unescaped
            } else {
                c.name.raw
            };
            if !c.params.is_empty() {
                return Err(Error::UnsupportedComponent {
                    component: echo(&format!("{}{}", name, c.params)),
                });
            }
            // Escaping is canonical, so the raw text is the sf-string serialisation.
            sink.put("\"");
            sink.put(c.name.raw);
            sink.put("\": ");
            match name {
                "@method" => sink.put(&self.method),
                "@path" => sink.put(if self.path.is_empty() {
                    "/"
                } else {
                    &self.path
                }),
                "@query" => {
                    sink.put("?");
                    sink.put(&self.query);
                }
                "@request-target" => {
                    sink.put(&self.path);
                    if !self.query.is_empty() {
                        sink.put("?");
                        sink.put(&self.query);
                    }
                }
                "@authority" => match &self.authority {
                    Some(a) => sink.put(a),
                    None => req.put_field(sink, "host", true)?,
                },
                name if name.starts_with('@') => {
                    return Err(Error::UnsupportedComponent {
                        component: echo(name),
                    })
                }
                name => {
                    if name.bytes().any(|b| b.is_ascii_uppercase()) {
                        return Err(Error::malformed(
                            SIGNATURE_INPUT.as_str(),
                            "component names must be lowercase",
                        ));
                    }
                    req.put_field(sink, name, false)?;
                }
            }
            sink.put("\n");
        }
        Ok(())
    }
}

/// `lines` followed by the `"@signature-params"` line with `params`.
fn with_params(lines: &str, params: &str) -> String {
    let mut base = String::with_capacity(lines.len() + params.len() + 24);
    base.push_str(lines);
    base.push_str("\"@signature-params\": ");
    base.push_str(params);
    base
}

/// Where a signature base goes: a `String` for [`Verifier::signature_bases`] and the
/// signer, the keyed HMAC state itself when verifying (so no base is built there).
trait Sink {
    fn put(&mut self, text: &str);
    /// `text` with ASCII letters in lower case.
    fn put_lower(&mut self, text: &str);
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    fn put_lower(&mut self, text: &str) {
        self.extend(text.chars().map(|c| c.to_ascii_lowercase()));
    }
}

/// A keyed HMAC state behind a small buffer: the many short pieces of a base cost a copy
/// each, and the HMAC sees a few large updates.
struct MacSink<'m> {
    mac: &'m mut HmacSha256,
    buf: [u8; 192],
    len: usize,
}

impl<'m> MacSink<'m> {
    fn new(mac: &'m mut HmacSha256) -> Self {
        MacSink {
            mac,
            buf: [0; 192],
            len: 0,
        }
    }

    fn put_bytes(&mut self, bytes: &[u8]) {
        if let Some(dst) = self.buf.get_mut(self.len..self.len + bytes.len()) {
            dst.copy_from_slice(bytes);
            self.len += bytes.len();
            return;
        }
        self.flush();
        match self.buf.get_mut(..bytes.len()) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.len = bytes.len();
            }
            None => self.mac.update(bytes),
        }
    }

    /// Feed what is buffered to the HMAC.
    fn flush(&mut self) {
        if let Some(pending) = self.buf.get(..self.len) {
            self.mac.update(pending);
        }
        self.len = 0;
    }
}

impl Sink for MacSink<'_> {
    fn put(&mut self, text: &str) {
        self.put_bytes(text.as_bytes());
    }

    fn put_lower(&mut self, text: &str) {
        let mut lower = [0u8; 64];
        for chunk in text.as_bytes().chunks(lower.len()) {
            let out = lower.get_mut(..chunk.len()).unwrap_or_default();
            for (o, c) in out.iter_mut().zip(chunk) {
                *o = c.to_ascii_lowercase();
            }
            self.put_bytes(out);
        }
    }
}

/// The pieces of one Legacy candidate base.
struct LegacyBase<'a> {
    sep: usize,
    sep_text: &'static str,
    toggled: bool,
    header_ct: bool,
    /// The digest token, with the `:` added around it (or not) when toggled.
    token: (&'static str, &'a str, &'static str),
    ct: &'a str,
    len: Decimal,
}

impl LegacyBase<'_> {
    fn variant(&self) -> Variant {
        Variant::Legacy {
            sep: self.sep,
            toggled: self.toggled,
            header_ct: self.header_ct,
        }
    }
}

/// The pieces of one Guide candidate base.
struct GuideBase<'a> {
    sep: usize,
    sep_text: &'static str,
    doubled: bool,
    digest: &'a str,
    ct: &'a str,
    /// The `Content-Length` header, else the body length.
    len: Option<&'a str>,
    body_len: Decimal,
}

impl GuideBase<'_> {
    fn variant(&self) -> Variant {
        Variant::Guide {
            sep: self.sep,
            doubled: self.doubled,
        }
    }
}

/// The inner-list members of a `Signature-Input` header by label (a later member with a
/// label overrides an earlier one), as slices of the header.
struct SignatureInputs<'a> {
    members: SmallList<MemberSpan<'a>>,
}

impl<'a> SignatureInputs<'a> {
    /// Scan the header; the member labelled `capture.0` is also captured.
    fn scan(text: &'a str, capture: Option<(&str, &mut Captured<'a>)>) -> SfResult<Self> {
        if text.len() > MAX_HEADER_LEN {
            return Err("too long");
        }
        let mut members: SmallList<MemberSpan<'a>> = SmallList::default();
        SfParser::new(text).dictionary(
            |member| {
                if let Some(slot) = members.iter_mut().find(|m| m.label == member.label) {
                    *slot = member;
                    return;
                }
                members.push(member);
            },
            capture,
        )?;
        Ok(SignatureInputs { members })
    }

    fn get(&self, label: &str) -> Option<MemberSpan<'a>> {
        self.members.iter().find(|m| m.label == label).copied()
    }
}

/// `Signature-Input`, read and scanned on first use during one verification, with the
/// member of the first label asked for captured on the way.
#[derive(Default)]
struct InputsCache<'a> {
    state: InputsState<'a>,
    /// The label captured, and what was captured.
    label: &'a str,
    captured: Captured<'a>,
}

#[derive(Default)]
enum InputsState<'a> {
    #[default]
    NotRead,
    Ready(SignatureInputs<'a>),
    /// Why it could not be used: missing (`None`) or malformed (the reason).
    Failed(Option<&'static str>),
}

impl<'a> InputsCache<'a> {
    /// The member labelled `label` with its components and policy parameters (captured
    /// while scanning, or now for another label); `None` if there is no such member.
    fn member(
        &mut self,
        headers: &'a HeaderMap,
        label: &'a str,
    ) -> Result<Option<(MemberSpan<'a>, &Captured<'a>)>, Error> {
        if let InputsState::NotRead = self.state {
            let captured = &mut self.captured;
            self.state = match single_header_why(headers, &SIGNATURE_INPUT)
                .and_then(|text| SignatureInputs::scan(text, Some((label, captured))).map_err(Some))
            {
                Ok(inputs) => {
                    self.label = label;
                    InputsState::Ready(inputs)
                }
                Err(why) => InputsState::Failed(why),
            };
        }
        let inputs = match &self.state {
            InputsState::Ready(inputs) => inputs,
            InputsState::Failed(Some(reason)) => {
                return Err(Error::malformed(SIGNATURE_INPUT.as_str(), reason))
            }
            InputsState::Failed(None) | InputsState::NotRead => {
                return Err(Error::missing(SIGNATURE_INPUT.as_str()))
            }
        };
        let Some(span) = inputs.get(label) else {
            return Ok(None);
        };
        if !(self.captured.found && self.label == label) {
            self.label = label;
            span.capture(&mut self.captured)
                .map_err(|reason| Error::malformed(SIGNATURE_INPUT.as_str(), reason))?;
        }
        Ok(Some((span, &self.captured)))
    }
}

const LEGACY_SEPARATORS: [&str; 3] = [" ", "\n", "\\n"];
const GUIDE_SEPARATORS: [&str; 2] = ["\n", "\\n"];

/// Which candidate base of a dialect matched; described in words only on success.
#[derive(Debug, Clone, Copy)]
enum Variant {
    Legacy {
        sep: usize,
        toggled: bool,
        header_ct: bool,
    },
    Guide {
        sep: usize,
        doubled: bool,
    },
    Rfc {
        canonical: bool,
    },
}

const LEGACY_VARIANTS: [&str; 12] = [
    "space-separated, digest token verbatim, content type literal",
    "space-separated, digest token verbatim, content type from the header",
    "space-separated, digest token with ':' toggled, content type literal",
    "space-separated, digest token with ':' toggled, content type from the header",
    "LF-separated, digest token verbatim, content type literal",
    "LF-separated, digest token verbatim, content type from the header",
    "LF-separated, digest token with ':' toggled, content type literal",
    "LF-separated, digest token with ':' toggled, content type from the header",
    "literal \\n-separated, digest token verbatim, content type literal",
    "literal \\n-separated, digest token verbatim, content type from the header",
    "literal \\n-separated, digest token with ':' toggled, content type literal",
    "literal \\n-separated, digest token with ':' toggled, content type from the header",
];

const GUIDE_VARIANTS: [&str; 4] = [
    "LF-joined lines",
    "LF-joined lines, doubled '?' before the query",
    "literal \\n-joined lines",
    "literal \\n-joined lines, doubled '?' before the query",
];

impl Variant {
    fn describe(self) -> &'static str {
        match self {
            Variant::Legacy {
                sep,
                toggled,
                header_ct,
            } => LEGACY_VARIANTS
                .get(sep * 4 + usize::from(toggled) * 2 + usize::from(header_ct))
                .copied()
                .unwrap_or("legacy"),
            Variant::Guide { sep, doubled } => GUIDE_VARIANTS
                .get(sep * 2 + usize::from(doubled))
                .copied()
                .unwrap_or("guide"),
            Variant::Rfc { canonical: false } => "received @signature-params text",
            Variant::Rfc { canonical: true } => "canonical @signature-params serialisation",
        }
    }
}

struct Request<'a> {
    headers: &'a HeaderMap,
    body_len: usize,
    /// `Content-Digest`: the first line, trimmed, if it is visible ASCII.
    digest: Option<&'a str>,
    /// True when `digest` is known to be the only line of the field.
    digest_single: bool,
    /// `Content-Type` and `Content-Length` the same way, looked up on first use.
    content_type: OnceCell<Option<&'a str>>,
    content_length: OnceCell<Option<&'a str>>,
}

impl<'a> Request<'a> {
    /// `digest` is the `Content-Digest` text when the caller has already read it and
    /// checked that it is the only line.
    fn new(headers: &'a HeaderMap, body_len: usize, digest: Option<&'a str>) -> Self {
        Request {
            headers,
            body_len,
            digest_single: digest.is_some(),
            digest: digest.or_else(|| first_line(headers, &CONTENT_DIGEST)),
            content_type: OnceCell::new(),
            content_length: OnceCell::new(),
        }
    }

    fn content_type(&self) -> Option<&'a str> {
        *self
            .content_type
            .get_or_init(|| first_line(self.headers, &http::header::CONTENT_TYPE))
    }

    fn content_length(&self) -> Option<&'a str> {
        *self
            .content_length
            .get_or_init(|| first_line(self.headers, &http::header::CONTENT_LENGTH))
    }

    /// Feed the RFC 9421 §2.1 field value: every line of the field, trimmed, joined by
    /// ", " (lower-cased when `lower`).
    fn put_field(&self, sink: &mut impl Sink, name: &str, lower: bool) -> Result<(), Error> {
        let mut any = false;
        // The usual fields by their constant names, which saves parsing the name.
        let lines = match name {
            "content-digest" => match self.digest {
                Some(digest) if self.digest_single => {
                    sink.put(digest);
                    return Ok(());
                }
                _ => self.headers.get_all(&CONTENT_DIGEST),
            },
            "content-type" => self.headers.get_all(&http::header::CONTENT_TYPE),
            "content-length" => self.headers.get_all(&http::header::CONTENT_LENGTH),
            "host" => self.headers.get_all(&http::header::HOST),
            _ => self.headers.get_all(name),
        };
        for v in lines {
            let text = v
                .to_str()
                .map_err(|_| Error::malformed(name, "not visible ASCII"))?;
            if any {
                sink.put(", ");
            }
            if lower {
                sink.put_lower(text.trim());
            } else {
                sink.put(text.trim());
            }
            any = true;
        }
        if any {
            Ok(())
        } else {
            Err(Error::missing(name))
        }
    }
}

/// The first line of a header, trimmed, if it is visible ASCII.
fn first_line<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// The one line of a header (missing or repeated is an error).
fn single_value<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Result<&'h HeaderValue, Error> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or_else(|| Error::missing(name.as_str()))?;
    if values.next().is_some() {
        return Err(Error::malformed(
            name.as_str(),
            "header sent more than once",
        ));
    }
    Ok(value)
}

/// A header line as trimmed text, if it is visible ASCII.
fn value_text<'h>(value: &'h HeaderValue, name: &HeaderName) -> Result<&'h str, Error> {
    value
        .to_str()
        .map(str::trim)
        .map_err(|_| Error::malformed(name.as_str(), "not visible ASCII"))
}

/// The one line of a header, trimmed; `Err(None)` when it is missing, else the reason it
/// is malformed.
fn single_header_why<'h>(
    headers: &'h HeaderMap,
    name: &HeaderName,
) -> Result<&'h str, Option<&'static str>> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or(None)?;
    if values.next().is_some() {
        return Err(Some("header sent more than once"));
    }
    // `HeaderValue::to_str`, with a faster check.
    let bytes = value.as_bytes();
    if !is_visible_ascii(bytes) {
        return Err(Some("not visible ASCII"));
    }
    std::str::from_utf8(bytes)
        .map(str::trim)
        .map_err(|_| Some("not visible ASCII"))
}

struct Meta {
    dialect: Dialect,
    index: usize,
    variant: Variant,
    digest: [u8; 32],
}

impl Meta {
    fn into_verified<B: AsRef<[u8]>>(self, body: B) -> Verified<B> {
        Verified::new(
            body,
            Scheme::Healthie(self.dialect),
            self.index,
            EventSource::BodyField(Cow::Borrowed("event_type")),
            KeySource::BodyDigest(self.digest),
        )
        .with_variant(self.variant.describe())
    }
}

impl Verify for Verifier {
    fn verify_bytes(&self, headers: &HeaderMap, body: Bytes) -> Result<Verified, Error> {
        Verifier::verify_bytes(self, headers, body)
    }

    fn verify<'a>(&self, headers: &HeaderMap, body: &'a [u8]) -> Result<Verified<&'a [u8]>, Error> {
        Verifier::verify(self, headers, body)
    }
}

/// The components our signer covers, in Healthie's claimed order.
const SIGNED_COMPONENTS: &str =
    r#"("@method" "@path" "@query" "content-digest" "content-type" "content-length")"#;

/// Headers of a Healthie delivery of `body` signed in `dialect`: `Content-Type`,
/// `Content-Length`, `Content-Digest`, `Signature-Input` and `Signature`.
///
/// `method` and `path_and_query` are the request line as registered; `created` goes into
/// `Signature-Input` (only the RFC 9421 dialect signs it). Legacy uses the
/// `sha-256=<base64>` digest form and a hex signature; Guide uses `sha-256=:<base64>:` and
/// `sig1=:<hex>:`; RFC 9421 uses `sha-256=:<base64>:` and `sig1=:<base64>:` with
/// `keyid="healthie";alg="hmac-sha256"`. HTTP clients set `Content-Length` themselves;
/// the value here is the same.
pub fn sign(
    secret: impl AsRef<[u8]>,
    dialect: Dialect,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    created: u64,
) -> Vec<(HeaderName, HeaderValue)> {
    let digest_b64 = STANDARD.encode(Sha256::digest(body));
    let content_digest = match dialect {
        Dialect::Legacy => format!("sha-256={digest_b64}"),
        Dialect::Guide | Dialect::Rfc9421 => format!("sha-256=:{digest_b64}:"),
    };
    let signature_input = match dialect {
        Dialect::Rfc9421 => {
            format!(r#"{SIGNED_COMPONENTS};created={created};keyid="healthie";alg="hmac-sha256""#)
        }
        Dialect::Legacy | Dialect::Guide => {
            format!(r#"{SIGNED_COMPONENTS};created={created};keyid="healthie""#)
        }
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    headers.insert(CONTENT_DIGEST, ascii_value(&content_digest));
    headers.insert(
        SIGNATURE_INPUT,
        ascii_value(&format!("{DEFAULT_LABEL}={signature_input}")),
    );
    let verifier = Verifier::new(Secrets::default(), method, path_and_query);
    let req = Request::new(&headers, body.len(), None);
    let mut base = String::new();
    match dialect {
        Dialect::Legacy => {
            if let Some(parts) = verifier.legacy_base(&req, 0) {
                verifier.emit_legacy(&parts, &mut base);
            }
        }
        Dialect::Guide => {
            if let Some(parts) = verifier.guide_base(&req, 0) {
                verifier.emit_guide(&parts, &mut base);
            }
        }
        Dialect::Rfc9421 => {
            let text = format!("{DEFAULT_LABEL}={signature_input}");
            let mut first = None;
            let _ = scan_dictionary(&text, |m| {
                first.get_or_insert(m);
            });
            let mut covered = Covered::default();
            if let Some(Ok(())) = first.map(|m| m.components(&mut covered)) {
                if verifier
                    .emit_rfc9421_lines(&req, covered.as_slice(), &mut base)
                    .is_ok()
                {
                    base.push_str("\"@signature-params\": ");
                    base.push_str(&signature_input);
                } else {
                    base.clear();
                }
            }
        }
    }
    let mut mac = keyed(secret.as_ref());
    mac.update(base.as_bytes());
    let tag = mac.finalize().into_bytes();
    let signature = match dialect {
        Dialect::Legacy => format!("{DEFAULT_LABEL}={}", hex::encode(tag)),
        Dialect::Guide => format!("{DEFAULT_LABEL}=:{}:", hex::encode(tag)),
        Dialect::Rfc9421 => format!("{DEFAULT_LABEL}=:{}:", STANDARD.encode(tag)),
    };
    headers.insert(SIGNATURE, ascii_value(&signature));
    let mut out = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        if let Some(name) = name {
            out.push((name, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the `base64` crate makes of it, the reference for the fast decoder.
    fn reference_b64_32(s: &[u8]) -> Option<[u8; 32]> {
        let mut buf = [0u8; 48];
        let n = STANDARD.decode_slice(s, &mut buf).ok()?;
        <[u8; 32]>::try_from(&buf[..n]).ok()
    }

    #[test]
    fn b64_plain_never_disagrees_with_the_base64_crate() {
        for seed in 0..64u8 {
            let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ seed);
            let text = STANDARD.encode(bytes);
            assert_eq!(decode_b64_32_plain(text.as_bytes()), Some(bytes));
            for pos in 0..text.len() {
                for b in 0..=255u8 {
                    let mut s = text.clone().into_bytes();
                    s[pos] = b;
                    if let Some(out) = decode_b64_32_plain(&s) {
                        assert_eq!(Some(out), reference_b64_32(&s), "byte {b:#x} at {pos}");
                    }
                }
            }
        }
    }

    #[test]
    fn plain_paths_take_what_the_signer_sends() {
        for dialect in [Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421] {
            let headers = sign("k", dialect, "POST", "/h?a=1", b"{}", 1);
            let get = |name: &HeaderName| {
                headers
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap()
            };
            let digest = get(&CONTENT_DIGEST);
            let (text, parsed) = plain_content_digest(digest.as_bytes()).unwrap();
            assert_eq!(parse_content_digest(text).unwrap(), parsed);
            let signature = get(&SIGNATURE);
            let member = plain_signature(signature.as_bytes()).unwrap();
            let general = parse_signature(signature.to_str().unwrap()).unwrap();
            assert_eq!(general.len(), 1);
            assert_eq!(general[0].encoding, member.encoding);
            assert_eq!(general[0].signature, member.signature);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// The fast paths of `check` give what the general parsers give (after `to_str` and
        /// trimming), whenever they answer.
        #[test]
        fn plain_paths_agree_with_the_general_parsers(
            text in proptest::prop_oneof![
                "(sha-256|SHA-256| sha-256)=(:)?[A-Za-z0-9+/=,; ]{42,46}(:)?( |,)?",
                "(sig1|sig2| sig1)=(:)?[0-9a-fA-F+/=, ]{42,66}(:)?( |,)?",
            ],
        ) {
            let Ok(value) = HeaderValue::from_str(&text) else {
                return Ok(());
            };
            if let Some((digest_text, digest)) = plain_content_digest(value.as_bytes()) {
                let general = value.to_str().map(str::trim).ok();
                proptest::prop_assert_eq!(Some(digest_text), general);
                proptest::prop_assert_eq!(parse_content_digest(digest_text).ok(), Some(digest));
            }
            if let Some(member) = plain_signature(value.as_bytes()) {
                let text = value.to_str().map(str::trim).unwrap_or_default();
                let general = parse_signature(text).ok();
                proptest::prop_assert_eq!(
                    general,
                    Some(vec![SignatureMember {
                        label: member.label.to_owned(),
                        encoding: member.encoding,
                        signature: member.signature,
                    }])
                );
            }
        }
    }
}
