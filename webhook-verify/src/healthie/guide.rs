//! The Guide dialect: the vendor guide's LF-joined lines, `:hex:` signature.

use super::base::{Request, Sink, Variant};
use super::Verifier;
use crate::decimal::Decimal;

impl Verifier {
    /// Guide candidate number `i`: separator (LF, the two characters `\n`) × query form
    /// (`?<query>`, and `??<query>` as the guide's sample produces when there is a query).
    pub(super) fn guide_base<'r>(&self, req: &Request<'r>, i: usize) -> Option<GuideBase<'r>> {
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
    pub(super) fn emit_guide(&self, b: &GuideBase<'_>, sink: &mut impl Sink) {
        if b.sep == 0 && !b.doubled {
            // The usual candidate: the precomputed request lines, fewer pieces.
            sink.put(&self.prefixes.guide);
            sink.put(b.digest);
            sink.put("\n\"content-type\": ");
            sink.put(b.ct);
            sink.put("\n\"content-length\": ");
            sink.put(b.len.unwrap_or(b.body_len.as_str()));
            return;
        }
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
}

/// The pieces of one Guide candidate base.
pub(super) struct GuideBase<'a> {
    pub(super) sep: usize,
    pub(super) sep_text: &'static str,
    pub(super) doubled: bool,
    pub(super) digest: &'a str,
    pub(super) ct: &'a str,
    /// The `Content-Length` header, else the body length.
    pub(super) len: Option<&'a str>,
    pub(super) body_len: Decimal,
}

impl GuideBase<'_> {
    pub(super) fn variant(&self) -> Variant {
        Variant::Guide {
            sep: self.sep,
            doubled: self.doubled,
        }
    }
}

pub(super) const GUIDE_SEPARATORS: [&str; 2] = ["\n", "\\n"];
