//! How a client proves who it is. Secrets live in [`SecretString`] and never reach `Debug`,
//! errors or traces.

use std::fmt;

use http::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, ErrorKind};

/// The credential a client attaches to every request.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No credential.
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(SecretString),
    /// A custom header carrying the token, such as `X-API-Token: <token>`.
    Header {
        /// The header name.
        name: HeaderName,
        /// The token.
        value: SecretString,
    },
    /// A query parameter carrying the token, such as `?token=<token>`.
    Query {
        /// The parameter name.
        name: String,
        /// The token.
        value: SecretString,
    },
    /// A raw `Authorization` value, such as `Basic <key>`.
    Authorization(SecretString),
}

impl Auth {
    /// `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<String>) -> Self {
        Auth::Bearer(SecretString::from(token.into()))
    }

    /// A custom header carrying the token. Fails on an invalid header name.
    pub fn header(name: &str, token: impl Into<String>) -> Result<Self, Error> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| Error::new(ErrorKind::Config, format!("invalid auth header name: {e}")))?;
        Ok(Auth::Header {
            name,
            value: SecretString::from(token.into()),
        })
    }

    /// A query parameter carrying the token.
    pub fn query(name: impl Into<String>, token: impl Into<String>) -> Self {
        Auth::Query {
            name: name.into(),
            value: SecretString::from(token.into()),
        }
    }

    /// A raw `Authorization` header value, such as `Basic <key>`.
    pub fn authorization(value: impl Into<String>) -> Self {
        Auth::Authorization(SecretString::from(value.into()))
    }

    /// The header to add, if this credential travels in a header. Marked sensitive so that
    /// HTTP-level logging redacts it.
    pub(crate) fn header_pair(&self) -> Result<Option<(HeaderName, HeaderValue)>, Error> {
        let (name, raw) = match self {
            Auth::None | Auth::Query { .. } => return Ok(None),
            Auth::Bearer(t) => (
                http::header::AUTHORIZATION,
                format!("Bearer {}", t.expose_secret()),
            ),
            Auth::Header { name, value } => (name.clone(), value.expose_secret().to_owned()),
            Auth::Authorization(v) => (http::header::AUTHORIZATION, v.expose_secret().to_owned()),
        };
        let mut value = HeaderValue::from_str(&raw).map_err(|_| {
            Error::new(
                ErrorKind::Config,
                "the credential contains characters not allowed in a header",
            )
        })?;
        value.set_sensitive(true);
        Ok(Some((name, value)))
    }

    /// The query pair to add, if this credential travels in the query.
    pub(crate) fn query_pair(&self) -> Option<(&str, &str)> {
        match self {
            Auth::Query { name, value } => Some((name.as_str(), value.expose_secret())),
            _ => None,
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("Auth::None"),
            Auth::Bearer(_) => f.write_str("Auth::Bearer(<redacted>)"),
            Auth::Header { name, .. } => write!(f, "Auth::Header({name}: <redacted>)"),
            Auth::Query { name, .. } => write!(f, "Auth::Query({name}=<redacted>)"),
            Auth::Authorization(_) => f.write_str("Auth::Authorization(<redacted>)"),
        }
    }
}
