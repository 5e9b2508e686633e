//! The plumbing every vendor client's builder shares: the credential, the base URL, the
//! [`RateLimits`] and the caller's transport adjustments ([`VendorSettings`]), the builder
//! methods over them ([`vendor_builder_methods!`](crate::vendor_builder_methods)), and the one
//! way a vendor client's transport is built from them ([`VendorSettings::build`]).
//!
//! A vendor crate keeps only what is its own: its default base URL (or region, or
//! environment), how its credential travels, its error decoder and its documented quotas.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::client::{Client, ClientBuilder, Configure};
use crate::error::{Error, ErrorKind};
use crate::rate_limit::RateLimits;

/// The fixed facts of a vendor that its client's transport carries.
#[derive(Debug, Clone, Copy)]
pub struct Vendor {
    /// The lowercase name: the `vendor` field of spans and errors (`"hedy"`).
    pub name: &'static str,
    /// What the credential is called in error messages (`"Hedy API key"`).
    pub credential: &'static str,
    /// The `User-Agent` header (`"hedy-client/0.1.0"`).
    pub user_agent: &'static str,
}

/// What every vendor client builder holds. `Debug` never shows the credential.
pub struct VendorSettings {
    credential: SecretString,
    base_url: Option<String>,
    rate_limits: RateLimits,
    configure: Configure,
}

impl fmt::Debug for VendorSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VendorSettings")
            .field("credential", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("rate_limits", &self.rate_limits)
            .field("configure", &self.configure)
            .finish()
    }
}

impl VendorSettings {
    /// Settings for `credential`, starting from the vendor's documented `rate_limits`.
    pub fn new(credential: impl Into<String>, rate_limits: RateLimits) -> Self {
        VendorSettings {
            credential: SecretString::from(credential.into()),
            base_url: None,
            rate_limits,
            configure: Configure::default(),
        }
    }

    /// Call this base URL instead of the vendor's default.
    pub fn set_base_url(&mut self, base_url: String) {
        self.base_url = Some(base_url);
    }

    /// Replace the rate limits.
    pub fn set_rate_limits(&mut self, limits: RateLimits) {
        self.rate_limits = limits;
    }

    /// Add a transport adjustment, applied after the vendor's defaults and earlier adjustments.
    pub fn add_configure(
        &mut self,
        adjust: impl FnOnce(ClientBuilder) -> ClientBuilder + Send + 'static,
    ) {
        self.configure = std::mem::take(&mut self.configure).then(adjust);
    }

    /// The base URL set by the caller, if any.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// The rate limits the client will enforce.
    pub fn rate_limits(&self) -> &RateLimits {
        &self.rate_limits
    }

    /// Build the vendor's transport: the credential (trimmed; `Config` when empty), the base
    /// URL (the caller's, else `default_base_url`; `Config` when there is neither), then
    /// `start(base_url, credential)` for the vendor's own defaults (auth, error decoder, retry
    /// policy), then the vendor's name, user agent and rate limiter, then the caller's
    /// adjustments, which override everything before them.
    pub fn build(
        self,
        vendor: &Vendor,
        default_base_url: Option<&str>,
        start: impl FnOnce(&str, &str) -> Result<ClientBuilder, Error>,
    ) -> Result<Client, Error> {
        let credential = self.credential.expose_secret().trim();
        if credential.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                format!("the {} is empty", vendor.credential),
            ));
        }
        let base_url = match self.base_url.as_deref().map(str::trim) {
            Some(url) => url,
            None => default_base_url.ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    format!(
                        "{} has no default base URL: set one with `.base_url(…)`",
                        vendor.name
                    ),
                )
            })?,
        };
        let builder = start(base_url, credential)?
            .vendor(vendor.name)
            .user_agent(vendor.user_agent)
            .rate_limiter(self.rate_limits.limiter());
        self.configure.apply(builder).build()
    }
}

