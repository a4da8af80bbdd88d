//! Root `x-keygate`: what a vendor's service does that a schema cannot say.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{Extensions, one_or_many, plain_text, read};

/// Root `x-keygate`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceExt {
    /// Vendor name: SDK module, log field, and the key of `--credential vendor:id:secret`.
    pub vendor: String,
    /// Where code, message and request id sit in an error body.
    #[serde(default)]
    pub error_fields: Option<ErrorFields>,
    /// Where the service puts a fresh request id.
    #[serde(default)]
    pub request_id: Option<RequestIdExt>,
    /// Error templates by kind.
    #[serde(default)]
    pub errors: BTreeMap<String, ErrorTemplateExt>,
    /// RPC-style dispatch on a parameter.
    #[serde(default)]
    pub rpc: Option<RpcExt>,
    /// `components/parameters` every request carries besides the operation's own.
    #[serde(default)]
    pub common_parameters: Vec<String>,
    /// What the mock keeps between requests, by resource name.
    #[serde(default)]
    pub resources: BTreeMap<String, super::ResourceExt>,
}

impl ServiceExt {
    /// The root `x-keygate` of a document; `None` when it has none.
    pub fn read(document: &(impl Extensions + ?Sized)) -> Result<Option<Self>, String> {
        read(document, "x-keygate")
    }
}

/// `x-keygate.requestId`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestIdExt {
    /// Response header that carries the id.
    #[serde(default)]
    pub header: Option<String>,
    /// Shape of the id.
    pub format: IdFormat,
    /// Top-level JSON fields overwritten with the id in every body that has them.
    #[serde(default)]
    pub body_fields: Vec<String>,
    /// Request header -> response header copied back.
    #[serde(default)]
    pub echo: BTreeMap<String, String>,
}

/// The shape of a generated request id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdFormat {
    /// `5e8a9b1c-2d3f-4a5b-8c7d-9e0f1a2b3c4d`
    Uuid,
    /// `CE857A85-251D-5018-8103-A38957D71F2A`
    UuidUpper,
    /// `2a7b1c0e5f4d4e3c9b8a7f6e5d4c3b2a`
    Hex32,
}

/// One entry of `x-keygate.errors`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorTemplateExt {
    /// HTTP status.
    pub status: u16,
    /// Extra response headers (values may hold placeholders).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// JSON body with placeholders in string values.
    pub body: Value,
}

/// `x-keygate.errorFields`: the vendor's error dialect.
///
/// Each field is a JSON pointer, or a list of them where the vendor sends more than one body
/// shape (Alibaba's gateway `Code` and its business `code`): the first that is present wins.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ErrorFields {
    /// Pointers to the error code.
    #[serde(deserialize_with = "one_or_many")]
    pub code: Vec<String>,
    /// Pointers to the message.
    #[serde(deserialize_with = "one_or_many")]
    pub message: Vec<String>,
    /// Pointers to the request id, where bodies carry one.
    #[serde(default, deserialize_with = "one_or_many")]
    pub request_id: Vec<String>,
    /// The code of a success, where errors share the success status (Tencent's 0): any other
    /// code is an error whatever the status.
    #[serde(default)]
    pub ok_code: Option<Value>,
    /// Codes a later attempt may not meet (throttling, internal errors), so that clients
    /// retry them where the operation is safe to repeat; `Prefix*` matches a prefix.
    #[serde(default)]
    pub retryable: Vec<String>,
}

impl ErrorFields {
    /// The error code in `body`, as text.
    pub fn code_of(&self, body: &Value) -> Option<String> {
        first_at(&self.code, body)
    }

    /// The message in `body`.
    pub fn message_of(&self, body: &Value) -> Option<String> {
        first_at(&self.message, body)
    }

    /// The request id in `body`.
    pub fn request_id_of(&self, body: &Value) -> Option<String> {
        first_at(&self.request_id, body)
    }

    /// Whether a documented answer is an error: a non-2xx status, or (where errors share the
    /// success status) a code other than the success code.
    pub fn is_error(&self, status: &str, body: &Value) -> bool {
        !status.starts_with('2')
            || self
                .ok_code
                .as_ref()
                .is_some_and(|ok| self.code_of(body) != Some(plain_text(ok)))
    }

    /// Whether `code` is one the vendor lists as retryable.
    pub fn is_retryable(&self, code: &str) -> bool {
        self.retryable
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => code.starts_with(prefix),
                None => code == pattern,
            })
    }
}

/// The first pointer with a non-null value, as text.
fn first_at(pointers: &[String], body: &Value) -> Option<String> {
    pointers
        .iter()
        .filter_map(|p| body.pointer(p))
        .find(|v| !v.is_null())
        .map(plain_text)
}

/// `x-keygate.rpc`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RpcExt {
    /// Query/form parameter that names the operation.
    pub action_parameter: String,
    /// Every operation is also accepted as POST with a form body.
    #[serde(default)]
    pub post_form: bool,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fields(text: &str) -> ErrorFields {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn pointers_may_be_one_or_a_list_and_the_first_present_wins() {
        let alibaba = fields("{code: [/Code, /code], message: [/Message, /message]}");
        assert_eq!(alibaba.code_of(&json!({"code": "A"})), Some("A".into()));
        assert_eq!(
            alibaba.code_of(&json!({"Code": "B", "code": "A"})),
            Some("B".into())
        );
        let tencent = fields("{code: /code, message: /message, okCode: 0}");
        assert_eq!(tencent.code_of(&json!({"code": 4100})), Some("4100".into()));
        assert!(tencent.is_error("200", &json!({"code": 4100})));
        assert!(!tencent.is_error("200", &json!({"code": 0})));
    }

    #[test]
    fn retryable_codes_match_exactly_or_by_prefix() {
        let f = fields("{code: /c, message: /m, retryable: [Throttling*, ServiceUnavailable]}");
        assert!(f.is_retryable("Throttling.User"));
        assert!(f.is_retryable("ServiceUnavailable"));
        assert!(!f.is_retryable("ServiceUnavailableX"));
        assert!(!f.is_retryable("InvalidParameter"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let error = serde_yaml::from_str::<ErrorFields>("{code: /c, message: /m, typo: 1}");
        assert!(error.is_err());
    }
}
