//! Decoding Hedy's several envelopes (spec §2) without losing the JSON path of a failure.
//!
//! Hedy wraps some responses (`{"success": true, "data": …}`), sends others bare, and the
//! sources disagree for several endpoints. Rather than an untagged enum (whose failure says
//! only "did not match any variant"), the body is first *probed*: one pass that looks only
//! at the top-level keys (`success`, `data`, a list key) and skips every value. The probe
//! picks the shape, and the body is then decoded straight from the bytes as that shape with
//! [`client_core::decode_json`], so a body that fits no shape fails with the JSON path of
//! the first mismatch (for example `data[1].duration`).

use std::fmt;

use client_core::{decode_json, Error, Page, RawResponse, StatusCode};
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::types::{Deleted, Extra};

/// The keys under which a listing may carry its array, besides `data`.
const LIST_KEYS: &[&str] = &[
    "sessions",
    "highlights",
    "todos",
    "topics",
    "contexts",
    "webhooks",
    "items",
];

/// The JSON type of a value, its content skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Bool(bool),
    Number,
    String,
    Array,
    Object,
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Bool(v))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Kind, E> {
        Ok(Kind::Number)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Kind, E> {
        Ok(Kind::Number)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Kind, E> {
        Ok(Kind::Number)
    }
    fn visit_str<E>(self, _: &str) -> Result<Kind, E> {
        Ok(Kind::String)
    }
    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_none<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Kind::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Kind::Object)
    }
}

/// The top level of a body (and one level into `data`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Probe {
    /// The top-level JSON type.
    top: Option<Kind>,
    /// `success`, when it is a boolean.
    success: Option<bool>,
    /// The type of `data`, when present.
    data: Option<Kind>,
    /// Whether `data` is an object holding an array under a list key.
    data_has_list: bool,
    /// Whether the top level holds an array under a list key.
    top_has_list: bool,
}

impl Probe {
    fn of(body: &[u8]) -> Probe {
        serde_json::from_slice(body).unwrap_or_default()
    }
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProbeVisitor { depth: 0 })
    }
}

/// Probes the top level (`depth` 0) or the `data` object (`depth` 1).
struct ProbeVisitor {
    depth: u8,
}

