//! Alibaba's answers: POP error bodies (`Code`, `Message`, `RequestId`) and APIG business
//! bodies (`code`, `message`, `requestId`); the `x-acs-request-id` header wins over the body.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::call::{Inspection, ServiceFailure, header};

/// The fields of either body shape that matter here; everything else is skipped.
#[derive(Deserialize, Default)]
struct Body {
    #[serde(rename = "Code")]
    code_pop: Option<String>,
    #[serde(rename = "code")]
    code: Option<String>,
    #[serde(rename = "Message")]
    message_pop: Option<String>,
    #[serde(rename = "message")]
    message: Option<String>,
    #[serde(rename = "RequestId")]
    request_id_pop: Option<String>,
    #[serde(rename = "requestId")]
    request_id: Option<String>,
}

pub(super) fn inspect(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Inspection {
    let header_id = header(headers, "x-acs-request-id");
    let is_error = status.is_client_error() || status.is_server_error();
    if header_id.is_some() && !is_error {
        return Inspection {
            failure: None,
            request_id: header_id,
        };
    }
    let parsed: Option<Body> = serde_json::from_slice(body).ok();
    let parsed = parsed.unwrap_or_default();
    let failure = is_error
        .then(|| {
            let code = parsed.code_pop.or(parsed.code)?;
            let message = parsed.message_pop.or(parsed.message).unwrap_or_default();
            let transient = code.starts_with("Throttling") || code == "ServiceUnavailable";
            Some(ServiceFailure {
                code,
                message,
                transient,
            })
        })
        .flatten();
    Inspection {
        failure,
        request_id: header_id.or(parsed.request_id_pop).or(parsed.request_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pop_error_with_header_id() {
        let mut headers = HeaderMap::new();
        headers.insert("x-acs-request-id", "HDR-ID".parse().unwrap());
        let body = br#"{"RequestId":"BODY-ID","HostId":"h","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;
        let found = inspect(StatusCode::BAD_REQUEST, &headers, body);
        let failure = found.failure.unwrap();
        assert_eq!(failure.code, "Throttling.User");
        assert!(failure.transient);
        assert_eq!(found.request_id.as_deref(), Some("HDR-ID"));
    }

    #[test]
    fn camel_case_body_and_success() {
        let body = br#"{"requestId":"R1","code":"Ok","message":"success","data":{}}"#;
        let found = inspect(StatusCode::OK, &HeaderMap::new(), body);
        assert!(found.failure.is_none());
        assert_eq!(found.request_id.as_deref(), Some("R1"));
        let error = inspect(
            StatusCode::NOT_FOUND,
            &HeaderMap::new(),
            br#"{"requestId":"R2","code":"NotFound.Secret","message":"gone"}"#,
        );
        assert_eq!(error.failure.unwrap().code, "NotFound.Secret");
        assert_eq!(error.request_id.as_deref(), Some("R2"));
    }

    #[test]
    fn error_status_without_a_body_is_no_service_failure() {
        let found = inspect(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            b"<html>bad gateway</html>",
        );
        assert!(found.failure.is_none());
    }
}
