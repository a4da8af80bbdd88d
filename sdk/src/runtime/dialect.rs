//! Reading a vendor's answers in its dialect: error code and message, request id.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::vendor::Dialect;
use crate::call::{Inspection, ServiceFailure};

impl Dialect {
    /// What an answer says: the vendor's error, if it is one, and the request id.
    ///
    /// An error is a non-2xx answer whose body has a code, or, where errors share the
    /// success status, any code but the success code. The request id comes from the
    /// header when there is one, else from the body. The body is parsed only when it can
    /// change the outcome.
    pub(crate) fn inspect(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Inspection {
        let header_id = self
            .request_id_header
            .and_then(|name| header(headers, name));
        let failing_status = !status.is_success();
        let body_matters = failing_status
            || self.ok_code.is_some()
            || (header_id.is_none() && !self.request_id.is_empty());
        let parsed = body_matters
            .then(|| serde_json::from_slice::<Value>(body).ok())
            .flatten();
        let Some(parsed) = parsed else {
            return Inspection {
                failure: None,
                request_id: header_id,
            };
        };
        let code = first_text(self.code, &parsed);
        let is_failure = match self.ok_code {
            Some(ok) => code.as_deref().is_some_and(|c| c != ok),
            None => failing_status,
        };
        let failure = code.filter(|_| is_failure).map(|code| ServiceFailure {
            transient: self.is_retryable(&code),
            message: first_text(self.message, &parsed).unwrap_or_default(),
            code,
        });
        Inspection {
            failure,
            request_id: header_id.or_else(|| first_text(self.request_id, &parsed)),
        }
    }

    fn is_retryable(&self, code: &str) -> bool {
        self.retryable
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => code.starts_with(prefix),
                None => code == *pattern,
            })
    }
}

/// The first pointer with a non-null value, as text (Tencent's codes are numbers).
fn first_text(pointers: &[&str], body: &Value) -> Option<String> {
    pointers
        .iter()
        .filter_map(|p| body.pointer(p))
        .find(|v| !v.is_null())
        .map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
}

/// A response header as text, when present and printable.
fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POP_AND_BUSINESS: Dialect = Dialect {
        code: &["/Code", "/code"],
        message: &["/Message", "/message"],
        request_id: &["/RequestId", "/requestId"],
        request_id_header: Some("x-acs-request-id"),
        ok_code: None,
        retryable: &["Throttling*", "ServiceUnavailable"],
    };

    const IN_BODY_CODE: Dialect = Dialect {
        code: &["/code"],
        message: &["/message"],
        request_id: &[],
        request_id_header: None,
        ok_code: Some("0"),
        retryable: &["4400"],
    };

    #[test]
    fn header_request_id_wins_and_prefix_codes_retry() {
        let mut headers = HeaderMap::new();
        headers.insert("x-acs-request-id", "HDR".parse().unwrap());
        let body = br#"{"RequestId":"BODY","Code":"Throttling.User","Message":"slow"}"#;
        let found = POP_AND_BUSINESS.inspect(StatusCode::BAD_REQUEST, &headers, body);
        let failure = found.failure.unwrap();
        assert_eq!(
            (failure.code.as_str(), failure.transient),
            ("Throttling.User", true)
        );
        assert_eq!(found.request_id.as_deref(), Some("HDR"));
    }

    #[test]
    fn second_body_shape_and_body_request_id() {
        let body = br#"{"requestId":"R2","code":"NotFound.Secret","message":"gone"}"#;
        let found = POP_AND_BUSINESS.inspect(StatusCode::NOT_FOUND, &HeaderMap::new(), body);
        assert_eq!(found.failure.unwrap().code, "NotFound.Secret");
        assert_eq!(found.request_id.as_deref(), Some("R2"));
        let ok = POP_AND_BUSINESS.inspect(
            StatusCode::OK,
            &HeaderMap::new(),
            br#"{"requestId":"R1","code":"Ok"}"#,
        );
        assert!(ok.failure.is_none());
        assert_eq!(ok.request_id.as_deref(), Some("R1"));
    }

    #[test]
    fn error_status_without_an_error_body_is_no_service_failure() {
        let found = POP_AND_BUSINESS.inspect(StatusCode::BAD_GATEWAY, &HeaderMap::new(), b"<html>");
        assert!(found.failure.is_none());
    }

    #[test]
    fn codes_under_200_fail_unless_the_success_code() {
        let failing = IN_BODY_CODE.inspect(
            StatusCode::OK,
            &HeaderMap::new(),
            br#"{"code":4400,"message":"slow"}"#,
        );
        let failure = failing.failure.unwrap();
        assert_eq!((failure.code.as_str(), failure.transient), ("4400", true));
        for body in [&br#"{"code":0}"#[..], br#"{"code":"0"}"#] {
            assert!(
                IN_BODY_CODE
                    .inspect(StatusCode::OK, &HeaderMap::new(), body)
                    .failure
                    .is_none()
            );
        }
    }
}
