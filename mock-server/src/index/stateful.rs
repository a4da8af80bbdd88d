//! An operation's `x-keygate-state`, compiled: which parameters scope and address its
//! record, the documented answers it renders records into, and where its documented sample
//! sits (the scope and id the docs name).

use keygate_spec::ext::{Action, PaginationExt, ResourceExt, StateExt};
use keygate_spec::refs;
use openapiv3::{OpenAPI, Parameter};
use serde_json::Value;

use super::params::{Location, ParamSpec};

/// A resource of a service: its name and extension.
#[derive(Debug)]
pub(crate) struct Resource {
    pub(crate) name: Box<str>,
    pub(crate) ext: ResourceExt,
}

/// What a stateful operation needs at request time.
#[derive(Debug)]
pub(crate) struct OpState {
    /// Index into the service's resources.
    pub(crate) resource: usize,
    pub(crate) ext: StateExt,
    /// The scope parameters (indices into the operation's parameters), in the resource's
    /// order.
    pub(crate) scope: Vec<usize>,
    /// The id parameter, where the operation has it.
    pub(crate) id: Option<usize>,
    /// The lookup parameter, where the operation addresses a record by another field.
    pub(crate) lookup: Option<usize>,
    /// `params`: (parameter index, record field name).
    pub(crate) inputs: Vec<(usize, Box<str>)>,
    /// The documented 2xx answers in spec order: status and the first example's body.
    pub(crate) successes: Vec<(u16, Option<Value>)>,
    /// A list's `x-keygate-pagination`: where its items, total and page fields sit.
    pub(crate) paging: Option<PaginationExt>,
    /// The scope values and the id (or lookup value) the documented sample is at, where the
    /// spec's parameter examples name them all.
    pub(crate) documented: Option<(Vec<String>, Option<String>)>,
}

impl OpState {
    /// The status answered for `created` (an upsert that created, or any other action) or
    /// a replaced record.
    pub(crate) fn success_status(&self, replaced: bool) -> u16 {
        let wanted = replaced
            .then(|| self.ext.replaced.as_deref()?.parse::<u16>().ok())
            .flatten();
        wanted
            .filter(|s| self.successes.iter().any(|(d, _)| d == s))
            .or_else(|| self.successes.first().map(|(s, _)| *s))
            .unwrap_or(200)
    }

    /// The first example of the documented answer with `status`.
    pub(crate) fn example(&self, status: u16) -> Option<&Value> {
        self.successes
            .iter()
            .find(|(s, _)| *s == status)
            .and_then(|(_, v)| v.as_ref())
    }

    /// Whether the operation addresses one record (by id or lookup).
    pub(crate) fn addresses_one(&self) -> bool {
        !matches!(self.ext.action, Action::Create | Action::List)
    }
}

/// Where the state compiler finds what it reads.
pub(crate) struct StateSite<'a> {
    /// The operation's parameter objects, resolved (path-level, own and common).
    pub(crate) raw_params: Vec<&'a Parameter>,
    /// The compiled parameters, in the operation's order.
    pub(crate) params: &'a [ParamSpec],
    /// The operation's documented 2xx responses: status and first example body.
    pub(crate) successes: Vec<(u16, Option<Value>)>,
    /// The operation's `x-keygate-pagination`.
    pub(crate) paging: Option<PaginationExt>,
}

