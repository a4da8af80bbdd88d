//! The engine: specs in, answers out. Transport-free and synchronous, so the hyper server,
//! the wiremock adapter and any other transport share it.
//!
//! Requests under `/__keygate/` are the mock's own admin surface (state reset and dump, the
//! journal; see [`admin`]), answered before any of this. Every other request goes through
//! the pipeline, in order (the first stage that objects answers):
//! 1. **route** — method + path in the precompiled table (and the RPC action parameter):
//!    unknown path `route-not-found`, wrong method `method-not-allowed`, unknown action
//!    `unknown-action`;
//! 2. **auth** — per [`AuthMode`];
//! 3. **validate** — parameters, then body;
//! 4. **faults** — the [`Fault`](crate::Fault) rules in force (see [`crate::fault`] for why
//!    here);
//! 5. **select** — the documented 2xx sample, or the one a `Prefer` / `__code` /
//!    `__example` asks for (an undocumented one gets `no-such-response`).
//!
//! Selection comes last, as in Prism: asking for a sample does not bypass auth or validation,
//! so a client under test always sees the service's real reaction to its own mistakes.

mod admin;
mod admin_http;
mod builder;
mod inject;
mod respond;
mod stateful;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderName, HeaderValue, Method};

pub use admin::REDACTED;
pub use admin_http::{ADMIN_PREFIX, AdminAccess};
pub use builder::EngineBuilder;

use crate::auth::{AuthMode, Authenticator};
use crate::error::StartError;
use crate::fault::Faults;
use crate::index::params::Location;
use crate::index::route::{Lookup, Target};
use crate::index::{Index, Operation, RpcGroup};
use crate::journal::Journal;
use crate::render::page::Window;
use crate::request::{
    Inputs, MockRequest, MockResponse, Pair, Reply, decode_pairs, decode_segment, malformed_pair,
};
use crate::select::{self, CODE_PARAM, Choice, EXAMPLE_PARAM, Preference};
use crate::state::State;
use crate::validate;
use respond::ErrorValues;

/// Prism's `Prefer` header (a constant: a `&str` name is parsed on every lookup).
const PREFER: HeaderName = HeaderName::from_static("prefer");

/// The form media type RPC services accept for POST.
const FORM: &str = "application/x-www-form-urlencoded";

/// The mock engine: all specs, indexed, with the auth configuration.
///
/// ```
/// use keygate_mock::{Engine, MockRequest};
///
/// let engine = Engine::builder().auth(keygate_mock::AuthMode::Off).build()?;
/// let request = MockRequest::new(
///     http::Method::POST,
///     "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/\
///      Microsoft.ApiManagement/service/apimService1/subscriptions/5931a769d8d14f0ad8ce13b8/listSecrets?api-version=2024-05-01"
///         .parse()?,
///     http::HeaderMap::new(),
///     bytes::Bytes::new(),
/// );
/// let response = engine.handle(&request);
/// assert_eq!(response.status, 200);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Engine {
    index: Arc<Index>,
    auth: Authenticator,
    faults: Faults,
    /// `None`: every answer is a documented sample.
    state: Option<State>,
    journal: Journal,
    /// Who may use the admin surface (`/__keygate/`).
    admin: admin_http::AdminPolicy,
}

/// An answer plus what the transport and the request log line need to know about it.
#[derive(Debug)]
pub(crate) struct Answer<'e> {
    pub(crate) response: MockResponse,
    pub(crate) vendor: Option<&'e str>,
    pub(crate) operation: Option<&'e str>,
    /// Time to wait before answering (fault latency).
    pub(crate) delay: Duration,
    /// Close the connection instead of answering (a fault); `response` is then what
    /// transports that cannot close (wiremock, [`Engine::handle`]) send instead.
    pub(crate) drop: bool,
}

impl<'e> Answer<'e> {
    fn new(response: MockResponse, vendor: Option<&'e str>) -> Self {
        Self {
            response,
            vendor,
            operation: None,
            delay: Duration::ZERO,
            drop: false,
        }
    }
}

