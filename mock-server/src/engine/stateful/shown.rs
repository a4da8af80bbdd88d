//! Stored records written into a documented answer as its bytes are serialized: the list
//! answer is the mock's most frequent stateful one, and building it as a `Value` first (a
//! projected copy of every record, a copy of the example, then serializing both) cost more
//! than all the rest of the request.
//!
//! [`Overlay`] is the example with values put at JSON pointers, as [`record::set`] would put
//! them; [`Items`] are records as [`record::project`] shows them, with their secrets masked
//! (a value masked already, [`record::is_masked`], is shown as it is).

use std::borrow::Cow;

use keygate_spec::ext::MaskExt;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::state::record;
use crate::state::store::Stored;

/// `base` with `fills` put at their JSON pointers: a pointer the base has is replaced in
/// place, one it lacks is added after the base's fields (with the objects on the way), as
/// [`record::set`] does.
pub(super) struct Overlay<'a> {
    pub(super) base: &'a Value,
    pub(super) fills: Vec<(&'a str, Fill<'a>)>,
}

/// What an [`Overlay`] puts at a pointer.
#[derive(Clone, Copy)]
pub(super) enum Fill<'a> {
    /// A value.
    Value(&'a Value),
    /// The records shown as list items.
    Items(&'a Items<'a>),
}

impl Serialize for Fill<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Fill::Value(value) => value.serialize(serializer),
            Fill::Items(items) => items.serialize(serializer),
        }
    }
}

impl Serialize for Overlay<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some((_, fill)) = self.fills.iter().rev().find(|(p, _)| p.is_empty()) {
            return fill.serialize(serializer);
        }
        let empty = serde_json::Map::new();
        let fields = match self.base {
            Value::Object(fields) => fields,
            _ if self.fills.is_empty() => return self.base.serialize(serializer),
            // `record::set` makes an object of whatever lies on its way.
            _ => &empty,
        };
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in fields {
            let fills = self.below(key);
            if fills.is_empty() {
                map.serialize_entry(key, value)?;
            } else {
                map.serialize_entry(key, &Overlay { base: value, fills })?;
            }
        }
        for key in self.added_keys(fields) {
            let fills = self.below(&key);
            map.serialize_entry(
                &key,
                &Overlay {
                    base: &Value::Null,
                    fills,
                },
            )?;
        }
        map.end()
    }
}

impl<'a> Overlay<'a> {
    /// The fills under the field `key`, with pointers relative to it.
    fn below(&self, key: &str) -> Vec<(&'a str, Fill<'a>)> {
        self.fills
            .iter()
            .filter_map(|&(pointer, fill)| Some((descend(pointer, key)?, fill)))
            .collect()
    }

    /// The fields the fills reach that `fields` lacks, in the fills' order, once each.
    fn added_keys(&self, fields: &serde_json::Map<String, Value>) -> Vec<Cow<'a, str>> {
        let mut keys: Vec<Cow<'a, str>> = Vec::new();
        for (token, _) in self.fills.iter().filter_map(|(p, _)| split_first(p)) {
            if !fields.contains_key(token.as_ref()) && !keys.contains(&token) {
                keys.push(token);
            }
        }
        keys
    }
}

/// Stored records shown as a list shows its items: each record's `view`, cut to the fields
/// of `shape` (every field when there is none) and masked.
pub(super) struct Items<'a> {
    pub(super) records: &'a [Stored],
    /// JSON pointer to the part of a record an item shows (skipped where it has none).
    pub(super) view: &'a str,
    pub(super) shape: Option<&'a Value>,
    /// Field pointers relative to an item, and how each is masked.
    pub(super) masks: &'a [(&'a str, MaskExt)],
}

impl Items<'_> {
    /// How many items are shown.
    pub(super) fn count(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.record.pointer(self.view).is_some())
            .count()
    }
}

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for value in self
            .records
            .iter()
            .filter_map(|r| r.record.pointer(self.view))
        {
            seq.serialize_element(&Shown {
                value,
                shape: self.shape,
                masks: self.masks,
            })?;
        }
        seq.end()
    }
}

/// One value as [`record::project`] onto `shape` shows it, masked where `masks` say.
struct Shown<'a> {
    value: &'a Value,
    shape: Option<&'a Value>,
    /// Field pointers relative to `value`, and how each is masked.
    masks: &'a [(&'a str, MaskExt)],
}

impl Serialize for Shown<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Value::String(text) = self.value
            && let Some((_, how)) = self.masks.iter().find(|(p, _)| p.is_empty())
            && !record::is_masked(text)
        {
            return serializer.serialize_str(&how.apply(text));
        }
        let Value::Object(have) = self.value else {
            return self.value.serialize(serializer);
        };
        if self.masks.is_empty() && self.shape.is_none_or(|s| !s.is_object()) {
            return self.value.serialize(serializer);
        }
        let mut map = serializer.serialize_map(None)?;
        let mut field = |key: &String, value: &Value, shape: Option<&Value>| {
            let masks: Vec<(&str, MaskExt)> = self
                .masks
                .iter()
                .filter_map(|(p, how)| Some((descend(p, key)?, *how)))
                .collect();
            map.serialize_entry(
                key,
                &Shown {
                    value,
                    shape,
                    masks: &masks,
                },
            )
        };
        match self.shape {
            Some(Value::Object(want)) => {
                for (key, shape) in want {
                    if let Some(value) = field_of(have, key) {
                        field(key, value, Some(shape))?;
                    }
                }
            }
            _ => {
                for (key, value) in have {
                    field(key, value, None)?;
                }
            }
        }
        map.end()
    }
}

