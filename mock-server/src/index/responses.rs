//! An operation's documented responses, pre-serialized per named example.
//!
//! A keygate spec must give every documented response an example; a plain spec (no
//! `x-keygate`) may leave it out, and the response is then served with one made from its
//! schema, as Prism's static mode does.

use http::{HeaderName, HeaderValue};
use keygate_spec::Spec;
use keygate_spec::ext::PaginationExt;
use keygate_spec::refs::{self, Tree as _};
use openapiv3::{MediaType, OpenAPI, Operation, ReferenceOr, Response, StatusCode as SpecStatus};

use super::service::Service;
use crate::render::body::BodyTemplate;
use crate::render::page::PagedBody;
use crate::spec::static_example::static_example;

/// Which statuses a response entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusKey {
    /// One status, e.g. `404`.
    Exact(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    /// `default`.
    Default,
}

impl StatusKey {
    /// Whether a requested status falls under this key.
    pub(crate) fn covers(self, code: u16) -> bool {
        match self {
            Self::Exact(c) => c == code,
            Self::Range(r) => code / 100 == r,
            Self::Default => true,
        }
    }

    fn is_success(self) -> bool {
        match self {
            Self::Exact(c) => (200..300).contains(&c),
            Self::Range(r) => r == 2,
            Self::Default => false,
        }
    }

    /// The status to send when this key is chosen without a requested code.
    pub(crate) fn natural_status(self) -> u16 {
        match self {
            Self::Exact(c) => c,
            Self::Range(r) => r * 100,
            Self::Default => 500,
        }
    }

    /// As written in the spec.
    pub(crate) fn label(self) -> String {
        match self {
            Self::Exact(c) => c.to_string(),
            Self::Range(r) => format!("{r}XX"),
            Self::Default => "default".to_owned(),
        }
    }
}

/// One example, ready to send.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// Headers declared with an example (ETag, ...) plus Content-Type.
    pub(crate) headers: Box<[(HeaderName, HeaderValue)]>,
    /// The body.
    pub(crate) body: BodyTemplate,
    /// The body cut to a window of its items, for a 2xx listing of a paginated operation.
    pub(crate) paged: Option<PagedBody>,
}

/// One documented status with its examples, in spec order.
#[derive(Debug)]
pub(crate) struct ResponseCase {
    pub(crate) key: StatusKey,
    pub(crate) examples: Vec<(Box<str>, Prepared)>,
}

/// All responses of an operation.
#[derive(Debug)]
pub(crate) struct Responses {
    pub(crate) cases: Vec<ResponseCase>,
    /// Index of the first 2xx case: the default answer.
    pub(crate) success: usize,
}

/// Why an operation's responses cannot be served.
pub(crate) enum ResponseError {
    /// A response with content but no example.
    MissingExample { status: String, media_type: String },
    /// Anything else.
    Other(String),
}

/// Name given to an example written as a media type's single `example`.
pub(crate) const SINGLE_EXAMPLE_NAME: &str = "example";
/// Name given to the body-less answer of a response without content.
pub(crate) const NO_CONTENT_NAME: &str = "empty";
/// Name given to the example made from the schema, where a plain spec documents none.
pub(crate) const GENERATED_NAME: &str = "generated";

