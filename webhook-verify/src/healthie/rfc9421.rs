//! The strict RFC 9421 dialect: base lines from the covered components, policy checks
//! (`alg`, required components, `created`/`expires`) and the `Signature-Input` cache.

use http::header::HeaderMap;

use super::base::{Request, Sink};
use super::signature::SmallList;
use super::signature_input::{
    Bare, Captured, Comp, MemberSpan, PolicyParams, SfParser, SfResult, SfStr,
};
use super::{sf, Verifier, DEFAULT_LABEL, MAX_HEADER_LEN, SIGNATURE_INPUT};
use crate::clock::skew;
use crate::error::{echo, Error};
use crate::header::single_header_why;

impl Verifier {
    pub(super) fn check_policy(&self, captured: &Captured<'_>) -> Result<(), Error> {
        self.check_params(
            captured.known,
            captured.covered.as_slice(),
            &captured.params,
        )
    }

    /// The policy checks on one signature's components and parameters; `known` says the
    /// components are [`KNOWN_COMPONENTS`].
    pub(super) fn check_params(
        &self,
        known: bool,
        covered: &[Comp<'_>],
        params: &PolicyParams<'_>,
    ) -> Result<(), Error> {
        match params.alg {
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
        let known_ok = known && self.known_covers_required;
        for required in self.required.iter().filter(|_| !known_ok) {
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
        match params.created {
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
        match params.expires {
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

    /// The base lines for [`KNOWN_COMPONENTS`]: the precomputed request-line part, then
    /// the three fields; what [`Verifier::emit_rfc9421_lines`] emits for that list.
    pub(super) fn emit_known_lines(
        &self,
        req: &Request<'_>,
        sink: &mut impl Sink,
    ) -> Result<(), Error> {
        sink.put(&self.prefixes.rfc);
        req.put_field(sink, "content-digest", false)?;
        sink.put("\n\"content-type\": ");
        req.put_field(sink, "content-type", false)?;
        sink.put("\n\"content-length\": ");
        req.put_field(sink, "content-length", false)?;
        sink.put("\n");
        Ok(())
    }

    /// The RFC 9421 base lines for the covered components, each ending in LF; the caller
    /// adds the final `"@signature-params"` line. Components follow RFC 9421 §2.1 (fields,
    /// with `;sf`, `;key` and `;bs`) and §2.2 (derived components); what a Healthie
    /// request cannot carry is refused with the reason.
    pub(super) fn emit_rfc9421_lines(
        &self,
        req: &Request<'_>,
        covered: &[Comp<'_>],
        sink: &mut impl Sink,
    ) -> Result<(), Error> {
        let mut seen: Vec<(&str, String)> = Vec::with_capacity(covered.len());
        for c in covered {
            let unescaped;
            let name: &str = if c.name.escaped {
                unescaped = c.name.unescape();
                &unescaped
            } else {
                c.name.raw
            };
            let flags = ComponentParams::parse(c.params)?;
            // The identifier as the base writes it: the sf-string and canonical parameters.
            let mut params_text = String::new();
            sf::canonical_params(&mut SfParser::new(c.params), &mut params_text)
                .map_err(|reason| Error::malformed(SIGNATURE_INPUT.as_str(), reason))?;
            if seen
                .iter()
                .any(|(n, p)| *n == c.name.raw && *p == params_text)
            {
                return Err(Error::malformed(
                    SIGNATURE_INPUT.as_str(),
                    "component listed twice",
                ));
            }
            let refuse = |why: &str| Error::UnsupportedComponent {
                component: format!("{}: {why}", echo(&format!("{name}{}", c.params))),
            };
            if flags.req {
                return Err(refuse(
                    "`req` names a component of the request a response answers; Healthie signs requests",
                ));
            }
            if flags.tr {
                return Err(refuse("trailers are not available to a webhook receiver"));
            }
            if let Some(other) = flags.unknown {
                return Err(refuse(&format!("unknown parameter `{other}`")));
            }
            let value: Option<String> = if name.starts_with('@') {
                if flags.sf || flags.bs || flags.key.is_some() {
                    return Err(refuse("`sf`, `key` and `bs` apply to fields only"));
                }
                if flags.name.is_some() && name != "@query-param" {
                    return Err(refuse("`name` applies to @query-param only"));
                }
                match name {
                    "@query-param" => {
                        let wanted = flags.name.ok_or_else(|| {
                            Error::malformed(
                                SIGNATURE_INPUT.as_str(),
                                "@query-param without a name parameter",
                            )
                        })?;
                        Some(self.query_param(&wanted)?)
                    }
                    _ => {
                        self.emit_derived_start(name, c.name.raw, &params_text, req, sink)?;
                        seen.push((c.name.raw, params_text));
                        continue;
                    }
                }
            } else {
                if name.bytes().any(|b| b.is_ascii_uppercase()) {
                    return Err(Error::malformed(
                        SIGNATURE_INPUT.as_str(),
                        "component names must be lowercase",
                    ));
                }
                if flags.bs && (flags.sf || flags.key.is_some()) {
                    return Err(Error::malformed(
                        SIGNATURE_INPUT.as_str(),
                        "`bs` cannot be combined with `sf` or `key`",
                    ));
                }
                if flags.bs {
                    let mut lines = req.headers.get_all(name).iter().peekable();
                    if lines.peek().is_none() {
                        return Err(Error::missing(name));
                    }
                    Some(sf::byte_sequences(lines.map(|v| v.as_bytes())))
                } else if flags.sf || flags.key.is_some() {
                    let mut combined = String::new();
                    req.put_field(&mut combined, name, false)?;
                    let bad = |reason: &'static str| Error::malformed(name, reason);
                    match &flags.key {
                        Some(key) => Some(
                            sf::dictionary_member(&combined, key)
                                .map_err(bad)?
                                .ok_or_else(|| {
                                    Error::missing(&echo(&format!("{name};key={key}")))
                                })?,
                        ),
                        None => Some(sf::canonical(&combined).map_err(bad)?),
                    }
                } else {
                    None
                }
            };
            // Escaping is canonical, so the raw text is the sf-string serialisation.
            sink.put("\"");
            sink.put(c.name.raw);
            sink.put("\"");
            sink.put(&params_text);
            sink.put(": ");
            match value {
                Some(v) => sink.put(&v),
                None => req.put_field(sink, name, false)?,
            }
            sink.put("\n");
            seen.push((c.name.raw, params_text));
        }
        Ok(())
    }

    /// The line of a derived component without parameters (RFC 9421 §2.2).
    fn emit_derived_start(
        &self,
        name: &str,
        raw: &str,
        params_text: &str,
        req: &Request<'_>,
        sink: &mut impl Sink,
    ) -> Result<(), Error> {
        let refuse = |why: &str| Error::UnsupportedComponent {
            component: format!("{}: {why}", echo(name)),
        };
        match name {
            "@signature-params" => {
                return Err(Error::malformed(
                    SIGNATURE_INPUT.as_str(),
                    "@signature-params cannot be a covered component",
                ))
            }
            "@status" => return Err(refuse("a response's status; Healthie signs requests")),
            "@request-response" => {
                return Err(refuse(
                    "binds a response to its request; Healthie signs requests",
                ))
            }
            "@method" | "@path" | "@query" | "@request-target" | "@authority" | "@scheme"
            | "@target-uri" => {}
            _ => return Err(refuse("not a component RFC 9421 defines")),
        }
        sink.put("\"");
        sink.put(raw);
        sink.put("\"");
        sink.put(params_text);
        sink.put(": ");
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        match name {
            "@method" => sink.put(&self.method),
            "@path" => sink.put(path),
            "@query" => {
                sink.put("?");
                sink.put(&self.query);
            }
            "@request-target" => {
                sink.put(path);
                if !self.query.is_empty() {
                    sink.put("?");
                    sink.put(&self.query);
                }
            }
            "@scheme" => sink.put(&self.scheme),
            "@authority" => self.put_authority(req, sink)?,
            // "@target-uri"
            _ => {
                sink.put(&self.scheme);
                sink.put("://");
                self.put_authority(req, sink)?;
                sink.put(path);
                if !self.query.is_empty() {
                    sink.put("?");
                    sink.put(&self.query);
                }
            }
        }
        sink.put("\n");
        Ok(())
    }

    /// `@authority`: the configured value, else the `Host` header lower-cased.
    fn put_authority(&self, req: &Request<'_>, sink: &mut impl Sink) -> Result<(), Error> {
        match &self.authority {
            Some(a) => {
                sink.put(a);
                Ok(())
            }
            None => req.put_field(sink, "host", true),
        }
    }

    /// RFC 9421 §2.2.8: the value of the one query parameter whose re-encoded name is
    /// `wanted`, parsed as `application/x-www-form-urlencoded` and re-encoded. A name
    /// that is absent, or occurs more than once, is an error.
    fn query_param(&self, wanted: &str) -> Result<String, Error> {
        let mut found: Option<String> = None;
        for pair in self.query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if form_encode(&form_decode(name)) != wanted {
                continue;
            }
            if found.is_some() {
                return Err(Error::UnsupportedComponent {
                    component: format!(
                        "{}: the parameter occurs more than once (RFC 9421 §2.2.8)",
                        echo(&format!("@query-param;name=\"{wanted}\""))
                    ),
                });
            }
            found = Some(form_encode(&form_decode(value)));
        }
        found.ok_or_else(|| Error::missing(&echo(&format!("@query-param;name=\"{wanted}\""))))
    }
}

/// The parameters of one covered component.
#[derive(Default)]
struct ComponentParams {
    sf: bool,
    bs: bool,
    req: bool,
    tr: bool,
    key: Option<String>,
    name: Option<String>,
    unknown: Option<String>,
}

impl ComponentParams {
    fn parse(text: &str) -> Result<Self, Error> {
        let mut out = ComponentParams::default();
        let mut bad: Option<&'static str> = None;
        SfParser::new(text)
            .params(|key, value| match (key, value) {
                ("sf", Bare::Boolean(b)) => out.sf = b,
                ("bs", Bare::Boolean(b)) => out.bs = b,
                ("req", Bare::Boolean(b)) => out.req = b,
                ("tr", Bare::Boolean(b)) => out.tr = b,
                ("key", Bare::String(s)) => out.key = Some(s.unescape().into_owned()),
                ("name", Bare::String(s)) => out.name = Some(s.unescape().into_owned()),
                ("sf" | "bs" | "req" | "tr", _) => bad = Some("flag parameters must be booleans"),
                ("key" | "name", _) => bad = Some("`key` and `name` must be strings"),
                (other, _) => out.unknown = Some(other.to_owned()),
            })
            .map_err(|reason| Error::malformed(SIGNATURE_INPUT.as_str(), reason))?;
        match bad {
            Some(reason) => Err(Error::malformed(SIGNATURE_INPUT.as_str(), reason)),
            None => Ok(out),
        }
    }
}

/// `application/x-www-form-urlencoded` decoding of one name or value: `+` is a space,
/// `%XX` a byte; the bytes are read as UTF-8 (invalid sequences become U+FFFD).
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding with the `application/x-www-form-urlencoded` percent-encode set and a
/// space as `%20` (RFC 9421 §2.2.8): only ASCII alphanumerics and `*-._` stay as they are.
fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 0xf)]));
        }
    }
    out
}

