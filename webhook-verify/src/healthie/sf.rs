//! Strict RFC 8941 serialisation of structured field values, for the `;sf` and `;key`
//! component parameters of RFC 9421 (§2.1.1, §2.1.2), and the `;bs` wrapping (§2.1.3).
//!
//! RFC 9421 leaves it to the application to know whether a field is a Dictionary, a List
//! or an Item. Here a value that parses as a Dictionary is serialised as one, anything
//! else as a List; an Item is a one-member List, whose serialisation is the Item's.
//!
//! Hand-written on the parser of `signature_input` ([`SfParser`]) rather than with the
//! `sfv` crate: for the `Signature` and `Signature-Input` headers `sfv` takes 360 ns and
//! 118 ns where the whole RFC 9421 check has 450 ns over its floor, gives no byte spans
//! (the `"@signature-params"` line is the received text), cannot read the Legacy
//! `sig1=<64 hex>` and gives no refusal reasons; and for the rare `;sf` / `;key` path alone
//! it would add ten crates to every user's build, a second major version of `syn` among
//! them (BENCHMARKS.md, "What depending on a crate costs").

use base64::alphabet::STANDARD as ALPHABET;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

use super::signature_input::{Bare, SfParser, SfResult};

/// Byte sequences as RFC 8941 §4.2.7 asks parsers to read them: padding optional.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &ALPHABET,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// One Dictionary member or List member, serialised.
pub(super) struct Member {
    /// The value with its parameters (`2;x=1`, `(a b c)`, `?1` for a bare key).
    pub(super) value: String,
    /// A bare key (Boolean true): a Dictionary writes only the key and the parameters.
    pub(super) bare_true: bool,
    /// The parameters alone, for a bare key.
    pub(super) params: String,
}

/// The strict serialisation of a field value (Dictionary, else List).
pub(super) fn canonical(text: &str) -> SfResult<String> {
    if let Ok(members) = dictionary(text) {
        let mut out = String::with_capacity(text.len());
        for (i, (key, m)) in members.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(key);
            if m.bare_true {
                out.push_str(&m.params);
            } else {
                out.push('=');
                out.push_str(&m.value);
            }
        }
        return Ok(out);
    }
    let members = list(text)?;
    Ok(members
        .iter()
        .map(|m| m.value.as_str())
        .collect::<Vec<_>>()
        .join(", "))
}

/// Parse a Dictionary into its members in order (a repeated key keeps its first position
/// and takes the last value, RFC 8941 §4.2.2).
fn dictionary(text: &str) -> SfResult<Vec<(&str, Member)>> {
    let mut p = SfParser::new(text);
    let mut out: Vec<(&str, Member)> = Vec::new();
    p.skip_sp();
    if p.peek().is_none() {
        return Ok(out);
    }
    loop {
        let key = p.key()?;
        let member = if p.peek() == Some(b'=') {
            p.i += 1;
            member(&mut p)?
        } else {
            let mut params = String::new();
            canonical_params(&mut p, &mut params)?;
            Member {
                value: format!("?1{params}"),
                bare_true: true,
                params,
            }
        };
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = member,
            None => out.push((key, member)),
        }
        if !next_member(&mut p)? {
            return Ok(out);
        }
    }
}

/// The serialisation of the member `key` of a Dictionary field value (`;key`), `None` if
/// the Dictionary has no such member.
pub(super) fn dictionary_member(text: &str, key: &str) -> SfResult<Option<String>> {
    Ok(dictionary(text)?
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, m)| m.value))
}

/// Parse a List into its members in order.
fn list(text: &str) -> SfResult<Vec<Member>> {
    let mut p = SfParser::new(text);
    let mut out = Vec::new();
    p.skip_sp();
    if p.peek().is_none() {
        return Ok(out);
    }
    loop {
        out.push(member(&mut p)?);
        if !next_member(&mut p)? {
            return Ok(out);
        }
    }
}

/// After a member: `true` if a comma and another member follow, `false` at the end.
fn next_member(p: &mut SfParser<'_>) -> SfResult<bool> {
    p.skip_ows();
    match p.peek() {
        None => Ok(false),
        Some(b',') => {
            p.i += 1;
            p.skip_ows();
            if p.peek().is_none() {
                return Err("trailing comma");
            }
            Ok(true)
        }
        Some(_) => Err("unexpected character after a member"),
    }
}