/// `key`'s value in `fields`, found by comparing keys: a record has a handful of fields,
/// and comparing them costs less than hashing the key once.
fn field_of<'v>(fields: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// `pointer` relative to the field `key`, when it starts there (`""`: the field itself).
fn descend<'p>(pointer: &'p str, key: &str) -> Option<&'p str> {
    let (token, rest) = split_first(pointer)?;
    (token == key).then_some(rest)
}

/// The field a pointer starts at, unescaped, and the pointer below it.
fn split_first(pointer: &str) -> Option<(Cow<'_, str>, &str)> {
    let rest = pointer.strip_prefix('/')?;
    let (token, below) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let token = match token.contains('~') {
        true => Cow::Owned(token.replace("~1", "/").replace("~0", "~")),
        false => Cow::Borrowed(token),
    };
    Some((token, below))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn stored(record: Value) -> Stored {
        Stored {
            id: "id".into(),
            record,
            version: 1,
            etag: None,
            seeded: false,
        }
    }

    fn bytes(value: &impl Serialize) -> String {
        serde_json::to_string(value).unwrap()
    }

    #[test]
    fn an_overlay_writes_what_setting_each_pointer_would() {
        let base = json!({"total": 0, "data": {"items": [1, 2], "page": 1}, "requestId": "r"});
        let (total, page, id, link) = (json!(5), json!(3), json!("new"), json!("next"));
        let fills = vec![
            ("/total", Fill::Value(&total)),
            ("/data/page", Fill::Value(&page)),
            ("/requestId", Fill::Value(&id)),
            ("/data/nextLink", Fill::Value(&link)),
            ("/added/deep", Fill::Value(&total)),
            ("/a~1b", Fill::Value(&page)),
        ];
        let mut expected = base.clone();
        for (pointer, fill) in &fills {
            let Fill::Value(value) = fill else {
                unreachable!()
            };
            record::set(&mut expected, pointer, (*value).clone());
        }
        let overlay = Overlay { base: &base, fills };
        assert_eq!(bytes(&overlay), bytes(&expected));
    }

    #[test]
    fn an_overlay_at_the_root_or_over_a_scalar() {
        let base = json!("scalar");
        let one = json!(1);
        let root = Overlay {
            base: &base,
            fills: vec![("", Fill::Value(&one))],
        };
        assert_eq!(bytes(&root), "1");
        let scalar = Overlay {
            base: &base,
            fills: vec![("/x", Fill::Value(&one))],
        };
        assert_eq!(bytes(&scalar), r#"{"x":1}"#);
        let untouched = Overlay {
            base: &base,
            fills: vec![],
        };
        assert_eq!(bytes(&untouched), r#""scalar""#);
    }

    #[test]
    fn items_show_the_documented_fields_in_their_order_masked() {
        let records = [
            stored(
                json!({"p": {"key": "0123456789abcdef", "id": "1", "hidden": 1, "n": {"a": 1, "b": 2}}}),
            ),
            stored(json!({"p": {"key": "0123*******cdef", "id": "2"}})),
            stored(json!({"other": {}})),
        ];
        let shape = json!({"id": "x", "key": "y", "n": {"b": 0}, "absent": 0});
        let masks = [(
            "/key",
            MaskExt {
                keep_start: 2,
                keep_end: 1,
            },
        )];
        let items = Items {
            records: &records,
            view: "/p",
            shape: Some(&shape),
            masks: &masks,
        };
        assert_eq!(items.count(), 2);
        assert_eq!(
            bytes(&items),
            r#"[{"id":"1","key":"01*******f","n":{"b":2}},{"id":"2","key":"0123*******cdef"}]"#
        );
    }

    #[test]
    fn items_without_a_shape_show_every_field_masked_where_asked() {
        let records = [stored(json!({"a": {"secret": "abcdefgh"}, "b": 1}))];
        let masks = [(
            "/a/secret",
            MaskExt {
                keep_start: 1,
                keep_end: 1,
            },
        )];
        let items = Items {
            records: &records,
            view: "",
            shape: None,
            masks: &masks,
        };
        assert_eq!(bytes(&items), r#"[{"a":{"secret":"a*******h"},"b":1}]"#);
        let unmasked = Items {
            masks: &[],
            ..items
        };
        assert_eq!(bytes(&unmasked), r#"[{"a":{"secret":"abcdefgh"},"b":1}]"#);
    }
}
