//! The contract matrix, discovered from the specs: one case per vendor x operation x
//! documented response example.

use serde_json::Value;

use crate::examples;
use crate::specs::{self, SpecFile};

/// One documented response of one operation.
#[derive(Debug, Clone)]
pub struct Case {
    /// `x-keygate.vendor` of the spec.
    pub vendor: String,
    /// The operationId.
    pub operation: String,
    /// The documented status key (`200`, `404`).
    pub status: String,
    /// The example's name, as `Prefer: example=` asks for it.
    pub example: String,
    /// The documented body.
    pub body: Value,
    /// The expected outcome.
    pub expect: Expected,
}

/// What the SDK should make of a case.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// A decoded success equal to the body, apart from the `ignored` request-id fields.
    Success {
        /// Body fields that carry a fresh request id per request.
        ignored: Vec<String>,
    },
    /// The SDK's typed service error with these values.
    Error {
        /// HTTP status the service answers with.
        status: u16,
        /// The vendor's error code, as text (Tencent's numeric codes included).
        code: String,
        /// The vendor's error message.
        message: String,
    },
}

impl Case {
    /// `vendor/operation/status/example`, the name failures are reported under.
    pub fn name(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.vendor, self.operation, self.status, self.example
        )
    }

    /// The `Prefer` header that selects this case's documented response.
    pub fn prefer(&self) -> String {
        format!("code={}, example={}", self.status, self.example)
    }
}

/// Every case of every spec.
pub fn all() -> Vec<Case> {
    specs::load_all().iter().flat_map(cases_of).collect()
}

fn cases_of(spec: &SpecFile) -> Vec<Case> {
    let vendor = spec.vendor().to_owned();
    let mut found = Vec::new();
    for op in examples::operations(spec) {
        for (status, response) in examples::responses(spec, &op) {
            let case = |example: &str, body: &Value| Case {
                vendor: vendor.clone(),
                operation: op.id().to_owned(),
                status: status.to_owned(),
                example: example.to_owned(),
                body: body.clone(),
                expect: expected(spec, status, body),
            };
            let bodies = examples::content_examples(spec, status, response);
            if bodies.is_empty() {
                // A response without content (204, a HEAD's 200): the mock's one answer.
                found.push(case(NO_CONTENT_EXAMPLE, &Value::Null));
            }
            for (_, list) in bodies {
                found.extend(list.iter().map(|e| case(&e.name, e.value)));
            }
        }
    }
    found
}

/// The name the mock gives the answer of a response documented without content.
pub const NO_CONTENT_EXAMPLE: &str = "empty";

fn expected(spec: &SpecFile, status: &str, body: &Value) -> Expected {
    if !spec.is_error(status, body) {
        let ignored = spec
            .spec
            .keygate
            .request_id
            .as_ref()
            .map(|plan| plan.body_fields.clone())
            .unwrap_or_default();
        return Expected::Success { ignored };
    }
    let status: u16 = status
        .parse()
        .unwrap_or_else(|_| panic!("{}: status {status}", spec.file_name));
    if body.is_null() {
        return bodiless_error(status);
    }
    let fields = spec.error_fields();
    Expected::Error {
        status,
        code: fields.code_of(body).unwrap_or_default(),
        message: fields.message_of(body).unwrap_or_default(),
    }
}

/// An error documented without a body (an answer to HEAD): the SDK reports the status's reason
/// phrase, `Not Found` as code `NotFound`.
fn bodiless_error(status: u16) -> Expected {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or_else(|| panic!("status {status} has no reason phrase"));
    Expected::Error {
        status,
        code: reason.replace([' ', '-'], ""),
        message: reason.to_owned(),
    }
}

pub use keygate_spec::ext::plain_text;

/// `body` without the top-level `fields` (fresh request ids).
pub fn without_fields(body: &Value, fields: &[String]) -> Value {
    let mut body = body.clone();
    if let Some(object) = body.as_object_mut() {
        for field in fields {
            object.remove(field);
        }
    }
    body
}
