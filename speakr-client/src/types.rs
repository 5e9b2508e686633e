//! Small types shared by the resource modules: [`Timestamp`], the tri-state [`Patch`], the
//! `{success, message}` [`Ack`] and [`JobId`].

use std::fmt;

use serde::{Deserialize, Serialize};

pub(crate) use client_core::open_enum;
pub use client_core::{Patch, Timestamp};

/// The `{success, message}` envelope of deletes and similar calls.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Ack {
    /// Whether the server reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// The server's message (`"Recording deleted"`, `"Tag removed"`, …).
    #[serde(default)]
    pub message: Option<String>,
}

/// A job id: an integer on the real server (`"job_id": 5`); the docs show a string
/// (`"job_id": "abc123"`), which is accepted too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum JobId {
    /// The integer id the server sends.
    Number(u64),
    /// A textual id (the documented form).
    Text(String),
}

impl JobId {
    /// The id as an integer, when it is one (or a string of digits).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            JobId::Number(n) => Some(*n),
            JobId::Text(t) => t.parse().ok(),
        }
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobId::Number(n) => write!(f, "{n}"),
            JobId::Text(t) => f.write_str(t),
        }
    }
}

pub(crate) use client_core::null_as_default;

/// A page of items and the envelope's other members (kept in `extra`, so that nothing the
/// server sent is lost).
pub(crate) fn page_with_extra<T>(
    items: Vec<T>,
    rest: serde_json::Map<String, serde_json::Value>,
) -> client_core::Page<T> {
    rest.into_iter()
        .fold(client_core::Page::new(items), |page, (name, value)| {
            page.extra(name, value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_id_both_forms() {
        let n: JobId = serde_json::from_str("5").unwrap();
        let s: JobId = serde_json::from_str("\"abc123\"").unwrap();
        assert_eq!(n.as_u64(), Some(5));
        assert_eq!(s, JobId::Text("abc123".into()));
        assert_eq!(s.as_u64(), None);
    }
}
