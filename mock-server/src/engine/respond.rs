//! A decision made into a response: a prepared sample, or the service's error template
//! filled in. Every response of a service carries a fresh request id where its spec says so.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::index::service::Service;
use crate::render::body;
use crate::render::builtin::{builtin_template, fallback};
use crate::render::page::Window;
use crate::render::request_id::RequestId;
use crate::render::template::{ErrorTemplate, Placeholders};
use crate::request::{MockRequest, MockResponse};
use crate::select::Choice;

/// The request-dependent parts of an error message.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ErrorValues<'a> {
    /// `{param}`.
    pub(crate) param: &'a str,
    /// `{in}`: where the parameter travels.
    pub(crate) location: &'a str,
    /// `{value}`.
    pub(crate) value: &'a str,
    /// `{detail}`.
    pub(crate) detail: &'a str,
}

/// A documented sample; cut to `window` when it is a paginated listing.
pub(crate) fn sample(
    service: &Service,
    choice: &Choice<'_>,
    window: Option<&Window>,
    request: &MockRequest,
) -> MockResponse {
    let id = service
        .request_id
        .as_ref()
        .map(|plan| RequestId::generate(plan.format));
    let id_text = id.as_ref().map_or("", RequestId::as_str);
    let mut headers = HeaderMap::with_capacity(choice.prepared.headers.len() + 2);
    for (name, value) in choice.prepared.headers.iter() {
        headers.insert(name.clone(), value.clone());
    }
    add_service_headers(service, id.as_ref(), request, &mut headers);
    let prepared = choice.prepared;
    let paged = window
        .zip(prepared.paged.as_ref())
        .and_then(|(window, paged)| paged.render(window, id_text, request));
    MockResponse {
        status: choice.status,
        headers,
        body: paged.unwrap_or_else(|| prepared.body.render(id_text)),
    }
}

/// The service's answer of `kind` (falling back along [`fallback`], then to a built-in
/// answer); without a service (a path no spec knows) the built-in answer.
pub(crate) fn error(
    service: Option<&Service>,
    kind: &str,
    values: ErrorValues<'_>,
    request: &MockRequest,
) -> MockResponse {
    let id = service
        .and_then(|s| s.request_id.as_ref())
        .map(|plan| RequestId::generate(plan.format));
    let placeholders = Placeholders {
        param: values.param,
        location: values.location,
        value: values.value,
        detail: values.detail,
        request_id: id.as_ref().map_or("", RequestId::as_str),
        host: request.host(),
        method: request.method.as_str(),
        path: request.uri.path(),
        api_version: service.map_or("", |s| &s.api_version),
    };
    let found = service.and_then(|s| template_for(s, kind));
    let builtin;
    let template = match found {
        Some(t) => t,
        None => {
            builtin = builtin_template(kind, service.and_then(|s| s.error_fields.as_ref()));
            &builtin
        }
    };
    let rendered = template.render(&placeholders);
    let mut body = rendered.body;
    if let (Some(plan), Some(id)) = (service.and_then(|s| s.request_id.as_ref()), &id) {
        body::set_top_level(&mut body, &plan.body_fields, id.as_str());
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    for (name, value) in rendered.headers {
        headers.insert(name, value);
    }
    if let Some(service) = service {
        add_service_headers(service, id.as_ref(), request, &mut headers);
    }
    MockResponse {
        status: rendered.status,
        headers,
        body: Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
    }
}

/// The request-id header and the echoed headers.
fn add_service_headers(
    service: &Service,
    id: Option<&RequestId>,
    request: &MockRequest,
    headers: &mut HeaderMap,
) {
    let (Some(plan), Some(id)) = (&service.request_id, id) else {
        return;
    };
    if let Some(name) = &plan.header
        && let Ok(value) = HeaderValue::from_str(id.as_str())
    {
        headers.insert(name.clone(), value);
    }
    for (from, to) in &plan.echo {
        // ARM answers with a fresh id when the client sent none; so does the mock.
        let value = request.headers.get(from).cloned().unwrap_or_else(|| {
            HeaderValue::from_str(RequestId::generate(plan.format).as_str())
                .unwrap_or(HeaderValue::from_static(""))
        });
        headers.insert(HeaderName::clone(to), value);
    }
}

/// The spec's template for `kind`, or for the nearest kind it falls back to.
fn template_for<'s>(service: &'s Service, kind: &str) -> Option<&'s ErrorTemplate> {
    let mut kind = kind;
    loop {
        if let Some(template) = service.errors.get(kind) {
            return Some(template);
        }
        kind = fallback(kind)?;
    }
}
