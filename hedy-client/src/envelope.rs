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

use client_core::{decode_json, Error, RawResponse, StatusCode};
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::types::{Deleted, ListPage, Pagination};

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

#[derive(Deserialize)]
struct Paged<T> {
    data: Vec<T>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

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
pub(crate) fn list<T: DeserializeOwned>(raw: &RawResponse) -> Result<ListPage<T>, Error> {
    decode_list(raw.status, &raw.body)
}

pub(crate) fn decode_list<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<ListPage<T>, Error> {
    let probe = Probe::of(body);
    if probe.success == Some(false) {
        return Err(crate::error::unsuccessful(status, body));
    }
    match (probe.top, probe.data) {
        (Some(Kind::Array), _) => Ok(ListPage {
            items: decode_json(status, body)?,
            pagination: None,
        }),
        (Some(Kind::Object), Some(Kind::Object)) if probe.data_has_list => {
            let nested: Wrapped<Keyed<T>> = decode_json(status, body)?;
            Ok(ListPage {
                items: nested.data.items,
                pagination: nested.data.pagination,
            })
        }
        (Some(Kind::Object), None) if probe.top_has_list => {
            let keyed: Keyed<T> = decode_json(status, body)?;
            Ok(ListPage {
                items: keyed.items,
                pagination: keyed.pagination,
            })
        }
        _ => {
            let paged: Paged<T> = decode_json(status, body)?;
            Ok(ListPage {
                items: paged.data,
                pagination: paged.pagination,
            })
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
        let a: ListPage<Item> = decode_list(
            OK,
            br#"{"success":true,"data":[{"id":"a"},{"id":"b"}],"pagination":{"hasMore":true,"next":"b","total":3}}"#,
        )
        .unwrap();
        assert_eq!(a.items.len(), 2);
        assert_eq!(a.next_cursor(), Some("b"));
        assert_eq!(a.total(), Some(3));
        let b: ListPage<Item> =
            decode_list(OK, br#"{"success":true,"data":[{"id":"a"}]}"#).unwrap();
        assert_eq!((b.items.len(), b.pagination), (1, None));
        let d: ListPage<Item> = decode_list(OK, br#"[{"id":"a"},{"id":"b"}]"#).unwrap();
        assert_eq!(d.items.len(), 2);
        let e: ListPage<Item> = decode_list(
            OK,
            br#"{"success":true,"data":{"sessions":[{"id":"s"}],"pagination":{"count":1,"hasMore":true,"nextCursor":"s"}}}"#,
        )
        .unwrap();
        assert_eq!(e.items[0].id, "s");
        assert_eq!(e.next_cursor(), Some("s"));
        let keyed: ListPage<Item> = decode_list(OK, br#"{"todos":[{"id":"t"}]}"#).unwrap();
        assert_eq!(keyed.items[0].id, "t");
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
