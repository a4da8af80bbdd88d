//! The request body: content type, JSON syntax, JSON schema.

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::Failure;
use crate::index::body::BodySpec;
use crate::index::params::Location;
use crate::request::MockRequest;

/// The name errors use for the body as a whole.
const BODY: &str = "body";
/// The name errors use for a wrong content type.
const CONTENT_TYPE: &str = "Content-Type";
/// Where a body fault lies, for `{in}` (the parameter locations' counterpart).
const IN_BODY: &str = "body";

/// Checks the body of `request` against `spec`.
pub(crate) fn check(spec: &BodySpec, request: &MockRequest) -> Result<(), Failure> {
    if request.body.is_empty() {
        return match spec.required {
            true => Err(Failure::new(
                "missing-parameter",
                IN_BODY,
                BODY,
                "",
                "a request body is required",
            )),
            false => Ok(()),
        };
    }
    let sent = request.content_type_essence().unwrap_or_default();
    let Some(media) = spec.media.iter().find(|m| m.matches(&sent)) else {
        let accepted: Vec<&str> = spec.media.iter().map(|m| m.essence.as_ref()).collect();
        return Err(Failure::new(
            "unsupported-media-type",
            Location::Header.as_str(),
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
            IN_BODY,
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
        return Failure::new("missing-parameter", IN_BODY, &name, "", detail);
    }
    if name.is_empty() {
        name = BODY.to_owned();
    }
    Failure::new("invalid-parameter", IN_BODY, &name, "", detail)
}