impl<'de> de::DeserializeSeed<'de> for ProbeVisitor {
    type Value = Probe;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Probe, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = Probe;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        let mut probe = Probe {
            top: Some(Kind::Object),
            ..Probe::default()
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "success" if self.depth == 0 => {
                    if let Kind::Bool(b) = map.next_value::<Kind>()? {
                        probe.success = Some(b);
                    }
                }
                "data" if self.depth == 0 => {
                    let inner = map.next_value_seed(ProbeVisitor { depth: 1 })?;
                    probe.data = inner.top;
                    probe.data_has_list = inner.top_has_list;
                }
                k if LIST_KEYS.contains(&k) => {
                    if map.next_value::<Kind>()? == Kind::Array {
                        probe.top_has_list = true;
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(probe)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Probe, A::Error> {
        KindVisitor.visit_seq(seq)?;
        Ok(Probe {
            top: Some(Kind::Array),
            ..Probe::default()
        })
    }

    fn visit_bool<E>(self, v: bool) -> Result<Probe, E> {
        Ok(Probe::scalar(Kind::Bool(v)))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Probe, E> {
        Ok(Probe::scalar(Kind::Number))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Probe, E> {
        Ok(Probe::scalar(Kind::Number))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Probe, E> {
        Ok(Probe::scalar(Kind::Number))
    }
    fn visit_str<E>(self, _: &str) -> Result<Probe, E> {
        Ok(Probe::scalar(Kind::String))
    }
    fn visit_unit<E>(self) -> Result<Probe, E> {
        Ok(Probe::scalar(Kind::Null))
    }
    fn visit_none<E>(self) -> Result<Probe, E> {
        Ok(Probe::scalar(Kind::Null))
    }
}

impl Probe {
    fn scalar(kind: Kind) -> Probe {
        Probe {
            top: Some(kind),
            ..Probe::default()
        }
    }
}

#[derive(Deserialize)]
struct Wrapped<T> {
    data: T,
}

/// The `pagination` object of a listing. `GET /sessions` and `GET /highlights` send
/// `{hasMore, next, total?}`; `GET /topics/{topicId}/sessions` sends `{count, hasMore,
/// nextCursor}`. Every member is optional.
#[derive(Deserialize)]
struct Pagination {
    #[serde(rename = "hasMore", default)]
    has_more: Option<bool>,
    /// The cursor to send back as `after` (sessions, highlights).
    #[serde(default)]
    next: Option<String>,
    /// The cursor to send back as `startAfter` (topic sessions).
    #[serde(rename = "nextCursor", default)]
    next_cursor: Option<String>,
    #[serde(default)]
    total: Option<u64>,
    /// `count` (topic sessions) and any other member, kept in the page's `extra`.
    #[serde(flatten)]
    other: Extra,
}

/// Form A or B: the items in `data`.
#[derive(Deserialize)]
struct Paged<T> {
    data: Vec<T>,
    #[serde(default)]
    pagination: Option<Pagination>,
    #[serde(flatten)]
    other: Extra,
}

/// The items under a list key (`sessions`, `todos`, …), with the pagination next to them.
#[derive(Deserialize)]
struct Keyed<T> {
    #[serde(
        alias = "sessions",
        alias = "highlights",
        alias = "todos",
        alias = "topics",
        alias = "contexts",
        alias = "webhooks"
    )]
    items: Vec<T>,
    #[serde(default)]
    pagination: Option<Pagination>,
    #[serde(flatten)]
    other: Extra,
}

/// Form E: a [`Keyed`] object in `data`.
#[derive(Deserialize)]
struct Nested<T> {
    data: Keyed<T>,
    #[serde(flatten)]
    other: Extra,
}

/// The page of `items`, with what the server said in `pagination` (`hasMore` as sent; the
/// cursor from `next` or `nextCursor`, none when empty or when `hasMore` is `false`; `total`;
/// `count` and any other member in `extra`) and the envelope's other members in `extra`.
///
/// A page saying `hasMore: true` with no cursor disagrees with itself about the end; Hedy's
/// listings treat it as the end ([`client_core::ConflictingEnd::End`]), as Hedy's own
/// integrations do.
fn page<T>(items: Vec<T>, pagination: Option<Pagination>, envelope: Extra) -> Page<T> {
    let mut page = Page::new(items);
    if let Some(p) = pagination {
        let cursor = p
            .next
            .or(p.next_cursor)
            .filter(|_| p.has_more != Some(false));
        page = page.has_more_opt(p.has_more).next_cursor(cursor);
        if let Some(total) = p.total {
            page = page.total(total);
        }
        page.extra.extend(p.other);
    }
    page.extra
        .extend(envelope.into_iter().filter(|(key, _)| key != "success"));
    page
}

/// A single resource: `{"success": true, "data": {…}}` or the bare object.
///
/// The wrapped form is recognised by a `data` key holding an object, or by `data` next to
/// a boolean `success` (so that `{"success": true, "data": null}` fails at `data` rather
/// than being read as a bare resource).
pub(crate) fn one<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    decode_one(raw.status, &raw.body)
}

pub(crate) fn decode_one<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T, Error> {
    let probe = Probe::of(body);
    if probe.success == Some(false) {
        return Err(crate::error::unsuccessful(status, body));
    }
    let wrapped = match probe.data {
        Some(Kind::Object) => true,
        Some(_) => probe.success.is_some(),
        None => false,
    };
    if wrapped {
        Ok(decode_json::<Wrapped<T>>(status, body)?.data)
    } else {
        decode_json(status, body)
    }
}

/// A listing in any of Hedy's forms:
///
/// - `{"success": true, "data": [...], "pagination": {…}}` (A) or without pagination (B);
/// - a bare array (D, and any list with `format=zapier`);
/// - `{"success": true, "data": {"sessions": [...], "pagination": {…}}}` (E);
/// - `{"todos": [...]}` (a list key at the top, as one consumer checks for).
///
/// Anything else is decoded as form A, failing with the path of what is missing.
pub(crate) fn list<T: DeserializeOwned>(raw: &RawResponse) -> Result<Page<T>, Error> {
    decode_list(raw.status, &raw.body)
}

/// The items of a listing answered whole (for [`client_core::WholeListing`]).
pub(crate) fn items<T: DeserializeOwned>(raw: &RawResponse) -> Result<Vec<T>, Error> {
    Ok(list(raw)?.items)
}

pub(crate) fn decode_list<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<Page<T>, Error> {
    let probe = Probe::of(body);
    if probe.success == Some(false) {
        return Err(crate::error::unsuccessful(status, body));
    }
    match (probe.top, probe.data) {
        (Some(Kind::Array), _) => Ok(Page::new(decode_json(status, body)?)),
        (Some(Kind::Object), Some(Kind::Object)) if probe.data_has_list => {
            let Nested { data, mut other } = decode_json(status, body)?;
            other.extend(data.other);
            Ok(page(data.items, data.pagination, other))
        }
        (Some(Kind::Object), None) if probe.top_has_list => {
            let keyed: Keyed<T> = decode_json(status, body)?;
            Ok(page(keyed.items, keyed.pagination, keyed.other))
        }
        _ => {
            let paged: Paged<T> = decode_json(status, body)?;
            Ok(page(paged.data, paged.pagination, paged.other))
        }
    }
}

/// A delete acknowledgement (F): `{"success", "message"}`, `{"success", "data": {"message"}}`,
/// or an empty body (a 204).
pub(crate) fn deleted(raw: &RawResponse) -> Result<Deleted, Error> {
    if raw.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Deleted::default());
    }
    let probe = Probe::of(&raw.body);
    let mut ack: Deleted = decode_one(raw.status, &raw.body)?;
    if ack.success.is_none() {
        ack.success = probe.success;
    }
    Ok(ack)
}

#[cfg(test)]
mod tests {
    use super::*;
    use client_core::ErrorKind;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: String,
        #[serde(default)]
        n: Option<f64>,
    }

