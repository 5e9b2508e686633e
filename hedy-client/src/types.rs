//! Small types shared by the resource modules: the delete acknowledgement [`Deleted`], list
//! pages ([`ListPage`], [`Pagination`]) and the [`SessionType`] open enum. [`Timestamp`] (kept
//! as sent, parsed on demand) and the tri-state [`Patch`] come from `client-core`.

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

/// The `pagination` object of a listing. `GET /sessions` and `GET /highlights` send
/// `{hasMore, next, total?}`; `GET /topics/{topicId}/sessions` sends `{count, hasMore,
/// nextCursor}`. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Pagination {
    /// Whether more items follow.
    #[serde(rename = "hasMore", default)]
    pub has_more: Option<bool>,
    /// The cursor to send back as `after` (sessions, highlights).
    #[serde(default)]
    pub next: Option<String>,
    /// The cursor to send back as `startAfter` (topic sessions).
    #[serde(rename = "nextCursor", default)]
    pub next_cursor: Option<String>,
    /// The total number of items, when sent.
    #[serde(default)]
    pub total: Option<u64>,
    /// The number of items on this page (topic sessions).
    #[serde(default)]
    pub count: Option<u64>,
}

impl Pagination {
    /// The next-page cursor, whichever key carried it (`next` or `nextCursor`); an empty
    /// string counts as none.
    pub fn cursor(&self) -> Option<&str> {
        self.next
            .as_deref()
            .or(self.next_cursor.as_deref())
            .filter(|c| !c.is_empty())
    }
}

/// One page of a listing, whatever envelope the server used (`{success, data, pagination}`,
/// `{success, data}`, a bare array or the nested topic-sessions form).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ListPage<T> {
    /// The items.
    pub items: Vec<T>,
    /// The pagination object, when the server sent one (never for bare arrays).
    pub pagination: Option<Pagination>,
}

impl<T> ListPage<T> {
    /// The cursor of the next page: `None` at the end (no cursor, or `hasMore: false`).
    pub fn next_cursor(&self) -> Option<&str> {
        let p = self.pagination.as_ref()?;
        if p.has_more == Some(false) {
            return None;
        }
        p.cursor()
    }

    /// Whether the server says more pages follow (`false` when it says nothing).
    pub fn has_more(&self) -> bool {
        self.next_cursor().is_some()
    }

    /// `pagination.total`, when sent.
    pub fn total(&self) -> Option<u64> {
        self.pagination.as_ref().and_then(|p| p.total)
    }

    /// The page as a paginator page, with what the server said: `hasMore`, the cursor and
    /// `total`. A page saying `hasMore: true` with `next: null` disagrees with itself about
    /// the end; Hedy's listings treat it as the end ([`client_core::ConflictingEnd::End`]), as
    /// Hedy's own integrations do.
    pub(crate) fn into_page(self) -> client_core::Page<T> {
        let cursor = self.next_cursor().map(str::to_owned);
        let pagination = self.pagination.unwrap_or_default();
        let more = match (pagination.has_more, &cursor) {
            (Some(more), _) => more,
            // No `hasMore`: a cursor means more (a bare array, no pagination: the end).
            (None, cursor) => cursor.is_some(),
        };
        let mut page = client_core::Page::new(self.items)
            .next_cursor(cursor)
            .has_more(more);
        if let Some(total) = pagination.total {
            page = page.total(total);
        }
        page
    }
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
    fn list_page_cursor_rules() {
        let page = |p: Option<Pagination>| ListPage::<u8> {
            items: vec![1],
            pagination: p,
        };
        assert_eq!(page(None).next_cursor(), None);
        let p = Pagination {
            has_more: Some(true),
            next: Some("c1".into()),
            ..Pagination::default()
        };
        assert_eq!(page(Some(p.clone())).next_cursor(), Some("c1"));
        let done = Pagination {
            has_more: Some(false),
            ..p.clone()
        };
        assert_eq!(page(Some(done)).next_cursor(), None);
        let nested = Pagination {
            has_more: Some(true),
            next_cursor: Some("c2".into()),
            ..Pagination::default()
        };
        assert_eq!(page(Some(nested)).next_cursor(), Some("c2"));
        let empty = Pagination {
            has_more: Some(true),
            next: Some(String::new()),
            ..Pagination::default()
        };
        assert!(!page(Some(empty)).has_more());
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
