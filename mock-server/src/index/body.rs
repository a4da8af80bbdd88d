//! An operation's request body, compiled: the media types it accepts and their schemas.

use keygate_spec::json_schema::{self, Validator};
use keygate_spec::refs;
use openapiv3::{OpenAPI, ReferenceOr, RequestBody};
use serde_json::Value;

/// One accepted media type.
#[derive(Debug)]
pub(crate) struct MediaSpec {
    /// Lowercase type without parameters; `*/*` and `type/*` match broadly.
    pub(crate) essence: Box<str>,
    /// Parsed and checked as JSON.
    pub(crate) json: bool,
    /// The schema a JSON body must meet, if it declares one.
    pub(crate) validator: Option<Validator>,
}

impl MediaSpec {
    /// Whether a body sent as `sent` (a lowercase essence) is of this media type.
    pub(crate) fn matches(&self, sent: &str) -> bool {
        let declared = self.essence.as_ref();
        declared == sent
            || declared == "*/*"
            || declared
                .strip_suffix("/*")
                .is_some_and(|prefix| sent.split('/').next() == Some(prefix))
    }
}

/// An operation's request body.
#[derive(Debug)]
pub(crate) struct BodySpec {
    /// Whether a request must carry one.
    pub(crate) required: bool,
    /// The media types accepted, in spec order.
    pub(crate) media: Vec<MediaSpec>,
}

impl BodySpec {
    /// Compiles a request body declaration; `components` are the spec's schemas as JSON.
    pub(crate) fn compile(
        doc: &OpenAPI,
        item: &ReferenceOr<RequestBody>,
        components: &Value,
    ) -> Result<Self, String> {
        let body = refs::component(doc, item).map_err(|e| e.to_string())?;
        let media = body
            .content
            .iter()
            .map(|(essence, media)| {
                let json = essence.contains("json");
                let validator = match (&media.schema, json) {
                    (Some(schema), true) => {
                        let schema = serde_json::to_value(schema).map_err(|e| e.to_string())?;
                        Some(json_schema::compile(&schema, components)?)
                    }
                    _ => None,
                };
                Ok(MediaSpec {
                    essence: essence.to_ascii_lowercase().into(),
                    json,
                    validator,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self {
            required: body.required,
            media,
        })
    }
}
