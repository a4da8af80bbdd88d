//! An example made up from a response's schema, for plain OpenAPI files (no `x-keygate`) that
//! document a response without one: what Prism's static mode serves, so that such a file is
//! served as it is rather than refused.
//!
//! A schema's value is its own `example`, else its `default`, else the first of its `enum`,
//! else one by its type: `"string"`, `0`, `true`, an array of one item, an object of its
//! properties (`allOf` parts merged, the first of `oneOf` / `anyOf`). The result is ordered
//! YAML, so objects list their properties in the order the spec declares them.
//!
//! `$ref`s are followed with keygate-spec's resolver. A schema that contains itself stops
//! where it would repeat (an array stays empty, a property is left out), and a budget on the
//! number of schemas visited bounds what a spec of many shared schemas can expand to.

use keygate_spec::refs;
use serde_yaml::{Mapping, Value};

/// Most schema nodes visited for one example: far above any real response, far below what
/// would slow start-up.
const MAX_SCHEMAS: usize = 10_000;

/// The example for `schema`, a node of the document `root` (ordered YAML).
pub(crate) fn static_example(root: &Value, schema: &Value) -> Value {
    let mut walk = Walk {
        root,
        open: Vec::new(),
        budget: MAX_SCHEMAS,
    };
    walk.value_of(schema).unwrap_or(Value::Null)
}

/// One example being made.
struct Walk<'a> {
    root: &'a Value,
    /// The `$ref`s being expanded, outermost first: meeting one again is a cycle.
    open: Vec<&'a str>,
    /// Schemas that may still be visited.
    budget: usize,
}

