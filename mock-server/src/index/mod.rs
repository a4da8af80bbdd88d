//! Everything the engine needs at request time, compiled once at start-up from the specs:
//! services, operations, the route table and the RPC dispatch groups.

pub(crate) mod pagination;
pub(crate) mod params;
pub(crate) mod responses;
pub(crate) mod route;
pub(crate) mod service;

use std::collections::HashMap;

use http::Method;
use openapiv3::{OpenAPI, Parameter, PathItem, ReferenceOr};
use serde_json::Value;

use crate::error::{SpecError, invalid};
use crate::spec::extensions::{self, PaginationExt};
use crate::spec::{LoadedSpec, refs, schema};
use crate::validate::BodySpec;
use pagination::Pagination;
use params::{Location, ParamSpec};
use responses::{ResponseError, Responses};
use route::{Router, Segment, Target};
use service::{CredentialSlot, Service};

/// A parameter of an operation, with what the auth step says about it.
#[derive(Debug)]
pub(crate) struct OpParam {
    pub(crate) spec: ParamSpec,
    /// Part of a security scheme's credential (not checked with auth off).
    pub(crate) credential: bool,
}

/// One operation, ready to serve.
#[derive(Debug)]
pub(crate) struct Operation {
    /// operationId.
    pub(crate) id: Box<str>,
    /// Index into [`Index::services`].
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
}

/// Operations sharing one real path, chosen by a parameter (`x-keygate.rpc`).
#[derive(Debug)]
pub(crate) struct RpcGroup {
    /// Owning service.
    pub(crate) service: usize,
    /// The parameter naming the operation (Tencent's `Action`).
    pub(crate) param: Box<str>,
    /// Whether POST with a form body is accepted for every operation.
    pub(crate) post_form: bool,
    /// Action value -> (method, operation index).
    pub(crate) actions: HashMap<Box<str>, Vec<(Method, usize)>>,
    /// The real path's template.
    path: Vec<Segment>,
}

impl RpcGroup {
    /// The operation for `action` and `method`: `Err(true)` for an unknown action,
    /// `Err(false)` for a method the action does not take.
    pub(crate) fn operation(&self, action: &str, method: &Method) -> Result<usize, bool> {
        let candidates = self.actions.get(action).ok_or(true)?;
        if let Some((_, op)) = candidates.iter().find(|(m, _)| m == method) {
            return Ok(*op);
        }
        match candidates.first() {
            Some((_, op)) if self.post_form && method == Method::POST => Ok(*op),
            _ => Err(false),
        }
    }
}

/// The compiled specs.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) services: Vec<Service>,
    pub(crate) operations: Vec<Operation>,
    pub(crate) rpc: Vec<RpcGroup>,
    pub(crate) router: Router,
}

impl Index {
    /// Compiles `specs`, refusing anything that cannot be served.
    pub(crate) fn build(specs: &[LoadedSpec]) -> Result<Self, SpecError> {
        let mut index = Self::default();
        for spec in specs {
            let service = index.services.len();
            index.services.push(Service::build(spec)?);
            index.add_paths(spec, service)?;
        }
        Ok(index)
    }

    fn add_paths(&mut self, spec: &LoadedSpec, service: usize) -> Result<(), SpecError> {
        let components = schema::components_of(&spec.doc);
        let common = common_params(spec)?;
        for (key, item) in &spec.doc.paths.paths {
            let ReferenceOr::Item(path_item) = item else {
                return Err(invalid(
                    &spec.name,
                    key,
                    "$ref path items are not supported",
                ));
            };
            let (template, fragment) = match key.split_once('#') {
                Some((t, f)) => (t, Some(f)),
                None => (key.as_str(), None),
            };
            let segments =
                route::parse_template(template).map_err(|m| invalid(&spec.name, key, m))?;
            for (method_name, operation) in path_item.iter() {
                let location = format!("{} {key}", method_name.to_uppercase());
                let method = Method::from_bytes(method_name.to_uppercase().as_bytes())
                    .map_err(|_| invalid(&spec.name, &location, "unknown method"))?;
                let ctx = OpContext {
                    spec,
                    service,
                    components: &components,
                    common: &common,
                    location: &location,
                };
                let op = self.compile_operation(
                    &ctx,
                    &segments,
                    path_item,
                    key,
                    method_name,
                    operation,
                )?;
                let label = format!("{}: {location} ({})", spec.name, op.id);
                let op_index = self.operations.len();
                self.operations.push(op);
                match fragment {
                    Some(fragment) => {
                        self.add_rpc(&ctx, &segments, fragment, method, op_index, label)?
                    }
                    None => self.add_route(
                        &segments,
                        method,
                        Target::Operation(op_index),
                        service,
                        label,
                    )?,
                }
            }
        }
        Ok(())
    }

    fn add_route(
        &mut self,
        segments: &[Segment],
        method: Method,
        target: Target,
        service: usize,
        label: String,
    ) -> Result<(), SpecError> {
        self.router
            .insert(segments, method, target, service, label.clone())
            .map_err(|first| SpecError::AmbiguousRoute {
                first,
                second: label,
            })
    }

