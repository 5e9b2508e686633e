//! API key introspection: `GET /me` (the key id, its user and organization, scopes and hourly
//! quota). A `200` proves that the key and the network work: a "connection test".
//!
//! ```no_run
//! # async fn run(heilo: heilo_client::HeiloClient) -> Result<(), heilo_client::Error> {
//! use heilo_client::me::Scope;
//! use heilo_client::HeiloClient;
//! let me = heilo.me().await?;
//! if !me.scopes.contains(&Scope::ReadCalls) {
//!     println!("this key cannot read calls");
//! }
//! // Size the client-side quota from what the server reports.
//! if let Some(per_hour) = me.rate_limit_per_hour {
//!     let heilo = HeiloClient::builder("hk_live_…")
//!         .rate_limits(HeiloClient::rate_limits_per_hour(per_hour))
//!         .build()?;
//!     # let _ = heilo;
//! }
//! # Ok(()) }
//! ```

use serde::Deserialize;

use crate::client::HeiloClient;
use crate::types::{null_as_default, open_enum, send_data, Meta};
use crate::Error;

open_enum! {
    /// An API key scope.
    pub enum Scope {
        /// `read.calls`: `GET /calls`, `GET /calls/{id}` (the only scope in use today).
        ReadCalls = "read.calls",
        /// `write.calls` (reserved for planned endpoints).
        WriteCalls = "write.calls",
        /// `read.contacts` (reserved for planned endpoints).
        ReadContacts = "read.contacts",
        /// `write.contacts` (reserved for planned endpoints).
        WriteContacts = "write.contacts",
        /// `manage.webhooks` (reserved for planned endpoints).
        ManageWebhooks = "manage.webhooks",
        /// `manage.api_keys` (reserved for planned endpoints).
        ManageApiKeys = "manage.api_keys",
    }
}

open_enum! {
    /// The key's environment: always `live` today (test keys are planned).
    pub enum Environment {
        /// `live`.
        Live = "live",
        /// `test` (planned).
        Test = "test",
    }
}

/// What `GET /me` says about the API key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ApiKeyInfo {
    /// The key's id (not the key itself).
    pub api_key_id: String,
    /// The user the key belongs to.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The user's organization.
    #[serde(default)]
    pub organization_id: Option<String>,
    /// The key's scopes.
    #[serde(default, deserialize_with = "null_as_default")]
    pub scopes: Vec<Scope>,
    /// The key's hourly quota (1000 in the documented example).
    #[serde(default)]
    pub rate_limit_per_hour: Option<u32>,
    /// The key's environment.
    #[serde(default)]
    pub environment: Option<Environment>,
    /// The response's `meta` (the server's time).
    #[serde(skip)]
    pub meta: Meta,
}

impl ApiKeyInfo {
    /// Whether the key has `scope`.
    pub fn has_scope(&self, scope: &Scope) -> bool {
        self.scopes.contains(scope)
    }
}

impl HeiloClient {
    /// `GET /me`: introspect the API key. Needs no particular scope; a refused key is an
    /// `Auth` error (`UNAUTHORIZED`).
    pub async fn me(&self) -> Result<ApiKeyInfo, Error> {
        let (mut info, meta): (ApiKeyInfo, Meta) = send_data(self.core.get("/me")).await?;
        info.meta = meta;
        Ok(info)
    }
}
