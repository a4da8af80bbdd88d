//! Huawei's answers: `{error_code, error_msg, request_id?}`; the `X-Request-Id` header wins.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::call::{Inspection, ServiceFailure, header};

/// The gateway's throttling code (sent with 429, which is retried on its own anyway).
const THROTTLED: &str = "APIG.0308";

#[derive(Deserialize)]
struct Body {
    error_code: Option<String>,
    error_msg: Option<String>,
    request_id: Option<String>,
}

pub(super) fn inspect(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Inspection {
    let header_id = header(headers, "x-request-id");
    if status.is_success() {
        return Inspection {
            failure: None,
            request_id: header_id,
        };
    }
    let Ok(parsed) = serde_json::from_slice::<Body>(body) else {
        return Inspection {
            failure: None,
            request_id: header_id,
        };
    };
    let failure = parsed.error_code.map(|code| ServiceFailure {
        transient: code == THROTTLED,
        code,
        message: parsed.error_msg.unwrap_or_default(),
    });
    Inspection {
        failure,
        request_id: header_id.or(parsed.request_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_request_id_when_no_header() {
        let body = br#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"2a7b"}"#;
        let found = inspect(StatusCode::UNAUTHORIZED, &HeaderMap::new(), body);
        assert_eq!(found.failure.unwrap().code, "APIGW.0301");
        assert_eq!(found.request_id.as_deref(), Some("2a7b"));
    }
}
