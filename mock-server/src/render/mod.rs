//! Turning a decision into a response: a prepared sample, or an error template filled in.
//! Every response of a service carries a fresh request id where its spec says so.

pub(crate) mod body;
pub(crate) mod page;
pub(crate) mod request_id;
pub(crate) mod template;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_yaml::Value;

use crate::index::pagination::Window;
use crate::index::service::Service;
use crate::request::{MockRequest, MockResponse};
use crate::select::Choice;
use crate::spec::extensions::ErrorFieldsExt;
use request_id::RequestId;
use template::{ErrorTemplate, Placeholders};

/// The request-dependent parts of an error message.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ErrorValues<'a> {
    pub(crate) param: &'a str,
    pub(crate) value: &'a str,
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
        .and_then(|(window, paged)| paged.render(window, id_text));
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

/// The kind whose template answers when a spec lacks `kind`'s own.
pub(crate) fn fallback(kind: &str) -> Option<&'static str> {
    match kind {
        "unknown-access-key" | "signature-mismatch" | "timestamp-expired" | "nonce-replayed" => {
            Some("auth-malformed")
        }
        "auth-malformed" => Some("auth-missing"),
        "method-not-allowed" => Some("route-not-found"),
        "payload-too-large" | "throttled" | "no-such-response" => Some("internal-error"),
        "invalid-parameter" | "auth-missing" | "route-not-found" | "internal-error" => None,
        // missing-parameter, unsupported-media-type, unknown-action, a parameter's own kinds
        _ => Some("invalid-parameter"),
    }
}

/// The mock's own answer for a kind no template covers: in the vendor's dialect
/// (`x-keygate.errorFields`) when the spec gives one, else `{"code", "message"}`.
fn builtin_template(kind: &str, dialect: Option<&ErrorFieldsExt>) -> ErrorTemplate {
    let status = match kind {
        "route-not-found" => StatusCode::NOT_FOUND,
        "method-not-allowed" => StatusCode::METHOD_NOT_ALLOWED,
        "payload-too-large" => StatusCode::PAYLOAD_TOO_LARGE,
        "unsupported-media-type" => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "throttled" => StatusCode::TOO_MANY_REQUESTS,
        "internal-error" | "no-such-response" => StatusCode::INTERNAL_SERVER_ERROR,
        k if k.starts_with("auth") || k.contains("signature") || k.contains("key") => {
            StatusCode::UNAUTHORIZED
        }
        _ => StatusCode::BAD_REQUEST,
    };
    let message = match kind {
        "route-not-found" => {
            "keygate-mock: no operation of the loaded specs is served at {method} {path}"
        }
        _ => "keygate-mock: {kind}: {param} {detail}",
    }
    .replace("{kind}", kind);
    let mut body = Value::Mapping(serde_yaml::Mapping::new());
    match dialect {
        Some(fields) => {
            set_pointer(&mut body, &fields.code, kind);
            set_pointer(&mut body, &fields.message, &message);
            if let Some(pointer) = &fields.request_id {
                set_pointer(&mut body, pointer, "{requestId}");
            }
        }
        None => {
            set_pointer(&mut body, "/code", kind);
            set_pointer(&mut body, "/message", &message);
        }
    }
    ErrorTemplate::builtin(status, body)
}

/// Sets the string at a JSON pointer, creating objects on the way.
fn set_pointer(root: &mut Value, pointer: &str, text: &str) {
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        if !node.is_mapping() {
            *node = Value::Mapping(serde_yaml::Mapping::new());
        }
        let Value::Mapping(map) = node else {
            return;
        };
        node = map
            .entry(Value::String(token.to_owned()))
            .or_insert(Value::Null);
    }
    *node = Value::String(text.to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_answers_speak_the_vendor_dialect() {
        let dialect = ErrorFieldsExt {
            code: "/error/code".into(),
            message: "/error/message".into(),
            request_id: None,
            ok_code: None,
        };
        let template = builtin_template("throttled", Some(&dialect));
        let rendered = template.render(&Placeholders::default());
        assert_eq!(rendered.status, StatusCode::TOO_MANY_REQUESTS);
        let json = serde_json::to_value(&rendered.body).unwrap();
        assert_eq!(json["error"]["code"], "throttled");
    }

    #[test]
    fn every_kind_falls_back_to_a_root_kind() {
        for kind in [
            "nonce-replayed",
            "missing-api-version",
            "payload-too-large",
            "method-not-allowed",
            "unknown-action",
        ] {
            let mut k = kind;
            let mut hops = 0;
            while let Some(next) = fallback(k) {
                k = next;
                hops += 1;
                assert!(hops < 5, "{kind} loops");
            }
        }
    }
}
