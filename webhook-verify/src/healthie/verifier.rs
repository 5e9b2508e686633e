//! The [`Verifier`]: its configuration, and the order in which dialects are tried.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderMap, HeaderValue};

use super::base::{with_params, Request, Sink, Variant};
use super::digest::{parse_content_digest, plain_content_digest, plain_digest_text};
use super::rfc9421::{InputsCache, SignatureInputs, KNOWN_COMPONENTS, KNOWN_LIST};
use super::signature::{
    parse_signature_refs, parse_signature_strict_refs, plain_signature, MemberRef, SmallList,
};
use super::signature_input::{parse_signature_input, Bare, Covered, PolicyParams, SfStr};
use super::{
    Dialect, Mode, SignatureBase, SignatureEncoding, CONTENT_DIGEST, DEFAULT_CREATED_FUTURE,
    DEFAULT_CREATED_PAST, DEFAULT_LABEL, DEFAULT_REQUIRED_COMPONENTS, SIGNATURE, SIGNATURE_INPUT,
};
use crate::clock::{Clock, SharedClock};
use crate::ct::ct_eq_32;
use crate::error::Error;
use crate::header::{single_header_why, single_value, value_text};
use crate::mac::{sha256, HmacSha256};
use crate::matching::first_secret;
use crate::secret::Secrets;
use crate::verified::{EventSource, KeySource, Scheme, Verdict};

/// Verifies Healthie deliveries for one registered endpoint.
#[derive(Debug, Clone)]
pub struct Verifier {
    pub(super) secrets: Secrets,
    pub(super) method: String,
    pub(super) method_lower: String,
    pub(super) path: String,
    pub(super) query: String,
    pub(super) authority: Option<String>,
    /// The scheme of the registered URL, lower case (`@scheme`, `@target-uri`).
    pub(super) scheme: String,
    pub(super) mode: Mode,
    pub(super) required: Vec<String>,
    pub(super) created_past: u64,
    pub(super) created_future: u64,
    pub(super) require_created: bool,
    pub(super) clock: SharedClock,
    /// Request-line parts of the usual bases, built once (see [`Prefixes`]).
    pub(super) prefixes: Prefixes,
    /// Whether [`KNOWN_COMPONENTS`] includes every required component.
    pub(super) known_covers_required: bool,
}

/// The parts of the usual signature bases that depend only on the verifier's method, path
/// and query: what is fed first for the first candidate of each dialect.
#[derive(Debug, Clone, Default)]
pub(super) struct Prefixes {
    /// Legacy, space-separated: `lower(method) SP path SP query SP`.
    pub(super) legacy: String,
    /// Guide, LF-joined, single `?`: the three request lines and `"content-digest": `.
    pub(super) guide: String,
    /// RFC 9421 with [`KNOWN_COMPONENTS`]: the `"@method"`, `"@path"` and `"@query"`
    /// lines and `"content-digest": `.
    pub(super) rfc: String,
}

impl Prefixes {
    fn new(method: &str, method_lower: &str, path: &str, query: &str) -> Self {
        let rfc_path = if path.is_empty() { "/" } else { path };
        Prefixes {
            legacy: format!("{method_lower} {path} {query} "),
            guide: format!(
                "\"@method\": {method}\n\"@path\": {path}\n\"@query\": ?{query}\n\"content-digest\": "
            ),
            rfc: format!(
                "\"@method\": {method}\n\"@path\": {rfc_path}\n\"@query\": ?{query}\n\"content-digest\": "
            ),
        }
    }
}

