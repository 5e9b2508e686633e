//! The Legacy dialect: space-separated base, bare hex signature.

use super::base::{Request, Sink, Variant};
use super::Verifier;
use crate::decimal::Decimal;

impl Verifier {
    /// Legacy candidate number `i` (None past the last one). Order: separator (space, LF,
    /// the two characters `\n`) × digest token (verbatim, ':' toggled) × content type
    /// (literal `application/json`, the header value when it differs).
    pub(super) fn legacy_base<'r>(&self, req: &Request<'r>, i: usize) -> Option<LegacyBase<'r>> {
        let digest_full = req.digest?;
        let token = match digest_full.strip_prefix("sha-256=") {
            Some(token) => token,
            None => digest_full.split_once('=').map(|(_, t)| t).unwrap_or(""),
        };
        if i == 0 {
            // The first candidate is the same whatever the headers say: no lookups.
            return Some(LegacyBase {
                sep: 0,
                sep_text: LEGACY_SEPARATORS[0],
                toggled: false,
                header_ct: false,
                token: ("", token, ""),
                ct: "application/json",
                len: Decimal::new(req.body_len as u64),
            });
        }
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
    pub(super) fn emit_legacy(&self, b: &LegacyBase<'_>, sink: &mut impl Sink) {
        let (pre, token, post) = b.token;
        if b.sep == 0 && !b.header_ct {
            // The usual candidate: the precomputed request-line part, fewer pieces.
            sink.put(&self.prefixes.legacy);
            sink.put(pre);
            sink.put(token);
            sink.put(post);
            sink.put(" application/json ");
            sink.put(b.len.as_str());
            return;
        }
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
}

/// The pieces of one Legacy candidate base.
pub(super) struct LegacyBase<'a> {
    pub(super) sep: usize,
    pub(super) sep_text: &'static str,
    pub(super) toggled: bool,
    pub(super) header_ct: bool,
    /// The digest token, with the `:` added around it (or not) when toggled.
    pub(super) token: (&'static str, &'a str, &'static str),
    pub(super) ct: &'a str,
    pub(super) len: Decimal,
}

impl LegacyBase<'_> {
    pub(super) fn variant(&self) -> Variant {
        Variant::Legacy {
            sep: self.sep,
            toggled: self.toggled,
            header_ct: self.header_ct,
        }
    }
}

pub(super) const LEGACY_SEPARATORS: [&str; 3] = [" ", "\n", "\\n"];
