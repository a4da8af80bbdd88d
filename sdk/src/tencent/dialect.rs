//! Tencent's answers: `{code, message, codeDesc}`, where any `code` but 0 is an error, even
//! under HTTP 200. The page documents no request id; one in the body is used if present.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::Value;

use crate::call::{Inspection, ServiceFailure};

/// Codes a later attempt may not meet: 4400 (request rate over the limit), 6000 (internal
/// error), 6200 (API under maintenance).
const TRANSIENT: [i64; 3] = [4400, 6000, 6200];

#[derive(Deserialize, Default)]
struct Body {
    /// An integer on the wire; some docs print it as a string.
    code: Option<Value>,
    message: Option<String>,
    #[serde(rename = "requestId", alias = "RequestId")]
    request_id: Option<String>,
}

pub(super) fn inspect(_status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> Inspection {
    let parsed: Body = serde_json::from_slice(body).unwrap_or_default();
    let code = parsed.code.as_ref().and_then(|c| match c {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    let failure = code.filter(|c| *c != 0).map(|code| ServiceFailure {
        code: code.to_string(),
        message: parsed.message.unwrap_or_default(),
        transient: TRANSIENT.contains(&code),
    });
    Inspection {
        failure,
        request_id: parsed.request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_zero_code_under_200_is_a_failure() {
        let body = br#"{"code":4100,"message":"Authentication failed. Signature does not match","codeDesc":"AuthFailure"}"#;
        let failure = inspect(StatusCode::OK, &HeaderMap::new(), body)
            .failure
            .unwrap();
        assert_eq!((failure.code.as_str(), failure.transient), ("4100", false));
        let throttled = inspect(
            StatusCode::OK,
            &HeaderMap::new(),
            br#"{"code":4400,"message":"slow down"}"#,
        );
        assert!(throttled.failure.unwrap().transient);
    }

    #[test]
    fn zero_code_in_either_form_is_success() {
        for body in [&br#"{"code":0,"totalCount":0}"#[..], br#"{"code":"0"}"#] {
            assert!(
                inspect(StatusCode::OK, &HeaderMap::new(), body)
                    .failure
                    .is_none()
            );
        }
    }
}
