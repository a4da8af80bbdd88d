//! Parameters, compiled: where to find them, how to read their text, what to accept.

use http::HeaderName;
use keygate_spec::ext::{self, ClampExt, ParameterExt};
use keygate_spec::json_schema::{self, Validator};
use openapiv3::{Parameter, ParameterData, ParameterSchemaOrContent, QueryStyle};
use serde_json::Value;

use crate::request::Inputs;

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    /// A `{name}` path segment.
    Path,
    /// The query string (and, for RPC `postForm` services, the form body).
    Query,
    /// A request header.
    Header,
    /// A cookie (accepted, not checked: no spec here uses one).
    Cookie,
}

impl Location {
    /// As OpenAPI's `in` names it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }
}

/// How wire text becomes a JSON value for the schema check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coerce {
    /// Kept as a string.
    String,
    /// Parsed as `i64`.
    Integer,
    /// Parsed as `f64`.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// How an array travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArrayStyle {
    /// `name=a&name=b` (form, explode).
    Repeated,
    /// `name=a,b` (and `|` / space delimited styles).
    Delimited(char),
    /// `name.0=a&name.1=b` (`x-keygate-array-style: indexed-0`).
    Indexed0,
}

/// A scalar or an array of scalars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One value.
    Scalar(Coerce),
    /// Several values.
    Array(Coerce, ArrayStyle),
}

/// One parameter of an operation.
#[derive(Debug)]
pub(crate) struct ParamSpec {
    pub(crate) name: Box<str>,
    /// `x-keygate-aliases`: other wire names the service accepts for it.
    pub(crate) aliases: Box<[Box<str>]>,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) shape: Shape,
    /// `None` when the schema accepts anything of its type, or when `range` says it all
    /// (checked without building JSON).
    pub(crate) validator: Option<Validator>,
    /// An integer schema whose only constraints are `minimum`/`maximum` (and int32's):
    /// checked by comparing numbers instead of running a JSON Schema validator.
    pub(crate) range: Option<(Option<i64>, Option<i64>)>,
    pub(crate) clamp: Option<ClampExt>,
    /// The schema's integer `default`: what the service assumes when the parameter is absent.
    pub(crate) default: Option<i64>,
    /// Error kind when absent.
    pub(crate) missing_kind: Box<str>,
    /// Error kind when not acceptable.
    pub(crate) invalid_kind: Box<str>,
    /// For path parameters: position among the route's captures.
    pub(crate) capture: usize,
    /// For header parameters: the name, parsed once (a `&str` lookup parses it each time).
    pub(crate) header: Option<HeaderName>,
}

/// A parameter of an operation, with what the auth step says about it.
#[derive(Debug)]
pub(crate) struct OpParam {
    pub(crate) spec: ParamSpec,
    /// Part of a security scheme's credential (not checked with auth off).
    pub(crate) credential: bool,
}

/// Keys that do not constrain a value.
const INERT_KEYS: [&str; 4] = ["type", "description", "title", "default"];

