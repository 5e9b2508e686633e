//! Structured field values (RFC 8941, RFC 9651) for the RFC 9421 component parameters
//! `;sf` and `;key` (§2.1.1, §2.1.2), `;bs` (§2.1.3), and the canonical form of component
//! parameters.
//!
//! `;sf` and `;key` parse and re-serialise whole field values with the `sfv` crate. RFC
//! 9421 leaves it to the application to know whether a field is a Dictionary, a List or
//! an Item; here a value that parses as a Dictionary is serialised as one, anything else
//! as a List (an Item is a one-member List, whose serialisation is the Item's).
//!
//! The `Signature` and `Signature-Input` headers themselves are read by the hand-written
//! parser of `signature_input` ([`SfParser`]), not by `sfv`: the usual delivery takes fast
//! paths that read the usual shapes directly, because `sfv` takes 360 ns to read Healthie's
//! `Signature-Input` and 118 ns its `Signature` (BENCHMARKS.md, webhook-verify, "Issue
//! 17") where the whole RFC 9421 check has 450 ns over its floor; and the general path
//! needs the byte spans of each member (the `"@signature-params"` line is the received
//! text), reads the Legacy `sig1=<64 hex>`, which is no RFC 8941 item, and gives a reason
//! for each refusal, none of which `sfv` offers.

use base64::alphabet::STANDARD as ALPHABET;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use sfv::{FieldType as _, KeyRef, ListSerializer, Parser};

use super::signature_input::{Bare, SfParser, SfResult};

/// Byte sequences as RFC 8941 §4.2.7 asks parsers to read them: padding optional.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &ALPHABET,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The strict serialisation of a field value (`;sf`): as a Dictionary if it parses as one,
/// else as a List.
pub(super) fn canonical(text: &str) -> SfResult<String> {
    if let Ok(dictionary) = Parser::new(text).parse::<sfv::Dictionary>() {
        return Ok(dictionary.serialize().unwrap_or_default());
    }
    let list = Parser::new(text)
        .parse::<sfv::List>()
        .map_err(|_| "not a structured field value")?;
    Ok(list.serialize().unwrap_or_default())
}

/// The serialisation of the member `key` of a Dictionary field value (`;key`), `None` if
/// the Dictionary has no such member.
pub(super) fn dictionary_member(text: &str, key: &str) -> SfResult<Option<String>> {
    let dictionary = Parser::new(text)
        .parse::<sfv::Dictionary>()
        .map_err(|_| "not a structured field dictionary")?;
    let Ok(key) = KeyRef::from_str(key) else {
        return Ok(None);
    };
    Ok(dictionary.get(key).map(|member| {
        let mut out = ListSerializer::new();
        out.members([member]);
        out.finish().unwrap_or_default()
    }))
}

/// An Item or an Inner List, with parameters, read (and checked) and skipped.
pub(super) fn member(p: &mut SfParser<'_>) -> SfResult<()> {
    // Serialised into a scratch string, which checks byte sequences, decimals and dates.
    let mut scratch = String::new();
    if p.peek() == Some(b'(') {
        p.i += 1;
        loop {
            p.skip_sp();
            if p.peek() == Some(b')') {
                p.i += 1;
                break;
            }
            if p.peek().is_none() {
                return Err("unterminated inner list");
            }
            let bare = p.bare_item()?;
            canonical_bare(bare, &mut scratch)?;
            canonical_params(p, &mut scratch)?;
            match p.peek() {
                Some(b' ') | Some(b')') => {}
                _ => return Err("items of an inner list must be separated by spaces"),
            }
        }
    } else {
        let bare = p.bare_item()?;
        canonical_bare(bare, &mut scratch)?;
    }
    canonical_params(p, &mut scratch)
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
}
