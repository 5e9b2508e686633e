//! Healthie webhook payloads: every schema event type in both spellings, the thin payload
//! and its quirks (number or string ids, array or string `changed_fields`), typed errors for
//! bad payloads, and mangled payloads that never panic. Signed deliveries:
//! `webhook_deliveries.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use healthie_client::webhooks::{EventType, PayloadError, ThinEvent};
use serde_json::json;

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/healthie/schema-2026-01-01.graphql"
);

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// `(GraphQL name, delivery form from its docstring)` of every `WebhookEventType` value.
fn schema_event_types(schema: &str) -> Vec<(String, String)> {
    let start = schema
        .find("enum WebhookEventType {")
        .expect("enum in schema");
    let body = &schema[start..];
    let body = &body[..body.find("\n}").expect("end of enum")];
    let mut out = Vec::new();
    let mut doc = None;
    let mut in_doc = false;
    for line in body.lines().skip(1).map(str::trim) {
        if line == "\"\"\"" {
            in_doc = !in_doc;
        } else if in_doc {
            doc = Some(line.to_owned());
        } else if !line.is_empty() {
            out.push((line.to_owned(), doc.take().expect("docstring before value")));
        }
    }
    out
}

#[test]
fn event_types_match_the_schema() {
    let Ok(schema) = std::fs::read_to_string(SCHEMA) else {
        println!("skipped: the Healthie schema is not at {SCHEMA}");
        return;
    };
    let values = schema_event_types(&schema);
    assert_eq!(values.len(), 179);
    for (graphql, delivery) in &values {
        let t = EventType::from_graphql_name(graphql)
            .unwrap_or_else(|| panic!("{graphql} is not a known event type"));
        assert_eq!(t.as_str(), delivery, "{graphql}");
        assert_eq!(t.graphql_name(), graphql.as_str());
        assert_eq!(EventType::from(delivery.as_str()), t);
    }
    let schema_names: BTreeSet<&str> = values.iter().map(|(g, _)| g.as_str()).collect();
    let known: Vec<String> = EventType::KNOWN
        .iter()
        .map(|t| t.graphql_name().into_owned())
        .collect();
    let known_names: BTreeSet<&str> = known.iter().map(String::as_str).collect();
    assert_eq!(known.len(), known_names.len(), "no duplicate variants");
    assert_eq!(schema_names, known_names);
}

#[test]
fn every_known_type_round_trips_in_both_spellings() {
    assert_eq!(EventType::KNOWN.len(), 179);
    for t in EventType::KNOWN {
        assert!(!t.is_unknown());
        assert_eq!(&EventType::from(t.as_str()), t);
        // The documented mapping: delivery form with `.` → `_`, upper case.
        assert_eq!(
            t.graphql_name(),
            t.as_str().replace('.', "_").to_ascii_uppercase()
        );
        assert_eq!(
            EventType::from_graphql_name(&t.graphql_name()).as_ref(),
            Some(t)
        );
        // Parsing also accepts the GraphQL form; serde uses the delivery form.
        assert_eq!(&EventType::from(t.graphql_name().as_ref()), t);
        let json = serde_json::to_string(t).unwrap();
        assert_eq!(json, format!("\"{}\"", t.as_str()));
        assert_eq!(&serde_json::from_str::<EventType>(&json).unwrap(), t);
    }
}

#[test]
fn ai_scribe_event_type_strings() {
    let four = [
        (
            EventType::AppointmentTranscriptAvailable,
            "appointment.transcript_available",
        ),
        (
            EventType::AppointmentRecordingStarted,
            "appointment.recording_started",
        ),
        (
            EventType::AppointmentRecordingStopped,
            "appointment.recording_stopped",
        ),
        (
            EventType::AppointmentParticipantJoined,
            "appointment.participant_joined",
        ),
    ];
    for (t, wire) in &four {
        assert_eq!(t.as_str(), *wire);
        assert!(t.is_ai_scribe());
        assert_eq!(t.resource(), "appointment");
    }
    let scribe: Vec<_> = EventType::KNOWN
        .iter()
        .filter(|t| t.is_ai_scribe())
        .collect();
    assert_eq!(scribe.len(), 4);
    assert_eq!(
        EventType::AppointmentParticipantLeft.action(),
        Some("participant_left")
    );
    assert_eq!(EventType::Cms1500Created.as_str(), "cms1500.created");
    assert_eq!(EventType::Cms1500Created.graphql_name(), "CMS1500_CREATED");
}

