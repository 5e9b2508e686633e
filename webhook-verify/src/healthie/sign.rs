//! The Healthie signer, for every dialect.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::header::{HeaderMap, HeaderName, HeaderValue};

use super::base::Request;
use super::signature_input::{scan_dictionary, Covered};
use super::{Dialect, Verifier, CONTENT_DIGEST, DEFAULT_LABEL, SIGNATURE, SIGNATURE_INPUT};
use crate::header::ascii_value;
use crate::mac::{keyed, sha256};
use crate::secret::Secrets;

/// The components our signer covers, in Healthie's claimed order.
pub(super) const SIGNED_COMPONENTS: &str =
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
    let digest_b64 = STANDARD.encode(sha256(body));
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
    let req = Request::new(&headers, body.len(), None);
    let mut base = String::new();
    match dialect {
        Dialect::Legacy => {
            if let Some(parts) = verifier.legacy_base(&req, 0) {
                verifier.emit_legacy(&parts, &mut base);
            }
        }
        Dialect::Guide => {
            if let Some(parts) = verifier.guide_base(&req, 0) {
                verifier.emit_guide(&parts, &mut base);
            }
        }
        Dialect::Rfc9421 => {
            let text = format!("{DEFAULT_LABEL}={signature_input}");
            let mut first = None;
            let _ = scan_dictionary(&text, |m| {
                first.get_or_insert(m);
            });
            let mut covered = Covered::default();
            if let Some(Ok(())) = first.map(|m| m.components(&mut covered)) {
                if verifier
                    .emit_rfc9421_lines(&req, covered.as_slice(), &mut base)
                    .is_ok()
                {
                    base.push_str("\"@signature-params\": ");
                    base.push_str(&signature_input);
                } else {
                    base.clear();
                }
            }
        }
    }
    let mut mac = keyed(secret.as_ref());
    mac.update(base.as_bytes());
    let tag = mac.finalize();
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
