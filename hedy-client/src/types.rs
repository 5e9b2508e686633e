//! Small types shared by the resource modules: the delete acknowledgement [`Deleted`] and the
//! [`SessionType`] open enum. [`Timestamp`] (kept as sent, parsed on demand) and the
//! tri-state [`Patch`] come from `client-core`.

use serde::{Deserialize, Deserializer};

pub use client_core::{Patch, Timestamp};

/// Fields a model does not know (yet), kept as sent so that nothing the server says is lost.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// The acknowledgement of a `DELETE`: `{"success": true, "message": "Topic deleted"}`, or
/// for webhooks `{"success": true, "data": {"message": "Webhook deleted successfully"}}`
/// (both accepted), or an empty body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Deleted {
    /// Whether the server reports success (absent in the `data` form).
    #[serde(default)]
    pub success: Option<bool>,
    /// The server's message.
    #[serde(default)]
    pub message: Option<String>,
}

/// Why `value` (the `field` of a request) breaks the documented length bounds, counted in
/// characters; `None` when it is within `min..=max`.
pub(crate) fn length_problem(field: &str, value: &str, min: usize, max: usize) -> Option<String> {
    let n = value.chars().count();
    if n < min || (min > 0 && value.trim().is_empty()) {
        Some(format!("`{field}` must not be empty"))
    } else if n > max {
        Some(format!(
            "`{field}` must be at most {max} characters, got {n}"
        ))
    } else {
        None
    }
}

/// Whether `color` is `#RRGGBB` (hex digits, either case).
pub(crate) fn is_hex_color(color: &str) -> bool {
    color.len() == 7 && color.starts_with('#') && color[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

pub(crate) use client_core::null_as_default;

/// A whole number of milliseconds sent as an integer or a float (`720000`, `720000.0`); a
/// fraction is truncated. `null` and absent give `None`.
pub(crate) fn lenient_millis<'de, D>(d: D) -> Result<Option<i64>, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Int(i64),
        Float(f64),
    }
    Ok(match Option::<Number>::deserialize(d)? {
        None => None,
        Some(Number::Int(n)) => Some(n),
        Some(Number::Float(f)) if f.is_finite() => Some(f.trunc() as i64),
        Some(Number::Float(_)) => None,
    })
}

client_core::open_enum! {
    /// The kind of a session (`session_type` in the API, `sessionType` in webhooks, and a
    /// topic's `dominantSessionType`). Values beyond the two seen in the sources are kept in
    /// `Unknown`.
    pub enum SessionType {
        /// `meeting`.
        Meeting = "meeting",
        /// `brainstorm`.
        Brainstorm = "brainstorm",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_the_forms_hedy_sends() {
        use std::time::{Duration, UNIX_EPOCH};
        // client-core's Timestamp, checked on Hedy's forms: `Z` with and without microseconds.
        let base = 1_772_546_400; // 2026-03-03T14:00:00Z
        let plain = Timestamp::from("2026-03-03T14:00:00Z");
        assert_eq!(plain.unix_seconds(), Some(base as f64));
        let micro = Timestamp::from("2026-03-03T14:00:00.953635Z");
        assert_eq!(
            micro.to_system_time(),
            Some(UNIX_EPOCH + Duration::new(base, 953_635_000))
        );
        assert_eq!(micro.as_str(), "2026-03-03T14:00:00.953635Z");
        for free_text in ["", "Tomorrow", "May 18, 2027 3pm"] {
            assert_eq!(Timestamp::from(free_text).to_system_time(), None);
        }
    }

    #[test]
    fn patch_serializes_three_ways() {
        #[derive(serde::Serialize)]
        struct Body {
            #[serde(rename = "topicContext", skip_serializing_if = "Patch::is_unchanged")]
            topic_context: Patch<String>,
        }
        let json = |p| serde_json::to_string(&Body { topic_context: p }).unwrap();
        assert_eq!(json(Patch::Unchanged), "{}");
        assert_eq!(json(Patch::Null), r#"{"topicContext":null}"#);
        assert_eq!(json(Patch::from("x")), r#"{"topicContext":"x"}"#);
    }

    #[test]
    fn lenient_millis_accepts_ints_and_floats() {
        #[derive(Deserialize)]
        struct T {
            #[serde(default, deserialize_with = "lenient_millis")]
            ms: Option<i64>,
        }
        let read = |s: &str| serde_json::from_str::<T>(s).unwrap().ms;
        assert_eq!(read(r#"{"ms":720000}"#), Some(720_000));
        assert_eq!(read(r#"{"ms":720000.9}"#), Some(720_000));
        assert_eq!(read(r#"{"ms":null}"#), None);
        assert_eq!(read(r#"{}"#), None);
        assert!(serde_json::from_str::<T>(r#"{"ms":"soon"}"#).is_err());
    }

    #[test]
    fn bounds_and_colors() {
        assert_eq!(length_problem("name", "Sales", 1, 100), None);
        assert!(length_problem("name", "", 1, 100).is_some());
        assert!(length_problem("name", "   ", 1, 100).is_some());
        assert_eq!(length_problem("description", "", 0, 500), None);
        assert_eq!(length_problem("name", &"é".repeat(100), 1, 100), None);
        assert!(length_problem("name", &"x".repeat(101), 1, 100).is_some_and(|m| m.contains("101")));
        assert!(is_hex_color("#4A90D9"));
        assert!(is_hex_color("#4a90d9"));
        for bad in ["4A90D9", "#4A90D", "#4A90D9F", "#GGGGGG", "#4A90D\u{e9}"] {
            assert!(!is_hex_color(bad), "{bad}");
        }
    }

    #[test]
    fn session_type_is_open() {
        assert_eq!(SessionType::from("meeting"), SessionType::Meeting);
        let odd: SessionType = serde_json::from_str(r#""interview""#).unwrap();
        assert_eq!(odd, SessionType::Unknown("interview".into()));
        assert_eq!(serde_json::to_string(&odd).unwrap(), r#""interview""#);
    }
}