/// Parameters in their simplest form, `;created=1700000000;keyid="healthie";alg="hmac-sha256"`:
/// at most eight, keys of lowercase letters, values unsigned integers of at most 15 digits
/// or strings without escapes. For such a text this is what `SfParser::params` gives
/// (it accepts all of them); anything else is `None`, for the general parser.
pub(super) fn simple_params(text: &str) -> Option<PolicyParams<'_>> {
    let bytes = text.as_bytes();
    let mut params = PolicyParams::default();
    let mut i = 0;
    let mut count = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b';') || count == 8 {
            return None;
        }
        count += 1;
        let key_start = i + 1;
        let key_len = bytes
            .get(key_start..)?
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        if key_len == 0 || bytes.get(key_start + key_len) != Some(&b'=') {
            return None;
        }
        let key = text.get(key_start..key_start + key_len)?;
        let value_start = key_start + key_len + 1;
        let rest = bytes.get(value_start..)?;
        let (value, end) = match rest.first() {
            Some(b'"') => {
                let len = rest
                    .get(1..)?
                    .iter()
                    .take_while(|&&c| (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\')
                    .count();
                if rest.get(1 + len) != Some(&b'"') {
                    return None;
                }
                let raw = text.get(value_start + 1..value_start + 1 + len)?;
                (
                    Bare::String(SfStr {
                        raw,
                        escaped: false,
                    }),
                    value_start + len + 2,
                )
            }
            Some(c) if c.is_ascii_digit() => {
                let mut n: i64 = 0;
                let mut len = 0;
                for c in rest.iter().take_while(|c| c.is_ascii_digit()) {
                    // At most 15 digits, so this never overflows.
                    n = n * 10 + i64::from(c - b'0');
                    len += 1;
                    if len > 15 {
                        return None;
                    }
                }
                (Bare::Integer(n), value_start + len)
            }
            _ => return None,
        };
        // A value must end at the next parameter or at the end (no decimal, no space).
        if !matches!(bytes.get(end), None | Some(b';')) {
            return None;
        }
        params.param(key, value);
        i = end;
    }
    (count > 0).then_some(params)
}