/// The inner-list members of a `Signature-Input` header by label (a later member with a
/// label overrides an earlier one), as slices of the header.
pub(super) struct SignatureInputs<'a> {
    pub(super) members: SmallList<MemberSpan<'a>>,
}

impl<'a> SignatureInputs<'a> {
    /// Scan the header; the member labelled `capture.0` is also captured.
    pub(super) fn scan(
        text: &'a str,
        capture: Option<(&str, &mut Captured<'a>)>,
    ) -> SfResult<Self> {
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

    pub(super) fn get(&self, label: &str) -> Option<MemberSpan<'a>> {
        self.members.iter().find(|m| m.label == label).copied()
    }
}

/// The component list Healthie's RFC 9421 sample and our signer use, as written.
pub(super) const KNOWN_LIST: &str =
    r#"("@method" "@path" "@query" "content-digest" "content-type" "content-length")"#;

/// The components of [`KNOWN_LIST`].
pub(super) const KNOWN_COMPONENTS: [&str; 6] = [
    "@method",
    "@path",
    "@query",
    "content-digest",
    "content-type",
    "content-length",
];

/// `sig1=` + [`KNOWN_LIST`] + parameters, and nothing else: the usual header, read without
/// the general dictionary scan. For such a text it yields exactly what
/// [`SignatureInputs::scan`] with a capture of `sig1` yields (one member, the same spans
/// and parameters); anything else is `None` and goes to the general scan.
fn scan_known<'a>(text: &'a str, captured: &mut Captured<'a>) -> Option<SignatureInputs<'a>> {
    let raw = text.strip_prefix("sig1=")?;
    let params = raw.strip_prefix(KNOWN_LIST)?;
    if !params.starts_with(';') {
        return None;
    }
    captured.clear();
    let mut parser = SfParser::new(params);
    if parser
        .params(|key, value| captured.param(key, value))
        .is_err()
        || parser.i != params.len()
    {
        captured.clear();
        return None;
    }
    for name in KNOWN_COMPONENTS {
        captured.covered.push(Comp {
            name: SfStr {
                raw: name,
                escaped: false,
            },
            params: "",
        });
    }
    captured.found = true;
    captured.known = true;
    let mut members = SmallList::default();
    members.push(MemberSpan {
        label: DEFAULT_LABEL,
        list: raw.get(..KNOWN_LIST.len()).unwrap_or(""),
        params,
        raw,
    });
    Some(SignatureInputs { members })
}

/// `Signature-Input`, read and scanned on first use during one verification, with the
/// member of the first label asked for captured on the way.
#[derive(Default)]
pub(super) struct InputsCache<'a> {
    pub(super) state: InputsState<'a>,
    /// The label captured, and what was captured.
    pub(super) label: &'a str,
    pub(super) captured: Captured<'a>,
}

#[derive(Default)]
pub(super) enum InputsState<'a> {
    #[default]
    NotRead,
    Ready(SignatureInputs<'a>),
    /// Why it could not be used: missing (`None`) or malformed (the reason).
    Failed(Option<&'static str>),
}

impl<'a> InputsCache<'a> {
    /// The member labelled `label` with its components and policy parameters (captured
    /// while scanning, or now for another label); `None` if there is no such member.
    pub(super) fn member(
        &mut self,
        headers: &'a HeaderMap,
        label: &'a str,
    ) -> Result<Option<(MemberSpan<'a>, &Captured<'a>)>, Error> {
        if let InputsState::NotRead = self.state {
            let captured = &mut self.captured;
            self.state = match single_header_why(headers, &SIGNATURE_INPUT).and_then(|text| {
                let known = if label == DEFAULT_LABEL {
                    scan_known(text, captured)
                } else {
                    None
                };
                match known {
                    Some(inputs) => Ok(inputs),
                    None => SignatureInputs::scan(text, Some((label, captured))).map_err(Some),
                }
            }) {
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