    fn add_rpc(
        &mut self,
        ctx: &OpContext<'_>,
        segments: &[Segment],
        fragment: &str,
        method: Method,
        op_index: usize,
        label: String,
    ) -> Result<(), SpecError> {
        let spec = ctx.spec;
        let rpc = spec.ext.rpc.as_ref().ok_or_else(|| {
            invalid(
                &spec.name,
                ctx.location,
                "a path fragment needs x-keygate.rpc",
            )
        })?;
        let (param, action) = fragment
            .split_once('=')
            .filter(|(p, _)| *p == rpc.action_parameter)
            .ok_or_else(|| {
                invalid(
                    &spec.name,
                    ctx.location,
                    format!("the fragment must be #{}=<name>", rpc.action_parameter),
                )
            })?;
        let group_index = self.rpc_group(ctx.service, param, rpc.post_form, segments);
        let group = &mut self.rpc[group_index];
        let entry = group.actions.entry(action.into()).or_default();
        if let Some((_, other)) = entry.iter().find(|(m, _)| *m == method) {
            let first = format!(
                "{}: {} ({})",
                spec.name, ctx.location, self.operations[*other].id
            );
            return Err(SpecError::AmbiguousRoute {
                first,
                second: label,
            });
        }
        entry.push((method.clone(), op_index));
        self.add_route(
            segments,
            method,
            Target::Rpc(group_index),
            ctx.service,
            label.clone(),
        )?;
        if rpc.post_form {
            self.add_route(
                segments,
                Method::POST,
                Target::Rpc(group_index),
                ctx.service,
                label,
            )?;
        }
        Ok(())
    }

    /// The RPC group of `segments`, created on first use.
    fn rpc_group(
        &mut self,
        service: usize,
        param: &str,
        post_form: bool,
        segments: &[Segment],
    ) -> usize {
        if let Some(i) = self
            .rpc
            .iter()
            .position(|g| g.service == service && g.path == segments)
        {
            return i;
        }
        self.rpc.push(RpcGroup {
            service,
            param: param.into(),
            post_form,
            actions: HashMap::new(),
            path: segments.to_vec(),
        });
        self.rpc.len() - 1
    }

    fn compile_operation(
        &self,
        ctx: &OpContext<'_>,
        segments: &[Segment],
        path_item: &PathItem,
        path_key: &str,
        method_name: &str,
        operation: &openapiv3::Operation,
    ) -> Result<Operation, SpecError> {
        let spec = ctx.spec;
        let fail = |m: String| invalid(&spec.name, ctx.location, m);
        let id = operation
            .operation_id
            .clone()
            .ok_or_else(|| fail("operationId is required".into()))?;
        let service = &self.services[ctx.service];
        let security = security_of(&spec.doc, operation, service).map_err(fail)?;
        let mut params =
            own_params(&spec.doc, path_item, operation, ctx.components).map_err(fail)?;
        assign_captures(segments, &mut params).map_err(fail)?;
        for common in ctx.common {
            let compiled = ParamSpec::compile(common, ctx.components).map_err(&fail)?;
            if !params.iter().any(|p| p.name == compiled.name) {
                params.push(compiled);
            }
        }
        let paging = extensions::read::<PaginationExt>(
            operation.extensions.get("x-keygate-pagination"),
            "x-keygate-pagination",
        )
        .map_err(&fail)?;
        let pagination = paging
            .as_ref()
            .map(|ext| Pagination::compile(ext, &params))
            .transpose()
            .map_err(&fail)?;
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
            .map(|b| BodySpec::compile(&spec.doc, b, ctx.components))
            .transpose()
            .map_err(fail)?;
        let at = (path_key, method_name);
        let responses = Responses::build(spec, service, at, operation, paging.as_ref()).map_err(
            |e| match e {
                ResponseError::MissingExample { status, media_type } => SpecError::MissingExample {
                    spec: spec.name.clone(),
                    operation: id.clone(),
                    status,
                    media_type,
                },
                ResponseError::Other(m) => fail(m),
            },
        )?;
        Ok(Operation {
            id: id.into(),
            service: ctx.service,
            params,
            body,
            security,
            responses,
            pagination,
        })
    }
}

/// What compiling one operation needs to know about its surroundings.
struct OpContext<'a> {
    spec: &'a LoadedSpec,
    service: usize,
    components: &'a Value,
    common: &'a [&'a Parameter],
    location: &'a str,
}

/// `x-keygate.commonParameters`, resolved in `components/parameters`.
fn common_params(spec: &LoadedSpec) -> Result<Vec<&Parameter>, SpecError> {
    let parameters = spec.doc.components.as_ref().map(|c| &c.parameters);
    spec.ext
        .common_parameters
        .iter()
        .map(|name| {
            let item = parameters.and_then(|p| p.get(name)).ok_or_else(|| {
                invalid(
                    &spec.name,
                    "x-keygate.commonParameters",
                    format!("{name} is not in components/parameters"),
                )
            })?;
            refs::resolve(&spec.doc, item)
                .map_err(|m| invalid(&spec.name, "x-keygate.commonParameters", m))
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
        let param = refs::resolve(doc, item)?;
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
                .adapter
                .is_some_and(|a| a.credential_params.contains(&param.name.as_ref()))
    })
}
