//! The admin surface over HTTP: the [state administration](super::admin) served
//! over HTTP under [`ADMIN_PREFIX`] (`/__keygate/`) to every transport, before any vendor's
//! routing:
//!
//! | Request | Answer |
//! |---|---|
//! | `GET /__keygate/state` | the [dump](Engine::state_dump), secrets [`REDACTED`](super::REDACTED); `?secrets=reveal` shows them to a caller holding the admin token |
//! | `DELETE /__keygate/state` | every vendor back to the documented seeds |
//! | `DELETE /__keygate/state/{vendor}` | one vendor back to its seeds |
//! | `GET /__keygate/journal` | the [journal](Engine::journal), a JSON array |
//! | `DELETE /__keygate/journal` | the journal emptied |
//!
//! Answers are JSON in the mock's own neutral format, never a vendor's: errors are
//! `{"code", "message"}`, like the mock's answer to a path no spec knows. Admin requests skip
//! auth, validation and faults (they are no vendor's), and are not journaled: the journal
//! tells what a client under test did to the vendors, and a harness reading it should not
//! find its own reads there, nor have them push the client's requests out of the bounded
//! journal. The transport's request log line still names them.
//!
//! Who may call it is [`AdminAccess`]; see [`EngineBuilder::admin_access`](super::EngineBuilder::admin_access).

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use keygate_auth::SecretString;
use serde::Serialize;
use serde_json::json;
use subtle::ConstantTimeEq;

use super::{Answer, Engine};
use crate::request::{MockRequest, MockResponse, decode_pairs, decode_segment};

/// Every path under it is the mock's own admin surface, answered before any vendor's routing
/// (no vendor path starts so).
pub const ADMIN_PREFIX: &str = "/__keygate/";

/// The operation name the request log line gives an admin request.
const ADMIN_OPERATION: &str = "keygate-admin";

/// Who may use the admin surface under [`ADMIN_PREFIX`].
///
/// The rule of [`MockServer`](crate::MockServer): on a loopback address the surface is
/// [`Open`](Self::Open); on any other it is [`TokenRequired`](Self::TokenRequired), whatever
/// the builder says. An [`Engine`] used directly (in-process, wiremock) is open unless told
/// otherwise.
///
/// Either way, a dump shows secret values only to a caller that sends the admin token
/// (`Authorization: Bearer <token>`) and asks for them (`?secrets=reveal`); without a
/// configured token nobody can.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AdminAccess {
    /// Anyone who can reach the mock may reset, dump (redacted) and read the journal.
    #[default]
    Open,
    /// Every admin request must carry `Authorization: Bearer <admin token>`; without a
    /// configured token every admin request is refused (401).
    TokenRequired,
}

/// The access rule and the token, as the engine keeps them.
#[derive(Clone, Default)]
pub(crate) struct AdminPolicy {
    pub(crate) access: AdminAccess,
    pub(crate) token: Option<SecretString>,
}

impl fmt::Debug for AdminPolicy {
    /// Whether there is a token, never the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminPolicy")
            .field("access", &self.access)
            .field("token", &self.token.as_ref().map(|_| "set"))
            .finish()
    }
}

/// What the caller of an admin request proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    /// Sent the configured admin token.
    HoldsToken,
    /// Sent no `Authorization: Bearer` token.
    Anonymous,
    /// Sent a bearer token that is not the admin token (or none is configured).
    WrongToken,
}

impl AdminPolicy {
    /// What the request's `Authorization: Bearer` header proves, the token compared in
    /// constant time (`subtle`: the comparison takes as long whichever byte differs; only
    /// the token's length can be told apart, which says nothing about its bytes).
    fn caller(&self, request: &MockRequest) -> Caller {
        let Some(presented) = request
            .header(header::AUTHORIZATION)
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
        else {
            return Caller::Anonymous;
        };
        match &self.token {
            Some(token)
                if bool::from(token.expose_secret().as_bytes().ct_eq(presented.as_bytes())) =>
            {
                Caller::HoldsToken
            }
            _ => Caller::WrongToken,
        }
    }
}

/// Whether `path` is the admin surface's (`/__keygate` or under [`ADMIN_PREFIX`]).
pub(crate) fn is_admin_path(path: &str) -> bool {
    path.strip_prefix("/__keygate")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// An admin endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint<'p> {
    State,
    VendorState(&'p str),
    Journal,
}

impl Endpoint<'_> {
    fn allow(self) -> &'static str {
        match self {
            Self::State | Self::Journal => "GET, DELETE",
            Self::VendorState(_) => "DELETE",
        }
    }
}

/// `{"code", "message"}`, the mock's neutral error answer.
fn refusal(status: StatusCode, code: &str, message: &str) -> MockResponse {
    json_response(
        status,
        &json!({"code": code, "message": format!("keygate-mock: {message}")}),
    )
}

fn json_response(status: StatusCode, body: &impl Serialize) -> MockResponse {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // A dump may hold secrets, a journal a client's paths: nothing here is for a cache.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let body = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    MockResponse {
        status,
        headers,
        body: Bytes::from(body),
    }
}

