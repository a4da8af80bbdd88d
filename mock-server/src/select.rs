//! Which documented response to send: the 2xx sample by default, or what the client asked
//! for in Prism's forms (`Prefer: code=404, example=NAME` or `__code` / `__example`).

use std::borrow::Cow;

use http::StatusCode;

use crate::index::responses::{Prepared, ResponseCase, Responses};

/// Query parameter forms of the preference; they are not API parameters.
pub(crate) const CODE_PARAM: &str = "__code";
/// See [`CODE_PARAM`].
pub(crate) const EXAMPLE_PARAM: &str = "__example";

/// What the client asked for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Preference<'a> {
    pub(crate) code: Option<Cow<'a, str>>,
    pub(crate) example: Option<Cow<'a, str>>,
}

impl<'a> Preference<'a> {
    /// Reads a `Prefer` header (RFC 7240): `code=404, example=Name`; other preferences are
    /// ignored, as the RFC asks. Values may be quoted.
    pub(crate) fn from_header(value: &'a str) -> Self {
        let mut out = Self::default();
        for item in value.split([',', ';']) {
            let Some((key, raw)) = item.split_once('=') else {
                continue;
            };
            let raw = raw.trim();
            let unquoted = raw
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .unwrap_or(raw);
            match key.trim().to_ascii_lowercase().as_str() {
                "code" => out.code = Some(Cow::Borrowed(unquoted)),
                "example" => out.example = Some(Cow::Borrowed(unquoted)),
                _ => {}
            }
        }
        out
    }

    /// Nothing asked for: the default answer (or, for a stateful operation, the state's).
    pub(crate) fn is_empty(&self) -> bool {
        self.code.is_none() && self.example.is_none()
    }

    /// `other`'s fields where set, else this one's: the query form wins over the header.
    pub(crate) fn overridden_by(self, other: Self) -> Self {
        Self {
            code: other.code.or(self.code),
            example: other.example.or(self.example),
        }
    }
}

/// The response to send.
#[derive(Debug)]
pub(crate) struct Choice<'r> {
    pub(crate) status: StatusCode,
    pub(crate) prepared: &'r Prepared,
}

/// Picks the response; `Err` explains an undocumented code or example (never a fallback).
pub(crate) fn choose<'r>(
    responses: &'r Responses,
    preference: &Preference<'_>,
) -> Result<Choice<'r>, String> {
    let code = preference.code.as_deref().map(parse_code).transpose()?;
    let example = preference.example.as_deref();
    match (code, example) {
        (None, None) => {
            let case = &responses.cases[responses.success];
            Ok(choice(case.key.natural_status(), &case.examples[0].1))
        }
        (Some(code), example) => {
            let case = responses
                .cases
                .iter()
                .find(|c| c.key.covers(code))
                .ok_or_else(|| {
                    format!(
                        "no response with status {code} is documented; documented: {}",
                        statuses(responses)
                    )
                })?;
            let prepared = match example {
                None => &case.examples[0].1,
                Some(name) => find_example(case, name).ok_or_else(|| {
                    format!(
                        "response {code} has no example {name:?}; its examples: {}",
                        names(case)
                    )
                })?,
            };
            Ok(choice(code, prepared))
        }
        (None, Some(name)) => responses
            .cases
            .iter()
            .find_map(|case| find_example(case, name).map(|p| choice(case.key.natural_status(), p)))
            .ok_or_else(|| {
                let all: Vec<String> = responses
                    .cases
                    .iter()
                    .map(|c| format!("{}: {}", c.key.label(), names(c)))
                    .collect();
                format!(
                    "no example {name:?} is documented; examples: {}",
                    all.join("; ")
                )
            }),
    }
}

fn parse_code(text: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|c| (100..=599).contains(c))
        .ok_or_else(|| format!("code {text:?} is not an HTTP status"))
}

fn choice(status: u16, prepared: &Prepared) -> Choice<'_> {
    Choice {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        prepared,
    }
}

fn find_example<'r>(case: &'r ResponseCase, name: &str) -> Option<&'r Prepared> {
    case.examples
        .iter()
        .find(|(n, _)| n.as_ref() == name)
        .map(|(_, p)| p)
}

fn names(case: &ResponseCase) -> String {
    case.examples
        .iter()
        .map(|(n, _)| n.as_ref())
        .collect::<Vec<_>>()
        .join(", ")
}

fn statuses(responses: &Responses) -> String {
    responses
        .cases
        .iter()
        .map(|c| c.key.label())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefer_header_forms() {
        let p = Preference::from_header("code=400, example=\"Invalid Parameter\"; dynamic=true");
        assert_eq!(p.code.as_deref(), Some("400"));
        assert_eq!(p.example.as_deref(), Some("Invalid Parameter"));
        let p = Preference::from_header("return=minimal");
        assert_eq!(p, Preference::default());
    }

    #[test]
    fn query_overrides_header() {
        let header = Preference::from_header("code=400, example=A");
        let query = Preference {
            code: Some("404".into()),
            example: None,
        };
        let merged = header.overridden_by(query);
        assert_eq!(
            (merged.code.as_deref(), merged.example.as_deref()),
            (Some("404"), Some("A"))
        );
    }
}
