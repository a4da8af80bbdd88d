//! Reading the spec as ordered YAML values, for what is served verbatim (example bodies,
//! error template bodies): openapiv3 hands those out as `serde_json::Value`, whose maps are
//! sorted, while a client comparing with the vendor's doc expects the documented order.

use serde_yaml::Value;

/// How many `$ref` hops are followed before giving up.
const MAX_HOPS: usize = 16;

/// `node`, with any local `$ref` followed within `root`.
pub(crate) fn follow<'a>(root: &'a Value, mut node: &'a Value) -> Option<&'a Value> {
    for _ in 0..MAX_HOPS {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return Some(node);
        };
        node = pointer(root, reference.strip_prefix('#')?)?;
    }
    None
}

/// A JSON pointer (`/a/b~1c`) into `root`.
fn pointer<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    pointer
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .try_fold(root, |node, key| node.get(key.as_str()))
}

/// A JSON pointer into `root`, for changing what it points at; array indices allowed.
pub(crate) fn pointer_mut<'a>(root: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let key = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Sequence(items) => items.get_mut(key.parse::<usize>().ok()?)?,
            Value::Mapping(map) => map.get_mut(key.as_str())?,
            _ => return None,
        };
    }
    Some(node)
}

/// Walks `keys` from `node`, following `$ref`s at every step.
pub(crate) fn walk<'a>(root: &'a Value, node: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .try_fold(follow(root, node)?, |at, key| follow(root, at.get(*key)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_refs_and_keeps_order() {
        let root: Value =
            serde_yaml::from_str("a: {$ref: '#/c/d~1e'}\nc: {d/e: {z: 1, a: 2}}\n").unwrap();
        let found = walk(&root, &root, &["a"]).unwrap();
        assert_eq!(serde_json::to_string(found).unwrap(), r#"{"z":1,"a":2}"#);
    }

    #[test]
    fn pointers_reach_into_maps_and_arrays() {
        let mut root: Value = serde_yaml::from_str("a: [{b/c: 1}]").unwrap();
        *pointer_mut(&mut root, "/a/0/b~1c").unwrap() = Value::from(2);
        assert_eq!(
            serde_json::to_string(&root).unwrap(),
            r#"{"a":[{"b/c":2}]}"#
        );
        assert!(pointer_mut(&mut root, "/a/1").is_none());
        assert!(pointer_mut(&mut root, "a").is_none());
    }
}