#[test]
fn unknown_event_types_are_kept() {
    let t = EventType::from("appointment.cancelled");
    assert_eq!(t, EventType::Unknown("appointment.cancelled".into()));
    assert_eq!(t.as_str(), "appointment.cancelled");
    assert_eq!(t.graphql_name(), "APPOINTMENT_CANCELLED");
    assert_eq!(t.resource(), "appointment");
    assert_eq!(EventType::from_graphql_name("APPOINTMENT_CANCELLED"), None);
    // The GraphQL form is exact: lower case is not a GraphQL name.
    assert_eq!(EventType::from_graphql_name("appointment_created"), None);
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(json, "\"appointment.cancelled\"");
    assert_eq!(serde_json::from_str::<EventType>(&json).unwrap(), t);
    // Case matters for the delivery form.
    assert!(EventType::from("Appointment.Created").is_unknown());
}

#[test]
fn the_four_ai_scribe_events_parse() {
    // The vendor guide's payload: a numeric id.
    let e = ThinEvent::parse(
        br#"{"resource_id": 12345, "resource_id_type": "Appointment", "event_type": "appointment.transcript_available"}"#,
    )
    .unwrap();
    assert_eq!(e.resource_id, "12345");
    assert_eq!(e.resource_id_type.as_deref(), Some("Appointment"));
    assert_eq!(e.event_type, EventType::AppointmentTranscriptAvailable);
    assert!(e.changed_fields.is_empty());
    assert_eq!(e.appointment_id(), Some("12345"));
    assert!(e.extra.is_empty());

    for (wire, t) in [
        (
            "appointment.recording_started",
            EventType::AppointmentRecordingStarted,
        ),
        (
            "appointment.recording_stopped",
            EventType::AppointmentRecordingStopped,
        ),
    ] {
        let body = json!({"resource_id": "777", "resource_id_type": "Appointment", "event_type": wire, "changed_fields": []});
        let e = ThinEvent::parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(e.event_type, t);
        assert_eq!(e.appointment_id(), Some("777"));
    }

    let joined = ThinEvent::parse(
        br#"{"resource_id":"777","resource_id_type":"Appointment","event_type":"appointment.participant_joined","changed_fields":[],"host_user_id":55,"user_name":"Dana Scully","user_email":"dana@example.com","event_ts":1796000123456}"#,
    )
    .unwrap();
    assert_eq!(joined.event_type, EventType::AppointmentParticipantJoined);
    assert_eq!(joined.host_user_id.as_deref(), Some("55"));
    assert_eq!(joined.user_name.as_deref(), Some("Dana Scully"));
    assert_eq!(joined.user_email.as_deref(), Some("dana@example.com"));
    assert_eq!(joined.event_ts.as_deref(), Some("1796000123456"));
    // 13 digits: milliseconds.
    assert_eq!(
        joined.event_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_796_000_123_456))
    );
    assert!(joined.extra.is_empty());
}

