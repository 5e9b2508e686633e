//! Small types shared by the resource modules: the `{success, data, meta}` envelope ([`Meta`]),
//! and the shared [`Timestamp`], [`Patch`] and open-enum macro from client-core.

use client_core::{Error, ErrorKind, Page, RawResponse, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The `meta` object of every Heilo response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Meta {
    /// The server's time when it answered.
    #[serde(default)]
    pub timestamp: Option<Timestamp>,
}

impl Meta {
    /// The `meta` of the response a listing page came from (kept, as sent, in the page's
    /// `extra`); empty when the response had none.
    pub fn from_page<T>(page: &Page<T>) -> Meta {
        page.extra
            .get("meta")
            .and_then(|meta| Meta::deserialize(meta).ok())
            .unwrap_or_default()
    }
}

/// The `error` object of an envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct EnvelopeError {
    #[serde(default)]
    pub(crate) code: Option<String>,
    #[serde(default)]
    pub(crate) message: Option<String>,
}

/// `{success, data, meta}` (success) or `{success: false, error, meta}` (failure); `meta` is
/// read as [`Meta`], or kept as sent (`serde_json::Value`) where a listing passes it on.
#[derive(Debug, Deserialize)]
struct Envelope<T, M> {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default = "none")]
    data: Option<T>,
    #[serde(default = "none")]
    meta: Option<M>,
    #[serde(default)]
    error: Option<EnvelopeError>,
}

fn none<T>() -> Option<T> {
    None
}

/// Send `request` and unwrap the envelope of a 2xx answer into its `data` and `meta`.
///
/// A 2xx that says `success: false` or carries no `data` is an error (kind `Http` with the
/// envelope's code, or `Decode` when there is nothing to go on), never a silent default.
pub(crate) async fn send_data<T: DeserializeOwned, M: DeserializeOwned + Default>(
    request: RequestBuilder,
) -> Result<(T, M), Error> {
    let response = request.send_raw().await?;
    unwrap_envelope(&response)
}

pub(crate) fn unwrap_envelope<T: DeserializeOwned, M: DeserializeOwned + Default>(
    response: &RawResponse,
) -> Result<(T, M), Error> {
    let envelope: Envelope<T, M> = response.json()?;
    let meta = envelope.meta.unwrap_or_default();
    if envelope.success == Some(false) {
        let error = envelope.error.unwrap_or_default();
        let mut err = Error::new(
            ErrorKind::Http,
            error
                .message
                .unwrap_or_else(|| "the server answered `success: false`".to_owned()),
        )
        .with_status(response.status);
        if let Some(code) = error.code {
            err = err.with_vendor_code(code);
        }
        return Err(err);
    }
    match envelope.data {
        Some(data) => Ok((data, meta)),
        None => Err(
            Error::new(ErrorKind::Decode, "the response envelope has no `data`")
                .with_status(response.status),
        ),
    }
}

pub(crate) use client_core::null_as_default;

pub(crate) use client_core::open_enum;
pub use client_core::{Patch, Timestamp};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_without_data_or_with_success_false_is_an_error() {
        let response = |body: &'static str| RawResponse {
            status: http::StatusCode::OK,
            headers: http::HeaderMap::new(),
            body: bytes::Bytes::from_static(body.as_bytes()),
        };
        let ok: (u32, Meta) = unwrap_envelope(&response(
            r#"{"success":true,"data":7,"meta":{"timestamp":"2026-06-03T12:34:56Z"}}"#,
        ))
        .unwrap();
        assert_eq!(ok.0, 7);
        assert_eq!(
            ok.1.timestamp.map(|t| t.as_str().to_owned()).as_deref(),
            Some("2026-06-03T12:34:56Z")
        );
        let err = unwrap_envelope::<u32, Meta>(&response(
            r#"{"success":false,"error":{"code":"NOT_FOUND","message":"gone"}}"#,
        ))
        .unwrap_err();
        assert_eq!(err.vendor_code(), Some("NOT_FOUND"));
        assert_eq!(err.message(), Some("gone"));
        let err = unwrap_envelope::<u32, Meta>(&response(r#"{"success":true}"#)).unwrap_err();
        assert!(err.is_decode());
        // A listing keeps `meta` as sent.
        let (_, raw): (u32, serde_json::Value) = unwrap_envelope(&response(
            r#"{"success":true,"data":1,"meta":{"timestamp":"t","region":"eu"}}"#,
        ))
        .unwrap();
        assert_eq!(raw["region"], "eu");
    }
}
