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

use keygate_spec::ext::{
    ArrayStyle, ErrorFields, OperationExt, PaginationExt, ParameterExt, ServiceExt,
};
use keygate_spec::refs;
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
    /// JSON pointer to the item array in the success body.
    pub(crate) items: String,
    /// Component schema name of one item.
    pub(crate) item_schema: String,
    /// How the stream moves from page to page.
    pub(crate) moves: Moves,
}

/// How a stream moves from page to page.
#[derive(Debug, Clone)]
pub(crate) enum Moves {
    /// By a position parameter, until the total.
    Position {
        /// `offset` or `page`.
        style: PageStyle,
        /// The parameter that moves through the pages (`offset` / `pageNumber`), as named on the wire.
        position_param: String,
        /// The parameter that sets the page size (`limit` / `pageSize`), as named on the wire.
        size_param: String,
        /// The page size the service uses when none is sent (the parameter's `default`).
        default_size: u64,
        /// JSON pointer to the total count in the success body.
        total: String,
    },
    /// By the link each page gives to the next.
    Link {
        /// JSON pointer to the link in the success body.
        next_link: String,
    },
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
    /// Safe to send again: `x-keygate-idempotent`, else the method's rule.
    pub(crate) idempotent: bool,
    pub(crate) pagination: Option<Pagination>,
    /// Wire names of the parameters the caller sets (the constants removed), in spec order.
    pub(crate) parameters: Vec<String>,
}

/// A variable of the server URL template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerVariable {
    pub(crate) name: String,
    pub(crate) default: String,
    pub(crate) description: String,
}

/// `x-keygate.errorFields` and the request-id header: how the SDK reads answers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dialect {
    pub(crate) code: Vec<String>,
    pub(crate) message: Vec<String>,
    pub(crate) request_id: Vec<String>,
    pub(crate) request_id_header: Option<String>,
    /// The success code as text, where errors share the success status.
    pub(crate) ok_code: Option<String>,
    pub(crate) retryable: Vec<String>,
}

/// The facts of a whole spec.
#[derive(Debug, Clone)]
pub(crate) struct SpecFacts {
    /// `x-keygate.vendor`: the SDK module name.
    pub(crate) vendor: String,
    /// The first server's URL template and its variables with their defaults.
    pub(crate) server_url: String,
    pub(crate) server_variables: Vec<ServerVariable>,
    pub(crate) operations: Vec<OperationFacts>,
    pub(crate) dialect: Dialect,
    /// `x-keygate-auth` ids of the security schemes, in the order the spec prefers them.
    pub(crate) schemes: Vec<String>,
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

/// Rewrites `spec` in place for progenitor and returns what was taken out of it.
pub(crate) fn transform(spec: &mut Value) -> Result<SpecFacts, SpecError> {
    let ext = ServiceExt::read(&*spec)
        .map_err(SpecError)?
        .ok_or_else(|| SpecError("x-keygate (with at least `vendor`) is missing".into()))?;
    let (server_url, server_variables) = server(spec)?;
    let schemes = scheme_ids(spec)?;
    // References are followed in the document as written, before any rewrite.
    let root = spec.clone();

    let mut operations = Vec::new();
    let paths = spec
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| SpecError("paths is missing".into()))?;
    for (path_key, item) in paths.iter_mut() {
        operations.extend(transform_path_item(path_key, item, &root)?);
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));

    // Parameters too: Tencent's custom secretKey travels in the query.
    for part in ["/components/schemas", "/components/parameters", "/paths"] {
        if let Some(schemas) = spec.pointer_mut(part) {
            mark_secrets(schemas);
        }
    }
    Ok(SpecFacts {
        vendor: ext.vendor.clone(),
        server_url,
        server_variables,
        operations,
        dialect: dialect(&ext),
        schemes,
    })
}