impl Engine {
    /// Options: specs, auth mode, credentials, faults.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// The embedded specs, auth [`AuthMode::Presence`].
    pub fn new() -> Result<Self, StartError> {
        Self::builder().build()
    }

    /// The vendors served, in load order.
    pub fn vendors(&self) -> impl Iterator<Item = &str> {
        self.index.services.iter().map(|s| s.vendor.as_ref())
    }

    /// `(vendor, operationId)` of every operation served.
    pub fn operations(&self) -> impl Iterator<Item = (&str, &str)> {
        self.index.operations.iter().map(|op| {
            (
                self.index.services[op.service].vendor.as_ref(),
                op.id.as_ref(),
            )
        })
    }

    /// `(vendor, operationId, resource, action)` of every operation the specs make stateful
    /// (`x-keygate-state`), action being `create`, `read`, `list`, `update`, `upsert` or
    /// `delete`. They keep state only when the engine does ([`keeps_state`](Self::keeps_state)).
    pub fn stateful_operations(&self) -> impl Iterator<Item = (&str, &str, &str, &'static str)> {
        self.index.operations.iter().filter_map(|op| {
            let plan = op.state.as_ref()?;
            let service = &self.index.services[op.service];
            let resource = service.resources.get(plan.resource)?;
            let action = match plan.ext.action {
                keygate_spec::ext::Action::Create => "create",
                keygate_spec::ext::Action::Read => "read",
                keygate_spec::ext::Action::List => "list",
                keygate_spec::ext::Action::Update => "update",
                keygate_spec::ext::Action::Upsert => "upsert",
                keygate_spec::ext::Action::Delete => "delete",
            };
            Some((
                service.vendor.as_ref(),
                op.id.as_ref(),
                resource.name.as_ref(),
                action,
            ))
        })
    }

    /// Whether requests change what later requests see (state not
    /// [`StateConfig::Off`](crate::StateConfig::Off)).
    pub fn keeps_state(&self) -> bool {
        self.state.is_some()
    }

    /// The auth mode in force.
    pub fn auth_mode(&self) -> AuthMode {
        self.auth.mode()
    }

    /// Answers one request. Fault latency is not applied, and a dropped-connection fault,
    /// which a response cannot express, is answered with the service's internal error: a
    /// transport that can wait and close connections uses [`reply`](Self::reply).
    ///
    /// With state kept in Redis, a stateful operation cannot be answered without waiting:
    /// it gets the service's "unavailable" error here; use [`handle_async`](Self::handle_async).
    pub fn handle(&self, request: &MockRequest) -> MockResponse {
        self.answer(request).response
    }

    /// [`handle`](Self::handle), waiting for a shared state store where it must.
    pub async fn handle_async(&self, request: &MockRequest) -> MockResponse {
        self.answer_with(request, true).await.response
    }

    /// What a transport does with one request: wait, then answer or close the connection.
    pub fn reply(&self, request: &MockRequest) -> Reply {
        let answer = self.answer(request);
        Reply {
            delay: answer.delay,
            response: (!answer.drop).then_some(answer.response),
        }
    }

    /// The fault rules in force; changing them affects requests from then on.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The answer to a request whose body exceeded the transport's limit (the body is not
    /// looked at): the service's `payload-too-large` answer.
    pub fn payload_too_large(&self, request: &MockRequest) -> MockResponse {
        self.too_large(request).response
    }