impl ParamSpec {
    /// A query (or form) parameter's values, under its name or any of its aliases.
    pub(crate) fn query_values<'i>(
        &'i self,
        inputs: &'i Inputs<'_>,
    ) -> impl Iterator<Item = &'i str> {
        std::iter::once(&self.name)
            .chain(self.aliases.iter())
            .flat_map(move |name| inputs.values(name))
    }

    /// Compiles a (resolved) parameter; `components` are the spec's schemas as JSON.
    pub(crate) fn compile(param: &Parameter, components: &Value) -> Result<Self, String> {
        let (data, location, style) = match param {
            Parameter::Path { parameter_data, .. } => (parameter_data, Location::Path, None),
            Parameter::Query {
                parameter_data,
                style,
                ..
            } => (parameter_data, Location::Query, Some(style)),
            Parameter::Header { parameter_data, .. } => (parameter_data, Location::Header, None),
            Parameter::Cookie { parameter_data, .. } => (parameter_data, Location::Cookie, None),
        };
        let extensions = ParameterExt::read(&data.extensions)?;
        let schema_json = schema_json(data)?;
        let converted = json_schema::convert(&schema_json);
        let shape = shape(data, &extensions, &converted, location, style)?;
        let constrained = converted
            .as_object()
            .is_some_and(|m| m.keys().any(|k| !INERT_KEYS.contains(&k.as_str())));
        let range = integer_range(&converted, shape);
        let validator = (constrained && range.is_none())
            .then(|| json_schema::compile(&schema_json, components))
            .transpose()?;
        let errors = extensions.errors;
        let default = converted.get("default").and_then(Value::as_i64);
        let header = match location {
            Location::Header => Some(
                HeaderName::try_from(data.name.as_str())
                    .map_err(|_| format!("{:?} is not a header name", data.name))?,
            ),
            _ => None,
        };
        if location != Location::Query && !extensions.aliases.is_empty() {
            return Err("x-keygate-aliases is supported on query parameters only".into());
        }
        Ok(Self {
            name: data.name.as_str().into(),
            aliases: extensions
                .aliases
                .iter()
                .map(|a| a.as_str().into())
                .collect(),
            location,
            required: data.required || location == Location::Path,
            shape,
            validator,
            range,
            clamp: extensions.clamp,
            default,
            missing_kind: errors
                .missing
                .as_deref()
                .unwrap_or("missing-parameter")
                .into(),
            invalid_kind: errors
                .invalid
                .as_deref()
                .unwrap_or("invalid-parameter")
                .into(),
            capture: 0,
            header,
        })
    }
}

impl ParamSpec {
    /// Whether the value travels as `name.0=…&name.1=…`.
    pub(crate) fn shape_is_indexed(&self) -> bool {
        matches!(self.shape, Shape::Array(_, ArrayStyle::Indexed0))
    }
}

/// Keys an integer schema may have for [`ParamSpec::range`] to stand in for its validator.
const RANGE_KEYS: [&str; 7] = [
    "type",
    "description",
    "title",
    "default",
    "format",
    "minimum",
    "maximum",
];

/// `(minimum, maximum)` of a scalar integer schema constrained by nothing else.
fn integer_range(schema: &Value, shape: Shape) -> Option<(Option<i64>, Option<i64>)> {
    let map = schema.as_object()?;
    if shape != Shape::Scalar(Coerce::Integer)
        || map.keys().any(|k| !RANGE_KEYS.contains(&k.as_str()))
    {
        return None;
    }
    let bound = |key: &str| match map.get(key) {
        None => Some(None),
        Some(value) => value.as_i64().map(Some),
    };
    Some((bound("minimum")?, bound("maximum")?))
}

fn schema_json(data: &ParameterData) -> Result<Value, String> {
    match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            serde_json::to_value(schema).map_err(|e| format!("schema: {e}"))
        }
        ParameterSchemaOrContent::Content(_) => {
            Err("content-typed parameters are not supported".into())
        }
    }
}

fn coerce_of(schema: &Value) -> Result<Coerce, String> {
    match schema.get("type").and_then(Value::as_str) {
        None | Some("string") => Ok(Coerce::String),
        Some("integer") => Ok(Coerce::Integer),
        Some("number") => Ok(Coerce::Number),
        Some("boolean") => Ok(Coerce::Boolean),
        Some(other) => Err(format!("parameters of type {other} are not supported")),
    }
}

fn shape(
    data: &ParameterData,
    extensions: &ParameterExt,
    schema: &Value,
    location: Location,
    style: Option<&QueryStyle>,
) -> Result<Shape, String> {
    if schema.get("type").and_then(Value::as_str) != Some("array") {
        return coerce_of(schema).map(Shape::Scalar);
    }
    let item = coerce_of(schema.get("items").unwrap_or(&Value::Null))?;
    let style = match (extensions.array_style, style) {
        (Some(ext::ArrayStyle::Indexed0), _) => ArrayStyle::Indexed0,
        (None, Some(QueryStyle::SpaceDelimited)) => ArrayStyle::Delimited(' '),
        (None, Some(QueryStyle::PipeDelimited)) => ArrayStyle::Delimited('|'),
        (None, Some(QueryStyle::Form)) if data.explode != Some(false) => ArrayStyle::Repeated,
        (None, _) if location == Location::Query => ArrayStyle::Delimited(','),
        (None, _) => ArrayStyle::Delimited(','),
    };
    Ok(Shape::Array(item, style))
}
