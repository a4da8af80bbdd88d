//! Pre-serialized response bodies with holes for the request id.
//!
//! A body is serialized once, at start-up. When the vendor puts its request id in body
//! fields (`x-keygate.requestId.bodyFields`), the serialized bytes are split around those
//! values, so a request costs one copy into a buffer of known size; a body without such
//! fields is served as a shared `Bytes` with no copy at all.

use bytes::{Bytes, BytesMut};
use serde_yaml::Value;

/// Stands in for the id during serialization; control characters keep it from colliding
/// with real content (serde_json escapes them as `\u0001`).
const MARKER: &str = "\u{1}keygate-request-id\u{1}";
const MARKER_SERIALIZED: &[u8] = b"\\u0001keygate-request-id\\u0001";

/// A body, split where the request id goes.
#[derive(Debug, Clone)]
pub(crate) struct BodyTemplate {
    parts: Box<[Bytes]>,
}

impl BodyTemplate {
    /// An empty body.
    pub(crate) fn empty() -> Self {
        Self {
            parts: Box::new([Bytes::new()]),
        }
    }

    /// `value` serialized as compact JSON in its own key order, with top-level `id_fields`
    /// (where present) left open.
    pub(crate) fn from_value(value: &Value, id_fields: &[String]) -> Self {
        let mut value = value.clone();
        if let Value::Mapping(map) = &mut value {
            for field in id_fields {
                if let Some(slot) = map.get_mut(field.as_str()) {
                    *slot = Value::String(MARKER.to_owned());
                }
            }
        }
        let bytes = serde_json::to_vec(&value).unwrap_or_default();
        Self {
            parts: split_on(&bytes, MARKER_SERIALIZED),
        }
    }

    /// The body for one response.
    pub(crate) fn render(&self, request_id: &str) -> Bytes {
        if let [only] = &*self.parts {
            return only.clone();
        }
        let holes = self.parts.len() - 1;
        let size = self.parts.iter().map(Bytes::len).sum::<usize>() + holes * request_id.len();
        let mut out = BytesMut::with_capacity(size);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(request_id.as_bytes());
            }
            out.extend_from_slice(part);
        }
        out.freeze()
    }
}

fn split_on(bytes: &[u8], marker: &[u8]) -> Box<[Bytes]> {
    let mut parts = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(marker.len()).position(|w| w == marker) {
        parts.push(Bytes::copy_from_slice(&rest[..at]));
        rest = &rest[at + marker.len()..];
    }
    parts.push(Bytes::copy_from_slice(rest));
    parts.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn patches_only_the_named_top_level_fields_in_order() {
        let body = yaml("{requestId: old, data: {requestId: inner}, RequestId: x}");
        let template = BodyTemplate::from_value(&body, &["requestId".into(), "RequestId".into()]);
        assert_eq!(
            &template.render("NEW")[..],
            br#"{"requestId":"NEW","data":{"requestId":"inner"},"RequestId":"NEW"}"#
        );
    }

    #[test]
    fn body_without_id_fields_is_shared() {
        let template = BodyTemplate::from_value(&yaml("{b: 1, a: 2}"), &["requestId".into()]);
        let first = template.render("x");
        assert_eq!(&first[..], br#"{"b":1,"a":2}"#);
        assert_eq!(first.as_ptr(), template.render("y").as_ptr());
    }
}
