//! Vendor-neutral rewrites of a spec before progenitor sees it, and the wire facts they take
//! out of it.
//!
//! progenitor turns every parameter into a builder setter. Some parameters are not the
//! caller's business: a required single-value enum is a constant of the operation (Tencent
//! `Action`, Azure `api-version`, Alibaba `x-acs-action`), so it leaves the operation here and
//! goes into a table that the SDK's request hook applies. Other facts progenitor cannot
//! express (indexed arrays, the fragment in Tencent's path keys, secret fields, pagination)
//! are read here too. No vendor is named in this file: everything comes from the spec and its
//! `x-keygate*` extensions (spec/README.md).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// `format` given to secret string schemas, so a progenitor conversion can match them.
pub(crate) const SECRET_FORMAT: &str = "x-keygate-secret";

/// Where a constant parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Location {
    Query,
    Header,
}

/// A parameter whose value is fixed for the operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Constant {
    pub(crate) location: Location,
    pub(crate) name: String,
    pub(crate) value: String,
}

/// `x-keygate-pagination` of an operation, resolved against the spec.
#[derive(Debug, Clone)]
pub(crate) struct Pagination {
    /// `offset` or `page`.
    pub(crate) style: PageStyle,
    /// The parameter that moves through the pages (`offset` / `pageNumber`), as named on the wire.
    pub(crate) position_param: String,
    /// The parameter that sets the page size (`limit` / `pageSize`), as named on the wire.
    pub(crate) size_param: String,
    /// The page size the service uses when none is sent (the parameter's `default`).
    pub(crate) default_size: u64,
    /// JSON pointer to the item array in the success body.
    pub(crate) items: String,
    /// JSON pointer to the total count in the success body.
    pub(crate) total: String,
    /// Component schema name of one item.
    pub(crate) item_schema: String,
}

/// Offset/limit or page-number/page-size paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageStyle {
    Offset,
    Page,
}

/// What the SDK needs to know about one operation beyond progenitor's client.
#[derive(Debug, Clone)]
pub(crate) struct OperationFacts {
    /// `operationId` as written in the spec.
    pub(crate) id: String,
    /// HTTP method in upper case.
    pub(crate) method: String,
    /// Parameters removed from the operation, to be set by the SDK.
    pub(crate) constants: Vec<Constant>,
    /// Query parameters sent as `name.0=…&name.1=…`.
    pub(crate) indexed_arrays: Vec<String>,
    /// Set when the spec's method is idempotent or the operation says `x-keygate-idempotent: true`.
    pub(crate) idempotent: bool,
    pub(crate) pagination: Option<Pagination>,
}

/// The facts of a whole spec.
#[derive(Debug, Clone)]
pub(crate) struct SpecFacts {
    /// `x-keygate.vendor`: the SDK module name.
    pub(crate) vendor: String,
    /// The first server's URL template and its variables with their defaults.
    pub(crate) server_url: String,
    pub(crate) server_variables: Vec<(String, String)>,
    pub(crate) operations: Vec<OperationFacts>,
}

/// A spec that cannot be generated, with the reason.
#[derive(Debug)]
pub struct SpecError(pub String);

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SpecError {}

fn err<T>(msg: impl Into<String>) -> Result<T, SpecError> {
    Err(SpecError(msg.into()))
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const IDEMPOTENT_METHODS: [&str; 6] = ["get", "put", "delete", "options", "head", "trace"];

/// Rewrites `spec` in place for progenitor and returns what was taken out of it.
pub(crate) fn transform(spec: &mut Value) -> Result<SpecFacts, SpecError> {
    let vendor = spec
        .pointer("/x-keygate/vendor")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| SpecError("x-keygate.vendor is missing".into()))?;
    let (server_url, server_variables) = server(spec)?;
    let components = spec.get("components").cloned().unwrap_or(Value::Null);

    let mut operations = Vec::new();
    let paths = spec
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| SpecError("paths is missing".into()))?;
    for (path_key, item) in paths.iter_mut() {
        operations.extend(transform_path_item(path_key, item, &components)?);
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));

    if let Some(schemas) = spec.pointer_mut("/components/schemas") {
        mark_secrets(schemas);
    }
    Ok(SpecFacts {
        vendor,
        server_url,
        server_variables,
        operations,
    })
}

