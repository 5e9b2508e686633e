//! GraphQL over HTTP: the request envelope, the response envelope with `errors[]`, and
//! [`GraphqlErrors`], the error source that keeps every entry of a failed response.
//!
//! Vendor crates build typed operations on these pieces and send them with
//! [`RequestBuilder::send_decoded`](crate::RequestBuilder::send_decoded), so that an error
//! reported in a `200` body (a rate limit, say) goes through the same retry rules as an HTTP
//! error.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::null_as_default;

/// The body of a GraphQL request: `{"query", "operationName", "variables"}`.
#[derive(Debug, Serialize)]
pub struct GraphqlRequest<'a, V: ?Sized> {
    /// The document.
    pub query: &'a str,
    /// The operation of the document to run.
    #[serde(rename = "operationName")]
    pub operation_name: &'a str,
    /// The variables, an object.
    pub variables: &'a V,
}

/// The body of a GraphQL response: `data` (possibly partial), `errors[]` and `extensions`.
#[derive(Debug, Deserialize)]
#[serde(bound = "D: DeserializeOwned")]
pub struct GraphqlResponse<D> {
    /// The result; `None` when the request failed as a whole.
    #[serde(default)]
    pub data: Option<D>,
    /// The errors, empty on full success.
    #[serde(default, deserialize_with = "null_as_default")]
    pub errors: Vec<GraphqlError>,
    /// Server extensions (warnings, cost information).
    #[serde(default, deserialize_with = "null_as_default")]
    pub extensions: Map<String, Value>,
}

/// One entry of a GraphQL response's `errors[]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GraphqlError {
    /// The human-readable message.
    #[serde(default)]
    pub message: String,
    /// The response field the error belongs to, when it belongs to one.
    #[serde(default, deserialize_with = "null_as_default")]
    pub path: Vec<PathSegment>,
    /// Where in the document the error points, when it does.
    #[serde(default, deserialize_with = "null_as_default")]
    pub locations: Vec<Location>,
    /// Server-specific details, usually with a `code`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub extensions: Map<String, Value>,
}

impl GraphqlError {
    /// `extensions.code`, when the server sends one.
    pub fn code(&self) -> Option<&str> {
        self.extensions.get("code").and_then(Value::as_str)
    }

    /// The path as dotted text (`appointment.transcripts.0`), empty when there is none.
    pub fn path_text(&self) -> String {
        let mut text = String::new();
        for segment in &self.path {
            if !text.is_empty() {
                text.push('.');
            }
            match segment {
                PathSegment::Field(name) => text.push_str(name),
                PathSegment::Index(i) => text.push_str(&i.to_string()),
            }
        }
        text
    }
}

impl fmt::Display for GraphqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(code) = self.code() {
            write!(f, " [{code}]")?;
        }
        let path = self.path_text();
        if !path.is_empty() {
            write!(f, " at `{path}`")?;
        }
        Ok(())
    }
}

/// A segment of [`GraphqlError::path`]: a field name or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum PathSegment {
    /// A field (response key).
    Field(String),
    /// An index into a list.
    Index(u64),
}

/// A position in the GraphQL document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Location {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// Every `errors[]` entry of a response, kept as the [`Error`]'s source (see
/// [`Error::graphql_errors`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GraphqlErrors(pub Vec<GraphqlError>);

impl fmt::Display for GraphqlErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphqlErrors {}

impl Error {
    /// The GraphQL `errors[]` entries behind this error, empty when it has none.
    pub fn graphql_errors(&self) -> &[GraphqlError] {
        std::error::Error::source(self)
            .and_then(|source| source.downcast_ref::<GraphqlErrors>())
            .map(|errors| errors.0.as_slice())
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn parses_errors_with_paths_codes_and_nulls() {
        let body = br#"{"data":{"a":null},"errors":[{"message":"nope","path":["a",0,"b"],
            "locations":[{"line":1,"column":3}],"extensions":{"code":"X"}},
            {"message":"bare","path":null,"extensions":null}],"extensions":null}"#;
        let r: GraphqlResponse<Value> = serde_json::from_slice(body).unwrap();
        assert_eq!(r.errors.len(), 2);
        assert_eq!(r.errors[0].code(), Some("X"));
        assert_eq!(r.errors[0].path_text(), "a.0.b");
        assert_eq!(r.errors[0].to_string(), "nope [X] at `a.0.b`");
        assert_eq!(r.errors[1].code(), None);
        assert!(r.extensions.is_empty());
    }

    #[test]
    fn errors_are_reachable_from_the_error() {
        let entry: GraphqlError = serde_json::from_str(r#"{"message":"m"}"#).unwrap();
        let err = Error::new(ErrorKind::Graphql, "m").with_source(GraphqlErrors(vec![entry]));
        assert_eq!(err.graphql_errors().len(), 1);
        assert!(Error::new(ErrorKind::Http, "x").graphql_errors().is_empty());
    }

    #[test]
    fn request_uses_operation_name() {
        let vars = serde_json::json!({"id": "1"});
        let body = GraphqlRequest {
            query: "query A { a }",
            operation_name: "A",
            variables: &vars,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"query": "query A { a }", "operationName": "A", "variables": {"id": "1"}})
        );
    }
}