impl<'a> Walk<'a> {
    /// `None` where `schema` cannot be expanded: it repeats a schema being expanded, its
    /// reference does not resolve, or the budget is spent.
    fn value_of(&mut self, schema: &'a Value) -> Option<Value> {
        self.budget = self.budget.checked_sub(1)?;
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return self.declared(schema).or_else(|| self.by_type(schema));
        };
        if self.open.contains(&reference) {
            return None;
        }
        let target = refs::resolve(self.root, schema).ok()?;
        self.open.push(reference);
        let value = self.value_of(target);
        self.open.pop();
        value
    }

    /// A value the schema itself gives: `example`, `default`, or the first `enum` value.
    fn declared(&self, schema: &'a Value) -> Option<Value> {
        schema
            .get("example")
            .or_else(|| schema.get("default"))
            .or_else(|| schema.get("enum")?.as_sequence()?.first())
            .cloned()
    }

    /// A value of the schema's type, or of its composition.
    fn by_type(&mut self, schema: &'a Value) -> Option<Value> {
        if let Some(parts) = schema.get("allOf").and_then(Value::as_sequence) {
            return self.all_of(parts);
        }
        for key in ["oneOf", "anyOf"] {
            let first = schema
                .get(key)
                .and_then(Value::as_sequence)
                .and_then(|s| s.first());
            if let Some(first) = first {
                return self.value_of(first);
            }
        }
        Some(match schema.get("type").and_then(Value::as_str) {
            Some("string") => Value::from("string"),
            Some("integer" | "number") => Value::from(0),
            Some("boolean") => Value::Bool(true),
            Some("array") => self.array(schema),
            Some("object") => self.object(schema),
            _ if schema.get("properties").is_some() => self.object(schema),
            _ if schema.get("items").is_some() => self.array(schema),
            _ => Value::Null,
        })
    }

    /// One item, or none where the item cannot be expanded.
    fn array(&mut self, schema: &'a Value) -> Value {
        let item = schema.get("items").and_then(|items| self.value_of(items));
        Value::Sequence(item.into_iter().collect())
    }

    /// Every property a response carries (not the `writeOnly` ones), in declared order.
    fn object(&mut self, schema: &'a Value) -> Value {
        let mut out = Mapping::new();
        let properties = schema.get("properties").and_then(Value::as_mapping);
        for (name, property) in properties.into_iter().flatten() {
            if self.write_only(property) {
                continue;
            }
            if let Some(value) = self.value_of(property) {
                out.insert(name.clone(), value);
            }
        }
        Value::Mapping(out)
    }

    /// `allOf`: the parts' objects merged, or the first part's value when one is no object.
    fn all_of(&mut self, parts: &'a [Value]) -> Option<Value> {
        let mut merged = Mapping::new();
        let mut first = None;
        for part in parts {
            let Some(value) = self.value_of(part) else {
                continue;
            };
            match value {
                Value::Mapping(map) => merged.extend(map),
                other => {
                    first.get_or_insert(other);
                }
            }
        }
        match first {
            Some(value) if merged.is_empty() => Some(value),
            _ => Some(Value::Mapping(merged)),
        }
    }

    fn write_only(&self, property: &'a Value) -> bool {
        refs::resolve(self.root, property)
            .ok()
            .and_then(|p| p.get("writeOnly"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_of(document: &str, pointer: &str) -> String {
        let root: Value = serde_yaml::from_str(document).unwrap();
        let schema = refs::pointer(&root, pointer).unwrap();
        serde_json::to_string(&static_example(&root, schema)).unwrap()
    }

    #[test]
    fn declared_values_come_first_then_types() {
        let doc = r"
s:
  type: object
  properties:
    id: {type: integer}
    name: {type: string, example: Rex}
    tag: {type: string, enum: [dog, cat]}
    status: {type: string, default: available, enum: [sold]}
    ok: {type: boolean}
    weight: {type: number}
    tags: {type: array, items: {type: string}}
    secret: {type: string, writeOnly: true}
    whole: {type: object, example: {b: 1, a: 2}}
";
        assert_eq!(
            example_of(doc, "/s"),
            r#"{"id":0,"name":"Rex","tag":"dog","status":"available","ok":true,"weight":0,"tags":["string"],"whole":{"b":1,"a":2}}"#
        );
    }

    #[test]
    fn references_are_followed_and_compositions_resolved() {
        let doc = r"
components:
  schemas:
    Named: {type: object, properties: {name: {type: string}}}
    Aged: {type: object, properties: {age: {type: integer}}}
    Pet: {allOf: [{$ref: '#/components/schemas/Named'}, {$ref: '#/components/schemas/Aged'}]}
    Either: {oneOf: [{type: boolean}, {type: string}]}
";
        assert_eq!(
            example_of(doc, "/components/schemas/Pet"),
            r#"{"name":"string","age":0}"#
        );
        assert_eq!(example_of(doc, "/components/schemas/Either"), "true");
    }

    #[test]
    fn a_schema_that_contains_itself_stops_where_it_would_repeat() {
        let doc = r"
response: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      properties:
        name: {type: string}
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    Loop: {$ref: '#/components/schemas/Loop'}
";
        assert_eq!(
            example_of(doc, "/response"),
            r#"{"name":"string","children":[]}"#
        );
        assert_eq!(example_of(doc, "/components/schemas/Loop"), "null");
    }

    #[test]
    fn dangling_references_and_untyped_schemas_give_null() {
        let doc = "a: {$ref: '#/nowhere'}\nb: {}\n";
        assert_eq!(example_of(doc, "/a"), "null");
        assert_eq!(example_of(doc, "/b"), "null");
    }

    #[test]
    fn the_budget_bounds_an_exponential_expansion() {
        // Each level holds two of the next: 2^40 leaves, cut by the budget.
        let mut doc = String::from("components:\n  schemas:\n");
        for level in 0..40 {
            let next = format!("{{$ref: '#/components/schemas/L{}'}}", level + 1);
            doc.push_str(&format!(
                "    L{level}: {{type: object, properties: {{a: {next}, b: {next}}}}}\n"
            ));
        }
        doc.push_str("    L40: {type: string}\n");
        let json = example_of(&doc, "/components/schemas/L0");
        assert!(json.len() < 20 * MAX_SCHEMAS, "{} bytes", json.len());
    }
}
