//! The `x-keygate*` extensions (spec/README.md), read into types: the only place that knows
//! their names and shapes.
//!
//! Unknown fields are refused inside every extension object, so that a typo fails when the
//! spec is loaded instead of silently turning a behaviour off.

mod operation;
mod parameter;
mod plain;
mod resource;
mod service;

use serde::Deserialize;
use serde_json::Value;

pub use operation::{OperationExt, PageStyle, PaginationExt};
pub use parameter::{ArrayStyle, ClampExt, ParamErrorsExt, ParameterExt};
pub use resource::{
    Action, Alphabet, AnswerRef, EtagExt, Generator, IdExt, LookupExt, MaskExt, QuotaExt,
    RequireExt, ResourceExt, Stamp, StateExt, TimeFormat, TimestampExt, UniqueExt,
};
pub use service::{ErrorFields, ErrorTemplateExt, IdFormat, RequestIdExt, RpcExt, ServiceExt};

/// Anything that carries `x-` extensions: openapiv3's extension maps and JSON objects.
pub trait Extensions {
    /// The extension named `key`, if present.
    fn extension(&self, key: &str) -> Option<&Value>;
}

impl Extensions for indexmap::IndexMap<String, Value> {
    fn extension(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

impl Extensions for serde_json::Map<String, Value> {
    fn extension(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

impl Extensions for Value {
    fn extension(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

/// Reads the optional extension `key` of `holder` into `T`; the error names the key.
fn read<T: for<'de> Deserialize<'de>>(
    holder: &(impl Extensions + ?Sized),
    key: &str,
) -> Result<Option<T>, String> {
    holder
        .extension(key)
        .map(|v| T::deserialize(v).map_err(|e| format!("{key}: {e}")))
        .transpose()
}

/// `x-keygate-auth` of a security scheme: the `keygate-auth` scheme id that checks it.
pub fn scheme_auth(scheme: &(impl Extensions + ?Sized)) -> Result<Option<String>, String> {
    read(scheme, "x-keygate-auth")
}

/// `x-keygate-secret: true` on a schema: the value is a key or token.
pub fn is_secret(schema: &(impl Extensions + ?Sized)) -> bool {
    schema.extension(SECRET) == Some(&Value::Bool(true))
}

/// The name of the schema extension [`is_secret`] reads.
pub const SECRET: &str = "x-keygate-secret";

/// `x-keygate-seed` of an example: the documented sample it reproduces (`<seed file>#<n>`).
pub fn seed(example: &(impl Extensions + ?Sized)) -> Option<&str> {
    example.extension("x-keygate-seed")?.as_str()
}

/// A JSON scalar as text, without quotes (Tencent's error codes are numbers).
pub fn plain_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Accepts `"x"` as well as `["x", "y"]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}
