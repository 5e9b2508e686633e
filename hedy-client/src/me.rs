//! The account behind the API key: `GET /me`.
//!
//! ```no_run
//! # async fn run(hedy: hedy_client::HedyClient) -> Result<(), hedy_client::Error> {
//! let me = hedy.me().await?;
//! println!("{} <{}>", me.name.as_deref().unwrap_or("?"), me.email.as_deref().unwrap_or("?"));
//! // Fields the API adds later (plan information, …) are kept as sent.
//! if let Some(pro) = me.extra.get("pro") {
//!     println!("pro: {pro}");
//! }
//! # Ok(()) }
//! ```

use serde::Deserialize;

use crate::client::HedyClient;
use crate::envelope;
use crate::types::Extra;
use crate::Error;

/// The account (`GET /me`, a bare object; a `{success, data}` wrapper is accepted too).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Me {
    /// The user id.
    #[serde(default)]
    pub id: Option<String>,
    /// The e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// The display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Every other field as sent (some consumers see `pro`, `cloudSyncEnabled`; unverified).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /me`.
pub(crate) async fn get(client: &HedyClient) -> Result<Me, Error> {
    let raw = client.core.get("/me").send_raw().await?;
    envelope::one(&raw)
}
