//! Every GraphQL document the crate can send, validated against Healthie's published schema
//! of the API version it targets with a real GraphQL validator (apollo-compiler), and every
//! request the crate actually sends (document and variables, every option set) checked the
//! same way, variables coerced as a GraphQL server would.
//!
//! The schemas are read from the workspace's sibling `shared/healthie/` folder (or
//! `HEALTHIE_SCHEMA_DIR`); where it is absent the tests print that they were skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use apollo_compiler::executable::OperationType;
use apollo_compiler::request::coerce_variable_values;
use apollo_compiler::response::JsonMap;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema as GraphqlSchema};
use common::*;
use futures::StreamExt;
use healthie_client::graphql::OperationKind;
use healthie_client::types::{AppointmentOrder, TranscriptStatus, TranscriptType, WebhookOrder};
use healthie_client::webhooks::EventType;
use healthie_client::{operations, HealthieClient, Schema};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The folder of Healthie's published schemas, if present.
fn published_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("HEALTHIE_SCHEMA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/healthie"
        )),
    };
    dir.join("schema-2026-01-01.graphql")
        .is_file()
        .then_some(dir)
}

/// The crate's trimmed schemas: `(shape, file in schema/, published file it is cut from)`.
const TRIMMED: [(Schema, &str, &str); 2] = [
    (
        Schema::Connections,
        "2026-01-01.graphql",
        "schema-2026-01-01.graphql",
    ),
    (
        Schema::Baseline,
        "baseline.graphql",
        "schema-baseline.graphql",
    ),
];

fn trimmed_path(file: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/schema")).join(file)
}

/// Parse and validate a schema.
fn parse(sdl: String, file: &str) -> Valid<GraphqlSchema> {
    GraphqlSchema::parse_and_validate(sdl, file)
        .unwrap_or_else(|e| panic!("{file} is not a valid schema: {}", e.errors))
}

/// Load and validate one published schema file.
fn load(dir: &std::path::Path, file: &str) -> Valid<GraphqlSchema> {
    parse(std::fs::read_to_string(dir.join(file)).unwrap(), file)
}

/// The schemas each document shape is checked against: the crate's trimmed schemas always,
/// and Healthie's published ones where present.
fn schemas() -> Vec<(Schema, String, Valid<GraphqlSchema>)> {
    let mut all: Vec<_> = TRIMMED
        .iter()
        .map(|(shape, file, _)| {
            let sdl = std::fs::read_to_string(trimmed_path(file)).unwrap();
            (*shape, format!("schema/{file}"), parse(sdl, file))
        })
        .collect();
    match published_dir() {
        Some(dir) => {
            for (shape, file) in [
                (Schema::Connections, "schema-2026-01-01.graphql"),
                (Schema::Baseline, "schema-baseline.graphql"),
                // The unversioned schema as served in 2026: the baseline documents hold there too.
                (Schema::Baseline, "schema-2026.graphql"),
            ] {
                all.push((shape, file.to_owned(), load(&dir, file)));
            }
        }
        None => println!(
            "skipped: Healthie's published schemas (shared/healthie) are not present; \
             checking against the crate's trimmed schemas only"
        ),
    }
    all
}

fn validate(
    schema: &Valid<GraphqlSchema>,
    file: &String,
    document: &str,
    name: &str,
) -> Valid<ExecutableDocument> {
    ExecutableDocument::parse_and_validate(schema, document, format!("{name}.graphql"))
        .unwrap_or_else(|e| panic!("`{name}` is invalid against {file}:\n{}", e.errors))
}

#[test]
fn every_document_is_valid_against_the_schema_it_targets() {
    let schemas = schemas();
    let mut checked = 0;
    for (shape, file, schema) in &schemas {
        for operation in operations::ALL {
            let Some(document) = operation.document(*shape) else {
                continue;
            };
            let valid = validate(schema, file, document, operation.name);
            let op = valid.operations.get(Some(operation.name)).unwrap();
            let expected = match operation.kind {
                OperationKind::Query => OperationType::Query,
                OperationKind::Mutation => OperationType::Mutation,
            };
            assert_eq!(op.operation_type, expected, "{}", operation.name);
            assert_eq!(
                valid.operations.iter().count(),
                1,
                "one operation per document"
            );
            checked += 1;
        }
    }
    let baseline_schemas = schemas
        .iter()
        .filter(|(s, ..)| *s == Schema::Baseline)
        .count();
    let connection_schemas = schemas.len() - baseline_schemas;
    // 10 connection documents and 9 baseline documents, on every schema of their shape.
    assert_eq!(checked, 10 * connection_schemas + 9 * baseline_schemas);
}