    pub(crate) fn too_large(&self, request: &MockRequest) -> Answer<'_> {
        let service = match self.index.router.find(&request.method, request.uri.path()) {
            Lookup::Route { endpoint, .. } | Lookup::WrongMethod(endpoint) => {
                Some(endpoint.service)
            }
            Lookup::NotFound(service) => self.index.owner_of_unknown_path(service),
        };
        self.fail(
            service,
            "payload-too-large",
            ErrorValues::default(),
            request,
        )
    }

    /// The answer without waiting for anything (the memory store never makes one wait).
    pub(crate) fn answer(&self, request: &MockRequest) -> Answer<'_> {
        // Without a shared store to wait for, the future is ready when first polled.
        futures::FutureExt::now_or_never(self.answer_with(request, false)).unwrap_or_else(|| {
            let values = ErrorValues {
                detail: "the answer was not ready without waiting",
                ..ErrorValues::default()
            };
            self.fail(None, "internal-error", values, request)
        })
    }

    /// The answer, journaled; `can_wait`: the transport can await a shared (Redis) store.
    ///
    /// The admin surface (`/__keygate/…`) comes first, and is not journaled (see
    /// [`admin`]).
    pub(crate) async fn answer_with(&self, request: &MockRequest, can_wait: bool) -> Answer<'_> {
        if admin_http::is_admin_path(request.uri.path()) {
            return self.admin(request, can_wait).await;
        }
        let answer = self.routed(request, can_wait).await;
        let status = if answer.drop {
            0
        } else {
            answer.response.status.as_u16()
        };
        self.journal.record(
            request.method.as_str(),
            request.uri.path(),
            answer.vendor,
            answer.operation,
            status,
        );
        answer
    }

    async fn routed(&self, request: &MockRequest, can_wait: bool) -> Answer<'_> {
        let (query, preference) = split_query(request);
        let body_text = String::from_utf8_lossy(&request.body);
        match self.index.router.find(&request.method, request.uri.path()) {
            Lookup::NotFound(service) => {
                let service = self.index.owner_of_unknown_path(service);
                self.fail(service, "route-not-found", ErrorValues::default(), request)
            }
            Lookup::WrongMethod(endpoint) => {
                self.method_not_allowed(endpoint.service, endpoint.allow.clone(), request)
            }
            Lookup::Route {
                target, captures, ..
            } => {
                let (op, form) = match target {
                    Target::Operation(op) => (op, Vec::new()),
                    Target::Rpc(group) => {
                        match self.dispatch(&self.index.rpc[group], request, &query, &body_text) {
                            Ok(found) => found,
                            Err(answer) => return *answer,
                        }
                    }
                };
                let malformed = malformed_pair(request.uri.query().unwrap_or("")).or_else(|| {
                    match std::str::from_utf8(&request.body) {
                        _ if form.is_empty() => None,
                        Ok(text) => malformed_pair(text),
                        Err(_) => Some("body".into()),
                    }
                });
                let inputs = Inputs {
                    malformed,
                    path: captures.iter().map(|c| decode_segment(c)).collect(),
                    query,
                    form,
                    request,
                };
                self.serve(op, &inputs, &preference, can_wait).await
            }
        }
    }

    /// Picks an RPC operation by its action parameter (query, or form body for POST).
    fn dispatch<'r>(
        &self,
        group: &RpcGroup,
        request: &'r MockRequest,
        query: &[Pair<'r>],
        body_text: &'r str,
    ) -> Result<(usize, Vec<Pair<'r>>), Box<Answer<'_>>> {
        let service = Some(group.service);
        let mut form = Vec::new();
        if request.method == Method::POST && group.post_form && !request.body.is_empty() {
            let sent = request.content_type_essence().unwrap_or_default();
            if sent != FORM {
                let detail = format!("POST bodies must be {FORM}");
                let values = ErrorValues {
                    param: "Content-Type",
                    location: Location::Header.as_str(),
                    value: &sent,
                    detail: &detail,
                };
                return Err(Box::new(self.fail(
                    service,
                    "unsupported-media-type",
                    values,
                    request,
                )));
            }
            form = decode_pairs(body_text);
        }
        let param = group.param.as_ref();
        let action = query
            .iter()
            .chain(&form)
            .find(|(k, _)| k == param)
            .map(|(_, v)| v.clone());
        let Some(action) = action else {
            let detail = format!("{param} is required");
            let values = ErrorValues {
                param,
                location: Location::Query.as_str(),
                value: "",
                detail: &detail,
            };
            return Err(Box::new(self.fail(
                service,
                "missing-parameter",
                values,
                request,
            )));
        };
        match group.operation(&action, &request.method) {
            Ok(op) => Ok((op, form)),
            Err(true) => {
                let detail = format!("{param} {action} is not served");
                let values = ErrorValues {
                    param,
                    location: Location::Query.as_str(),
                    value: &action,
                    detail: &detail,
                };
                Err(Box::new(self.fail(
                    service,
                    "unknown-action",
                    values,
                    request,
                )))
            }
            Err(false) => {
                let allow = HeaderValue::from_static("GET, POST");
                Err(Box::new(self.method_not_allowed(
                    group.service,
                    allow,
                    request,
                )))
            }
        }
    }

    /// Auth, validation, faults, then the stateful step or selection for a routed request.
    async fn serve(
        &self,
        op_index: usize,
        inputs: &Inputs<'_>,
        preference: &Preference<'_>,
        can_wait: bool,
    ) -> Answer<'_> {
        let op = &self.index.operations[op_index];
        let vendor = &self.index.services[op.service].vendor;
        let mut answer = match self.refusal(op, inputs) {
            Some(refused) => refused,
            None => match self.faults.roll(vendor, &op.id) {
                Some(hit) => self.inject(op, inputs, preference, hit),
                // Asking for a documented answer leaves the state alone, as in a replay.
                None => match (&self.state, &op.state) {
                    (Some(store), Some(plan)) if preference.is_empty() => {
                        if store.is_shared() && !can_wait {
                            self.cannot_wait(op, inputs.request)
                        } else {
                            self.stateful(store, op, plan, inputs).await
                        }
                    }
                    _ => self.select(op, inputs, preference),
                },
            },
        };
        answer.operation = Some(&op.id);
        answer
    }

    /// A synchronous transport met a stateful operation whose store is in Redis.
    fn cannot_wait(&self, op: &Operation, request: &MockRequest) -> Answer<'_> {
        let values = ErrorValues {
            detail: "state is kept in Redis: this transport cannot wait for it (use the server, \
                     or Engine::handle_async)",
            ..ErrorValues::default()
        };
        self.fail(Some(op.service), "unavailable", values, request)
    }

    /// Auth, then validation: the service's answer to a request it refuses, if it does.
    fn refusal(&self, op: &Operation, inputs: &Inputs<'_>) -> Option<Answer<'_>> {
        let service = &self.index.services[op.service];
        let request = inputs.request;
        let now = if self.auth.mode() == AuthMode::Verify {
            now_unix()
        } else {
            0
        };
        if let Err(failure) = self.auth.check(service, op, inputs, now) {
            let detail = failure.detail();
            let values = ErrorValues {
                detail: &detail,
                ..ErrorValues::default()
            };
            return Some(self.fail(Some(op.service), failure.kind, values, request));
        }
        if let Err(f) = validate::check(op, inputs, self.auth.mode() == AuthMode::Off) {
            let values = ErrorValues {
                param: &f.param,
                location: f.location,
                value: &f.value,
                detail: &f.detail,
            };
            return Some(self.fail(Some(op.service), &f.kind, values, request));
        }
        None
    }

    /// The documented response `preference` asks for (the 2xx sample by default).
    fn select(
        &self,
        op: &Operation,
        inputs: &Inputs<'_>,
        preference: &Preference<'_>,
    ) -> Answer<'_> {
        let service = &self.index.services[op.service];
        let request = inputs.request;
        match select::choose(&op.responses, preference) {
            Ok(choice) => Answer::new(
                respond::sample(
                    service,
                    &choice,
                    window(op, &choice, inputs).as_ref(),
                    request,
                ),
                Some(&service.vendor),
            ),
            Err(detail) => {
                let detail = format!("{}: {detail}", op.id);
                let values = ErrorValues {
                    detail: &detail,
                    ..ErrorValues::default()
                };
                self.fail(Some(op.service), "no-such-response", values, request)
            }
        }
    }

    fn method_not_allowed(
        &self,
        service: usize,
        allow: HeaderValue,
        request: &MockRequest,
    ) -> Answer<'_> {
        let detail = format!(
            "{} is not allowed here; allowed: {}",
            request.method,
            allow.to_str().unwrap_or("")
        );
        let values = ErrorValues {
            detail: &detail,
            ..ErrorValues::default()
        };
        let mut answer = self.fail(Some(service), "method-not-allowed", values, request);
        answer.response.headers.insert(http::header::ALLOW, allow);
        answer
    }

    fn fail(
        &self,
        service: Option<usize>,
        kind: &str,
        values: ErrorValues<'_>,
        request: &MockRequest,
    ) -> Answer<'_> {
        let service = service.map(|i| &self.index.services[i]);
        Answer::new(
            respond::error(service, kind, values, request),
            service.map(|s| s.vendor.as_ref()),
        )
    }
}