/// Whether `required` is a subset of [`KNOWN_COMPONENTS`].
fn known_covers(required: &[String]) -> bool {
    required
        .iter()
        .all(|r| KNOWN_COMPONENTS.contains(&r.as_str()))
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
        let method_upper = method.as_ref().trim().to_ascii_uppercase();
        let method_lower = method.as_ref().trim().to_ascii_lowercase();
        let required: Vec<String> = DEFAULT_REQUIRED_COMPONENTS
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        Verifier {
            secrets: secrets.into(),
            prefixes: Prefixes::new(&method_upper, &method_lower, path, query),
            known_covers_required: known_covers(&required),
            method: method_upper,
            method_lower,
            path: path.to_owned(),
            query: query.to_owned(),
            authority: None,
            scheme: "https".to_owned(),
            mode: Mode::Auto,
            required,
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
        self.known_covers_required = known_covers(&self.required);
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

    /// RFC 9421: the scheme of the URL registered with Healthie, for `@scheme` and
    /// `@target-uri` (default `https`; a receiver behind a TLS-terminating proxy still
    /// says `https`, which is what Healthie signed).
    pub fn scheme(mut self, scheme: impl AsRef<str>) -> Self {
        self.scheme = scheme.as_ref().trim().to_ascii_lowercase();
        self
    }

    /// Use `clock` for the `created`/`expires` checks (tests).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = SharedClock(Arc::new(clock));
        self
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

    /// Check `body` against the signatures in `headers` ([`crate::Verify::check`]).
    pub(crate) fn verdict(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verdict, Error> {
        if self.secrets.is_empty() {
            return Err(Error::NoSecrets);
        }
        // Step 1: body integrity. The usual header shapes are parsed straight from the
        // bytes; anything else goes through the general parsers (which also produce the
        // errors).
        let value = single_value(headers, &CONTENT_DIGEST)?;
        let actual = sha256(body);
        let digest_text = match plain_digest_text(value.as_bytes(), &actual) {
            Some(text) => text,
            None => {
                let (text, claimed) = match plain_content_digest(value.as_bytes()) {
                    Some(parsed) => parsed,
                    None => {
                        let text = value_text(value, &CONTENT_DIGEST)?;
                        (text, parse_content_digest(text)?)
                    }
                };
                if !ct_eq_32(&claimed, &actual) {
                    return Err(Error::DigestMismatch);
                }
                text
            }
        };

        // Step 2: the signature.
        let value = single_value(headers, &SIGNATURE)?;
        if let Some((dialect, index, variant)) =
            self.check_usual(headers, body.len(), digest_text, value)
        {
            return Ok(matched(dialect, index, variant, actual));
        }
        self.check_general(headers, body.len(), digest_text, value, actual)
    }

    /// Step 2 for any delivery: every member, every dialect the mode allows, every
    /// candidate base. Kept out of [`Verifier::check`] so that the usual delivery does not
    /// pay for this function's large stack frame.
    #[inline(never)]
    fn check_general(
        &self,
        headers: &HeaderMap,
        body_len: usize,
        digest_text: &str,
        value: &HeaderValue,
        actual: [u8; 32],
    ) -> Result<Verdict, Error> {
        let members = match plain_signature(value.as_bytes()) {
            Some(member) => {
                let mut list = SmallList::default();
                list.push(member);
                list
            }
            // Auto reads the header leniently; a mode locked to one dialect reads it as
            // RFC 8941 does, so junk after a member fails the delivery.
            None => {
                let text = value_text(value, &SIGNATURE)?;
                match self.mode {
                    Mode::Auto => parse_signature_refs(text)?,
                    Mode::Legacy | Mode::Guide | Mode::Rfc9421 => {
                        parse_signature_strict_refs(text)?
                    }
                }
            }
        };
        let req = Request::new(headers, body_len, Some(digest_text));
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
                        return Ok(matched(*dialect, index, variant, actual))
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

    /// The usual delivery, checked in a small frame: one `sig1` member in the shape of its
    /// dialect, and (RFC 9421) `Signature-Input` as [`KNOWN_LIST`] with parameters. Tries
    /// the first candidate base of the first dialect `check` would try, with every secret,
    /// and answers only on a match, which is then exactly the answer of the general path
    /// (its first try). Anything else, a mismatch or an error included, is `None`, and the
    /// general path decides.
    #[inline(never)]
    fn check_usual(
        &self,
        headers: &HeaderMap,
        body_len: usize,
        digest_text: &str,
        value: &HeaderValue,
    ) -> Option<(Dialect, usize, Variant)> {
        let member = plain_signature(value.as_bytes())?;
        let req = Request::new(headers, body_len, Some(digest_text));
        match (self.mode, member.encoding) {
            (Mode::Auto | Mode::Legacy, SignatureEncoding::BareHex) => {
                let parts = self.legacy_base(&req, 0)?;
                let index = self.first_match(&member.signature, |mac| {
                    self.emit_legacy(&parts, mac);
                    Some(())
                })?;
                Some((Dialect::Legacy, index, parts.variant()))
            }
            (Mode::Auto | Mode::Guide, SignatureEncoding::WrappedHex) => {
                let parts = self.guide_base(&req, 0)?;
                let index = self.first_match(&member.signature, |mac| {
                    self.emit_guide(&parts, mac);
                    Some(())
                })?;
                Some((Dialect::Guide, index, parts.variant()))
            }
            (Mode::Auto | Mode::Rfc9421, SignatureEncoding::WrappedBase64) => {
                let text = single_header_why(headers, &SIGNATURE_INPUT).ok()?;
                let raw = text.strip_prefix("sig1=")?;
                let params_text = raw.strip_prefix(KNOWN_LIST)?;
                let params = simple_params(params_text)?;
                self.check_params(true, &[], &params).ok()?;
                let index = self.first_match(&member.signature, |mac| {
                    self.emit_known_lines(&req, mac).ok()?;
                    mac.put("\"@signature-params\": ");
                    mac.put(raw);
                    Some(())
                })?;
                Some((Dialect::Rfc9421, index, Variant::Rfc { canonical: false }))
            }
            _ => None,
        }
    }

    /// The index of the first secret whose HMAC over what `emit` feeds is `signature`;
    /// `None` if none matches or `emit` fails.
    #[inline]
    fn first_match(
        &self,
        signature: &[u8; 32],
        mut emit: impl FnMut(&mut HmacSha256) -> Option<()>,
    ) -> Option<usize> {
        first_secret(&self.secrets, signature, |mac| emit(mac).ok_or(())).ok()?
    }

    /// Try every base of `dialect` with every secret against `member`.
    pub(super) fn try_dialect<'h>(
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
                let known = captured.known;
                let emit = |mac: &mut HmacSha256, params: &str| {
                    if known {
                        self.emit_known_lines(req, mac)?;
                    } else {
                        self.emit_rfc9421_lines(req, covered, mac)?;
                    }
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
    /// (see [`first_secret`]).
    pub(super) fn matches(
        &self,
        signature: &[u8; 32],
        emit: impl FnMut(&mut HmacSha256) -> Result<(), Error>,
    ) -> Result<Option<usize>, Error> {
        first_secret(&self.secrets, signature, emit)
    }
}

/// The verdict of a match: `dialect` and `variant`, with secret `index`, on a body whose
/// SHA-256 is `digest` (the idempotency key).
fn matched(dialect: Dialect, index: usize, variant: Variant, digest: [u8; 32]) -> Verdict {
    Verdict::new(
        Scheme::Healthie(dialect),
        index,
        EventSource::BodyField(Cow::Borrowed("event_type")),
        KeySource::BodyDigest(digest),
    )
    .with_variant(variant.describe())
}