impl Responses {
    /// Prepares every example of the operation at `paths.<path_key>.<method>`.
    pub(crate) fn build(
        spec: &Spec,
        service: &Service,
        at: (&str, &str),
        operation: &Operation,
        pagination: Option<&PaginationExt>,
    ) -> Result<Self, ResponseError> {
        let (path_key, method) = at;
        let raw_responses = refs::walk(
            &spec.yaml,
            &spec.yaml,
            &["paths", path_key, method, "responses"],
        );
        let mut cases = Vec::new();
        if let Some(default) = &operation.responses.default {
            let raw = Located::new(spec, raw_responses, StatusKey::Default);
            cases.push(case(&raw, service, StatusKey::Default, default, None)?);
        }
        for (status, item) in &operation.responses.responses {
            let key = match status {
                SpecStatus::Code(c) => StatusKey::Exact(*c),
                SpecStatus::Range(r) => StatusKey::Range(*r),
            };
            let raw = Located::new(spec, raw_responses, key);
            let paging = pagination.filter(|_| key.is_success());
            cases.push(case(&raw, service, key, item, paging)?);
        }
        // `default` is listed first in the map but should not win over explicit codes.
        cases.sort_by_key(|c| c.key == StatusKey::Default);
        let success = cases
            .iter()
            .position(|c| c.key.is_success())
            .ok_or_else(|| ResponseError::Other("no 2xx response is documented".into()))?;
        if let Some(ext) = pagination
            && cases[success].examples[0].1.paged.is_none()
        {
            // A typo in the pointer would otherwise turn pagination off without a word.
            return Err(ResponseError::Other(format!(
                "x-keygate-pagination: the first 2xx example has no items array at {:?}, \
                 or no total at {:?} or next link at {:?}",
                ext.items, ext.total, ext.next_link
            )));
        }
        Ok(Self { cases, success })
    }
}

/// One response as the spec writes it: typed, and as ordered YAML for serving example
/// bodies in spec order.
struct Located<'a> {
    spec: &'a Spec,
    response: Option<&'a serde_yaml::Value>,
}

impl<'a> Located<'a> {
    fn new(spec: &'a Spec, responses: Option<&'a serde_yaml::Value>, key: StatusKey) -> Self {
        let label = key.label();
        // YAML reads an unquoted `200:` as a number.
        let by_number = |r: &'a serde_yaml::Value| {
            let n = label.parse::<u64>().ok()?;
            r.get(serde_yaml::Value::from(n))
        };
        let response = responses.and_then(|r| {
            let node = r.child(&label).or_else(|| by_number(r))?;
            refs::resolve(&spec.yaml, node).ok()
        });
        Self { spec, response }
    }

    fn doc(&self) -> &'a OpenAPI {
        &self.spec.openapi
    }

    /// The ordered value of an example (`examples.<name>.value`, or `example`).
    fn example(&self, media_type: &str, name: &str) -> Option<&'a serde_yaml::Value> {
        let response = self.response?;
        let root = &self.spec.yaml;
        if name == SINGLE_EXAMPLE_NAME
            && let Some(single) = refs::walk(root, response, &["content", media_type, "example"])
        {
            return Some(single);
        }
        refs::walk(
            root,
            response,
            &["content", media_type, "examples", name, "value"],
        )
    }

    /// The example a plain spec's response gets from its schema; `None` without one.
    fn generated(&self, media_type: &str) -> Option<serde_yaml::Value> {
        let root = &self.spec.yaml;
        let content = refs::walk(root, self.response?, &["content", media_type])?;
        let schema = content.child("schema")?;
        Some(static_example(root, schema))
    }
}

fn case(
    raw: &Located<'_>,
    service: &Service,
    key: StatusKey,
    item: &ReferenceOr<Response>,
    pagination: Option<&PaginationExt>,
) -> Result<ResponseCase, ResponseError> {
    let doc = raw.doc();
    let response = refs::component(doc, item).map_err(|e| ResponseError::Other(e.to_string()))?;
    let mut headers = declared_headers(doc, service, response).map_err(ResponseError::Other)?;
    let Some((media_type, content)) = pick_media_type(response) else {
        let prepared = Prepared {
            headers: headers.into(),
            body: BodyTemplate::empty(),
            paged: None,
        };
        return Ok(ResponseCase {
            key,
            examples: vec![(NO_CONTENT_NAME.into(), prepared)],
        });
    };
    if raw.spec.declared {
        require_examples(key, response)?;
    }
    let content_type = HeaderValue::try_from(media_type).map_err(|_| {
        ResponseError::Other(format!("media type {media_type:?} is not a header value"))
    })?;
    headers.push((http::header::CONTENT_TYPE, content_type));
    let id_fields = service
        .request_id
        .as_ref()
        .map(|p| p.body_fields.as_slice())
        .unwrap_or_default();
    let examples = bodies(raw, media_type, content)?
        .into_iter()
        .map(|(name, body)| {
            let prepared = Prepared {
                headers: headers.clone().into(),
                body: body.as_ref().map_or_else(BodyTemplate::empty, |b| {
                    BodyTemplate::from_value(b, id_fields)
                }),
                paged: body
                    .as_ref()
                    .zip(pagination)
                    .and_then(|(b, ext)| PagedBody::build(b, ext, id_fields)),
            };
            (name.into(), prepared)
        })
        .collect();
    Ok(ResponseCase { key, examples })
}

