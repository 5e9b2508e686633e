//! The `Signature-Input` header: an RFC 8941 dictionary of inner lists, parsed without
//! allocating.

use std::borrow::Cow;

use super::{MAX_COMPONENTS, MAX_HEADER_LEN, MAX_MEMBERS, SIGNATURE_INPUT};
use crate::Error;

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
pub(super) fn scan_dictionary<'a>(
    value: &'a str,
    member: impl FnMut(MemberSpan<'a>),
) -> SfResult<()> {
    if value.len() > MAX_HEADER_LEN {
        return Err("too long");
    }
    SfParser::new(value).dictionary(member, None)
}

/// One inner-list member of `Signature-Input`, as slices of the header text.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct MemberSpan<'a> {
    pub(super) label: &'a str,
    /// The inner list, `(` to `)`.
    pub(super) list: &'a str,
    /// The member's parameters, `;created=…;keyid=…`.
    pub(super) params: &'a str,
    /// Everything after `label=`: the `@signature-params` text.
    pub(super) raw: &'a str,
}

impl<'a> MemberSpan<'a> {
    /// The covered components in order (the span was validated when it was scanned).
    pub(super) fn components(&self, out: &mut Covered<'a>) -> SfResult<()> {
        out.len = 0;
        SfParser::new(self.list).inner_list(|name, params| out.push(Comp { name, params }))
    }

    /// Components and policy parameters into `out` (the spans were validated).
    pub(super) fn capture(&self, out: &mut Captured<'a>) -> SfResult<()> {
        out.clear();
        self.components(&mut out.covered)?;
        SfParser::new(self.params).params(|key, value| out.param(key, value))?;
        out.found = true;
        Ok(())
    }

    /// Calls `f` with every parameter in order (repeated keys included).
    pub(super) fn each_param(&self, f: impl FnMut(&'a str, Bare<'a>)) -> SfResult<()> {
        SfParser::new(self.params).params(f)
    }

    pub(super) fn to_owned_input(self) -> SignatureInput {
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
pub(super) struct SfStr<'a> {
    pub(super) raw: &'a str,
    pub(super) escaped: bool,
}

impl<'a> SfStr<'a> {
    /// The string's value. Escaping is canonical (only `\"` and `\\`), so two strings are
    /// equal exactly when their `raw` texts are.
    #[inline]
    pub(super) fn unescape(self) -> Cow<'a, str> {
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
pub(super) enum Bare<'a> {
    Integer(i64),
    String(SfStr<'a>),
    Token(&'a str),
    Boolean(bool),
    Other(&'a str),
}

impl Bare<'_> {
    pub(super) fn to_owned(self) -> ParamValue {
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
pub(super) struct Comp<'a> {
    pub(super) name: SfStr<'a>,
    /// Its parameters' text (empty in practice).
    pub(super) params: &'a str,
}

/// What the RFC 9421 checks need of one `Signature-Input` member.
#[derive(Default)]
pub(super) struct Captured<'a> {
    pub(super) found: bool,
    /// The components are exactly [`super::rfc9421::KNOWN_COMPONENTS`] (set by the fast
    /// scan only), so the base can start with the verifier's precomputed lines.
    pub(super) known: bool,
    pub(super) covered: Covered<'a>,
    pub(super) params: PolicyParams<'a>,
}

/// The last `alg`, `created` and `expires` parameters of a signature.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct PolicyParams<'a> {
    pub(super) alg: Option<Bare<'a>>,
    pub(super) created: Option<Bare<'a>>,
    pub(super) expires: Option<Bare<'a>>,
}

impl<'a> PolicyParams<'a> {
    pub(super) fn param(&mut self, key: &'a str, value: Bare<'a>) {
        match key {
            "alg" => self.alg = Some(value),
            "created" => self.created = Some(value),
            "expires" => self.expires = Some(value),
            _ => {}
        }
    }
}

impl<'a> Captured<'a> {
    pub(super) fn clear(&mut self) {
        self.found = false;
        self.known = false;
        self.covered.len = 0;
        self.params = PolicyParams::default();
    }

    pub(super) fn param(&mut self, key: &'a str, value: Bare<'a>) {
        self.params.param(key, value);
    }
}

/// The covered components of one signature, at most [`MAX_COMPONENTS`], on the stack.
#[derive(Default)]
pub(super) struct Covered<'a> {
    pub(super) items: [Comp<'a>; MAX_COMPONENTS],
    pub(super) len: usize,
}

impl<'a> Covered<'a> {
    pub(super) fn push(&mut self, comp: Comp<'a>) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = comp;
            self.len += 1;
        }
    }

    pub(super) fn as_slice(&self) -> &[Comp<'a>] {
        self.items.get(..self.len).unwrap_or(&[])
    }
}

pub(super) struct SfParser<'a> {
    pub(super) s: &'a [u8],
    pub(super) text: &'a str,
    pub(super) i: usize,
}

pub(super) type SfResult<T> = Result<T, &'static str>;

impl<'a> SfParser<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        SfParser {
            s: text.as_bytes(),
            text,
            i: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Advance past the bytes that satisfy `keep`.
    pub(super) fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        let rest = self.s.get(self.i..).unwrap_or_default();
        self.i += rest.iter().take_while(|&&c| keep(c)).count();
    }

    pub(super) fn skip_sp(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    pub(super) fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ') | Some(b'\t')) {
            self.i += 1;
        }
    }

    pub(super) fn slice(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to).unwrap_or("")
    }

    /// The whole dictionary; `member` gets every inner-list member. When `capture` names a
    /// label, the components and policy parameters of (the last) member with that label are
    /// also recorded there, so they need not be parsed again.
    pub(super) fn dictionary(
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

    pub(super) fn key(&mut self) -> SfResult<&'a str> {
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
    pub(super) fn inner_list(&mut self, mut item: impl FnMut(SfStr<'a>, &'a str)) -> SfResult<()> {
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
    pub(super) fn params(&mut self, mut param: impl FnMut(&'a str, Bare<'a>)) -> SfResult<()> {
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

    pub(super) fn bare_item(&mut self) -> SfResult<Bare<'a>> {
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

    pub(super) fn string(&mut self) -> SfResult<SfStr<'a>> {
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
pub(super) fn push_sf_string(out: &mut String, text: &str) {
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

pub(super) fn is_key_char(c: u8) -> bool {
    KEY_CHARS[usize::from(c)]
}

/// Characters that stand for themselves in an sf-string: visible ASCII and space, except
/// `"` and `\`.
pub(super) const STRING_CHARS: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0x20;
    while c < 0x7f {
        table[c] = c != b'"' as usize && c != b'\\' as usize;
        c += 1;
    }
    table
};

/// `lcalpha / DIGIT / "_" / "-" / "." / "*"` (RFC 8941 key characters).
pub(super) const KEY_CHARS: [bool; 256] = {
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

pub(super) fn is_tchar(c: u8) -> bool {
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
