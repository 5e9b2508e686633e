//! The strict RFC 9421 dialect: base lines from the covered components, policy checks
//! (`alg`, required components, `created`/`expires`) and the `Signature-Input` cache.

use http::header::HeaderMap;

use super::base::{single_header_why, Request, Sink};
use super::signature::SmallList;
use super::signature_input::{
    Bare, Captured, Comp, MemberSpan, PolicyParams, SfParser, SfResult, SfStr,
};
use super::{Verifier, DEFAULT_LABEL, MAX_HEADER_LEN, SIGNATURE_INPUT};
use crate::clock::skew;
use crate::error::echo;
use crate::Error;

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
    /// adds the final `"@signature-params"` line.
    pub(super) fn emit_rfc9421_lines(
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
