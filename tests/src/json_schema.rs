//! OpenAPI 3.0 schemas checked as JSON Schema (draft 4, which 3.0's schema object extends).

use serde_json::{Map, Value, json};

/// Rewrites an OpenAPI 3.0 schema into draft-4 JSON Schema: `nullable: true` becomes a `null`
/// member of `type`; OpenAPI-only keywords and extensions are dropped.
pub fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(object) => {
            let mut out = Map::new();
            for (key, value) in object {
                if is_openapi_only(key) {
                    continue;
                }
                let converted = if key == "properties" || key == "definitions" {
                    map_values(value)
                } else {
                    to_json_schema(value)
                };
                out.insert(key.clone(), converted);
            }
            if object.get("nullable") == Some(&Value::Bool(true))
                && let Some(kind) = out.get("type").cloned()
            {
                out.insert("type".into(), json!([kind, "null"]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

fn map_values(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(name, schema)| (name.clone(), to_json_schema(schema)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn is_openapi_only(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "nullable" | "example" | "discriminator" | "xml" | "externalDocs" | "deprecated"
        )
}

/// A validator for `schema` (which may be a `$ref` into the spec's components).
pub fn validator(spec: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = to_json_schema(schema);
    let components = to_json_schema(spec.get("components").unwrap_or(&Value::Null));
    // Draft 4 ignores keywords beside `$ref`, so a bare `$ref` is wrapped to keep `components`
    // reachable at the same pointer as in the spec.
    if root.get("$ref").is_some() {
        root = json!({ "allOf": [root] });
    }
    root.as_object_mut()
        .expect("a schema is an object")
        .insert("components".into(), components);
    jsonschema::draft4::new(&root).expect("schema compiles as JSON Schema draft 4")
}

/// Every validation error of `instance` against `validator`, as readable lines.
pub fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}