fn server(spec: &Value) -> Result<(String, Vec<(String, String)>), SpecError> {
    let Some(first) = spec.pointer("/servers/0") else {
        return err("servers[0] is missing");
    };
    let url = first
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| SpecError("servers[0].url is missing".into()))?
        .to_owned();
    let variables = first
        .get("variables")
        .and_then(Value::as_object)
        .map(|vars| {
            vars.iter()
                .map(|(name, var)| {
                    let default = var
                        .get("default")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    (name.clone(), default.to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((url, variables))
}

fn transform_path_item(
    path_key: &str,
    item: &mut Value,
    components: &Value,
) -> Result<Vec<OperationFacts>, SpecError> {
    let fragment = match path_key.split_once('#') {
        Some((_, fragment)) => Some(
            fragment
                .split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| SpecError(format!("path {path_key}: fragment is not name=value")))?,
        ),
        None => None,
    };
    let item = item
        .as_object_mut()
        .ok_or_else(|| SpecError(format!("path {path_key} is not an object")))?;
    // Constants declared once for the whole path item apply to each of its operations.
    let shared_constants = take_constants(item.get_mut("parameters"), components);
    let shared_parameters = parameters_of(item);

    let mut facts = Vec::new();
    for method in METHODS {
        let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) else {
            continue;
        };
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .ok_or_else(|| SpecError(format!("{method} {path_key} has no operationId")))?
            .to_owned();
        let mut constants = shared_constants.clone();
        constants.extend(take_constants(operation.get_mut("parameters"), components));
        constants.sort();
        if let Some((name, value)) = &fragment {
            let declared = constants.iter().find(|c| &c.name == name);
            if declared.map(|c| &c.value) != Some(value) {
                return err(format!(
                    "{id}: the path fragment says {name}={value}, but no required single-value \
                     enum parameter {name} with that value is declared"
                ));
            }
        }
        let mut parameters = shared_parameters.clone();
        parameters.extend(parameters_of(operation));
        let parameters = resolved_parameters(parameters, components);
        let indexed_arrays = parameters
            .iter()
            .filter(|p| p.get("x-keygate-array-style").and_then(Value::as_str) == Some("indexed-0"))
            .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let idempotent = IDEMPOTENT_METHODS.contains(&method)
            || operation
                .get("x-keygate-idempotent")
                .and_then(Value::as_bool)
                == Some(true);
        let pagination = match operation.get("x-keygate-pagination") {
            Some(p) => Some(pagination(&id, p, &parameters, operation, components)?),
            None => None,
        };
        facts.push(OperationFacts {
            id,
            method: method.to_ascii_uppercase(),
            constants,
            indexed_arrays,
            idempotent,
            pagination,
        });
    }
    Ok(facts)
}

fn parameters_of(object: &Map<String, Value>) -> Vec<Value> {
    object
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Follows `#/components/...` references.
fn resolve<'a>(value: &'a Value, components: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/components")
            .and_then(|pointer| components.pointer(pointer))
            .map(|target| resolve(target, components))
            .unwrap_or(value),
        None => value,
    }
}

fn resolved_parameters(parameters: Vec<Value>, components: &Value) -> Vec<Value> {
    parameters
        .iter()
        .map(|p| resolve(p, components).clone())
        .collect()
}

/// Removes the constant parameters from a `parameters` array and returns them.
fn take_constants(parameters: Option<&mut Value>, components: &Value) -> Vec<Constant> {
    let Some(parameters) = parameters.and_then(Value::as_array_mut) else {
        return Vec::new();
    };
    let mut constants = Vec::new();
    parameters.retain(|parameter| match constant(resolve(parameter, components)) {
        Some(c) => {
            constants.push(c);
            false
        }
        None => true,
    });
    constants
}

fn constant(parameter: &Value) -> Option<Constant> {
    let location = match parameter.get("in").and_then(Value::as_str)? {
        "query" => Location::Query,
        "header" => Location::Header,
        _ => return None,
    };
    if parameter.get("required").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let values = parameter.pointer("/schema/enum")?.as_array()?;
    let [only] = values.as_slice() else {
        return None;
    };
    Some(Constant {
        location,
        name: parameter.get("name")?.as_str()?.to_owned(),
        value: only.as_str()?.to_owned(),
    })
}

fn pagination(
    id: &str,
    extension: &Value,
    parameters: &[Value],
    operation: &Map<String, Value>,
    components: &Value,
) -> Result<Pagination, SpecError> {
    let field = |name: &str| -> Result<String, SpecError> {
        extension
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| SpecError(format!("{id}: x-keygate-pagination.{name} is missing")))
    };
    let (style, position_param, size_param) = match field("style")?.as_str() {
        "offset" => (PageStyle::Offset, field("offset")?, field("limit")?),
        "page" => (PageStyle::Page, field("page")?, field("pageSize")?),
        other => return err(format!("{id}: unknown pagination style {other}")),
    };
    let find = |name: &str| {
        parameters
            .iter()
            .find(|p| {
                p.get("name").and_then(Value::as_str) == Some(name)
                    && p.get("in").and_then(Value::as_str) == Some("query")
            })
            .ok_or_else(|| {
                SpecError(format!(
                    "{id}: pagination names query parameter {name}, which is not declared"
                ))
            })
    };
    find(&position_param)?;
    let default_size = find(&size_param)?
        .pointer("/schema/default")
        .and_then(Value::as_u64)
        .ok_or_else(|| {
            SpecError(format!(
                "{id}: page-size parameter {size_param} needs an integer default"
            ))
        })?;
    let items = field("items")?;
    let total = field("total")?;
    let success = operation
        .get("responses")
        .and_then(Value::as_object)
        .and_then(|r| {
            r.iter()
                .find(|(code, _)| code.starts_with('2'))
                .map(|(_, v)| v)
        })
        .ok_or_else(|| SpecError(format!("{id}: no success response")))?;
    let body_schema = resolve(success, components)
        .pointer("/content/application~1json/schema")
        .ok_or_else(|| SpecError(format!("{id}: the success response has no JSON schema")))?;
    let item_schema = item_schema_at(body_schema, &items, components).ok_or_else(|| {
        SpecError(format!(
            "{id}: {items} is not an array of $ref'd items in the success schema"
        ))
    })?;
    Ok(Pagination {
        style,
        position_param,
        size_param,
        default_size,
        items,
        total,
        item_schema,
    })
}

