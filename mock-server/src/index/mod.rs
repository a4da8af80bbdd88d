//! Everything the engine needs at request time, compiled once at start-up from the specs:
//! services, operations, the route table and the RPC dispatch groups.

pub(crate) mod body;
pub(crate) mod operation;
pub(crate) mod pagination;
pub(crate) mod params;
pub(crate) mod responses;
pub(crate) mod route;
pub(crate) mod service;
pub(crate) mod stateful;

use std::collections::HashMap;

use http::Method;
use keygate_spec::{Spec, SpecError, invalid, json_schema};
use openapiv3::ReferenceOr;

use operation::OpSite;
pub(crate) use operation::Operation;
use route::{Router, Segment, Target};
use service::Service;

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
    pub(crate) fn build(specs: &[Spec]) -> Result<Self, SpecError> {
        let mut index = Self::default();
        for spec in specs {
            let service = index.services.len();
            index.services.push(Service::build(spec)?);
            index.add_paths(spec, service)?;
        }
        Ok(index)
    }

    /// Whose error answers a path no route matches: the service whose routes share the
    /// longest prefix with it (`nearest`), else the only service served, if there is one
    /// (a lone plain spec answers in its own problem+json, as Prism does).
    pub(crate) fn owner_of_unknown_path(&self, nearest: Option<usize>) -> Option<usize> {
        nearest.or_else(|| (self.services.len() == 1).then_some(0))
    }

    fn add_paths(&mut self, spec: &Spec, service: usize) -> Result<(), SpecError> {
        let components = json_schema::components_of(&spec.openapi);
        let common = operation::common_params(spec)?;
        for (key, item) in &spec.openapi.paths.paths {
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
                let site = OpSite {
                    spec,
                    service,
                    components: &components,
                    common: &common,
                    path_key: key,
                    path_item,
                    segments: &segments,
                    location: &location,
                };
                let op =
                    Operation::compile(&site, &self.services[service], method_name, operation)?;
                let label = format!("{}: {location} ({})", spec.name, op.id);
                let op_index = self.operations.len();
                self.operations.push(op);
                match fragment {
                    Some(fragment) => self.add_rpc(&site, fragment, method, op_index, label)?,
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
        ctx: &OpSite<'_>,
        fragment: &str,
        method: Method,
        op_index: usize,
        label: String,
    ) -> Result<(), SpecError> {
        let spec = ctx.spec;
        let segments = ctx.segments;
        let rpc = spec.keygate.rpc.as_ref().ok_or_else(|| {
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
}
