//! OpenAPI 3.0 schemas as JSON Schema (draft 2020-12), compiled with the `jsonschema` crate.
//!
//! OpenAPI 3.0's schema dialect differs from JSON Schema in a few places, translated here:
//! `nullable: true` becomes a `"null"` type; boolean `exclusiveMinimum`/`exclusiveMaximum`
//! become numeric; `format: int32` becomes the int32 range (JSON Schema has no such format);
//! `$ref: '#/components/schemas/X'` points into `$defs`, which carries every component
//! schema; OpenAPI-only keywords (`example`, `x-*`, `discriminator`, ...) are dropped.

use serde_json::{Map, Value, json};

/// Keywords whose value is a map of subschemas.
const SCHEMA_MAPS: [&str; 3] = ["properties", "patternProperties", "$defs"];
/// Keywords whose value is a list of subschemas.
const SCHEMA_LISTS: [&str; 3] = ["allOf", "anyOf", "oneOf"];
/// Keywords whose value is one subschema.
const SCHEMA_ONE: [&str; 3] = ["items", "not", "additionalProperties"];
/// OpenAPI keywords that mean nothing to a validator.
const DROPPED: [&str; 7] = [
    "example",
    "discriminator",
    "xml",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// A compiled validator for one schema.
pub type Validator = jsonschema::Validator;

/// Compiles an OpenAPI schema (already `serde_json`) with the document's component schemas.
pub fn compile(schema: &Value, components: &Value) -> Result<Validator, String> {
    let mut root = convert(schema);
    if let Value::Object(map) = &mut root
        && needs_defs(schema)
    {
        map.insert("$defs".to_owned(), convert_map(components));
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .build(&root)
        .map_err(|e| format!("schema does not compile: {e}"))
}

/// `components/schemas` of a document as JSON, or `{}`.
pub fn components_of(doc: &openapiv3::OpenAPI) -> Value {
    doc.components
        .as_ref()
        .and_then(|c| serde_json::to_value(&c.schemas).ok())
        .unwrap_or_else(|| json!({}))
}

/// Every validation error of `instance`, as readable lines (`message at /pointer`).
pub fn errors(validator: &Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect()
}

fn needs_defs(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => map.contains_key("$ref") || map.values().any(needs_defs),
        Value::Array(items) => items.iter().any(needs_defs),
        _ => false,
    }
}

fn convert_map(schemas: &Value) -> Value {
    match schemas {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), convert(v))).collect())
        }
        _ => json!({}),
    }
}

/// One schema object, converted recursively.
pub fn convert(schema: &Value) -> Value {
    let Value::Object(source) = schema else {
        return schema.clone();
    };
    if let Some(Value::String(reference)) = source.get("$ref") {
        let target = reference.replacen("#/components/schemas/", "#/$defs/", 1);
        return json!({ "$ref": target });
    }
    let mut out = Map::new();
    for (key, value) in source {
        if DROPPED.contains(&key.as_str()) || key.starts_with("x-") || key == "nullable" {
            continue;
        }
        out.insert(key.clone(), convert_keyword(key, value));
    }
    apply_nullable(source, &mut out);
    apply_exclusive(&mut out, "exclusiveMinimum", "minimum");
    apply_exclusive(&mut out, "exclusiveMaximum", "maximum");
    apply_int32(&mut out);
    Value::Object(out)
}

fn convert_keyword(key: &str, value: &Value) -> Value {
    if SCHEMA_MAPS.contains(&key) {
        return convert_map(value);
    }
    if SCHEMA_LISTS.contains(&key)
        && let Value::Array(items) = value
    {
        return Value::Array(items.iter().map(convert).collect());
    }
    if SCHEMA_ONE.contains(&key) && value.is_object() {
        return convert(value);
    }
    value.clone()
}

fn apply_nullable(source: &Map<String, Value>, out: &mut Map<String, Value>) {
    if source.get("nullable") != Some(&Value::Bool(true)) {
        return;
    }
    if let Some(Value::String(ty)) = out.get("type").cloned() {
        out.insert("type".to_owned(), json!([ty, "null"]));
    }
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        values.push(Value::Null);
    }
}

/// OpenAPI 3.0: `exclusiveMinimum: true` qualifies `minimum`; JSON Schema: it is the bound.
fn apply_exclusive(out: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    match out.get(exclusive) {
        Some(Value::Bool(true)) => {
            if let Some(limit) = out.remove(bound) {
                out.insert(exclusive.to_owned(), limit);
            } else {
                out.remove(exclusive);
            }
        }
        Some(Value::Bool(false)) => {
            out.remove(exclusive);
        }
        _ => {}
    }
}

fn apply_int32(out: &mut Map<String, Value>) {
    if out.get("format").and_then(Value::as_str) != Some("int32") {
        return;
    }
    let tighten = |current: Option<&Value>, limit: i64, pick: fn(i64, i64) -> i64| {
        current
            .and_then(Value::as_i64)
            .map_or(limit, |c| pick(c, limit))
    };
    let min = tighten(out.get("minimum"), i64::from(i32::MIN), i64::max);
    let max = tighten(out.get("maximum"), i64::from(i32::MAX), i64::min);
    out.insert("minimum".to_owned(), json!(min));
    out.insert("maximum".to_owned(), json!(max));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_openapi_30_keywords() {
        let converted = convert(&json!({
            "type": "integer", "format": "int32", "minimum": 1, "exclusiveMinimum": true,
            "nullable": true, "example": 3, "x-keygate-clamp": {}
        }));
        assert_eq!(
            converted,
            json!({"type": ["integer", "null"], "format": "int32",
                   "exclusiveMinimum": 1, "minimum": i32::MIN, "maximum": i32::MAX})
        );
    }

    #[test]
    fn refs_point_into_defs_and_resolve() {
        let components =
            json!({"Kms": {"type": "object", "properties": {"id": {"type": "string"}}}});
        let schema =
            json!({"type": "object", "properties": {"kms": {"$ref": "#/components/schemas/Kms"}}});
        let validator = compile(&schema, &components).unwrap();
        assert!(validator.is_valid(&json!({"kms": {"id": "x"}})));
        assert!(!validator.is_valid(&json!({"kms": {"id": 1}})));
    }

    #[test]
    fn uuid_format_is_checked() {
        let validator = compile(&json!({"type": "string", "format": "uuid"}), &json!({})).unwrap();
        assert!(validator.is_valid(&json!("00000000-0000-0000-0000-000000000000")));
        assert!(!validator.is_valid(&json!("not-a-uuid")));
    }
}