/// The builder methods every vendor client shares, over a [`VendorSettings`] field of the
/// builder: `base_url`, `rate_limits`, `without_rate_limits` and `configure`. Used inside the
/// builder's `impl` block, with the field's name:
///
/// ```ignore
/// impl HedyClientBuilder {
///     client_core::vendor_builder_methods!(settings);
/// }
/// ```
#[macro_export]
macro_rules! vendor_builder_methods {
    ($settings:ident) => {
        /// Call this base URL (a test server, a proxy, a self-hosted instance) instead of the
        /// vendor's default. Routes are joined to it: `/calls` under `http://127.0.0.1:8080/api`
        /// is `http://127.0.0.1:8080/api/calls`. A URL that does not parse fails `build` with
        /// `Config`.
        pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
            self.$settings.set_base_url(base_url.into());
            self
        }

        /// The client-side quotas (default: the vendor's documented ones, see the client's
        /// `documented_rate_limits`). Give several clients of one key one shared limiter with
        /// `configure(|core| core.rate_limiter(shared))` instead.
        pub fn rate_limits(mut self, limits: $crate::RateLimits) -> Self {
            self.$settings.set_rate_limits(limits);
            self
        }

        /// No client-side rate limit (the server's 429s are still honoured).
        pub fn without_rate_limits(self) -> Self {
            self.rate_limits($crate::RateLimits::off())
        }

        /// Adjust the transport: timeouts, retry policy and budget, rate limiter, clock, body
        /// limits, HTTP client (see [`ClientBuilder`]($crate::ClientBuilder)). Applied after the
        /// vendor's defaults, so it overrides them; a limiter set here replaces the one built
        /// from the rate limits.
        pub fn configure(
            mut self,
            adjust: impl FnOnce($crate::ClientBuilder) -> $crate::ClientBuilder + Send + 'static,
        ) -> Self {
            self.$settings.add_configure(adjust);
            self
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Auth, Quota};

    const VENDOR: Vendor = Vendor {
        name: "acme",
        credential: "Acme API key",
        user_agent: "acme-client/0",
    };

    struct AcmeBuilder {
        settings: VendorSettings,
    }

    impl AcmeBuilder {
        vendor_builder_methods!(settings);

        fn build(self) -> Result<Client, Error> {
            self.settings
                .build(&VENDOR, Some("https://api.acme.test"), |base, key| {
                    Ok(Client::builder(base).auth(Auth::bearer(key.to_owned())))
                })
        }
    }

    fn acme(key: &str) -> AcmeBuilder {
        AcmeBuilder {
            settings: VendorSettings::new(key, RateLimits::overall(Quota::per_second(5))),
        }
    }

    #[test]
    fn defaults_overrides_and_errors() {
        let client = acme("k").build().unwrap();
        assert_eq!(client.base_url().as_str(), "https://api.acme.test/");
        let client = acme("k")
            .base_url(" http://127.0.0.1:9/x ")
            .build()
            .unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/x/");
        let empty = acme("  ").build().unwrap_err();
        assert_eq!(empty.kind(), ErrorKind::Config);
        assert!(empty.to_string().contains("Acme API key"), "{empty}");
        let bad = acme("k").base_url("not a url").build().unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::Config);
        let no_default = acme("k")
            .settings
            .build(&VENDOR, None, |base, _| Ok(Client::builder(base)))
            .unwrap_err();
        assert!(no_default.to_string().contains("base_url"), "{no_default}");
    }

    #[test]
    fn rate_limits_and_secrecy() {
        let b = acme("secret-123").without_rate_limits();
        assert!(b.settings.rate_limits().is_off());
        assert!(!format!("{:?}", b.settings).contains("secret-123"));
        let b = b.rate_limits(RateLimits::overall(Quota::per_minute(1)));
        assert_eq!(
            b.settings.rate_limits().overall_quota(),
            Some(Quota::per_minute(1))
        );
        let b = b.configure(|core| core.max_body_size(10));
        assert!(format!("{:?}", b.settings).contains("adjustments"));
    }
}
