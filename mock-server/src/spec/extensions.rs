//! The `x-keygate*` extensions (spec/README.md), read into types.
//!
//! Unknown fields are refused inside the objects the mock implements, so that a typo fails at
//! start-up instead of silently turning a behaviour off. The root `x-keygate` object accepts
//! fields the mock does not read: it is shared with the SDK, which may need more of them.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// Root `x-keygate`: what the service does that a schema cannot say.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServiceExt {
    /// Vendor name: log field, and the key of `--credential vendor:id:secret`.
    pub(crate) vendor: String,
    /// Where code, message and request id sit in an error body.
    #[serde(default)]
    pub(crate) error_fields: Option<ErrorFieldsExt>,
    /// Where the service puts a fresh request id.
    #[serde(default)]
    pub(crate) request_id: Option<RequestIdExt>,
    /// Error templates by kind.
    #[serde(default)]
    pub(crate) errors: BTreeMap<String, ErrorTemplateExt>,
    /// RPC-style dispatch on a parameter.
    #[serde(default)]
    pub(crate) rpc: Option<RpcExt>,
    /// `components/parameters` every request carries besides the operation's own.
    #[serde(default)]
    pub(crate) common_parameters: Vec<String>,
}

/// `x-keygate.requestId`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RequestIdExt {
    /// Response header that carries the id.
    #[serde(default)]
    pub(crate) header: Option<String>,
    /// Shape of the id.
    pub(crate) format: IdFormat,
    /// Top-level JSON fields overwritten with the id in every body that has them.
    #[serde(default)]
    pub(crate) body_fields: Vec<String>,
    /// Request header -> response header copied back.
    #[serde(default)]
    pub(crate) echo: BTreeMap<String, String>,
}

/// The shape of a generated request id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum IdFormat {
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
pub(crate) struct ErrorTemplateExt {
    /// HTTP status.
    pub(crate) status: u16,
    /// Extra response headers (values may hold placeholders).
    #[serde(default)]
    pub(crate) headers: BTreeMap<String, String>,
    /// JSON body with placeholders in string values.
    pub(crate) body: Value,
}

/// `x-keygate.errorFields`: the vendor's error dialect, as JSON pointers.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ErrorFieldsExt {
    /// Pointer to the error code.
    pub(crate) code: String,
    /// Pointer to the message.
    pub(crate) message: String,
    /// Pointer to the request id, where error bodies carry one.
    #[serde(default)]
    pub(crate) request_id: Option<String>,
    /// The success code where errors share the success status (Tencent's 0); the mock
    /// does not need it, the SDK does.
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) ok_code: Option<Value>,
}

/// `x-keygate.rpc`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RpcExt {
    /// Query/form parameter that names the operation.
    pub(crate) action_parameter: String,
    /// Every operation is also accepted as POST with a form body.
    #[serde(default)]
    pub(crate) post_form: bool,
}

/// Parameter `x-keygate-clamp`: out-of-range values are replaced instead of rejected.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ClampExt {
    /// Values below this become `below_min`.
    #[serde(default)]
    pub(crate) min: Option<i64>,
    /// Replacement for values below `min`.
    #[serde(default)]
    pub(crate) below_min: Option<i64>,
    /// Values above this become `above_max`.
    #[serde(default)]
    pub(crate) max: Option<i64>,
    /// Replacement for values above `max`.
    #[serde(default)]
    pub(crate) above_max: Option<i64>,
}

impl ClampExt {
    /// `number` as the service turns it: replaced when out of range, else unchanged.
    pub(crate) fn apply(&self, number: i64) -> i64 {
        if let Some(min) = self.min
            && number < min
        {
            return self.below_min.unwrap_or(min);
        }
        if let Some(max) = self.max
            && number > max
        {
            return self.above_max.unwrap_or(max);
        }
        number
    }
}

/// Operation `x-keygate-pagination`: which parameters choose the window of a listing and
/// where the page sits in the success body (JSON pointers).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PaginationExt {
    /// `offset` (`offset`/`limit`) or `page` (`page`/`pageSize`).
    pub(crate) style: PageStyle,
    /// Offset parameter (offset style).
    #[serde(default)]
    pub(crate) offset: Option<String>,
    /// Limit parameter (offset style).
    #[serde(default)]
    pub(crate) limit: Option<String>,
    /// Page-number parameter, 1-based (page style).
    #[serde(default)]
    pub(crate) page: Option<String>,
    /// Page-size parameter (page style).
    #[serde(default)]
    pub(crate) page_size: Option<String>,
    /// The items array.
    pub(crate) items: String,
    /// The total count; served as documented.
    pub(crate) total: String,
    /// Number of items in this page.
    #[serde(default)]
    pub(crate) count: Option<String>,
    /// The page (or offset) echoed back.
    #[serde(default)]
    pub(crate) page_field: Option<String>,
    /// The page size (or limit) echoed back.
    #[serde(default)]
    pub(crate) page_size_field: Option<String>,
}

/// How a listing's window is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PageStyle {
    /// `offset` (0-based) and `limit`.
    Offset,
    /// `page` (1-based) and `pageSize`.
    Page,
}

/// Parameter `x-keygate-errors`: error kinds used for this parameter instead of the generic ones.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParamErrorsExt {
    /// Kind used when the parameter is absent.
    #[serde(default)]
    pub(crate) missing: Option<String>,
    /// Kind used when the value is not acceptable.
    #[serde(default)]
    pub(crate) invalid: Option<String>,
}

/// Reads an optional extension value (`extensions.get(key)`), naming it in the error.
pub(crate) fn read<T: for<'de> Deserialize<'de>>(
    value: Option<&Value>,
    key: &str,
) -> Result<Option<T>, String> {
    value
        .map(|v| serde_json::from_value(v.clone()).map_err(|e| format!("{key}: {e}")))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamping_follows_the_extension() {
        let clamp = ClampExt {
            min: Some(1),
            below_min: Some(20),
            max: Some(500),
            above_max: Some(500),
        };
        assert_eq!(clamp.apply(0), 20);
        assert_eq!(clamp.apply(-5), 20);
        assert_eq!(clamp.apply(9999), 500);
        assert_eq!(clamp.apply(7), 7);
    }
}
