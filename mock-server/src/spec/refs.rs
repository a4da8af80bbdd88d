//! Following `$ref`s into `#/components/...`.

use indexmap::IndexMap;
use openapiv3::{
    Components, Example, Header, OpenAPI, Parameter, ReferenceOr, RequestBody, Response,
    SecurityScheme,
};

/// How many `$ref` hops are followed before a chain is declared circular.
const MAX_HOPS: usize = 16;

/// A component kind: where its map lives and what its refs look like.
pub(crate) trait Component: Sized {
    /// The path segment after `#/components/`.
    const KIND: &'static str;
    /// The kind's map in `components`.
    fn map(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $kind:literal, $field:ident) => {
        impl Component for $ty {
            const KIND: &'static str = $kind;
            fn map(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}

component!(Parameter, "parameters", parameters);
component!(Response, "responses", responses);
component!(Example, "examples", examples);
component!(Header, "headers", headers);
component!(RequestBody, "requestBodies", request_bodies);
component!(SecurityScheme, "securitySchemes", security_schemes);

/// The component name a local reference points to, if it is of kind `kind`.
pub(crate) fn target<'r>(reference: &'r str, kind: &str) -> Option<&'r str> {
    reference
        .strip_prefix("#/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')
}

/// Follows `item` through `$ref`s to the object itself.
pub(crate) fn resolve<'a, T: Component>(
    doc: &'a OpenAPI,
    mut item: &'a ReferenceOr<T>,
) -> Result<&'a T, String> {
    for _ in 0..MAX_HOPS {
        match item {
            ReferenceOr::Item(value) => return Ok(value),
            ReferenceOr::Reference { reference } => {
                let name = target(reference, T::KIND)
                    .ok_or_else(|| format!("unsupported $ref {reference:?}"))?;
                item = doc
                    .components
                    .as_ref()
                    .and_then(|c| T::map(c).get(name))
                    .ok_or_else(|| format!("dangling $ref {reference:?}"))?;
            }
        }
    }
    Err("circular $ref chain".to_owned())
}
