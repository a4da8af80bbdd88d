//! Error answers from `x-keygate.errors` templates, with placeholders filled per request.

use http::{HeaderName, HeaderValue, StatusCode};
use serde_yaml::Value;

use keygate_spec::ext::ErrorTemplateExt;

/// Longest request-derived text put into a response, so an error body stays small whatever
/// the client sent.
const MAX_ECHO: usize = 256;

/// The values a template's `{placeholders}` are filled with.
#[derive(Debug, Default, Clone)]
pub(crate) struct Placeholders<'a> {
    /// `{param}`: the parameter concerned.
    pub(crate) param: &'a str,
    /// `{value}`: the value the client sent.
    pub(crate) value: &'a str,
    /// `{in}`: where the parameter travels (`path`, `query`, `header`, `body`), as in
    /// Prism's `validation[].location`.
    pub(crate) location: &'a str,
    /// `{detail}`: what exactly is wrong.
    pub(crate) detail: &'a str,
    /// `{requestId}`.
    pub(crate) request_id: &'a str,
    /// `{host}`: the request's Host.
    pub(crate) host: &'a str,
    /// `{method}`.
    pub(crate) method: &'a str,
    /// `{path}`.
    pub(crate) path: &'a str,
    /// `{apiVersion}`: the spec's `info.version`.
    pub(crate) api_version: &'a str,
}

impl Placeholders<'_> {
    fn lookup(&self, name: &str) -> Option<&str> {
        Some(match name {
            "param" => self.param,
            "value" => self.value,
            "in" => self.location,
            "detail" => self.detail,
            "requestId" => self.request_id,
            "host" => self.host,
            "method" => self.method,
            "path" => self.path,
            "apiVersion" => self.api_version,
            _ => return None,
        })
    }

    /// `text` with every known `{name}` replaced; unknown braces stay as written.
    pub(crate) fn fill(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after
                .find('}')
                .and_then(|close| Some((close, self.lookup(&after[..close])?)))
            {
                Some((close, value)) => {
                    out.push_str(crate::text::truncated(value, MAX_ECHO));
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// A compiled error template.
#[derive(Debug, Clone)]
pub(crate) struct ErrorTemplate {
    pub(crate) status: StatusCode,
    headers: Vec<(HeaderName, String)>,
    body: Value,
}

/// What a rendered template gives.
pub(crate) struct RenderedError {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Value,
}

impl ErrorTemplate {
    /// Checks status and header names of a spec's template; `body` is the template's body
    /// as read in order from the spec.
    pub(crate) fn compile(ext: &ErrorTemplateExt, body: Value) -> Result<Self, String> {
        let status = StatusCode::from_u16(ext.status)
            .map_err(|_| format!("status {} is not an HTTP status", ext.status))?;
        let headers = ext
            .headers
            .iter()
            .map(|(name, value)| {
                HeaderName::try_from(name.as_str())
                    .map(|n| (n, value.clone()))
                    .map_err(|_| format!("header name {name:?} is invalid"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            status,
            headers,
            body,
        })
    }

    /// A template built in code, for kinds a spec does not define.
    pub(crate) fn builtin(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body,
        }
    }

    /// The template with every placeholder filled.
    pub(crate) fn render(&self, values: &Placeholders<'_>) -> RenderedError {
        let headers = self
            .headers
            .iter()
            .filter_map(|(name, text)| {
                // A value the client sent may not be a valid header value: drop the header
                // rather than fail the response.
                HeaderValue::try_from(values.fill(text))
                    .ok()
                    .map(|v| (name.clone(), v))
            })
            .collect();
        RenderedError {
            status: self.status,
            headers,
            body: fill_json(&self.body, values),
        }
    }
}

fn fill_json(value: &Value, values: &Placeholders<'_>) -> Value {
    match value {
        Value::String(text) => Value::String(values.fill(text)),
        Value::Sequence(items) => {
            Value::Sequence(items.iter().map(|v| fill_json(v, values)).collect())
        }
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .map(|(k, v)| (k.clone(), fill_json(v, values)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_placeholders_and_keeps_the_rest() {
        let values = Placeholders {
            param: "limit",
            location: "query",
            request_id: "RID",
            ..Placeholders::default()
        };
        assert_eq!(
            values.fill("bad {in} {param} ({requestId}) {other} {"),
            "bad query limit (RID) {other} {"
        );
    }

    #[test]
    fn long_client_values_are_cut() {
        let long = "é".repeat(400);
        let values = Placeholders {
            value: &long,
            ..Placeholders::default()
        };
        assert!(values.fill("{value}").len() <= MAX_ECHO);
    }
}