fn dialect(ext: &ServiceExt) -> Dialect {
    let fields = ext.error_fields.clone().unwrap_or(ErrorFields {
        code: Vec::new(),
        message: Vec::new(),
        request_id: Vec::new(),
        ok_code: None,
        retryable: Vec::new(),
    });
    Dialect {
        code: fields.code,
        message: fields.message,
        request_id: fields.request_id,
        request_id_header: ext.request_id.as_ref().and_then(|r| r.header.clone()),
        ok_code: fields.ok_code.as_ref().map(keygate_spec::ext::plain_text),
        retryable: fields.retryable,
    }
}

/// The `x-keygate-auth` ids of the root security requirements, in order, each once.
fn scheme_ids(spec: &Value) -> Result<Vec<String>, SpecError> {
    let mut ids: Vec<String> = Vec::new();
    let requirements = spec
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for name in requirements
        .filter_map(Value::as_object)
        .flat_map(Map::keys)
    {
        let scheme = spec
            .pointer(&format!("/components/securitySchemes/{name}"))
            .ok_or_else(|| SpecError(format!("security scheme {name} is not defined")))?;
        let id = keygate_spec::ext::scheme_auth(scheme)
            .map_err(SpecError)?
            .ok_or_else(|| SpecError(format!("security scheme {name} has no x-keygate-auth")))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn server(spec: &Value) -> Result<(String, Vec<ServerVariable>), SpecError> {
    let Some(first) = spec.pointer("/servers/0") else {
        return err("servers[0] is missing");
    };
    let url = first
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| SpecError("servers[0].url is missing".into()))?
        .to_owned();
    let text = |var: &Value, key: &str| {
        var.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let variables = first
        .get("variables")
        .and_then(Value::as_object)
        .map(|vars| {
            vars.iter()
                .map(|(name, var)| ServerVariable {
                    name: name.clone(),
                    default: text(var, "default"),
                    description: text(var, "description"),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((url, variables))
}

fn transform_path_item(
    path_key: &str,
    item: &mut Value,
    root: &Value,
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
    let shared_constants = take_constants(item.get_mut("parameters"), root)?;
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
        constants.extend(take_constants(operation.get_mut("parameters"), root)?);
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
        let parameters = resolved_parameters(&parameters, root)?;
        let mut indexed_arrays = Vec::new();
        for parameter in &parameters {
            let ext = ParameterExt::read(parameter).map_err(|m| SpecError(format!("{id}: {m}")))?;
            if ext.array_style == Some(ArrayStyle::Indexed0) {
                indexed_arrays.push(wire_name(parameter)?.to_owned());
            }
        }
        let ext = OperationExt::read(&*operation).map_err(|m| SpecError(format!("{id}: {m}")))?;
        let idempotent = ext.is_idempotent(method);
        let pagination = match &ext.pagination {
            Some(p) => Some(pagination(&id, p, &parameters, operation, root)?),
            None => None,
        };
        facts.push(OperationFacts {
            id,
            method: method.to_ascii_uppercase(),
            constants,
            indexed_arrays,
            idempotent,
            pagination,
            parameters: parameters
                .iter()
                .map(|p| wire_name(p).map(str::to_owned))
                .collect::<Result<_, _>>()?,
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

fn wire_name(parameter: &Value) -> Result<&str, SpecError> {
    parameter
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| SpecError("a parameter has no name".into()))
}

/// `value` with its `$ref` chain followed in the document as written.
fn resolve<'a>(value: &'a Value, root: &'a Value) -> Result<&'a Value, SpecError> {
    refs::resolve(root, value).map_err(|e| SpecError(e.to_string()))
}

fn resolved_parameters(parameters: &[Value], root: &Value) -> Result<Vec<Value>, SpecError> {
    parameters
        .iter()
        .map(|p| resolve(p, root).cloned())
        .collect()
}

/// Removes the constant parameters from a `parameters` array and returns them.
fn take_constants(
    parameters: Option<&mut Value>,
    root: &Value,
) -> Result<Vec<Constant>, SpecError> {
    let Some(parameters) = parameters.and_then(Value::as_array_mut) else {
        return Ok(Vec::new());
    };
    let mut constants = Vec::new();
    let mut kept = Vec::new();
    for parameter in parameters.drain(..) {
        match constant(resolve(&parameter, root)?) {
            Some(c) => constants.push(c),
            None => kept.push(parameter),
        }
    }
    *parameters = kept;
    Ok(constants)
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
    extension: &PaginationExt,
    parameters: &[Value],
    operation: &Map<String, Value>,
    root: &Value,
) -> Result<Pagination, SpecError> {
    let moves = match extension.style {
        keygate_spec::ext::PageStyle::NextLink => Moves::Link {
            next_link: extension.next_link.clone().unwrap_or_default(),
        },
        keygate_spec::ext::PageStyle::Offset => {
            position_moves(id, extension, PageStyle::Offset, parameters)?
        }
        keygate_spec::ext::PageStyle::Page => {
            position_moves(id, extension, PageStyle::Page, parameters)?
        }
    };
    let success = operation
        .get("responses")
        .and_then(Value::as_object)
        .and_then(|r| {
            r.iter()
                .find(|(code, _)| code.starts_with('2'))
                .map(|(_, v)| v)
        })
        .ok_or_else(|| SpecError(format!("{id}: no success response")))?;
    let body_schema = resolve(success, root)?
        .pointer("/content/application~1json/schema")
        .ok_or_else(|| SpecError(format!("{id}: the success response has no JSON schema")))?;
    let item_schema = item_schema_at(body_schema, &extension.items, root).ok_or_else(|| {
        SpecError(format!(
            "{id}: {} is not an array of $ref'd items in the success schema",
            extension.items
        ))
    })?;
    Ok(Pagination {
        items: extension.items.clone(),
        item_schema,
        moves,
    })
}

/// Offset or page paging: its parameters, which must be declared query parameters, the
/// page size's default, and the total.
fn position_moves(
    id: &str,
    extension: &PaginationExt,
    style: PageStyle,
    parameters: &[Value],
) -> Result<Moves, SpecError> {
    let (position_param, size_param) = extension
        .parameters()
        .map_err(|m| SpecError(format!("{id}: {m}")))?;
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
    find(position_param)?;
    let default_size = find(size_param)?
        .pointer("/schema/default")
        .and_then(Value::as_u64)
        .ok_or_else(|| {
            SpecError(format!(
                "{id}: page-size parameter {size_param} needs an integer default"
            ))
        })?;
    Ok(Moves::Position {
        style,
        position_param: position_param.to_owned(),
        size_param: size_param.to_owned(),
        default_size,
        total: extension.total.clone().unwrap_or_default(),
    })
}

/// Walks `pointer` through a schema's properties and returns the component name of the
/// array's item schema at its end.
fn item_schema_at(schema: &Value, pointer: &str, root: &Value) -> Option<String> {
    let mut current = resolve(schema, root).ok()?;
    for segment in pointer.split('/').skip(1) {
        current = resolve(current.pointer(&format!("/properties/{segment}"))?, root).ok()?;
    }
    let reference = current.pointer("/items/$ref")?.as_str()?;
    refs::component_name(reference, "schemas").map(str::to_owned)
}

/// Turns every `x-keygate-secret: true` string into `format: x-keygate-secret` (and drops the
/// extension), so that one progenitor conversion maps them all to the redacting type.
fn mark_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map
                .remove(keygate_spec::ext::SECRET)
                .and_then(|v| v.as_bool())
                == Some(true)
            {
                map.insert("format".into(), Value::String(SECRET_FORMAT.into()));
                // typify turns a constrained string into its own newtype and ignores the
                // format conversion; the mock still enforces the constraints on the wire.
                for constraint in ["minLength", "maxLength", "pattern"] {
                    map.remove(constraint);
                }
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
            [ServerVariable {
                name: "region".to_owned(),
                default: "r1".to_owned(),
                description: String::new(),
            }]
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
        let Moves::Position {
            style,
            default_size,
            position_param,
            size_param,
            ..
        } = &paging.moves
        else {
            panic!("offset paging moves by position");
        };
        assert_eq!((*style, *default_size), (PageStyle::Offset, 20));
        assert_eq!(
            (position_param.as_str(), size_param.as_str()),
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
