//! One operation, compiled: its parameters, body, security alternatives, documented
//! responses and pagination.

use keygate_spec::ext::{OperationExt, StateExt};
use keygate_spec::{Spec, SpecError, invalid, refs};
use openapiv3::{OpenAPI, Parameter, PathItem};
use serde_json::Value;

use super::body::BodySpec;
use super::pagination::Pagination;
use super::params::{Location, OpParam, ParamSpec};
use super::responses::{ResponseError, Responses};
use super::route::Segment;
use super::service::{CredentialSlot, Service};
use super::stateful::{self as plan, OpState, StateSite};

/// One operation, ready to serve.
#[derive(Debug)]
pub(crate) struct Operation {
    /// operationId (for a plain spec without one, `METHOD /path`).
    pub(crate) id: Box<str>,
    /// Index into [`Index::services`](super::Index::services).
    pub(crate) service: usize,
    /// Own, path-level and common parameters.
    pub(crate) params: Vec<OpParam>,
    /// Request body, if declared.
    pub(crate) body: Option<BodySpec>,
    /// Alternatives, each a list of scheme indices that must all pass; empty = no auth.
    pub(crate) security: Vec<Vec<usize>>,
    /// Documented responses.
    pub(crate) responses: Responses,
    /// `x-keygate-pagination`: the window of the documented items a request asks for.
    pub(crate) pagination: Option<Pagination>,
    /// `x-keygate-state`: the operation's part in a resource's life.
    pub(crate) state: Option<OpState>,
}

/// Where an operation sits in its spec, and what compiling it needs from around it.
pub(crate) struct OpSite<'a> {
    /// The spec the operation is in.
    pub(crate) spec: &'a Spec,
    /// Index of the spec's service.
    pub(crate) service: usize,
    /// `components/schemas` as JSON, for the schema validators.
    pub(crate) components: &'a Value,
    /// `x-keygate.commonParameters`, resolved.
    pub(crate) common: &'a [&'a Parameter],
    /// The path key, with any `#fragment`.
    pub(crate) path_key: &'a str,
    /// The path item the operation is in (its parameters apply too).
    pub(crate) path_item: &'a PathItem,
    /// The path template's segments.
    pub(crate) segments: &'a [Segment],
    /// `GET /path`, for messages.
    pub(crate) location: &'a str,
}

impl Operation {
    /// Compiles the operation at `site` under `method_name` (lowercase, as in the spec).
    pub(crate) fn compile(
        site: &OpSite<'_>,
        service: &Service,
        method_name: &str,
        operation: &openapiv3::Operation,
    ) -> Result<Self, SpecError> {
        let spec = site.spec;
        let fail = |m: String| invalid(&spec.name, site.location, m);
        let id =
            operation_id(site, operation).ok_or_else(|| fail("operationId is required".into()))?;
        let security = security_of(&spec.openapi, operation, service).map_err(fail)?;
        let params = params_of(site, operation).map_err(&fail)?;
        let paging = OperationExt::read(&operation.extensions)
            .map_err(&fail)?
            .pagination;
        let pagination = paging
            .as_ref()
            .map(|ext| Pagination::compile(ext, &params))
            .transpose()
            .map_err(&fail)?;
        let state = state_of(site, service, method_name, operation, &params).map_err(&fail)?;
        let params = params
            .into_iter()
            .map(|spec| OpParam {
                credential: is_credential(&spec, &security, service),
                spec,
            })
            .collect();
        let body = operation
            .request_body
            .as_ref()
            .map(|b| BodySpec::compile(&spec.openapi, b, site.components))
            .transpose()
            .map_err(fail)?;
        let at = (site.path_key, method_name);
        let responses = Responses::build(spec, service, at, operation, paging.as_ref())
            .map_err(|e| response_error(site, &id, e))?;
        Ok(Self {
            id: id.into(),
            service: site.service,
            params,
            body,
            security,
            responses,
            pagination,
            state,
        })
    }
}

/// The compiled `x-keygate-state`, if the operation has one.
fn state_of(
    site: &OpSite<'_>,
    service: &Service,
    method_name: &str,
    operation: &openapiv3::Operation,
    params: &[ParamSpec],
) -> Result<Option<OpState>, String> {
    let Some(ext) = StateExt::read(&operation.extensions)? else {
        return Ok(None);
    };
    let doc = &site.spec.openapi;
    let statuses: Vec<u16> = operation
        .responses
        .responses
        .keys()
        .filter_map(|status| match status {
            openapiv3::StatusCode::Code(c) if (200..300).contains(c) => Some(*c),
            _ => None,
        })
        .collect();
    let state_site = StateSite {
        raw_params: plan::raw_params(doc, site.path_item, operation, site.common),
        params,
        successes: plan::first_examples(site.spec, (site.path_key, method_name), &statuses),
        paging: OperationExt::read(&operation.extensions)?.pagination,
    };
    plan::compile(ext, &service.resources, &state_site).map(Some)
}

