//! A record's JSON: built, changed and shown the way a resource's extensions say. Pure
//! functions over `serde_json::Value`; the request and the store are elsewhere.

use keygate_spec::ext::{Generator, TimeFormat};
use rand::Rng as _;
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// Writes `value` at `pointer`, creating the objects on the way (`""` replaces the root).
pub(crate) fn set(root: &mut Value, pointer: &str, value: Value) {
    let mut node = root;
    let mut tokens = pointer.split('/').skip(1).map(unescape).peekable();
    if tokens.peek().is_none() {
        *node = value;
        return;
    }
    while let Some(token) = tokens.next() {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else {
            unreachable!("made an object above");
        };
        if tokens.peek().is_none() {
            map.insert(token, value);
            return;
        }
        node = map.entry(token).or_insert(Value::Null);
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `patch` merged into `target`: objects field by field, anything else replaced.
pub(crate) fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        into.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// `record` as `shape` shows it: the fields `shape` has (recursively into objects), with
/// the record's values; a field the record lacks is left out.
pub(crate) fn project(record: &Value, shape: &Value) -> Value {
    match (record, shape) {
        (Value::Object(have), Value::Object(want)) => Value::Object(
            want.iter()
                .filter_map(|(key, sub)| have.get(key).map(|v| (key.clone(), project(v, sub))))
                .collect(),
        ),
        (value, _) => value.clone(),
    }
}

/// A fresh value from `generator`.
pub(crate) fn generate(generator: &Generator) -> String {
    let chars = generator.alphabet.chars();
    let mut rng = rand::rng();
    let mut out = generator.prefix.clone();
    out.extend((0..generator.length).map(|_| char::from(chars[rng.random_range(0..chars.len())])));
    out
}

/// A fresh ETag, quoted, in ARM's shape (base64 of eight bytes: `"AAAAAAAACyw="`).
pub(crate) fn new_etag() -> String {
    use base64::Engine as _;
    let bytes: [u8; 8] = rand::random();
    format!(
        "\"{}\"",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// `now` as the service writes its timestamps.
pub(crate) fn timestamp(now: OffsetDateTime, format: TimeFormat) -> Value {
    let date = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    match format {
        TimeFormat::EpochMillis => {
            Value::from(i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(0))
        }
        TimeFormat::Rfc3339Seconds => Value::String(format!("{date}Z")),
        TimeFormat::Rfc3339Millis => Value::String(format!("{date}.{:03}Z", now.millisecond())),
    }
}

/// What a mask puts in place of the hidden middle.
const MASK: &str = "*******";

/// Whether `text` holds the mask already: records seeded from a documented list keep its
/// masked values (the only ones the docs give), shown as they are.
pub(crate) fn is_masked(text: &str) -> bool {
    // The one-character search first: it is a plain scan, the substring search sets up a
    // searcher on every call, and most values hold no star at all.
    text.contains('*') && text.contains(MASK)
}

/// `{name}` holes of `template` filled by `value_of(name)`; unknown names stay as written.
pub(crate) fn fill(template: &str, value_of: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match value_of(name) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[start..start + end + 2]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use keygate_spec::ext::Alphabet;
    use serde_json::json;

    use super::*;

    #[test]
    fn set_makes_the_way_and_merge_goes_field_by_field() {
        let mut record = json!({"properties": {"state": "active", "scope": "/apis"}});
        set(&mut record, "/properties/primaryKey", json!("k"));
        set(&mut record, "/a~1b", json!(1));
        merge(
            &mut record,
            &json!({"properties": {"state": "suspended"}, "name": "n"}),
        );
        assert_eq!(
            record,
            json!({"properties": {"state": "suspended", "scope": "/apis", "primaryKey": "k"}, "a/b": 1, "name": "n"})
        );
    }

    #[test]
    fn projection_shows_only_the_documented_fields() {
        let record = json!({"id": "1", "key": "secret", "props": {"a": 1, "hidden": 2}});
        let shape = json!({"id": "x", "props": {"a": 0}, "absent": 0});
        assert_eq!(
            project(&record, &shape),
            json!({"id": "1", "props": {"a": 1}})
        );
    }

    #[test]
    fn generated_values_follow_the_generator() {
        let value = generate(&Generator {
            prefix: "sec-".into(),
            alphabet: Alphabet::LowerAlnum,
            length: 20,
        });
        assert_eq!(value.len(), 24);
        assert!(
            value[4..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
    }

    #[test]
    fn timestamps_in_each_format() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_595_558_244_835_128_293).unwrap();
        assert_eq!(
            timestamp(at, TimeFormat::EpochMillis),
            json!(1_595_558_244_835_i64)
        );
        assert_eq!(
            timestamp(at, TimeFormat::Rfc3339Seconds),
            json!("2020-07-24T02:37:24Z")
        );
        assert_eq!(
            timestamp(at, TimeFormat::Rfc3339Millis),
            json!("2020-07-24T02:37:24.835Z")
        );
    }

    #[test]
    fn holes_are_filled_by_name() {
        let filled = fill("/s/{sub}/x/{sid}/{nope}", |n| {
            (n != "nope").then(|| n.to_uppercase())
        });
        assert_eq!(filled, "/s/SUB/x/SID/{nope}");
    }
}