/// The bodies to serve, by example name, as ordered YAML: the documented examples, or (a
/// plain spec's response without one) the example made from the schema, or no body at all
/// without a schema either, as Prism does.
fn bodies<'a>(
    raw: &Located<'a>,
    media_type: &str,
    content: &'a MediaType,
) -> Result<Vec<(&'a str, Option<serde_yaml::Value>)>, ResponseError> {
    let documented = examples_of(raw.doc(), content).map_err(ResponseError::Other)?;
    if documented.is_empty() {
        return Ok(vec![(GENERATED_NAME, raw.generated(media_type))]);
    }
    Ok(documented
        .into_iter()
        .map(|(name, value)| {
            // The ordered YAML value when found; the (sorted) JSON value otherwise.
            let ordered = raw
                .example(media_type, name)
                .cloned()
                .or_else(|| serde_yaml::to_value(value).ok())
                .unwrap_or(serde_yaml::Value::Null);
            (name, Some(ordered))
        })
        .collect())
}

/// A keygate spec documents an example for every media type of a response.
fn require_examples(key: StatusKey, response: &Response) -> Result<(), ResponseError> {
    match response
        .content
        .iter()
        .find(|(_, media)| media.example.is_none() && media.examples.is_empty())
    {
        Some((media_type, _)) => Err(ResponseError::MissingExample {
            status: key.label(),
            media_type: media_type.clone(),
        }),
        None => Ok(()),
    }
}

/// The JSON media type if there is one, else the first.
fn pick_media_type(response: &Response) -> Option<(&str, &MediaType)> {
    let mut entries = response.content.iter().map(|(k, v)| (k.as_str(), v));
    let first = entries.clone().next()?;
    Some(entries.find(|(k, _)| k.contains("json")).unwrap_or(first))
}

fn examples_of<'a>(
    doc: &'a OpenAPI,
    content: &'a MediaType,
) -> Result<Vec<(&'a str, &'a serde_json::Value)>, String> {
    let mut out = Vec::new();
    for (name, item) in &content.examples {
        let example = refs::component(doc, item).map_err(|e| e.to_string())?;
        let value = example.value.as_ref().ok_or_else(|| {
            format!("example {name:?} has no inline value (externalValue is not supported)")
        })?;
        out.push((name.as_str(), value));
    }
    if let Some(value) = &content.example {
        out.push((SINGLE_EXAMPLE_NAME, value));
    }
    Ok(out)
}

/// Response headers declared with an example value, except the request-id header, which
/// gets a fresh value per request.
fn declared_headers(
    doc: &OpenAPI,
    service: &Service,
    response: &Response,
) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    let id_header = service.request_id.as_ref().and_then(|p| p.header.as_ref());
    let mut out = Vec::new();
    for (name, item) in &response.headers {
        let header = refs::component(doc, item).map_err(|e| e.to_string())?;
        let Some(example) = &header.example else {
            continue;
        };
        let name = HeaderName::try_from(name.as_str())
            .map_err(|_| format!("{name:?} is not a header name"))?;
        if Some(&name) == id_header || name == http::header::CONTENT_TYPE {
            continue;
        }
        let text = match example {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let value = HeaderValue::try_from(text)
            .map_err(|_| format!("example of header {name} is not a header value"))?;
        out.push((name, value));
    }
    Ok(out)
}
