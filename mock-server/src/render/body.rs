//! Pre-serialized response bodies with holes for what changes per request.
//!
//! A body is serialized once, at start-up. Values that change per request (the request id
//! in `x-keygate.requestId.bodyFields`; the items and page fields of a paginated listing)
//! are replaced by markers before serializing, and the bytes are split around them, so a
//! request costs one copy into a buffer; a body without holes is served as a shared `Bytes`
//! with no copy at all.

use bytes::{BufMut, Bytes, BytesMut};
use serde_yaml::Value;

/// What fills a hole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hole {
    /// The request id, inside a JSON string.
    RequestId,
    /// The items array of a listing (raw JSON).
    Items,
    /// The number of items in the page (raw JSON).
    Count,
    /// The page (or offset) echoed back (raw JSON).
    Page,
    /// The page size (or limit) echoed back (raw JSON).
    PageSize,
    /// The link to the next page, inside a JSON string (empty on the last page).
    NextLink,
}

impl Hole {
    const ALL: [Self; 6] = [
        Self::RequestId,
        Self::Items,
        Self::Count,
        Self::Page,
        Self::PageSize,
        Self::NextLink,
    ];

    /// The string value that stands for the hole in the document. Control characters keep
    /// it from colliding with real content (serde_json escapes them as `\u0001`).
    pub(crate) fn marker(self) -> &'static str {
        match self {
            Self::RequestId => "\u{1}keygate-request-id\u{1}",
            Self::Items => "\u{1}keygate-items\u{1}",
            Self::Count => "\u{1}keygate-count\u{1}",
            Self::Page => "\u{1}keygate-page\u{1}",
            Self::PageSize => "\u{1}keygate-page-size\u{1}",
            Self::NextLink => "\u{1}keygate-next-link\u{1}",
        }
    }

    /// The bytes cut out of the serialized document: the request id and the next link go
    /// inside their strings' quotes; the other holes replace the whole JSON string.
    fn serialized(self) -> &'static [u8] {
        match self {
            Self::RequestId => b"\\u0001keygate-request-id\\u0001",
            Self::Items => b"\"\\u0001keygate-items\\u0001\"",
            Self::Count => b"\"\\u0001keygate-count\\u0001\"",
            Self::Page => b"\"\\u0001keygate-page\\u0001\"",
            Self::PageSize => b"\"\\u0001keygate-page-size\\u0001\"",
            Self::NextLink => b"\\u0001keygate-next-link\\u0001",
        }
    }
}

/// A body, split where the holes go.
#[derive(Debug, Clone)]
pub(crate) struct BodyTemplate {
    /// One more part than holes: part, hole, part, ..., part.
    parts: Box<[Bytes]>,
    holes: Box<[Hole]>,
}

impl BodyTemplate {
    /// An empty body.
    pub(crate) fn empty() -> Self {
        Self {
            parts: Box::new([Bytes::new()]),
            holes: Box::new([]),
        }
    }

    /// `value` serialized as compact JSON in its own key order, with top-level `id_fields`
    /// (where present) left open for the request id.
    pub(crate) fn from_value(value: &Value, id_fields: &[String]) -> Self {
        let mut value = value.clone();
        mark_id_fields(&mut value, id_fields);
        Self::from_marked(&value)
    }

    /// `value` serialized, with every [`Hole::marker`] in it left open.
    pub(crate) fn from_marked(value: &Value) -> Self {
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        let (parts, holes) = split_on_markers(&bytes);
        Self { parts, holes }
    }

    /// The body for one response, when the only holes are request ids.
    pub(crate) fn render(&self, request_id: &str) -> Bytes {
        if let [only] = &*self.parts {
            return only.clone();
        }
        let extra = self.holes.len() * request_id.len();
        self.render_with(extra, |_, out| out.extend_from_slice(request_id.as_bytes()))
    }

    /// The body with each hole written by `fill`; `extra` is the expected size of all the
    /// holes' content (a capacity hint).
    pub(crate) fn render_with(
        &self,
        extra: usize,
        mut fill: impl FnMut(Hole, &mut BytesMut),
    ) -> Bytes {
        let size = self.parts.iter().map(Bytes::len).sum::<usize>() + extra;
        let mut out = BytesMut::with_capacity(size);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                fill(self.holes[i - 1], &mut out);
            }
            out.put_slice(part);
        }
        out.freeze()
    }

    /// Whether the body has a hole of this kind.
    pub(crate) fn has(&self, hole: Hole) -> bool {
        self.holes.contains(&hole)
    }
}

/// Puts the request-id marker into the top-level `id_fields` that `value` has.
pub(crate) fn mark_id_fields(value: &mut Value, id_fields: &[String]) {
    set_top_level(value, id_fields, Hole::RequestId.marker());
}

/// Sets the top-level `fields` that `value` has (others are not added) to `text`.
pub(crate) fn set_top_level(value: &mut Value, fields: &[String], text: &str) {
    if let Value::Mapping(map) = value {
        for field in fields {
            if let Some(slot) = map.get_mut(field.as_str()) {
                *slot = Value::String(text.to_owned());
            }
        }
    }
}

/// Splits `bytes` around every marker, in order of appearance.
fn split_on_markers(bytes: &[u8]) -> (Box<[Bytes]>, Box<[Hole]>) {
    let mut parts = Vec::new();
    let mut holes = Vec::new();
    let mut rest = bytes;
    while let Some((at, hole)) = next_marker(rest) {
        parts.push(Bytes::copy_from_slice(&rest[..at]));
        holes.push(hole);
        rest = &rest[at + hole.serialized().len()..];
    }
    parts.push(Bytes::copy_from_slice(rest));
    (parts.into_boxed_slice(), holes.into_boxed_slice())
}

/// The first marker in `bytes` and where it starts.
fn next_marker(bytes: &[u8]) -> Option<(usize, Hole)> {
    Hole::ALL
        .iter()
        .filter_map(|&hole| {
            let marker = hole.serialized();
            bytes
                .windows(marker.len())
                .position(|w| w == marker)
                .map(|at| (at, hole))
        })
        .min_by_key(|(at, _)| *at)
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

    #[test]
    fn raw_holes_replace_the_whole_string() {
        let mut body = yaml("{id: x, n: 1, items: []}");
        mark_id_fields(&mut body, &["id".into()]);
        body["n"] = Value::String(Hole::Count.marker().into());
        body["items"] = Value::String(Hole::Items.marker().into());
        let template = BodyTemplate::from_marked(&body);
        assert!(template.has(Hole::Items) && !template.has(Hole::Page));
        let rendered = template.render_with(0, |hole, out| {
            out.extend_from_slice(match hole {
                Hole::RequestId => b"RID",
                Hole::Count => b"7",
                _ => b"[1]",
            })
        });
        assert_eq!(&rendered[..], br#"{"id":"RID","n":7,"items":[1]}"#);
    }
}
