//! The state the documented samples describe: where the mock starts, so that a client that
//! worked against the replay mock sees the same records at the same ids.
//!
//! A resource's records come from its list's documented items, then each read's documented
//! record is merged into the record with its id (or added): one record per documented id,
//! in each documented scope. Scopes the docs do not name start empty.

use std::collections::BTreeMap;

use http::HeaderName;
use keygate_spec::ext::Action;
use serde_json::Value;

use super::record;
use super::store::{ScopeKey, Stored};
use crate::index::stateful::OpState;
use crate::index::{Index, Operation};

/// The seeds of every resource of every service.
pub(crate) fn seeds(index: &Index) -> Vec<(ScopeKey, Vec<Stored>)> {
    let mut scopes: BTreeMap<ScopeKey, Vec<Stored>> = BTreeMap::new();
    for (service_index, service) in index.services.iter().enumerate() {
        for (resource_index, resource) in service.resources.iter().enumerate() {
            let ops: Vec<(&Operation, &OpState)> = index
                .operations
                .iter()
                .filter(|op| op.service == service_index)
                .filter_map(|op| op.state.as_ref().map(|s| (op, s)))
                .filter(|(_, s)| s.resource == resource_index)
                .collect();
            let ordered = ops
                .iter()
                .filter(|(_, s)| s.ext.action == Action::List)
                .chain(ops.iter().filter(|(_, s)| s.ext.action == Action::Read));
            for (op, state) in ordered {
                let Some((values, key)) = &state.documented else {
                    continue;
                };
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                let scope = ScopeKey::new(&service.vendor, &resource.name, &values);
                let records = scopes.entry(scope).or_default();
                let etag = documented_etag(op, resource.ext.etag.as_ref().map(|e| &e.header));
                match key {
                    None => add_listed(records, state, &resource.ext.id.field),
                    Some(key) => add_read(records, state, key, &resource.ext.id.field, etag),
                }
            }
            if resource.ext.etag.is_some() {
                let undocumented = scopes
                    .iter_mut()
                    .filter(|(scope, _)| scope.is_of_resource(&service.vendor, &resource.name))
                    .flat_map(|(_, records)| records.iter_mut())
                    .filter(|r| r.etag.is_none());
                for stored in undocumented {
                    stored.etag = Some(record::new_etag());
                }
            }
        }
    }
    scopes.into_iter().filter(|(_, r)| !r.is_empty()).collect()
}

/// The documented items of a list, as records.
fn add_listed(records: &mut Vec<Stored>, state: &OpState, id_field: &str) {
    let items = state
        .successes
        .first()
        .and_then(|(_, example)| example.as_ref())
        .zip(state.paging.as_ref())
        .and_then(|(example, paging)| example.pointer(&paging.items))
        .and_then(Value::as_array);
    for item in items.into_iter().flatten() {
        let part = in_view(state, item.clone());
        if let Some(id) = part.pointer(id_field).map(keygate_spec::ext::plain_text) {
            upsert(records, id, part, None);
        }
    }
}

/// A read's documented record (or just its ETag, for a read that shows no body).
fn add_read(
    records: &mut Vec<Stored>,
    state: &OpState,
    key: &str,
    id_field: &str,
    etag: Option<String>,
) {
    let example = state.successes.first().and_then(|(_, e)| e.as_ref());
    let entity = state
        .ext
        .entity
        .as_deref()
        .zip(example)
        .and_then(|(pointer, example)| example.pointer(pointer))
        .cloned();
    let id = match &state.ext.lookup {
        Some(lookup) => records
            .iter()
            .find(|r| {
                r.record
                    .pointer(&lookup.field)
                    .map(keygate_spec::ext::plain_text)
                    .as_deref()
                    == Some(key)
            })
            .map(|r| r.id.clone()),
        None => Some(key.to_owned()),
    };
    let Some(id) = id else {
        return;
    };
    // The envelope beside the record (`keep`) belongs to the answer, not to the record.
    let entity = entity.map(|mut e| {
        for kept in &state.ext.keep {
            remove(&mut e, kept);
        }
        e
    });
    let mut part = entity.map(|e| in_view(state, e)).unwrap_or(Value::Null);
    if part.is_object() && part.pointer(id_field).is_none() {
        record::set(&mut part, id_field, Value::String(id.clone()));
    }
    upsert(records, id, part, etag);
}

/// Removes the field at `pointer`, if there is one.
fn remove(value: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    if let Some(Value::Object(map)) = value.pointer_mut(parent) {
        map.remove(&key.replace("~1", "/").replace("~0", "~"));
    }
}

/// `part` placed where the operation's view of the record is.
fn in_view(state: &OpState, part: Value) -> Value {
    let mut record = Value::Object(serde_json::Map::new());
    record::set(&mut record, state.ext.view.as_deref().unwrap_or(""), part);
    record
}

/// Merges `part` into the record `id`, or adds it.
fn upsert(records: &mut Vec<Stored>, id: String, part: Value, etag: Option<String>) {
    match records.iter_mut().find(|r| r.id == id) {
        Some(existing) => {
            if !part.is_null() {
                record::merge(&mut existing.record, &part);
            }
            existing.etag = etag.or(existing.etag.take());
        }
        None if part.is_object() => records.push(Stored {
            id,
            record: part,
            version: rand::random(),
            etag,
            seeded: true,
        }),
        None => {}
    }
}

/// The ETag header a read documents with its first success, where the resource has one.
fn documented_etag(op: &Operation, header: Option<&String>) -> Option<String> {
    let name = HeaderName::try_from(header?.as_str()).ok()?;
    let case = &op.responses.cases[op.responses.success];
    let prepared = &case.examples.first()?.1;
    prepared
        .headers
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, v)| v.to_str().ok())
        .map(str::to_owned)
}