/// Compiles `ext` against the service's `resources`.
pub(crate) fn compile(
    ext: StateExt,
    resources: &[Resource],
    site: &StateSite<'_>,
) -> Result<OpState, String> {
    let resource = resources
        .iter()
        .position(|r| *r.name == *ext.resource)
        .ok_or_else(|| format!("x-keygate-state: no resource {:?}", ext.resource))?;
    let spec = &resources[resource].ext;
    let find = |name: &str| site.params.iter().position(|p| *p.name == *name);
    let scope = spec
        .scope
        .iter()
        .map(|name| find(name).ok_or_else(|| format!("x-keygate-state: no scope parameter {name}")))
        .collect::<Result<Vec<_>, _>>()?;
    let id = find(&spec.id.parameter);
    let lookup = ext
        .lookup
        .as_ref()
        .map(|l| {
            find(&l.parameter)
                .ok_or_else(|| format!("x-keygate-state: no parameter {}", l.parameter))
        })
        .transpose()?;
    let inputs = ext
        .params
        .iter()
        .map(|name| {
            find(name)
                .filter(|&i| site.params[i].location == Location::Query)
                .map(|i| (i, Box::from(name.as_str())))
                .ok_or_else(|| format!("x-keygate-state: no query parameter {name}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut state = OpState {
        resource,
        ext,
        scope,
        id,
        lookup,
        inputs,
        successes: site.successes.clone(),
        paging: site.paging.clone(),
        documented: None,
    };
    if state.ext.action == Action::List && state.paging.is_none() {
        return Err("x-keygate-state: a list needs x-keygate-pagination".into());
    }
    if state.addresses_one() && state.id.is_none() && state.lookup.is_none() {
        return Err(
            "x-keygate-state: the operation names no record (no id or lookup parameter)".into(),
        );
    }
    if spec.id.generate.is_none() && state.ext.action == Action::Create && state.id.is_none() {
        return Err("x-keygate-state: the resource's ids are named by the request, and this create has no id parameter".into());
    }
    state.documented = documented(&state, site);
    Ok(state)
}

/// The scope values and the addressed id the parameter examples name.
fn documented(state: &OpState, site: &StateSite<'_>) -> Option<(Vec<String>, Option<String>)> {
    let example = |index: usize| {
        let name = &site.params[index].name;
        site.raw_params
            .iter()
            .map(|p| p.parameter_data_ref())
            .find(|d| *d.name == **name)
            .and_then(|d| d.example.as_ref())
            .map(keygate_spec::ext::plain_text)
    };
    let scope = state
        .scope
        .iter()
        .map(|&i| example(i))
        .collect::<Option<Vec<_>>>()?;
    let key = match state.lookup.or(state.id) {
        Some(i) if state.addresses_one() => Some(example(i)?),
        _ => None,
    };
    Some((scope, key))
}

/// The operation's parameter objects, resolved: path-level, own, then `common`.
pub(crate) fn raw_params<'a>(
    doc: &'a OpenAPI,
    path_item: &'a openapiv3::PathItem,
    operation: &'a openapiv3::Operation,
    common: &[&'a Parameter],
) -> Vec<&'a Parameter> {
    path_item
        .parameters
        .iter()
        .chain(&operation.parameters)
        .filter_map(|item| refs::component(doc, item).ok())
        .chain(common.iter().copied())
        .collect()
}

/// The first example body of each documented `status` of the operation at
/// `paths.<path_key>.<method>`, as JSON.
pub(crate) fn first_examples(
    spec: &keygate_spec::Spec,
    at: (&str, &str),
    statuses: &[u16],
) -> Vec<(u16, Option<Value>)> {
    use keygate_spec::refs::Tree as _;
    let root = &spec.yaml;
    let responses = refs::walk(root, root, &["paths", at.0, at.1, "responses"]);
    let example_of = |status: u16| -> Option<Value> {
        let responses = responses?;
        let node = responses
            .child(&status.to_string())
            .or_else(|| responses.get(serde_yaml::Value::from(u64::from(status))))?;
        let response = refs::resolve(root, node).ok()?;
        let content = refs::walk(root, response, &["content"])?.as_mapping()?;
        let media = content
            .get("application/json")
            .or_else(|| content.values().next())?;
        let value = match refs::walk(root, media, &["examples"]).and_then(|e| e.as_mapping()) {
            Some(examples) => {
                let first = refs::resolve(root, examples.values().next()?).ok()?;
                refs::walk(root, first, &["value"])?
            }
            None => refs::walk(root, media, &["example"])?,
        };
        serde_json::to_value(value).ok()
    };
    statuses.iter().map(|&s| (s, example_of(s))).collect()
}
