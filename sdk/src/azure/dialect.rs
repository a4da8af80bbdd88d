//! ARM's answers: `{"error": {"code", "message", …}}` and the `x-ms-request-id` header.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::call::{Inspection, ServiceFailure, header};

#[derive(Deserialize)]
struct Body {
    error: Option<Detail>,
}

#[derive(Deserialize)]
struct Detail {
    code: Option<String>,
    message: Option<String>,
}

pub(super) fn inspect(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Inspection {
    let request_id = header(headers, "x-ms-request-id");
    let failure = if status.is_success() {
        None
    } else {
        serde_json::from_slice::<Body>(body)
            .ok()
            .and_then(|b| b.error)
            .and_then(|detail| {
                Some(ServiceFailure {
                    code: detail.code?,
                    message: detail.message.unwrap_or_default(),
                    transient: false,
                })
            })
    };
    Inspection {
        failure,
        request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_error_with_request_id() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ms-request-id", "5e8a".parse().unwrap());
        let body = br#"{"error":{"code":"AuthenticationFailed","message":"Authentication failed. The 'Authorization' header is missing."}}"#;
        let found = inspect(StatusCode::UNAUTHORIZED, &headers, body);
        assert_eq!(found.failure.unwrap().code, "AuthenticationFailed");
        assert_eq!(found.request_id.as_deref(), Some("5e8a"));
    }
}