    const OK: StatusCode = StatusCode::OK;

    #[test]
    fn probe_reads_only_the_top_level() {
        let p = Probe::of(br#"{"success":true,"data":{"sessions":[1],"x":{"data":[]}},"y":[]}"#);
        assert_eq!(p.success, Some(true));
        assert_eq!(p.data, Some(Kind::Object));
        assert!(p.data_has_list);
        assert!(!p.top_has_list);
        assert_eq!(Probe::of(b"[1,2]").top, Some(Kind::Array));
        assert_eq!(Probe::of(b"\"x\"").top, Some(Kind::String));
        assert_eq!(Probe::of(b"not json"), Probe::default());
    }

    #[test]
    fn single_resources_wrapped_or_bare() {
        let bare: Item = decode_one(OK, br#"{"id":"a","n":1}"#).unwrap();
        let wrapped: Item = decode_one(OK, br#"{"success":true,"data":{"id":"a","n":1}}"#).unwrap();
        assert_eq!(bare, wrapped);
        let no_success: Item = decode_one(OK, br#"{"data":{"id":"a","n":1}}"#).unwrap();
        assert_eq!(no_success, bare);
        let e = decode_one::<Item>(OK, br#"{"success":true,"data":null}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert_eq!(e.json_path(), Some("data"));
        let e =
            decode_one::<Item>(OK, br#"{"success":true,"data":{"id":"a","n":"x"}}"#).unwrap_err();
        assert_eq!(e.json_path(), Some("data.n"));
        let e = decode_one::<Item>(OK, br#"{"name":"no id"}"#).unwrap_err();
        assert!(e.is_decode());
    }

    #[test]
    fn listings_in_every_form() {
        let a: Page<Item> = decode_list(
            OK,
            br#"{"success":true,"data":[{"id":"a"},{"id":"b"}],"pagination":{"hasMore":true,"next":"b","total":3},"meta":1}"#,
        )
        .unwrap();
        assert_eq!(a.items.len(), 2);
        assert_eq!(a.next_cursor.as_deref(), Some("b"));
        assert_eq!(a.has_more, Some(true));
        assert_eq!(a.total, Some(3));
        assert_eq!(
            a.extra,
            serde_json::json!({"meta": 1}).as_object().cloned().unwrap()
        );
        let b: Page<Item> = decode_list(OK, br#"{"success":true,"data":[{"id":"a"}]}"#).unwrap();
        assert_eq!(b.items.len(), 1);
        assert_eq!((b.has_more, b.next_cursor, b.total), (None, None, None));
        assert!(b.extra.is_empty());
        let d: Page<Item> = decode_list(OK, br#"[{"id":"a"},{"id":"b"}]"#).unwrap();
        assert_eq!(d.items.len(), 2);
        let e: Page<Item> = decode_list(
            OK,
            br#"{"success":true,"data":{"sessions":[{"id":"s"}],"pagination":{"count":1,"hasMore":true,"nextCursor":"s"}}}"#,
        )
        .unwrap();
        assert_eq!(e.items[0].id, "s");
        assert_eq!(e.next_cursor.as_deref(), Some("s"));
        assert_eq!(e.extra["count"], 1);
        let keyed: Page<Item> = decode_list(OK, br#"{"todos":[{"id":"t"}]}"#).unwrap();
        assert_eq!(keyed.items[0].id, "t");
    }

    #[test]
    fn list_page_cursor_rules() {
        let page = |pagination: &str| {
            let body = format!(r#"{{"data":[{{"id":"a"}}],"pagination":{pagination}}}"#);
            decode_list::<Item>(OK, body.as_bytes()).unwrap()
        };
        assert_eq!(
            page(r#"{"hasMore":true,"next":"c1"}"#)
                .next_cursor
                .as_deref(),
            Some("c1")
        );
        // The last page names no next one, whatever cursor it carries.
        let done = page(r#"{"hasMore":false,"next":"c1"}"#);
        assert_eq!((done.has_more, done.next_cursor), (Some(false), None));
        assert_eq!(
            page(r#"{"hasMore":true,"nextCursor":"c2"}"#)
                .next_cursor
                .as_deref(),
            Some("c2")
        );
        let empty = page(r#"{"hasMore":true,"next":""}"#);
        assert_eq!((empty.has_more, empty.next_cursor), (Some(true), None));
        let e =
            decode_list::<Item>(OK, br#"{"data":[],"pagination":{"hasMore":"yes"}}"#).unwrap_err();
        assert_eq!(e.json_path(), Some("pagination.hasMore"));
    }

    #[test]
    fn listings_that_fit_no_shape_keep_the_path() {
        let e = decode_list::<Item>(
            OK,
            br#"{"success":true,"data":[{"id":"a"},{"id":"b","n":"x"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert_eq!(e.json_path(), Some("data[1].n"));
        let e = decode_list::<Item>(OK, br#"{"success":true,"result":[]}"#).unwrap_err();
        assert!(e.is_decode());
        assert!(e.to_string().contains("data"), "{e}");
        let e = decode_list::<Item>(OK, br#"[{"id":"a"},{"id":7}]"#).unwrap_err();
        assert_eq!(e.json_path(), Some("[1].id"));
        let e = decode_list::<Item>(OK, br#""text""#).unwrap_err();
        assert!(e.is_decode());
    }

    #[test]
    fn success_false_in_a_2xx_is_an_error() {
        let body = br#"{"success":false,"error":{"code":"session_not_found","message":"gone"}}"#;
        let e = decode_one::<Item>(OK, body).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.vendor_code(), Some("session_not_found"));
        let e = decode_list::<Item>(OK, body).unwrap_err();
        assert_eq!(e.message(), Some("gone"));
    }

    #[test]
    fn delete_acks() {
        let raw = |body: &'static str| RawResponse {
            status: OK,
            headers: Default::default(),
            body: body.into(),
        };
        let t = deleted(&raw(r#"{"success":true,"message":"Topic deleted"}"#)).unwrap();
        assert_eq!(
            (t.success, t.message.as_deref()),
            (Some(true), Some("Topic deleted"))
        );
        let w = deleted(&raw(
            r#"{"success":true,"data":{"message":"Webhook deleted successfully"}}"#,
        ))
        .unwrap();
        assert_eq!(
            (w.success, w.message.as_deref()),
            (Some(true), Some("Webhook deleted successfully"))
        );
        assert_eq!(deleted(&raw("")).unwrap(), Deleted::default());
    }
}