#[test]
fn what_the_baseline_lacks_is_really_missing_there() {
    let schemas = schemas();
    let (_, file, baseline) = &schemas[1];
    for operation in operations::ALL.iter().filter(|o| o.baseline.is_none()) {
        let refused =
            ExecutableDocument::parse_and_validate(baseline, operation.connections, "x.graphql");
        assert!(
            refused.is_err(),
            "`{}` would be valid on {file}: give it a baseline document",
            operation.name
        );
    }
}

/// Run every operation with every option set against a server that answers with an error,
/// and return the bodies sent.
async fn every_request(
    healthie: &HealthieClient,
    shape: Schema,
    server: &MockServer,
) -> Vec<Value> {
    let appointments = healthie.appointments();
    let _ = appointments.get("1001").include_deleted(true).send().await;
    if shape == Schema::Connections {
        let _ = appointments
            .get("1001")
            .transcript_type(TranscriptType::ProcessedRecording)
            .transcript_statuses([TranscriptStatus::Completed, TranscriptStatus::Failed])
            .send()
            .await;
    }
    let dates = match shape {
        Schema::Connections => ("2026-11-01T00:00:00Z", "2026-11-30T23:59:59Z"),
        Schema::Baseline => ("2026-11-01", "2026-11-30"),
    };
    let _ = appointments
        .list()
        .user_id("5001")
        .provider_id("4001")
        .filter("past")
        .between(dates.0, dates.1)
        .order_by(AppointmentOrder::DateAsc)
        .whole_organization(true)
        .keywords("follow")
        .with_all_statuses(true)
        .statuses(["Occurred", "No-Show"])
        .page_size(10)
        .send()
        .await;
    // A second page: the cursor or the offset.
    let _ = appointments
        .list()
        .page_size(2)
        .into_stream()
        .take(3)
        .collect::<Vec<_>>()
        .await;
    let webhooks = healthie.webhooks();
    let _ = webhooks
        .list()
        .keywords("k")
        .order_by(WebhookOrder::EventTypeDesc)
        .send()
        .await;
    let _ = webhooks
        .create(
            "https://r.example/h",
            [
                EventType::AppointmentCreated,
                EventType::AppointmentTranscriptAvailable,
            ],
        )
        .enabled(true)
        .retry_failed_deliveries(true)
        .send()
        .await;
    let _ = webhooks
        .update("7001")
        .url("https://r.example/h2")
        .enabled(false)
        .retry_failed_deliveries(false)
        .events([
            (Some("7101".to_owned()), EventType::AppointmentUpdated),
            (None, EventType::AppointmentCreated),
        ])
        .send()
        .await;
    let _ = webhooks.delete("7001").await;
    let _ = webhooks.send_test("7001").await;
    let _ = webhooks.expire_signature("7001").await;
    let sent = healthie
        .sent_webhooks()
        .list()
        .keywords("a")
        .order_by(WebhookOrder::UrlDesc);
    let sent = match shape {
        Schema::Connections => sent
            .sent_between("2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z")
            .resource_id("1001")
            .resource_type("Appointment")
            .failed_only(),
        Schema::Baseline => sent,
    };
    let _ = sent.send().await;
    if shape == Schema::Connections {
        let _ = healthie.transcripts().delete("realtime_capture_9001").await;
    }
    bodies(server).await
}