/// An Item or an Inner List, with parameters (the strict `Signature` reader checks and
/// skips members with it).
pub(super) fn member(p: &mut SfParser<'_>) -> SfResult<Member> {
    let mut value = String::new();
    if p.peek() == Some(b'(') {
        p.i += 1;
        value.push('(');
        let mut first = true;
        loop {
            p.skip_sp();
            if p.peek() == Some(b')') {
                p.i += 1;
                break;
            }
            if p.peek().is_none() {
                return Err("unterminated inner list");
            }
            if !first {
                value.push(' ');
            }
            first = false;
            let bare = p.bare_item()?;
            canonical_bare(bare, &mut value)?;
            canonical_params(p, &mut value)?;
            match p.peek() {
                Some(b' ') | Some(b')') => {}
                _ => return Err("items of an inner list must be separated by spaces"),
            }
        }
        value.push(')');
        canonical_params(p, &mut value)?;
    } else {
        let bare = p.bare_item()?;
        canonical_bare(bare, &mut value)?;
        let mut params = String::new();
        canonical_params(p, &mut params)?;
        value.push_str(&params);
        // A Dictionary writes a true Boolean member as its key alone.
        let bare_true = matches!(bare, Bare::Boolean(true));
        return Ok(Member {
            value,
            bare_true,
            params,
        });
    }
    Ok(Member {
        value,
        bare_true: false,
        params: String::new(),
    })
}

/// Parameters, serialised: a repeated key keeps its first position and the last value;
/// a `true` Boolean is the bare key.
pub(super) fn canonical_params(p: &mut SfParser<'_>, out: &mut String) -> SfResult<()> {
    let mut params: Vec<(&str, Bare<'_>)> = Vec::new();
    p.params(
        |key, value| match params.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => params.push((key, value)),
        },
    )?;
    for (key, value) in params {
        out.push(';');
        out.push_str(key);
        if !matches!(value, Bare::Boolean(true)) {
            out.push('=');
            canonical_bare(value, out)?;
        }
    }
    Ok(())
}

/// A bare item, serialised (RFC 8941 §4.1.3 to §4.1.9).
fn canonical_bare(value: Bare<'_>, out: &mut String) -> SfResult<()> {
    match value {
        Bare::Integer(i) => out.push_str(&i.to_string()),
        // Escapes are canonical (`\"` and `\\` only), so the raw text is the serialisation.
        Bare::String(s) => {
            out.push('"');
            out.push_str(s.raw);
            out.push('"');
        }
        Bare::Token(t) => out.push_str(t),
        Bare::Boolean(b) => out.push_str(if b { "?1" } else { "?0" }),
        Bare::Other(t) => {
            if let Some(inner) = t.strip_prefix(':').and_then(|t| t.strip_suffix(':')) {
                let bytes = LENIENT.decode(inner).map_err(|_| "invalid byte sequence")?;
                out.push(':');
                out.push_str(&STANDARD.encode(bytes));
                out.push(':');
            } else if let Some(date) = t.strip_prefix('@') {
                let n: i64 = date.parse().map_err(|_| "invalid date")?;
                out.push('@');
                out.push_str(&n.to_string());
            } else {
                canonical_decimal(t, out)?;
            }
        }
    }
    Ok(())
}

/// A decimal without leading zeros in its integer part or trailing zeros in its fraction
/// (at least one digit each).
fn canonical_decimal(text: &str, out: &mut String) -> SfResult<()> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = digits.split_once('.').ok_or("invalid decimal")?;
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    if negative {
        out.push('-');
    }
    out.push_str(if int.is_empty() { "0" } else { int });
    out.push('.');
    out.push_str(if frac.is_empty() { "0" } else { frac });
    Ok(())
}

/// RFC 9421 §2.1.3: each field line, trimmed, as a byte sequence; joined by `, `.
pub(super) fn byte_sequences<'v>(lines: impl Iterator<Item = &'v [u8]>) -> String {
    let mut out = String::new();
    for (i, line) in lines.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push(':');
        out.push_str(&STANDARD.encode(line.trim_ascii()));
        out.push(':');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_members_are_serialised_alone() {
        let text = "a=1, b=2;x=1;y=2, c=(a   b    c), d";
        assert_eq!(dictionary_member(text, "a").unwrap().as_deref(), Some("1"));
        assert_eq!(
            dictionary_member(text, "b").unwrap().as_deref(),
            Some("2;x=1;y=2")
        );
        assert_eq!(
            dictionary_member(text, "c").unwrap().as_deref(),
            Some("(a b c)")
        );
        assert_eq!(dictionary_member(text, "d").unwrap().as_deref(), Some("?1"));
        assert_eq!(dictionary_member(text, "zz").unwrap(), None);
        assert!(dictionary_member("(1 2", "a").is_err());
    }

    #[test]
    fn rfc9421_2_1_1_dictionary_is_reserialised() {
        assert_eq!(
            canonical("a=1,    b=2;x=1;y=2,   c=(a   b   c)").unwrap(),
            "a=1, b=2;x=1;y=2, c=(a b c)"
        );
    }

    #[test]
    fn bare_items_are_canonical() {
        assert_eq!(
            canonical("a=1.50, b=?1;p=?1, c=:aGk:").unwrap(),
            "a=1.5, b;p, c=:aGk=:"
        );
        assert_eq!(canonical("-007.0").unwrap(), "-7.0");
        assert_eq!(canonical("\"x\",  tok, 1").unwrap(), "\"x\", tok, 1");
        assert_eq!(canonical("a=1, a=2, b").unwrap(), "a=2, b");
        assert!(canonical("a=(1 2").is_err());
    }
}
