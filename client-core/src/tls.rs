//! The TLS backend of the built-in HTTP client, chosen by cargo features.
//!
//! | features | backend |
//! |---|---|
//! | `rustls` (default) | rustls with its default crypto provider, aws-lc-rs |
//! | `rustls-ring` | rustls with the `ring` provider, given to the client explicitly |
//! | `native-tls` | the platform's TLS library (OpenSSL on Linux) |
//! | none | plain HTTP only: an `https` URL is refused with an [`ErrorKind::Config`] error |
//!
//! When several are enabled (features add up across a dependency graph), `native-tls` wins over
//! rustls, as in reqwest, and `rustls-ring` wins over `rustls`. Both rustls variants verify
//! certificates with the platform's verifier and trust store, as reqwest does.

use crate::error::{Error, ErrorKind};

/// The TLS implementation behind the HTTP client that [`ClientBuilder::build`] creates, as
/// the cargo features of this build chose it ([`TLS_BACKEND`]). A client given its own
/// `reqwest::Client` ([`ClientBuilder::http_client`]) uses that client's TLS instead.
///
/// [`ClientBuilder::build`]: crate::ClientBuilder::build
/// [`ClientBuilder::http_client`]: crate::ClientBuilder::http_client
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsBackend {
    /// rustls with the aws-lc-rs crypto provider (feature `rustls`, the default). A provider
    /// the application installed as rustls's process default is used instead.
    RustlsAwsLcRs,
    /// rustls with the `ring` crypto provider (feature `rustls-ring`).
    RustlsRing,
    /// The platform's TLS library through `native-tls` (feature `native-tls`).
    NativeTls,
    /// No TLS: the build has none of the three features, and only `http` URLs can be reached.
    None,
}

/// The TLS backend of this build (see [`TlsBackend`] for how the features choose it).
pub const TLS_BACKEND: TlsBackend = if cfg!(feature = "native-tls") {
    TlsBackend::NativeTls
} else if cfg!(feature = "rustls-ring") {
    TlsBackend::RustlsRing
} else if cfg!(feature = "rustls") {
    TlsBackend::RustlsAwsLcRs
} else {
    TlsBackend::None
};

/// Apply the chosen backend to reqwest's builder. reqwest already defaults to native-tls when
/// it is enabled and to rustls with aws-lc-rs otherwise; only ring needs a configuration of
/// its own, since reqwest's `rustls-no-provider` would otherwise look for a process-wide
/// default provider (this crate never installs one: that is the application's decision).
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    #[cfg(all(feature = "rustls-ring", not(feature = "native-tls")))]
    {
        Ok(builder.tls_backend_preconfigured(ring_config()?))
    }
    #[cfg(not(all(feature = "rustls-ring", not(feature = "native-tls"))))]
    {
        Ok(builder)
    }
}

/// A rustls configuration on the ring provider: TLS 1.2 and 1.3, the platform's certificate
/// verifier (as reqwest's own rustls configuration), and the ALPN protocols reqwest would offer.
#[cfg(all(feature = "rustls-ring", not(feature = "native-tls")))]
fn ring_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    use std::sync::Arc;

    let failed = |e: rustls::Error| {
        Error::new(ErrorKind::Config, "cannot configure TLS (rustls on ring)").with_source(e)
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(failed)?
        .with_platform_verifier()
        .map_err(failed)?
        .with_no_client_auth();
    config.alpn_protocols = if cfg!(feature = "http2") {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(config)
}

/// The error for an `https` URL in a build without TLS.
pub(crate) fn https_unavailable() -> Error {
    Error::new(
        ErrorKind::Config,
        "this build has no TLS backend, so https URLs cannot be reached: enable the feature \
         `rustls` (the default), `rustls-ring` or `native-tls` of the client crate",
    )
}

/// Whether a client with the built-in HTTP client may send to this scheme.
pub(crate) fn scheme_supported(scheme: &str) -> bool {
    scheme != "https" || TLS_BACKEND != TlsBackend::None
}