/// Answers every operation with a page that has a next page, so the streams ask for two.
async fn answering_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .respond_with(|req: &wiremock::Request| {
            let body = body(req);
            let answer = match body["operationName"].as_str() {
                Some("Appointments") if body["variables"].get("first").is_some() => json!({ "data": {
                    "appointments": { "total_count": 5, "page_info": {
                        "end_cursor": format!("c{}", body["variables"]["after"].as_str().unwrap_or("0")),
                        "has_next_page": true, "has_previous_page": false, "start_cursor": null },
                      "nodes": [appointments()[0].clone(), appointments()[1].clone()] } } }),
                Some("Appointments") => json!({ "data": { "appointments": [appointments()[0].clone(), appointments()[1].clone()] } }),
                _ => json!({ "errors": [{ "message": "not answered here" }] }),
            };
            ResponseTemplate::new(200).set_body_json(answer)
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn every_request_sent_is_valid_with_its_variables() {
    for (shape, file, schema) in &schemas() {
        let server = answering_server().await;
        let healthie = match shape {
            Schema::Connections => client(&server),
            Schema::Baseline => baseline_client(&server),
        };
        let sent = every_request(&healthie, *shape, &server).await;
        let names: std::collections::BTreeSet<&str> = sent
            .iter()
            .filter_map(|b| b["operationName"].as_str())
            .collect();
        let expected = operations::ALL
            .iter()
            .filter(|o| o.document(*shape).is_some())
            .count();
        assert_eq!(
            names.len(),
            expected,
            "every operation was exercised on {file}: {names:?}"
        );
        for body in &sent {
            let name = body["operationName"].as_str().unwrap();
            let valid = validate(schema, file, body["query"].as_str().unwrap(), name);
            let operation = valid.operations.get(Some(name)).unwrap();
            let variables: JsonMap = serde_json::from_value(body["variables"].clone()).unwrap();
            coerce_variable_values(schema, operation, &variables).unwrap_or_else(|e| {
                panic!(
                    "`{name}` variables {} do not coerce on {file}: {}",
                    body["variables"],
                    e.message()
                )
            });
        }
    }
}

#[test]
fn event_types_the_crate_sends_exist_in_webhook_event_type() {
    let schemas = schemas();
    let (_, _, schema) = &schemas[0];
    let Some(apollo_compiler::schema::ExtendedType::Enum(enum_type)) =
        schema.types.get("WebhookEventType")
    else {
        panic!("no WebhookEventType enum");
    };
    let values: std::collections::BTreeSet<&str> =
        enum_type.values.keys().map(|k| k.as_str()).collect();
    for event in EventType::KNOWN {
        assert!(
            values.contains(event.graphql_name().as_ref() as &str),
            "{event} is not in WebhookEventType"
        );
    }
}

#[test]
fn the_validator_rejects_what_healthie_would() {
    let schemas = schemas();
    let (_, file, schema) = &schemas[0];
    // The vendor text's camelCase fields, a connection selected as a list, a wrong variable type.
    for document in [
        "query A($id: ID) { appointment(id: $id) { id appointmentTypeId } }",
        "query B { appointments(first: 2) { id } }",
        "query C($first: String) { webhooks(first: $first) { nodes { id } } }",
    ] {
        assert!(
            ExecutableDocument::parse_and_validate(schema, document, "bad.graphql").is_err(),
            "{document} should be invalid on {file}"
        );
    }
    let valid = validate(schema, file, operations::WEBHOOKS.connections, "Webhooks");
    let operation = valid.operations.get(Some("Webhooks")).unwrap();
    let wrong: JsonMap = serde_json::from_value(json!({ "first": "twenty" })).unwrap();
    assert!(coerce_variable_values(schema, operation, &wrong).is_err());
}

/// Cut `full` down to what `documents` use: the root fields and arguments they select, the
/// fields of each object type they select, and every type those need (enums and input
/// objects whole).
fn trim(full: &Valid<GraphqlSchema>, documents: &[&str]) -> GraphqlSchema {
    use apollo_compiler::executable::{Selection, SelectionSet};
    use apollo_compiler::schema::ExtendedType;
    use std::collections::{BTreeMap, BTreeSet};

    type Used = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;
    fn walk(set: &SelectionSet, used: &mut Used, inputs: &mut Vec<String>) {
        for selection in &set.selections {
            let Selection::Field(field) = selection else {
                panic!("the crate's documents use no fragments")
            };
            let args = used
                .entry(set.ty.to_string())
                .or_default()
                .entry(field.name.to_string())
                .or_default();
            for argument in &field.arguments {
                args.insert(argument.name.to_string());
                let definition = field.definition.argument_by_name(&argument.name).unwrap();
                inputs.push(definition.ty.inner_named_type().to_string());
            }
            inputs.push(field.definition.ty.inner_named_type().to_string());
            walk(&field.selection_set, used, inputs);
        }
    }

    let mut used = Used::new();
    let mut pending = Vec::new();
    for document in documents {
        let exe = ExecutableDocument::parse_and_validate(full, *document, "d.graphql").unwrap();
        for operation in exe.operations.iter() {
            for variable in &operation.variables {
                pending.push(variable.ty.inner_named_type().to_string());
            }
            walk(&operation.selection_set, &mut used, &mut pending);
        }
    }
    // Every type reachable from the used fields' and arguments' types (input objects whole).
    let mut keep: BTreeSet<String> = used.keys().cloned().collect();
    while let Some(name) = pending.pop() {
        if !keep.insert(name.clone()) {
            continue;
        }
        if let Some(ExtendedType::InputObject(input)) = full.types.get(name.as_str()) {
            for field in input.fields.values() {
                pending.push(field.ty.inner_named_type().to_string());
            }
        }
    }
    let mut schema = full.clone().into_inner();
    schema
        .types
        .retain(|name, ty| ty.is_built_in() || keep.contains(name.as_str()));
    schema.directive_definitions.retain(|_, d| d.is_built_in());
    for (name, ty) in schema.types.iter_mut() {
        let ExtendedType::Object(object) = ty else {
            continue;
        };
        if object.is_built_in() {
            continue;
        }
        let fields = used.get(name.as_str()).cloned().unwrap_or_default();
        let object = object.make_mut();
        object.implements_interfaces.clear();
        object
            .fields
            .retain(|field, _| fields.contains_key(field.as_str()));
        for (field_name, field) in object.fields.iter_mut() {
            let arguments = &fields[field_name.as_str()];
            field
                .make_mut()
                .arguments
                .retain(|a| arguments.contains(a.name.as_str()));
        }
    }
    let definition = schema.schema_definition.make_mut();
    if definition
        .subscription
        .as_ref()
        .is_some_and(|s| !keep.contains(s.as_str()))
    {
        definition.subscription = None;
    }
    schema
}

/// The documents of one shape.
fn documents(shape: Schema) -> Vec<&'static str> {
    operations::ALL
        .iter()
        .filter_map(|o| o.document(shape))
        .collect()
}

#[test]
fn the_trimmed_schemas_are_cut_from_the_published_ones() {
    let Some(dir) = published_dir() else {
        println!("skipped: Healthie's published schemas (shared/healthie) are not present");
        return;
    };
    let regenerate = std::env::var_os("HEALTHIE_REGENERATE_SCHEMA").is_some();
    for (shape, file, published) in TRIMMED {
        let full = load(&dir, published);
        let header = format!(
            "# Cut from Healthie's published `{published}` to what healthie-client's documents use.\n\
             # Regenerate: HEALTHIE_REGENERATE_SCHEMA=1 cargo test -p healthie-client --test schema\n\n"
        );
        let expected = format!("{header}{}", trim(&full, &documents(shape)));
        let path = trimmed_path(file);
        if regenerate {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &expected).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap();
        assert!(
            committed == expected,
            "schema/{file} is stale: regenerate it"
        );
        // And, independently of how it was cut: every type and field in it exists with the same
        // type in the published schema.
        let trimmed = parse(committed, file);
        assert_subset(&trimmed, &full, file);
    }
}

/// Every type of `part` exists in `whole` with the same kind, and every field, argument,
/// input field and enum value with the same type.
fn assert_subset(part: &GraphqlSchema, whole: &GraphqlSchema, file: &str) {
    use apollo_compiler::schema::ExtendedType;
    for (name, ty) in &part.types {
        let other = whole
            .types
            .get(name)
            .unwrap_or_else(|| panic!("{file}: no type {name}"));
        match (ty, other) {
            (ExtendedType::Object(a), ExtendedType::Object(b)) => {
                for (field, def) in &a.fields {
                    let full = b
                        .fields
                        .get(field)
                        .unwrap_or_else(|| panic!("{file}: no {name}.{field}"));
                    assert_eq!(def.ty, full.ty, "{file}: {name}.{field}");
                    for argument in &def.arguments {
                        let theirs = full.argument_by_name(&argument.name).unwrap_or_else(|| {
                            panic!("{file}: no {name}.{field}({})", argument.name)
                        });
                        assert_eq!(
                            argument.ty, theirs.ty,
                            "{file}: {name}.{field}({})",
                            argument.name
                        );
                        assert_eq!(argument.default_value, theirs.default_value);
                    }
                }
            }
            (ExtendedType::InputObject(a), ExtendedType::InputObject(b)) => {
                assert_eq!(a.fields.len(), b.fields.len(), "{file}: {name}");
                for (field, def) in &a.fields {
                    assert_eq!(def.ty, b.fields[field].ty, "{file}: {name}.{field}");
                }
            }
            (ExtendedType::Enum(a), ExtendedType::Enum(b)) => {
                let ours: Vec<_> = a.values.keys().collect();
                let theirs: Vec<_> = b.values.keys().collect();
                assert_eq!(ours, theirs, "{file}: {name}");
            }
            (ExtendedType::Scalar(_), ExtendedType::Scalar(_)) => {}
            _ => panic!("{file}: {name} is of another kind in the published schema"),
        }
    }
}
