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
use crate::hmac_hex::decode_hex32;
use crate::secret::{keyed, Secrets};
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
    let name = "signature";
    if value.len() > MAX_HEADER_LEN {
        return Err(Error::malformed(name, "too long"));
    }
    let mut out = Vec::new();
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
            out.push(SignatureMember {
                label: label.to_owned(),
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

/// Parse a `Content-Digest` value and return its `sha-256` digest.
///
/// Accepts an RFC 9530 dictionary (`sha-256=:<base64>:`, possibly with other members such
/// as `sha-512`, which are ignored) and the lenient forms `sha-256=<base64>` and
/// `sha-256=<64 hex>`; the algorithm name is matched case-insensitively. No `sha-256`
/// member is [`Error::UnsupportedDigest`]; a bad value is [`Error::MalformedHeader`].
pub fn parse_content_digest(value: &str) -> Result<[u8; 32], Error> {
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
    if value.len() > MAX_HEADER_LEN {
        return Err(Error::malformed(SIGNATURE_INPUT.as_str(), "too long"));
    }
    let mut p = SfParser {
        s: value.as_bytes(),
        text: value,
        i: 0,
    };
    p.dictionary()
        .map_err(|reason| Error::malformed(SIGNATURE_INPUT.as_str(), reason))
}

struct SfParser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

type SfResult<T> = Result<T, &'static str>;

impl SfParser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
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

    fn slice(&self, from: usize, to: usize) -> &str {
        self.text.get(from..to).unwrap_or("")
    }

    fn dictionary(&mut self) -> SfResult<Vec<SignatureInput>> {
        let mut out = Vec::new();
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
                    let components = self.inner_list()?;
                    let params = self.params()?;
                    let raw = self.slice(start, self.i).to_owned();
                    if out.len() >= MAX_MEMBERS {
                        return Err("too many members");
                    }
                    // A later member with the same label overrides (RFC 8941 §4.2.2).
                    out.retain(|m: &SignatureInput| m.label != label);
                    out.push(SignatureInput {
                        label,
                        components,
                        params,
                        raw,
                    });
                } else {
                    self.bare_item()?;
                    self.params()?;
                }
            } else {
                self.params()?;
            }
            self.skip_ows();
            match self.peek() {
                None => return Ok(out),
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

    fn key(&mut self) -> SfResult<String> {
        let start = self.i;
        match self.peek() {
            Some(c) if c.is_ascii_lowercase() || c == b'*' => self.i += 1,
            _ => return Err("a key must start with a lowercase letter or '*'"),
        }
        while self.peek().is_some_and(is_key_char) {
            self.i += 1;
        }
        Ok(self.slice(start, self.i).to_owned())
    }

    fn inner_list(&mut self) -> SfResult<Vec<Component>> {
        // Caller checked the '('.
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.skip_sp();
            match self.peek() {
                Some(b')') => {
                    self.i += 1;
                    return Ok(items);
                }
                None => return Err("unterminated inner list"),
                Some(b'"') => {
                    let name = self.string()?;
                    let pstart = self.i;
                    self.params()?;
                    let params = self.slice(pstart, self.i).to_owned();
                    if items.len() >= MAX_COMPONENTS {
                        return Err("too many components");
                    }
                    items.push(Component { name, params });
                }
                Some(_) => return Err("covered components must be strings"),
            }
            match self.peek() {
                Some(b' ') | Some(b')') => {}
                _ => return Err("items of an inner list must be separated by spaces"),
            }
        }
    }

    fn params(&mut self) -> SfResult<Vec<(String, ParamValue)>> {
        let mut out = Vec::new();
        while self.peek() == Some(b';') {
            self.i += 1;
            self.skip_sp();
            let key = self.key()?;
            let value = if self.peek() == Some(b'=') {
                self.i += 1;
                self.bare_item()?
            } else {
                ParamValue::Boolean(true)
            };
            if out.len() >= MAX_COMPONENTS {
                return Err("too many parameters");
            }
            out.retain(|(k, _): &(String, ParamValue)| *k != key);
            out.push((key, value));
        }
        Ok(out)
    }

    fn bare_item(&mut self) -> SfResult<ParamValue> {
        let start = self.i;
        match self.peek() {
            Some(b'"') => Ok(ParamValue::String(self.string()?)),
            Some(c) if c == b'-' || c.is_ascii_digit() => {
                if c == b'-' {
                    self.i += 1;
                }
                let digits = self.i;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
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
                    return Ok(ParamValue::Other(self.slice(start, self.i).to_owned()));
                }
                if self.i - digits > 15 {
                    return Err("integer too long");
                }
                self.slice(start, self.i)
                    .parse::<i64>()
                    .map(ParamValue::Integer)
                    .map_err(|_| "invalid integer")
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'*' => {
                self.i += 1;
                while self
                    .peek()
                    .is_some_and(|c| is_tchar(c) || c == b':' || c == b'/')
                {
                    self.i += 1;
                }
                Ok(ParamValue::Token(self.slice(start, self.i).to_owned()))
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
                Ok(ParamValue::Other(self.slice(start, self.i).to_owned()))
            }
            Some(b'?') => {
                self.i += 1;
                let v = match self.peek() {
                    Some(b'0') => false,
                    Some(b'1') => true,
                    _ => return Err("invalid boolean"),
                };
                self.i += 1;
                Ok(ParamValue::Boolean(v))
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
                Ok(ParamValue::Other(self.slice(start, self.i).to_owned()))
            }
            _ => Err("invalid bare item"),
        }
    }

    fn string(&mut self) -> SfResult<String> {
        // Caller checked the '"'.
        self.i += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one go.
            let start = self.i;
            while self
                .peek()
                .is_some_and(|c| (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\')
            {
                self.i += 1;
            }
            out.push_str(self.slice(start, self.i));
            match self.peek() {
                None => return Err("unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(c @ (b'"' | b'\\')) => {
                            out.push(char::from(c));
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
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-' | b'.' | b'*')
}

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
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verified, Error> {
        let meta = self.check(headers, body)?;
        Ok(meta.into_verified(Bytes::copy_from_slice(body)))
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
        let req = Request {
            headers,
            body_len: body.len(),
        };
        let mut out = Vec::new();
        for d in dialects {
            match d {
                Dialect::Legacy => {
                    let mut i = 0;
                    while let Some((variant, base)) = self.legacy_candidate(&req, i) {
                        out.push(SignatureBase {
                            dialect: Dialect::Legacy,
                            variant: variant.describe().to_owned(),
                            label: None,
                            base,
                        });
                        i += 1;
                    }
                }
                Dialect::Guide => {
                    let mut i = 0;
                    while let Some((variant, base)) = self.guide_candidate(&req, i) {
                        out.push(SignatureBase {
                            dialect: Dialect::Guide,
                            variant: variant.describe().to_owned(),
                            label: None,
                            base,
                        });
                        i += 1;
                    }
                }
                Dialect::Rfc9421 => {
                    let inputs = headers
                        .get(&SIGNATURE_INPUT)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_signature_input(v).ok())
                        .unwrap_or_default();
                    for input in &inputs {
                        let Ok(lines) = self.rfc9421_lines(&req, input) else {
                            continue;
                        };
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
        // Step 1: body integrity.
        let digest_text = single_header(headers, &CONTENT_DIGEST)?;
        let claimed = parse_content_digest(digest_text)?;
        let actual: [u8; 32] = Sha256::digest(body).into();
        if !ct_eq(&claimed, &actual) {
            return Err(Error::DigestMismatch);
        }

        // Step 2: the signature.
        let sig_text = single_header(headers, &SIGNATURE)?;
        let mut members = parse_signature(sig_text)?;
        // sig1 first, then the rest in order.
        members.sort_by_key(|m| m.label != DEFAULT_LABEL);
        let req = Request {
            headers,
            body_len: body.len(),
        };
        let mut first_error: Option<Error> = None;
        let mut usable = false;
        for member in &members {
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
                match self.try_dialect(&req, *dialect, member) {
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
    fn try_dialect(
        &self,
        req: &Request<'_>,
        dialect: Dialect,
        member: &SignatureMember,
    ) -> Result<Option<(usize, Variant)>, Error> {
        match dialect {
            Dialect::Legacy => {
                let mut i = 0;
                while let Some((variant, base)) = self.legacy_candidate(req, i) {
                    if let Some(index) = self.matches(base.as_bytes(), &member.signature) {
                        return Ok(Some((index, variant)));
                    }
                    i += 1;
                }
                Ok(None)
            }
            Dialect::Guide => {
                let mut i = 0;
                while let Some((variant, base)) = self.guide_candidate(req, i) {
                    if let Some(index) = self.matches(base.as_bytes(), &member.signature) {
                        return Ok(Some((index, variant)));
                    }
                    i += 1;
                }
                Ok(None)
            }
            Dialect::Rfc9421 => {
                let text = single_header(req.headers, &SIGNATURE_INPUT)?;
                let inputs = parse_signature_input(text)?;
                let input = inputs
                    .iter()
                    .find(|i| i.label == member.label)
                    .ok_or_else(|| {
                        Error::malformed(
                            SIGNATURE_INPUT.as_str(),
                            "no member with the signature's label",
                        )
                    })?;
                self.check_policy(input)?;
                let lines = self.rfc9421_lines(req, input)?;
                let base = with_params(&lines, &input.raw);
                if let Some(index) = self.matches(base.as_bytes(), &member.signature) {
                    return Ok(Some((index, Variant::Rfc { canonical: false })));
                }
                // A sender (or proxy) may have re-spaced the header: also try the
                // canonical serialisation of the same parameters.
                let canonical = input.canonical();
                if canonical != input.raw {
                    let base = with_params(&lines, &canonical);
                    if let Some(index) = self.matches(base.as_bytes(), &member.signature) {
                        return Ok(Some((index, Variant::Rfc { canonical: true })));
                    }
                }
                Ok(None)
            }
        }
    }

    fn matches(&self, base: &[u8], signature: &[u8; 32]) -> Option<usize> {
        self.secrets.macs().find_map(|(index, mac)| {
            let mut mac = mac.clone();
            mac.update(base);
            mac.verify_slice(signature).ok().map(|()| index)
        })
    }

    fn check_policy(&self, input: &SignatureInput) -> Result<(), Error> {
        match input.param("alg") {
            None => {}
            Some(ParamValue::String(alg)) if alg == "hmac-sha256" => {}
            Some(ParamValue::String(alg) | ParamValue::Token(alg) | ParamValue::Other(alg)) => {
                return Err(Error::UnsupportedAlgorithm { alg: echo(alg) })
            }
            Some(_) => {
                return Err(Error::UnsupportedAlgorithm {
                    alg: "(not a string)".to_owned(),
                })
            }
        }
        for required in &self.required {
            if !input.components.iter().any(|c| &c.name == required) {
                return Err(Error::MissingComponent {
                    component: echo(required),
                });
            }
        }
        let now = self.clock.now();
        match input.param("created") {
            Some(ParamValue::Integer(created)) => {
                let created = u64::try_from(*created).map_err(|_| {
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
        match input.param("expires") {
            Some(ParamValue::Integer(expires)) => {
                let expires = u64::try_from(*expires).unwrap_or(0);
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
    fn legacy_candidate(&self, req: &Request<'_>, i: usize) -> Option<(Variant, String)> {
        let digest_full = req.header(&CONTENT_DIGEST)?;
        let token = digest_full.split_once('=').map(|(_, t)| t).unwrap_or("");
        let header_ct = req
            .header(&http::header::CONTENT_TYPE)
            .filter(|ct| *ct != "application/json");
        let cts: usize = if header_ct.is_some() { 2 } else { 1 };
        let per_sep = 2 * cts;
        let sep = i / per_sep;
        let rest = i % per_sep;
        let sep_text = *LEGACY_SEPARATORS.get(sep)?;
        let toggled = rest / cts == 1;
        let use_header_ct = rest % cts == 1;
        let token: Cow<'_, str> = if toggled {
            match token.strip_prefix(':').and_then(|t| t.strip_suffix(':')) {
                Some(inner) => Cow::Borrowed(inner),
                None => Cow::Owned(format!(":{token}:")),
            }
        } else {
            Cow::Borrowed(token)
        };
        let ct = match (use_header_ct, header_ct) {
            (true, Some(ct)) => ct,
            _ => "application/json",
        };
        let len = Decimal::new(req.body_len as u64);
        let parts = [
            self.method_lower.as_str(),
            self.path.as_str(),
            self.query.as_str(),
            &token,
            ct,
            len.as_str(),
        ];
        let mut base = String::with_capacity(
            parts.iter().map(|p| p.len()).sum::<usize>() + 5 * sep_text.len(),
        );
        for (n, part) in parts.iter().enumerate() {
            if n > 0 {
                base.push_str(sep_text);
            }
            base.push_str(part);
        }
        let variant = Variant::Legacy {
            sep,
            toggled,
            header_ct: use_header_ct,
        };
        Some((variant, base))
    }

    /// Guide candidate number `i`: separator (LF, the two characters `\n`) × query form
    /// (`?<query>`, and `??<query>` as the guide's sample produces when there is a query).
    fn guide_candidate(&self, req: &Request<'_>, i: usize) -> Option<(Variant, String)> {
        let forms = if self.query.is_empty() { 1 } else { 2 };
        let sep = i / forms;
        let doubled = i % forms == 1;
        let sep_text = *GUIDE_SEPARATORS.get(sep)?;
        let digest = req.header(&CONTENT_DIGEST)?;
        let ct = req
            .header(&http::header::CONTENT_TYPE)
            .unwrap_or("application/json");
        let len_owned = Decimal::new(req.body_len as u64);
        let len = req
            .header(&http::header::CONTENT_LENGTH)
            .unwrap_or(len_owned.as_str());
        let q = if doubled { "??" } else { "?" };
        let lines = [
            ("\"@method\": ", self.method.as_str()),
            ("\"@path\": ", self.path.as_str()),
            ("\"@query\": ", q),
            ("\"content-digest\": ", digest),
            ("\"content-type\": ", ct),
            ("\"content-length\": ", len),
        ];
        let mut base =
            String::with_capacity(160 + digest.len() + self.path.len() + self.query.len());
        for (n, (name, value)) in lines.iter().enumerate() {
            if n > 0 {
                base.push_str(sep_text);
            }
            base.push_str(name);
            base.push_str(value);
            if n == 2 {
                base.push_str(&self.query);
            }
        }
        Some((Variant::Guide { sep, doubled }, base))
    }

    /// The RFC 9421 base lines for `input`'s covered components, each ending in LF;
    /// [`with_params`] appends the final `"@signature-params"` line.
    fn rfc9421_lines(&self, req: &Request<'_>, input: &SignatureInput) -> Result<String, Error> {
        let mut base = String::with_capacity(256 + input.raw.len());
        for (n, c) in input.components.iter().enumerate() {
            if input
                .components
                .get(..n)
                .is_some_and(|before| before.iter().any(|b| b.name == c.name))
            {
                return Err(Error::malformed(
                    SIGNATURE_INPUT.as_str(),
                    "component listed twice",
                ));
            }
            if !c.params.is_empty() {
                return Err(Error::UnsupportedComponent {
                    component: echo(&format!("{}{}", c.name, c.params)),
                });
            }
            push_sf_string(&mut base, &c.name);
            base.push_str(": ");
            match c.name.as_str() {
                "@method" => base.push_str(&self.method),
                "@path" => base.push_str(if self.path.is_empty() {
                    "/"
                } else {
                    &self.path
                }),
                "@query" => {
                    base.push('?');
                    base.push_str(&self.query);
                }
                "@request-target" => {
                    base.push_str(&self.path);
                    if !self.query.is_empty() {
                        base.push('?');
                        base.push_str(&self.query);
                    }
                }
                "@authority" => match &self.authority {
                    Some(a) => base.push_str(a),
                    None => {
                        let start = base.len();
                        req.push_field(&mut base, "host")?;
                        let lowered = base.get(start..).map(str::to_ascii_lowercase);
                        base.truncate(start);
                        base.push_str(&lowered.unwrap_or_default());
                    }
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
                    req.push_field(&mut base, name)?;
                }
            }
            base.push('\n');
        }
        Ok(base)
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
}

impl<'a> Request<'a> {
    /// First value of a header, trimmed, if it is visible ASCII.
    fn header(&self, name: &HeaderName) -> Option<&'a str> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    }

    /// Append the RFC 9421 §2.1 field value: every line of the field, trimmed, joined
    /// by ", ".
    fn push_field(&self, out: &mut String, name: &str) -> Result<(), Error> {
        let mut any = false;
        for v in self.headers.get_all(name) {
            let text = v
                .to_str()
                .map_err(|_| Error::malformed(name, "not visible ASCII"))?;
            if any {
                out.push_str(", ");
            }
            out.push_str(text.trim());
            any = true;
        }
        if any {
            Ok(())
        } else {
            Err(Error::missing(name))
        }
    }
}

fn single_header<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Result<&'h str, Error> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or_else(|| Error::missing(name.as_str()))?;
    if values.next().is_some() {
        return Err(Error::malformed(
            name.as_str(),
            "header sent more than once",
        ));
    }
    value
        .to_str()
        .map(str::trim)
        .map_err(|_| Error::malformed(name.as_str(), "not visible ASCII"))
}

struct Meta {
    dialect: Dialect,
    index: usize,
    variant: Variant,
    digest: [u8; 32],
}

impl Meta {
    fn into_verified(self, body: Bytes) -> Verified {
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

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verified, Error> {
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
    let req = Request {
        headers: &headers,
        body_len: body.len(),
    };
    let base = match dialect {
        Dialect::Legacy => verifier.legacy_candidate(&req, 0).map(|(_, b)| b),
        Dialect::Guide => verifier.guide_candidate(&req, 0).map(|(_, b)| b),
        Dialect::Rfc9421 => parse_signature_input(&format!("{DEFAULT_LABEL}={signature_input}"))
            .ok()
            .and_then(|inputs| inputs.into_iter().next())
            .and_then(|input| {
                verifier
                    .rfc9421_lines(&req, &input)
                    .ok()
                    .map(|lines| with_params(&lines, &input.raw))
            }),
    }
    .unwrap_or_default();
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