#[test]
fn event_ts_forms() {
    let with_ts = |ts: serde_json::Value| {
        let body =
            json!({"resource_id": 1, "event_type": "appointment.participant_left", "event_ts": ts});
        ThinEvent::parse(body.to_string().as_bytes()).unwrap()
    };
    assert_eq!(
        with_ts(json!(1_796_000_000)).event_time(),
        Some(at(1_796_000_000))
    );
    assert_eq!(
        with_ts(json!("2026-11-30T08:53:20Z")).event_time(),
        Some(at(1_796_028_800))
    );
    let unreadable = with_ts(json!("yesterday"));
    assert_eq!(unreadable.event_ts.as_deref(), Some("yesterday"));
    assert_eq!(unreadable.event_time(), None);
    assert_eq!(
        ThinEvent::parse(br#"{"resource_id":1,"event_type":"appointment.updated"}"#)
            .unwrap()
            .event_time(),
        None
    );
}

#[test]
fn a_sample_of_other_events_parse() {
    let updated = ThinEvent::parse(
        br#"{"resource_id":"9001","resource_id_type":"Appointment","event_type":"appointment.updated","changed_fields":["date","location"],"resource_organization_id":"12"}"#,
    )
    .unwrap();
    assert_eq!(updated.event_type, EventType::AppointmentUpdated);
    assert_eq!(updated.changed_fields, ["date", "location"]);
    assert_eq!(updated.resource_organization_id.as_deref(), Some("12"));

    let signed = ThinEvent::parse(
        br#"{"resource_id":"31","resource_id_type":"FormAnswerGroup","event_type":"form_answer_group.signed","changed_fields":[]}"#,
    )
    .unwrap();
    assert_eq!(signed.event_type, EventType::FormAnswerGroupSigned);
    assert_eq!(signed.appointment_id(), None);

    let patient = ThinEvent::parse(
        br#"{"resource_id":4,"resource_id_type":"User","event_type":"patient.created","changed_fields":[]}"#,
    )
    .unwrap();
    assert_eq!(patient.event_type, EventType::PatientCreated);
    assert_eq!(patient.resource_id, "4");
    assert_eq!(patient.appointment_id(), None);

    let connection = ThinEvent::parse(
        br#"{"resource_id":"8","event_type":"appointment_form_answer_group_connection.created"}"#,
    )
    .unwrap();
    assert_eq!(
        connection.event_type,
        EventType::AppointmentFormAnswerGroupConnectionCreated
    );
    // No resource_id_type: judged by the event's resource, which is not `appointment`.
    assert_eq!(connection.appointment_id(), None);
    let bare =
        ThinEvent::parse(br#"{"resource_id":"8","event_type":"appointment.deleted"}"#).unwrap();
    assert_eq!(bare.resource_id_type, None);
    assert_eq!(bare.appointment_id(), Some("8"));

    // Unknown types and unknown fields are kept.
    let other = ThinEvent::parse(
        br#"{"resource_id":"5","resource_id_type":"Appointment","event_type":"appointment.cancelled","changed_fields":[],"data":{"id":5},"api_version":"2026-01-01"}"#,
    )
    .unwrap();
    assert_eq!(
        other.event_type,
        EventType::Unknown("appointment.cancelled".into())
    );
    assert_eq!(other.extra["data"], json!({"id": 5}));
    assert_eq!(other.extra["api_version"], "2026-01-01");
    assert_eq!(other.appointment_id(), Some("5"));
}

#[test]
fn resource_id_as_number_or_string() {
    let number = ThinEvent::parse(br#"{"resource_id":123123123,"resource_id_type":"Appointment","event_type":"appointment.created"}"#).unwrap();
    let string = ThinEvent::parse(br#"{"resource_id":"123123123","resource_id_type":"Appointment","event_type":"appointment.created"}"#).unwrap();
    assert_eq!(number.resource_id, "123123123");
    assert_eq!(number, string);
    let big =
        ThinEvent::parse(br#"{"resource_id":18446744073709551615,"event_type":"task.created"}"#)
            .unwrap();
    assert_eq!(big.resource_id, "18446744073709551615");
}

#[test]
fn changed_fields_as_array_or_string() {
    let fields = |v: serde_json::Value| {
        let body =
            json!({"resource_id": "1", "event_type": "appointment.updated", "changed_fields": v});
        ThinEvent::parse(body.to_string().as_bytes()).map(|e| e.changed_fields)
    };
    assert_eq!(fields(json!(["date", "time"])).unwrap(), ["date", "time"]);
    assert_eq!(
        fields(json!("[\"date\",\"time\"]")).unwrap(),
        ["date", "time"]
    );
    assert_eq!(fields(json!("date, time")).unwrap(), ["date", "time"]);
    assert_eq!(fields(json!("pm_status")).unwrap(), ["pm_status"]);
    assert!(fields(json!("")).unwrap().is_empty());
    assert!(fields(json!([])).unwrap().is_empty());
    assert!(fields(json!(null)).unwrap().is_empty());
    let absent =
        ThinEvent::parse(br#"{"resource_id":"1","event_type":"appointment.created"}"#).unwrap();
    assert!(absent.changed_fields.is_empty());
}

#[test]
fn bad_payloads_give_typed_errors() {
    let cases: &[(&[u8], &str, Option<&str>)] = &[
        (b"", "json", None),
        (b"{\"resource_id\":", "json", None),
        (b"[1,2]", "object", None),
        (b"\"appointment.created\"", "object", None),
        (br#"{"event_type":"appointment.created"}"#, "missing", Some("resource_id")),
        (br#"{"resource_id":null,"event_type":"appointment.created"}"#, "missing", Some("resource_id")),
        (br#"{"resource_id":1.5,"event_type":"appointment.created"}"#, "invalid", Some("resource_id")),
        (br#"{"resource_id":-3,"event_type":"appointment.created"}"#, "invalid", Some("resource_id")),
        (br#"{"resource_id":true,"event_type":"appointment.created"}"#, "invalid", Some("resource_id")),
        (br#"{"resource_id":"  ","event_type":"appointment.created"}"#, "invalid", Some("resource_id")),
        (br#"{"resource_id":{"id":1},"event_type":"appointment.created"}"#, "invalid", Some("resource_id")),
        (br#"{"resource_id":"1"}"#, "missing", Some("event_type")),
        (br#"{"resource_id":"1","event_type":7}"#, "invalid", Some("event_type")),
        (br#"{"resource_id":"1","event_type":""}"#, "invalid", Some("event_type")),
        (br#"{"resource_id":"1","event_type":"appointment.updated","changed_fields":3}"#, "invalid", Some("changed_fields")),
        (br#"{"resource_id":"1","event_type":"appointment.updated","changed_fields":["date",4]}"#, "invalid", Some("changed_fields")),
        (br#"{"resource_id":"1","event_type":"appointment.updated","changed_fields":"[date"}"#, "invalid", Some("changed_fields")),
        (br#"{"resource_id":"1","event_type":"appointment.updated","changed_fields":{"date":1}}"#, "invalid", Some("changed_fields")),
        (br#"{"resource_id":"1","resource_id_type":5,"event_type":"appointment.updated"}"#, "invalid", Some("resource_id_type")),
        (br#"{"resource_id":"1","event_type":"appointment.participant_joined","user_email":false}"#, "invalid", Some("user_email")),
        (br#"{"resource_id":"1","event_type":"appointment.participant_joined","host_user_id":[1]}"#, "invalid", Some("host_user_id")),
        (br#"{"resource_id":"1","event_type":"appointment.participant_joined","event_ts":true}"#, "invalid", Some("event_ts")),
        (br#"{"resource_id":"1","event_type":"appointment.created","resource_organization_id":1.25}"#, "invalid", Some("resource_organization_id")),
    ];
    for (body, kind, field) in cases {
        let err = ThinEvent::parse(body).unwrap_err();
        let shown = String::from_utf8_lossy(body);
        match (kind, &err) {
            (&"json", PayloadError::InvalidJson(_)) | (&"object", PayloadError::NotAnObject) => {}
            (&"missing", PayloadError::MissingField { field: f }) => {
                assert_eq!(Some(*f), *field, "{shown}")
            }
            (&"invalid", PayloadError::InvalidField { field: f, .. }) => {
                assert_eq!(Some(*f), *field, "{shown}")
            }
            _ => panic!("{shown}: expected {kind} {field:?}, got {err:?}"),
        }
        // Errors name the field, never the value.
        assert!(!err.to_string().contains("Dana"));
    }
    // Through serde too.
    let err =
        serde_json::from_str::<ThinEvent>(r#"{"resource_id":1.5,"event_type":"x.y"}"#).unwrap_err();
    assert!(err.to_string().contains("resource_id"), "{err}");
}

#[test]
fn the_vendor_guides_field_names_are_accepted() {
    // The guide's handler reads `event` and `resource_type`.
    let e = ThinEvent::parse(
        br#"{"event":"appointment.transcript_available","resource_type":"Appointment","resource_id":12345,"data":{"id":12345}}"#,
    )
    .unwrap();
    assert_eq!(e.event_type, EventType::AppointmentTranscriptAvailable);
    assert_eq!(e.resource_id_type.as_deref(), Some("Appointment"));
    assert_eq!(e.extra["data"]["id"], 12345);
    // The documented names win; the alias is kept as an unknown field.
    let both = ThinEvent::parse(
        br#"{"event":"appointment.created","event_type":"appointment.updated","resource_id":1}"#,
    )
    .unwrap();
    assert_eq!(both.event_type, EventType::AppointmentUpdated);
    assert_eq!(both.extra["event"], "appointment.created");
}

#[test]
fn payloads_serialize_back() {
    let e = ThinEvent::parse(
        br#"{"resource_id":12,"resource_id_type":"Appointment","event_type":"appointment.participant_joined","changed_fields":"a, b","host_user_id":3,"user_name":"N","user_email":"n@example.com","event_ts":"2026-11-30T08:53:20Z","custom":[1]}"#,
    )
    .unwrap();
    let value = serde_json::to_value(&e).unwrap();
    assert_eq!(
        value,
        json!({"resource_id":"12","resource_id_type":"Appointment","event_type":"appointment.participant_joined","changed_fields":["a","b"],"host_user_id":"3","user_name":"N","user_email":"n@example.com","event_ts":"2026-11-30T08:53:20Z","custom":[1]})
    );
    let back: ThinEvent = serde_json::from_value(value).unwrap();
    assert_eq!(back, e);
    let built = ThinEvent::new(EventType::AppointmentUpdated, "Appointment", "9")
        .with_changed_fields(["date"]);
    assert_eq!(
        built.to_value(),
        json!({"resource_id":"9","resource_id_type":"Appointment","event_type":"appointment.updated","changed_fields":["date"]})
    );
    assert_eq!(built.to_string(), "appointment.updated Appointment 9");
}

#[test]
fn mangled_payloads_never_panic() {
    let sample = br#"{"resource_id":"12","resource_id_type":"Appointment","event_type":"appointment.participant_joined","changed_fields":"[\"a\",\"b\"]","host_user_id":3,"user_name":"N","user_email":"n@example.com","event_ts":1796000123456}"#;
    let (mut ok, mut rejected) = (0, 0);
    for i in 0..sample.len() {
        // Each byte dropped, and each byte replaced by a few JSON-significant ones.
        let mut variants = vec![[&sample[..i], &sample[i + 1..]].concat()];
        for b in [b'"', b'[', b'{', b'1', b'-', b',', b'.', b' '] {
            let mut v = sample.to_vec();
            v[i] = b;
            variants.push(v);
        }
        for body in variants {
            match ThinEvent::parse(&body) {
                Ok(e) => {
                    assert!(!e.resource_id.trim().is_empty());
                    ok += 1;
                }
                Err(_) => rejected += 1,
            }
        }
    }
    assert!(ok > 0 && rejected > 0, "ok {ok}, rejected {rejected}");
}