/// The window of a paginated listing the request asks for; `None` when the chosen sample
/// is no listing (so a plain request costs no parameter lookups).
fn window(op: &Operation, choice: &Choice<'_>, inputs: &Inputs<'_>) -> Option<Window> {
    choice.prepared.paged.as_ref()?;
    Some(op.pagination.as_ref()?.window(&op.params, inputs))
}

/// Query pairs without the mock's own `__code` / `__example`, and the preference from those
/// and the `Prefer` header (the query form wins).
fn split_query(request: &MockRequest) -> (Vec<Pair<'_>>, Preference<'_>) {
    let mut pairs = decode_pairs(request.uri.query().unwrap_or(""));
    let mut from_query = Preference::default();
    pairs.retain(|(name, value)| match name.as_ref() {
        CODE_PARAM => {
            from_query.code = Some(value.clone());
            false
        }
        EXAMPLE_PARAM => {
            from_query.example = Some(value.clone());
            false
        }
        _ => true,
    });
    let from_header = request
        .header(PREFER)
        .map(Preference::from_header)
        .unwrap_or_default();
    (pairs, from_header.overridden_by(from_query))
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::{HeaderMap, HeaderValue};

    use super::*;
    use crate::auth::Credential;

    const HUAWEI: &str = "/v2/p/apigw/instances/i/apps/a/ai-api-keys";

    fn get(engine: &Engine, uri: &str, headers: &[(&'static str, &'static str)]) -> MockResponse {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        let uri = uri.parse().expect("uri");
        engine.handle(&MockRequest::new(Method::GET, uri, map, Bytes::new()))
    }

    #[test]
    fn stages_run_route_auth_validate_select() {
        let engine = Engine::new().expect("engine");
        let prefer = ("prefer", "code=404");
        // auth beats validation and preference
        let r = get(&engine, &format!("{HUAWEI}?limit=x"), &[prefer]);
        assert_eq!(r.status, 401);
        // validation beats preference
        let r = get(
            &engine,
            &format!("{HUAWEI}?limit=x"),
            &[("x-auth-token", "t"), prefer],
        );
        assert_eq!(r.status, 400);
        // then the preference is honoured
        let r = get(&engine, HUAWEI, &[("x-auth-token", "t"), prefer]);
        assert_eq!(r.status, 404);
        // routing beats everything
        assert_eq!(get(&engine, "/v2/p/unknown", &[prefer]).status, 404);
    }

    #[test]
    fn verify_mode_refuses_unknown_vendors_credentials_and_needs_none_otherwise() {
        assert!(Engine::builder().auth(AuthMode::Verify).build().is_ok());
        let bad = Engine::builder()
            .credential(Credential::new("nobody", "a", "b"))
            .build();
        assert!(matches!(bad, Err(StartError::Config(_))));
    }
}
