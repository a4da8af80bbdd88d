//! The request body: content type, JSON syntax, JSON schema.

use jsonschema::error::ValidationErrorKind;
use openapiv3::{OpenAPI, ReferenceOr, RequestBody};
use serde_json::Value;

use super::Failure;
use crate::request::MockRequest;
use crate::spec::refs;
use crate::spec::schema::{self, Validator};

/// The name errors use for the body as a whole.
const BODY: &str = "body";
/// The name errors use for a wrong content type.
const CONTENT_TYPE: &str = "Content-Type";

/// One accepted media type.
#[derive(Debug)]
struct MediaSpec {
    /// Lowercase type without parameters; `*/*` and `type/*` match broadly.
    essence: Box<str>,
    /// Parsed and checked as JSON.
    json: bool,
    validator: Option<Validator>,
}

/// An operation's request body, compiled.
#[derive(Debug)]
pub(crate) struct BodySpec {
    required: bool,
    media: Vec<MediaSpec>,
}

impl BodySpec {
    /// Compiles a request body declaration.
    pub(crate) fn compile(
        doc: &OpenAPI,
        item: &ReferenceOr<RequestBody>,
        components: &Value,
    ) -> Result<Self, String> {
        let body = refs::resolve(doc, item)?;
        let media = body
            .content
            .iter()
            .map(|(essence, media)| {
                let json = essence.contains("json");
                let validator = match (&media.schema, json) {
                    (Some(schema), true) => {
                        let schema = serde_json::to_value(schema).map_err(|e| e.to_string())?;
                        Some(schema::compile(&schema, components)?)
                    }
                    _ => None,
                };
                Ok(MediaSpec {
                    essence: essence.to_ascii_lowercase().into(),
                    json,
                    validator,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self {
            required: body.required,
            media,
        })
    }
}

fn media_matches(declared: &str, sent: &str) -> bool {
    declared == sent
        || declared == "*/*"
        || declared
            .strip_suffix("/*")
            .is_some_and(|prefix| sent.split('/').next() == Some(prefix))
}

/// Checks the body of `request` against `spec`.
pub(crate) fn check(spec: &BodySpec, request: &MockRequest) -> Result<(), Failure> {
    if request.body.is_empty() {
        return match spec.required {
            true => Err(Failure::new(
                "missing-parameter",
                BODY,
                "",
                "a request body is required",
            )),
            false => Ok(()),
        };
    }
    let sent = request.content_type_essence().unwrap_or_default();
    let Some(media) = spec.media.iter().find(|m| media_matches(&m.essence, &sent)) else {
        let accepted: Vec<&str> = spec.media.iter().map(|m| m.essence.as_ref()).collect();
        return Err(Failure::new(
            "unsupported-media-type",
            CONTENT_TYPE,
            &sent,
            format!(
                "Content-Type {sent:?} is not one of {}",
                accepted.join(", ")
            ),
        ));
    };
    if !media.json {
        return Ok(());
    }
    let value: Value = serde_json::from_slice(&request.body).map_err(|e| {
        Failure::new(
            "invalid-parameter",
            BODY,
            "",
            format!("the body is not JSON: {e}"),
        )
    })?;
    let Some(validator) = &media.validator else {
        return Ok(());
    };
    match validator.validate(&value) {
        Ok(()) => Ok(()),
        Err(error) => Err(schema_failure(&error)),
    }
}

/// Names the property at fault: `kmsConfig.kmsKeyId`, or the missing required property.
fn schema_failure(error: &jsonschema::ValidationError<'_>) -> Failure {
    let location: Vec<&str> = error
        .instance_path()
        .as_str()
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut name = location.join(".");
    let detail = error.to_string();
    if let ValidationErrorKind::Required { property } = error.kind() {
        let missing = property
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| property.to_string());
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(&missing);
        return Failure::new("missing-parameter", &name, "", detail);
    }
    if name.is_empty() {
        name = BODY.to_owned();
    }
    Failure::new("invalid-parameter", &name, "", detail)
}
