//! Walks a spec's operations and the examples they document.

use serde_json::Value;

use crate::specs::SpecFile;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a spec.
pub struct Operation<'a> {
    /// Path key, as written in the spec (Tencent's carry a `#Action=` fragment).
    pub path: &'a str,
    /// Lowercase HTTP method.
    pub method: &'static str,
    /// The operation object.
    pub value: &'a Value,
    /// The path item, for path-level parameters.
    pub path_item: &'a Value,
}

impl Operation<'_> {
    /// The operationId, or a description of where it is missing.
    pub fn id(&self) -> &str {
        self.value
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or("<no operationId>")
    }
}

/// A named example and the schema it claims to follow.
pub struct Example<'a> {
    /// Where it sits, for messages: `ListAiApiKeys response 400 application/json`.
    pub location: String,
    /// The example's name (its key under `examples`), or `example` for the singular form.
    pub name: String,
    /// The schema it must validate against (may be a `$ref`).
    pub schema: &'a Value,
    /// The example object (for its `x-keygate-seed`), resolved.
    pub object: &'a Value,
    /// The example's value.
    pub value: &'a Value,
}

/// Every operation of `spec`, in path order.
pub fn operations(spec: &SpecFile) -> Vec<Operation<'_>> {
    let Some(paths) = spec.json.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (path, path_item) in paths {
        let path_item = spec.resolve(path_item);
        for method in METHODS {
            if let Some(value) = path_item.get(method) {
                found.push(Operation {
                    path,
                    method,
                    value,
                    path_item,
                });
            }
        }
    }
    found
}

/// The operation's responses, status -> resolved response object.
pub fn responses<'a>(spec: &'a SpecFile, op: &Operation<'a>) -> Vec<(&'a str, &'a Value)> {
    op.value
        .get("responses")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(status, response)| (status.as_str(), spec.resolve(response)))
                .collect()
        })
        .unwrap_or_default()
}

/// The examples of every media type of a response or request body, as `(media type, examples)`;
/// a media type without any example yields an empty list, so callers can report it.
pub fn content_examples<'a>(
    spec: &'a SpecFile,
    location: &str,
    body: &'a Value,
) -> Vec<(String, Vec<Example<'a>>)> {
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        return Vec::new();
    };
    content
        .iter()
        .map(|(media_type, media)| {
            let location = format!("{location} {media_type}");
            let examples = media
                .get("schema")
                .map(|schema| named_examples(spec, &location, media, schema))
                .unwrap_or_default();
            (location, examples)
        })
        .collect()
}

/// The examples of an object that carries `example` or `examples` beside `schema`.
fn named_examples<'a>(
    spec: &'a SpecFile,
    location: &str,
    holder: &'a Value,
    schema: &'a Value,
) -> Vec<Example<'a>> {
    let mut found = Vec::new();
    if let Some(value) = holder.get("example") {
        found.push(Example {
            location: location.to_owned(),
            name: "example".into(),
            schema,
            object: holder,
            value,
        });
    }
    if let Some(map) = holder.get("examples").and_then(Value::as_object) {
        for (name, example) in map {
            let object = spec.resolve(example);
            found.push(Example {
                location: location.to_owned(),
                name: name.clone(),
                schema,
                object,
                value: object.get("value").unwrap_or(&Value::Null),
            });
        }
    }
    found
}

/// Every example in an operation: parameters, request body and responses.
pub fn all_examples<'a>(spec: &'a SpecFile, op: &Operation<'a>) -> Vec<Example<'a>> {
    let mut found = Vec::new();
    for parameter in parameters(spec, op) {
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
        if let Some(schema) = parameter.get("schema") {
            let location = format!("{} parameter {name}", op.id());
            found.extend(named_examples(spec, &location, parameter, schema));
        }
    }
    if let Some(body) = op.value.get("requestBody") {
        let location = format!("{} request body", op.id());
        for (_, examples) in content_examples(spec, &location, spec.resolve(body)) {
            found.extend(examples);
        }
    }
    for (status, response) in responses(spec, op) {
        let location = format!("{} response {status}", op.id());
        for (_, examples) in content_examples(spec, &location, response) {
            found.extend(examples);
        }
    }
    found
}

/// Path-level and operation-level parameters, resolved.
pub fn parameters<'a>(spec: &'a SpecFile, op: &Operation<'a>) -> Vec<&'a Value> {
    [op.path_item, op.value]
        .into_iter()
        .filter_map(|holder| holder.get("parameters").and_then(Value::as_array))
        .flatten()
        .map(|parameter| spec.resolve(parameter))
        .collect()
}