/// The operationId; a plain spec may leave it out (many public files do), and the operation
/// is then known by its method and path.
fn operation_id(site: &OpSite<'_>, operation: &openapiv3::Operation) -> Option<String> {
    match &operation.operation_id {
        Some(id) => Some(id.clone()),
        None if !site.spec.declared => Some(site.location.to_owned()),
        None => None,
    }
}

/// Own and path-level parameters, tied to the path's captures, then the service's common
/// ones that the operation does not declare itself.
fn params_of(
    site: &OpSite<'_>,
    operation: &openapiv3::Operation,
) -> Result<Vec<ParamSpec>, String> {
    let doc = &site.spec.openapi;
    let mut params = own_params(doc, site.path_item, operation, site.components)?;
    assign_captures(site.segments, &mut params)?;
    for common in site.common {
        let compiled = ParamSpec::compile(common, site.components)?;
        if !params.iter().any(|p| p.name == compiled.name) {
            params.push(compiled);
        }
    }
    Ok(params)
}

/// A response that cannot be served, as the spec error that names the operation.
fn response_error(site: &OpSite<'_>, id: &str, error: ResponseError) -> SpecError {
    let spec = &site.spec.name;
    match error {
        ResponseError::MissingExample { status, media_type } => SpecError::MissingExample {
            spec: spec.clone(),
            operation: id.to_owned(),
            status,
            media_type,
        },
        ResponseError::Other(message) => invalid(spec, site.location, message),
    }
}

/// `x-keygate.commonParameters`, resolved in `components/parameters`.
pub(crate) fn common_params(spec: &Spec) -> Result<Vec<&Parameter>, SpecError> {
    let location = "x-keygate.commonParameters";
    let parameters = spec.openapi.components.as_ref().map(|c| &c.parameters);
    spec.keygate
        .common_parameters
        .iter()
        .map(|name| {
            let item = parameters.and_then(|p| p.get(name)).ok_or_else(|| {
                invalid(
                    &spec.name,
                    location,
                    format!("{name} is not in components/parameters"),
                )
            })?;
            refs::component(&spec.openapi, item)
                .map_err(|e| invalid(&spec.name, location, e.to_string()))
        })
        .collect()
}

/// Path-level parameters overridden by the operation's own (same name and location).
fn own_params(
    doc: &OpenAPI,
    path_item: &PathItem,
    operation: &openapiv3::Operation,
    components: &Value,
) -> Result<Vec<ParamSpec>, String> {
    let mut out: Vec<ParamSpec> = Vec::new();
    for item in path_item.parameters.iter().chain(&operation.parameters) {
        let param = refs::component(doc, item).map_err(|e| e.to_string())?;
        let compiled = ParamSpec::compile(param, components)
            .map_err(|m| format!("parameter {}: {m}", param.parameter_data_ref().name))?;
        out.retain(|p| !(p.name == compiled.name && p.location == compiled.location));
        out.push(compiled);
    }
    Ok(out)
}

/// Ties each `{param}` of the template to its declaration, in capture order.
fn assign_captures(segments: &[Segment], params: &mut [ParamSpec]) -> Result<(), String> {
    let names: Vec<&str> = segments
        .iter()
        .filter_map(|s| match s {
            Segment::Param(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
        .collect();
    for (capture, name) in names.iter().enumerate() {
        let param = params
            .iter_mut()
            .find(|p| p.location == Location::Path && p.name.as_ref() == *name)
            .ok_or_else(|| format!("path parameter {name} is not declared"))?;
        param.capture = capture;
    }
    match params
        .iter()
        .find(|p| p.location == Location::Path && !names.contains(&p.name.as_ref()))
    {
        Some(p) => Err(format!("path parameter {} is not in the path", p.name)),
        None => Ok(()),
    }
}

/// The operation's security alternatives as scheme indices (operation level, else root).
fn security_of(
    doc: &OpenAPI,
    operation: &openapiv3::Operation,
    service: &Service,
) -> Result<Vec<Vec<usize>>, String> {
    let requirements = operation.security.as_ref().or(doc.security.as_ref());
    let Some(requirements) = requirements else {
        return Ok(Vec::new());
    };
    // An empty requirement (`- {}`) makes auth optional altogether.
    if requirements.iter().any(|r| r.is_empty()) {
        return Ok(Vec::new());
    }
    requirements
        .iter()
        .map(|requirement| {
            requirement
                .keys()
                .map(|name| {
                    service
                        .scheme_index(name)
                        .ok_or_else(|| format!("security scheme {name} is not defined"))
                })
                .collect()
        })
        .collect()
}

/// Whether `param` carries (part of) a credential of one of the operation's schemes.
fn is_credential(param: &ParamSpec, security: &[Vec<usize>], service: &Service) -> bool {
    if param.location != Location::Query {
        return false;
    }
    security.iter().flatten().any(|&i| {
        let scheme = &service.schemes[i];
        scheme.slot == CredentialSlot::Query(param.name.to_string())
            || scheme
                .auth
                .is_some_and(|auth| auth.credential_params().contains(&param.name.as_ref()))
    })
}