/// 401 with the challenge a bearer client expects.
fn unauthorized(message: &str, wrong_token: bool) -> MockResponse {
    let mut response = refusal(StatusCode::UNAUTHORIZED, "unauthorized", message);
    let challenge = if wrong_token {
        "Bearer realm=\"keygate-mock admin\", error=\"invalid_token\""
    } else {
        "Bearer realm=\"keygate-mock admin\""
    };
    response.headers.insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

impl Engine {
    /// The answer to a request under [`ADMIN_PREFIX`]; `can_wait`: the transport can await a
    /// shared (Redis) store.
    pub(crate) async fn admin(&self, request: &MockRequest, can_wait: bool) -> Answer<'_> {
        let mut answer = Answer::new(self.admin_response(request, can_wait).await, None);
        answer.operation = Some(ADMIN_OPERATION);
        answer
    }

    async fn admin_response(&self, request: &MockRequest, can_wait: bool) -> MockResponse {
        let caller = self.admin.caller(request);
        if self.admin.access == AdminAccess::TokenRequired && caller != Caller::HoldsToken {
            return match (&self.admin.token, caller) {
                (None, _) => unauthorized(
                    "the admin surface needs a token on this address, and none is configured \
                     (--admin-token / KEYGATE_MOCK_ADMIN_TOKEN)",
                    false,
                ),
                (Some(_), Caller::WrongToken) => {
                    unauthorized("the bearer token is not the admin token", true)
                }
                (Some(_), _) => unauthorized(
                    "the admin surface needs Authorization: Bearer <admin token> on this address",
                    false,
                ),
            };
        }
        let path = request.uri.path();
        let rest = path.strip_prefix("/__keygate").unwrap_or_default();
        let segments: Vec<&str> = rest.strip_prefix('/').unwrap_or(rest).split('/').collect();
        let endpoint = match segments.as_slice() {
            ["state"] => Endpoint::State,
            ["state", vendor] if !vendor.is_empty() => Endpoint::VendorState(vendor),
            ["journal"] => Endpoint::Journal,
            _ => {
                let message = format!(
                    "no admin endpoint at {path}; there are GET|DELETE /__keygate/state, \
                     DELETE /__keygate/state/{{vendor}}, GET|DELETE /__keygate/journal"
                );
                return refusal(StatusCode::NOT_FOUND, "route-not-found", &message);
            }
        };
        let allowed = matches!(
            (endpoint, &request.method),
            (
                Endpoint::State | Endpoint::Journal,
                &Method::GET | &Method::DELETE
            ) | (Endpoint::VendorState(_), &Method::DELETE)
        );
        if !allowed {
            let message = format!(
                "{} is not allowed at {path}; allowed: {}",
                request.method,
                endpoint.allow()
            );
            let mut response = refusal(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                &message,
            );
            response
                .headers
                .insert(header::ALLOW, HeaderValue::from_static(endpoint.allow()));
            return response;
        }
        let reveal = match Self::admin_query(request, endpoint) {
            Ok(reveal) => reveal,
            Err(message) => {
                return refusal(StatusCode::BAD_REQUEST, "invalid-parameter", &message);
            }
        };
        if reveal {
            match (&self.admin.token, caller) {
                (None, _) => {
                    return refusal(
                        StatusCode::FORBIDDEN,
                        "forbidden",
                        "secrets are shown only to a caller holding the admin token, and none \
                         is configured (--admin-token / KEYGATE_MOCK_ADMIN_TOKEN)",
                    );
                }
                (Some(_), Caller::HoldsToken) => {}
                (Some(_), Caller::WrongToken) => {
                    return unauthorized("the bearer token is not the admin token", true);
                }
                (Some(_), Caller::Anonymous) => {
                    return unauthorized(
                        "secrets are shown only with Authorization: Bearer <admin token>",
                        false,
                    );
                }
            }
        }
        match (endpoint, &request.method) {
            (Endpoint::Journal, &Method::GET) => json_response(StatusCode::OK, &self.journal()),
            (Endpoint::Journal, _) => {
                self.clear_journal();
                json_response(StatusCode::OK, &json!({"cleared": "journal"}))
            }
            (Endpoint::VendorState(raw), _) => {
                let known = decode_segment(raw)
                    .and_then(|vendor| self.vendors().find(|v| *v == vendor.as_ref()));
                match known {
                    Some(vendor) => self.admin_state(None, Some(vendor), can_wait).await,
                    None => {
                        let vendors: Vec<&str> = self.vendors().collect();
                        let message = format!(
                            "no vendor {raw:?} is served; vendors: {}",
                            vendors.join(", ")
                        );
                        refusal(StatusCode::NOT_FOUND, "unknown-vendor", &message)
                    }
                }
            }
            (Endpoint::State, &Method::GET) => self.admin_state(Some(reveal), None, can_wait).await,
            (Endpoint::State, _) => self.admin_state(None, None, can_wait).await,
        }
    }

    /// Whether the query asks for secrets (`secrets=reveal`); anything else than
    /// `secrets=reveal|redact` on `GET /__keygate/state` is refused, as is any query
    /// parameter elsewhere: a misspelt option is said so, not silently ignored. The error is
    /// the message of the 400.
    fn admin_query(request: &MockRequest, endpoint: Endpoint<'_>) -> Result<bool, String> {
        let mut reveal = false;
        for (name, value) in decode_pairs(request.uri.query().unwrap_or("")) {
            let dump = endpoint == Endpoint::State && request.method == Method::GET;
            match (name.as_ref(), value.as_ref()) {
                ("secrets", "reveal") if dump => reveal = true,
                ("secrets", "redact") if dump => reveal = false,
                ("secrets", _) if dump => return Err("secrets must be reveal or redact".into()),
                _ => {
                    return Err(format!(
                        "unknown query parameter {:?} at {}",
                        crate::text::truncated(&name, 64),
                        request.uri.path()
                    ));
                }
            }
        }
        Ok(reveal)
    }

    /// A dump (`Some(reveal)`) or a reset (of `vendor`, or all): 409 when state is off, 503
    /// when the store does not answer.
    async fn admin_state(
        &self,
        dump: Option<bool>,
        vendor: Option<&str>,
        can_wait: bool,
    ) -> MockResponse {
        let Some(state) = &self.state else {
            return refusal(
                StatusCode::CONFLICT,
                "state-off",
                "state is off (--state off): there is nothing to reset or dump",
            );
        };
        if state.is_shared() && !can_wait {
            return refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "state is kept in Redis: this transport cannot wait for it (use the server, \
                 or the engine's async methods)",
            );
        }
        let result = match dump {
            Some(reveal) => self
                .state_dump(reveal)
                .await
                .map(|dump| json_response(StatusCode::OK, &dump)),
            None => self.reset_state(vendor).await.map(|()| {
                let reset: Vec<&str> = match vendor {
                    Some(vendor) => vec![vendor],
                    None => self.vendors().collect(),
                };
                json_response(StatusCode::OK, &json!({ "reset": reset }))
            }),
        };
        result.unwrap_or_else(|error| {
            let mut response = refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                &error.to_string(),
            );
            response
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        })
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::{HeaderMap, HeaderValue, Method};

    use super::*;

    fn request(method: Method, uri: &str, authorization: Option<&'static str>) -> MockRequest {
        let mut headers = HeaderMap::new();
        if let Some(value) = authorization {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
        }
        MockRequest::new(method, uri.parse().expect("uri"), headers, Bytes::new())
    }

    #[test]
    fn admin_paths_are_those_under_the_prefix() {
        assert!(is_admin_path("/__keygate"));
        assert!(is_admin_path("/__keygate/state"));
        assert!(!is_admin_path("/__keygateway/state"));
        assert!(!is_admin_path("/v2/__keygate/state"));
    }

    #[test]
    fn the_bearer_token_is_read_case_insensitively_and_compared_whole() {
        let policy = AdminPolicy {
            access: AdminAccess::TokenRequired,
            token: Some(SecretString::from("s3cret")),
        };
        let caller = |auth| policy.caller(&request(Method::GET, "/__keygate/state", auth));
        assert_eq!(caller(Some("Bearer s3cret")), Caller::HoldsToken);
        assert_eq!(caller(Some("bearer  s3cret")), Caller::HoldsToken);
        assert_eq!(caller(Some("Bearer s3cre")), Caller::WrongToken);
        assert_eq!(caller(Some("Bearer s3cretx")), Caller::WrongToken);
        assert_eq!(caller(Some("Basic s3cret")), Caller::Anonymous);
        assert_eq!(caller(None), Caller::Anonymous);
        let without = AdminPolicy::default();
        let request = request(Method::GET, "/__keygate/state", Some("Bearer s3cret"));
        assert_eq!(without.caller(&request), Caller::WrongToken);
        assert!(!format!("{policy:?}").contains("s3cret"));
    }

    #[test]
    fn an_engine_used_directly_is_open_unless_told_otherwise() {
        let journal = request(Method::GET, "/__keygate/journal", None);
        let open = Engine::builder().build().expect("engine");
        assert_eq!(open.handle(&journal).status, StatusCode::OK);
        let dump = request(Method::GET, "/__keygate/state", None);
        assert_eq!(open.handle(&dump).status, StatusCode::OK);
        let closed = Engine::builder()
            .admin_access(AdminAccess::TokenRequired)
            .admin_token("s3cret")
            .build()
            .expect("engine");
        let refused = closed.handle(&journal);
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert!(refused.headers.contains_key(header::WWW_AUTHENTICATE));
        let allowed = request(Method::GET, "/__keygate/journal", Some("Bearer s3cret"));
        assert_eq!(closed.handle(&allowed).status, StatusCode::OK);
        // Admin requests are not journaled.
        assert!(closed.journal().is_empty());
    }
}