/// Walks `pointer` through a schema's properties and returns the component name of the
/// array's item schema at its end.
fn item_schema_at(schema: &Value, pointer: &str, components: &Value) -> Option<String> {
    let mut current = resolve(schema, components);
    for segment in pointer.split('/').skip(1) {
        current = resolve(
            current.pointer(&format!("/properties/{segment}"))?,
            components,
        );
    }
    let reference = current.pointer("/items/$ref")?.as_str()?;
    reference
        .strip_prefix("#/components/schemas/")
        .map(str::to_owned)
}

/// Turns every `x-keygate-secret: true` string into `format: x-keygate-secret` (and drops the
/// extension), so that one progenitor conversion maps them all to the redacting type.
fn mark_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.remove("x-keygate-secret").and_then(|v| v.as_bool()) == Some(true) {
                map.insert("format".into(), Value::String(SECRET_FORMAT.into()));
            }
            map.values_mut().for_each(mark_secrets);
        }
        Value::Array(items) => items.iter_mut().for_each(mark_secrets),
        _ => {}
    }
}

/// Operation ids in the order progenitor emits methods, keyed by the snake-case name it uses
/// in `OperationInfo`.
pub(crate) fn by_snake_id(facts: &SpecFacts) -> BTreeMap<String, &OperationFacts> {
    use heck::ToSnakeCase;
    facts
        .operations
        .iter()
        .map(|op| (op.id.to_snake_case(), op))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(path_key: &str, action_enum: &[&str]) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "x-keygate": {"vendor": "v"},
            "servers": [{"url": "https://h.{region}.example", "variables": {"region": {"default": "r1"}}}],
            "paths": {path_key: {
                "parameters": [{"$ref": "#/components/parameters/Version"}],
                "get": {
                    "operationId": "ListThings",
                    "x-keygate-pagination": {"style": "offset", "offset": "offset", "limit": "limit", "items": "/data/items", "total": "/total"},
                    "parameters": [
                        {"name": "Action", "in": "query", "required": true, "schema": {"type": "string", "enum": action_enum}},
                        {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "x-keygate-array-style": "indexed-0"},
                        {"name": "offset", "in": "query", "schema": {"type": "integer", "default": 0}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}}
                    ],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}}
                }
            },
            "/make": {"post": {"operationId": "MakeThing", "responses": {"200": {"description": "ok"}}}}},
            "components": {
                "parameters": {"Version": {"name": "x-version", "in": "header", "required": true, "schema": {"type": "string", "enum": ["2024"]}}},
                "schemas": {
                    "Page": {"type": "object", "properties": {
                        "total": {"type": "integer"},
                        "data": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}
                    }},
                    "Thing": {"type": "object", "properties": {"key": {"type": "string", "x-keygate-secret": true}}}
                }
            }
        })
    }

    #[test]
    fn constants_leave_the_operations_and_become_facts() {
        let mut spec = spec("/rpc#Action=ListThings", &["ListThings"]);
        let facts = transform(&mut spec).unwrap();
        assert_eq!(facts.vendor, "v");
        assert_eq!(
            facts.server_variables,
            [("region".to_owned(), "r1".to_owned())]
        );
        let list = &facts.operations[0];
        assert_eq!(facts.operations[1].id, "MakeThing", "sorted by id");
        assert_eq!(
            (list.id.as_str(), list.method.as_str(), list.idempotent),
            ("ListThings", "GET", true)
        );
        let constants: Vec<_> = list
            .constants
            .iter()
            .map(|c| (c.location, c.name.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(
            constants,
            [
                (Location::Query, "Action", "ListThings"),
                (Location::Header, "x-version", "2024")
            ]
        );
        assert_eq!(list.indexed_arrays, ["ids"]);
        assert!(!facts.operations[1].idempotent, "POST is not idempotent");

        let operation = &spec["paths"]["/rpc#Action=ListThings"];
        let remaining: Vec<_> = operation["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].clone())
            .collect();
        assert_eq!(remaining, ["ids", "offset", "limit"]);
        assert_eq!(
            operation["parameters"],
            json!([]),
            "the path-level constant is gone too"
        );
    }

    #[test]
    fn pagination_resolves_the_item_schema() {
        let facts = transform(&mut spec("/things", &["ListThings"])).unwrap();
        let paging = facts.operations[0].pagination.as_ref().unwrap();
        assert_eq!((paging.style, paging.default_size), (PageStyle::Offset, 20));
        assert_eq!(
            (paging.position_param.as_str(), paging.size_param.as_str()),
            ("offset", "limit")
        );
        assert_eq!(paging.item_schema, "Thing");
    }

    #[test]
    fn secrets_get_the_marker_format() {
        let mut spec = spec("/things", &["ListThings"]);
        transform(&mut spec).unwrap();
        let key = &spec["components"]["schemas"]["Thing"]["properties"]["key"];
        assert_eq!(key, &json!({"type": "string", "format": SECRET_FORMAT}));
    }

    #[test]
    fn a_fragment_must_match_a_constant() {
        let error = transform(&mut spec("/rpc#Action=Other", &["ListThings"])).unwrap_err();
        assert!(error.0.contains("Action=Other"), "{error}");
        // A two-value enum is a real parameter, not a constant.
        let facts = transform(&mut spec("/things", &["A", "B"])).unwrap();
        assert!(
            facts.operations[0]
                .constants
                .iter()
                .all(|c| c.name != "Action")
        );
    }
}
