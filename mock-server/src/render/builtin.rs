//! What answers an error kind that a spec has no template for: the template of a related
//! kind, else the mock's own answer in the vendor's dialect.

use http::StatusCode;
use keygate_spec::ext::ErrorFields;
use serde_yaml::Value;

use super::template::ErrorTemplate;

/// The kind whose template answers when a spec lacks `kind`'s own.
pub(crate) fn fallback(kind: &str) -> Option<&'static str> {
    match kind {
        "unknown-access-key" | "signature-mismatch" | "timestamp-expired" | "nonce-replayed" => {
            Some("auth-malformed")
        }
        "auth-malformed" => Some("auth-missing"),
        "method-not-allowed" => Some("route-not-found"),
        // The shared state store is unreachable: the service's "try again later".
        "unavailable" => Some("throttled"),
        "payload-too-large" | "throttled" | "no-such-response" => Some("internal-error"),
        "invalid-parameter" | "auth-missing" | "route-not-found" | "internal-error" => None,
        // missing-parameter, unsupported-media-type, unknown-action, a parameter's own kinds
        _ => Some("invalid-parameter"),
    }
}

/// The mock's own answer for a kind no template covers: in the vendor's dialect
/// (`x-keygate.errorFields`, its first pointer of each) when the spec gives one, else
/// `{"code", "message"}`.
pub(crate) fn builtin_template(kind: &str, dialect: Option<&ErrorFields>) -> ErrorTemplate {
    let status = match kind {
        "route-not-found" => StatusCode::NOT_FOUND,
        "method-not-allowed" => StatusCode::METHOD_NOT_ALLOWED,
        "payload-too-large" => StatusCode::PAYLOAD_TOO_LARGE,
        "unsupported-media-type" => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "throttled" => StatusCode::TOO_MANY_REQUESTS,
        "unavailable" => StatusCode::SERVICE_UNAVAILABLE,
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
    let (code, text, request_id) = match dialect {
        Some(fields) => (
            fields.code.first().map_or("/code", String::as_str),
            fields.message.first().map_or("/message", String::as_str),
            fields.request_id.first().map(String::as_str),
        ),
        None => ("/code", "/message", None),
    };
    let mut body = Value::Mapping(serde_yaml::Mapping::new());
    set_pointer(&mut body, code, kind);
    set_pointer(&mut body, text, &message);
    if let Some(pointer) = request_id {
        set_pointer(&mut body, pointer, "{requestId}");
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
    use crate::render::template::Placeholders;

    #[test]
    fn builtin_answers_speak_the_vendor_dialect() {
        let dialect: ErrorFields =
            serde_yaml::from_str("{code: [/error/code, /code], message: /error/message}").unwrap();
        let template = builtin_template("throttled", Some(&dialect));
        let rendered = template.render(&Placeholders::default());
        assert_eq!(rendered.status, StatusCode::TOO_MANY_REQUESTS);
        let json = serde_json::to_value(&rendered.body).unwrap();
        assert_eq!(json["error"]["code"], "throttled");
        assert!(
            json.get("code").is_none(),
            "only the first pointer is written"
        );
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
