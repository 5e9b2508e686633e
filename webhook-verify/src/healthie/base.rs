//! Building signature bases: where the bytes go ([`Sink`]), the request fields they are
//! made of, and the name of each candidate variant.

use std::cell::OnceCell;

use http::header::HeaderMap;

use super::CONTENT_DIGEST;
use crate::error::Error;
use crate::header::first_line;
use crate::mac::HmacSha256;

/// `lines` followed by the `"@signature-params"` line with `params`.
pub(super) fn with_params(lines: &str, params: &str) -> String {
    let mut base = String::with_capacity(lines.len() + params.len() + 24);
    base.push_str(lines);
    base.push_str("\"@signature-params\": ");
    base.push_str(params);
    base
}

/// Where a signature base goes: a `String` for [`Verifier::signature_bases`] and the
/// signer, the keyed HMAC state itself when verifying (so no base is built there).
pub(super) trait Sink {
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

/// The HMAC computation itself is a sink: the pieces of a base go straight into its block
/// buffer, so no base is built when verifying.
impl Sink for HmacSha256 {
    #[inline]
    fn put(&mut self, text: &str) {
        self.update(text.as_bytes());
    }

    fn put_lower(&mut self, text: &str) {
        let mut lower = [0u8; 64];
        for chunk in text.as_bytes().chunks(lower.len()) {
            let out = lower.get_mut(..chunk.len()).unwrap_or_default();
            for (o, c) in out.iter_mut().zip(chunk) {
                *o = c.to_ascii_lowercase();
            }
            self.update(out);
        }
    }
}

/// Which candidate base of a dialect matched; described in words only on success.
#[derive(Debug, Clone, Copy)]
pub(super) enum Variant {
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

pub(super) const LEGACY_VARIANTS: [&str; 12] = [
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

pub(super) const GUIDE_VARIANTS: [&str; 4] = [
    "LF-joined lines",
    "LF-joined lines, doubled '?' before the query",
    "literal \\n-joined lines",
    "literal \\n-joined lines, doubled '?' before the query",
];

impl Variant {
    pub(super) fn describe(self) -> &'static str {
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

pub(super) struct Request<'a> {
    pub(super) headers: &'a HeaderMap,
    pub(super) body_len: usize,
    /// `Content-Digest`: the first line, trimmed, if it is visible ASCII.
    pub(super) digest: Option<&'a str>,
    /// True when `digest` is known to be the only line of the field.
    pub(super) digest_single: bool,
    /// `Content-Type` and `Content-Length` the same way, looked up on first use.
    pub(super) content_type: OnceCell<Option<&'a str>>,
    pub(super) content_length: OnceCell<Option<&'a str>>,
}

impl<'a> Request<'a> {
    /// `digest` is the `Content-Digest` text when the caller has already read it and
    /// checked that it is the only line.
    pub(super) fn new(headers: &'a HeaderMap, body_len: usize, digest: Option<&'a str>) -> Self {
        Request {
            headers,
            body_len,
            digest_single: digest.is_some(),
            digest: digest.or_else(|| first_line(headers, &CONTENT_DIGEST)),
            content_type: OnceCell::new(),
            content_length: OnceCell::new(),
        }
    }

    pub(super) fn content_type(&self) -> Option<&'a str> {
        *self
            .content_type
            .get_or_init(|| first_line(self.headers, &http::header::CONTENT_TYPE))
    }

    pub(super) fn content_length(&self) -> Option<&'a str> {
        *self
            .content_length
            .get_or_init(|| first_line(self.headers, &http::header::CONTENT_LENGTH))
    }

    /// Feed the RFC 9421 §2.1 field value: every line of the field, trimmed, joined by
    /// ", " (lower-cased when `lower`).
    pub(super) fn put_field(
        &self,
        sink: &mut impl Sink,
        name: &str,
        lower: bool,
    ) -> Result<(), Error> {
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
