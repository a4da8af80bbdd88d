//! The one `$ref` resolver: local references (`#/...`), followed hop by hop with a guard
//! against cycles, over whichever form a caller holds the spec in (ordered YAML values,
//! JSON values, openapiv3's typed components).

use indexmap::IndexMap;
use openapiv3::{
    Components, Example, Header, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};

/// Why a reference cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    /// Not a local reference of the expected kind (`#/components/<kind>/<name>`).
    #[error("unsupported $ref {0:?}")]
    Unsupported(String),
    /// The target does not exist.
    #[error("dangling $ref {0:?}")]
    Dangling(String),
    /// The chain comes back to a reference it already followed.
    #[error("circular $ref chain through {0:?}")]
    Circular(String),
}

/// Follows `start` through references until a node that is not one.
///
/// `reference_of` says whether a node is a reference (and to what), `target` finds what a
/// reference points at. A reference seen twice on the way is a cycle.
pub fn follow<'a, N: ?Sized>(
    start: &'a N,
    reference_of: impl Fn(&'a N) -> Option<&'a str>,
    target: impl Fn(&'a str) -> Result<&'a N, RefError>,
) -> Result<&'a N, RefError> {
    let mut node = start;
    let mut seen: Vec<&str> = Vec::new();
    while let Some(reference) = reference_of(node) {
        if seen.contains(&reference) {
            return Err(RefError::Circular(reference.to_owned()));
        }
        seen.push(reference);
        node = target(reference)?;
    }
    Ok(node)
}

/// A document tree that JSON pointers walk: ordered YAML values or JSON values.
pub trait Tree: Sized {
    /// The `$ref` of a node that is a reference object.
    fn reference(&self) -> Option<&str>;
    /// A mapping's value at `key`, or a sequence's item at index `key`.
    fn child(&self, key: &str) -> Option<&Self>;
}

impl Tree for serde_json::Value {
    fn reference(&self) -> Option<&str> {
        self.get("$ref")?.as_str()
    }

    fn child(&self, key: &str) -> Option<&Self> {
        match self {
            Self::Object(map) => map.get(key),
            Self::Array(items) => items.get(key.parse::<usize>().ok()?),
            _ => None,
        }
    }
}

impl Tree for serde_yaml::Value {
    fn reference(&self) -> Option<&str> {
        self.get("$ref")?.as_str()
    }

    fn child(&self, key: &str) -> Option<&Self> {
        match self {
            Self::Mapping(map) => map.get(key),
            Self::Sequence(items) => items.get(key.parse::<usize>().ok()?),
            _ => None,
        }
    }
}

/// The node at a JSON pointer (`/a/b~1c/0`) inside `root`.
pub fn pointer<'a, T: Tree>(root: &'a T, pointer: &str) -> Option<&'a T> {
    if pointer.is_empty() {
        return Some(root);
    }
    pointer
        .strip_prefix('/')?
        .split('/')
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .try_fold(root, |node, key| node.child(&key))
}

/// `node`, with any local `$ref` chain followed within `root`.
pub fn resolve<'a, T: Tree>(root: &'a T, node: &'a T) -> Result<&'a T, RefError> {
    follow(node, T::reference, |reference| {
        let local = reference
            .strip_prefix('#')
            .ok_or_else(|| RefError::Unsupported(reference.to_owned()))?;
        pointer(root, local).ok_or_else(|| RefError::Dangling(reference.to_owned()))
    })
}

/// Walks `keys` from `node`, following `$ref`s at every step; `None` where a key is absent
/// or a reference cannot be followed.
pub fn walk<'a, T: Tree>(root: &'a T, node: &'a T, keys: &[&str]) -> Option<&'a T> {
    keys.iter().try_fold(resolve(root, node).ok()?, |at, key| {
        resolve(root, at.child(key)?).ok()
    })
}

/// A kind of `components` entry: where its map lives and what its references look like.
pub trait Component: Sized {
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
component!(Schema, "schemas", schemas);

/// The component name a local reference points to, if it is of kind `kind`.
pub fn component_name<'r>(reference: &'r str, kind: &str) -> Option<&'r str> {
    reference
        .strip_prefix("#/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')
}

/// Follows a typed `item` through `#/components/<kind>/...` references to the object itself.
pub fn component<'a, T: Component>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<T>,
) -> Result<&'a T, RefError> {
    let reference_of = |item: &'a ReferenceOr<T>| match item {
        ReferenceOr::Reference { reference } => Some(reference.as_str()),
        ReferenceOr::Item(_) => None,
    };
    let target = |reference: &'a str| {
        let name = component_name(reference, T::KIND)
            .ok_or_else(|| RefError::Unsupported(reference.to_owned()))?;
        doc.components
            .as_ref()
            .and_then(|c| T::map(c).get(name))
            .ok_or_else(|| RefError::Dangling(reference.to_owned()))
    };
    match follow(item, reference_of, target)? {
        ReferenceOr::Item(value) => Ok(value),
        ReferenceOr::Reference { reference } => Err(RefError::Unsupported(reference.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_chains_and_keeps_yaml_order() {
        let root: serde_yaml::Value = serde_yaml::from_str(
            "a: {$ref: '#/b'}\nb: {$ref: '#/c/d~1e'}\nc: {d/e: {z: 1, a: 2}}\n",
        )
        .unwrap();
        let found = walk(&root, &root, &["a"]).unwrap();
        assert_eq!(serde_json::to_string(found).unwrap(), r#"{"z":1,"a":2}"#);
    }

    #[test]
    fn cycles_and_dangling_references_are_errors() {
        let root =
            serde_json::json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}, "c": {"$ref": "#/x"}});
        assert!(matches!(
            resolve(&root, &root["a"]),
            Err(RefError::Circular(_))
        ));
        assert!(matches!(
            resolve(&root, &root["c"]),
            Err(RefError::Dangling(_))
        ));
        let remote = serde_json::json!({"$ref": "other.yaml#/a"});
        assert!(matches!(
            resolve(&root, &remote),
            Err(RefError::Unsupported(_))
        ));
    }

    #[test]
    fn pointers_reach_into_arrays() {
        let root = serde_json::json!({"a": [{"b/c": 1}]});
        assert_eq!(pointer(&root, "/a/0/b~1c"), Some(&serde_json::json!(1)));
        assert_eq!(pointer(&root, "/a/1"), None);
        assert_eq!(pointer(&root, "a"), None);
    }

    #[test]
    fn typed_components_resolve_and_cycles_are_caught() {
        let doc: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"parameters": {
                "a": {"$ref": "#/components/parameters/b"},
                "b": {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                "c": {"$ref": "#/components/parameters/d"},
                "d": {"$ref": "#/components/parameters/c"}
            }}
        }))
        .unwrap();
        let item = ReferenceOr::<Parameter>::Reference {
            reference: "#/components/parameters/a".into(),
        };
        assert_eq!(
            component(&doc, &item).unwrap().parameter_data_ref().name,
            "limit"
        );
        let cyclic = ReferenceOr::<Parameter>::Reference {
            reference: "#/components/parameters/c".into(),
        };
        assert!(matches!(
            component(&doc, &cyclic),
            Err(RefError::Circular(_))
        ));
    }
}
