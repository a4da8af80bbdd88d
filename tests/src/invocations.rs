//! How to call an operation and build its vendor's client, derived from the spec alone: the
//! arguments from the documented examples, the credential from the security schemes, the
//! client settings from the common parameters.

use keygate_auth::CredentialKind;
use serde_json::{Map, Value};

use crate::examples::{self, Operation};
use crate::specs::{self, SpecFile};

/// One operation, ready to call by name.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// `x-keygate.vendor`.
    pub vendor: String,
    /// The operationId.
    pub operation: String,
    /// Arguments by wire name, `body` for the request body.
    pub arguments: Value,
}

/// How a vendor's client is built for a test.
#[derive(Debug, Clone)]
pub struct ClientSetup {
    /// `x-keygate.vendor`.
    pub vendor: String,
    /// The kind of credential the spec's first security scheme takes.
    pub credential: CredentialKind,
    /// Settings from the documented examples of the common parameters that are not the
    /// credential's (Tencent's `Region`).
    pub settings: Vec<(String, String)>,
}

/// The operation `id` of whichever spec declares it.
pub fn find(id: &str) -> Invocation {
    specs::all()
        .iter()
        .find_map(|spec| {
            examples::operations(spec)
                .iter()
                .find(|op| op.id() == id)
                .map(|op| invocation(spec, op))
        })
        .unwrap_or_else(|| panic!("no spec declares operation {id}"))
        .unwrap_or_else(|why| panic!("{id}: {why}"))
}

/// The call of `op` with its documented values: each parameter's `example` (else its
/// schema's default; a required one without either is an error), the first request body
/// example. Parameters with a single allowed value are the SDK's to send.
pub fn invocation(spec: &SpecFile, op: &Operation<'_>) -> Result<Invocation, String> {
    let mut arguments = Map::new();
    for parameter in examples::parameters(spec, op) {
        if is_constant(parameter) {
            continue;
        }
        let name = text(parameter, "name");
        let value = parameter
            .get("example")
            .or_else(|| parameter.pointer("/schema/example"))
            .or_else(|| parameter.pointer("/schema/default"));
        match value {
            Some(value) => {
                arguments.insert(name.to_owned(), value.clone());
            }
            None if parameter.get("required") == Some(&Value::Bool(true)) => {
                return Err(format!("required parameter {name} has no example"));
            }
            None => {}
        }
    }
    if let Some(body) = op.value.get("requestBody") {
        let location = format!("{} request body", op.id());
        let example = examples::content_examples(spec, &location, spec.resolve(body))
            .into_iter()
            .flat_map(|(_, found)| found)
            .next()
            .ok_or_else(|| "the request body has no example".to_owned())?;
        arguments.insert("body".to_owned(), example.value.clone());
    }
    Ok(Invocation {
        vendor: spec.vendor().to_owned(),
        operation: op.id().to_owned(),
        arguments: Value::Object(arguments),
    })
}

/// A required parameter with one allowed value (Tencent's `Action`, Azure's `api-version`).
fn is_constant(parameter: &Value) -> bool {
    parameter.get("required") == Some(&Value::Bool(true))
        && parameter
            .pointer("/schema/enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.len() == 1)
}

/// How `spec`'s vendor's client is built: its preferred scheme's credential kind, and the
/// documented common parameters that are not the credential's, as settings.
pub fn client_setup(spec: &SpecFile) -> ClientSetup {
    let scheme = preferred_scheme(spec);
    let credential_params = scheme.credential_params();
    let settings = spec
        .spec
        .keygate
        .common_parameters
        .iter()
        .filter(|name| !credential_params.contains(&name.as_str()))
        .filter_map(|name| {
            let parameter = spec
                .json
                .pointer(&format!("/components/parameters/{name}"))?;
            let example = spec.resolve(parameter).get("example")?;
            Some((name.clone(), crate::cases::plain_text(example)))
        })
        .collect();
    ClientSetup {
        vendor: spec.vendor().to_owned(),
        credential: scheme.credential_kind(),
        settings,
    }
}

/// The keygate-auth scheme of the spec's first security requirement.
pub fn preferred_scheme(spec: &SpecFile) -> &'static dyn keygate_auth::Scheme {
    let name = spec
        .json
        .pointer("/security/0")
        .and_then(Value::as_object)
        .and_then(|requirement| requirement.keys().next())
        .unwrap_or_else(|| panic!("{}: no security requirement", spec.file_name));
    let scheme = spec
        .json
        .pointer(&format!("/components/securitySchemes/{name}"))
        .unwrap_or_else(|| panic!("{}: no security scheme {name}", spec.file_name));
    let id = keygate_spec::ext::scheme_auth(scheme)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{}: scheme {name} has no x-keygate-auth", spec.file_name));
    keygate_auth::scheme(&id)
        .unwrap_or_else(|| panic!("{}: keygate-auth has no scheme {id}", spec.file_name))
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}
