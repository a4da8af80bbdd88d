//! The stateful step: an operation with `x-keygate-state` answers from the store. Creates
//! store a record and show it, reads and lists show what is stored, updates and deletes
//! change it; refusals (not found, a full quota, a taken name, a stale ETag, a key in the
//! wrong state) are the operation's own documented examples.
//!
//! Every change is a read, then one conditional write ([`Write::Replace`] and
//! [`Write::Delete`] name the version read); when another request changed the record in
//! between, the whole step runs again on the new version, so no update is lost.

mod answers;
mod shown;

use std::borrow::Cow;

use keygate_spec::ext::Action;
use serde_json::Value;
use time::OffsetDateTime;

use super::respond::ErrorValues;
use super::{Answer, Engine};
use crate::index::Operation;
use crate::index::params::{Location, ParamSpec};
use crate::index::stateful::{OpState, Resource};
use crate::request::Inputs;
use crate::state::State;
use crate::state::record;
use crate::state::store::{Outcome, ScopeKey, StoreError, Stored, Write};

/// How often a change is tried again after another request changed the record first.
const MAX_ATTEMPTS: usize = 32;

/// One request's stateful step.
struct Call<'a, 'r, 'i> {
    engine: &'a Engine,
    store: &'a State,
    op: &'a Operation,
    plan: &'a OpState,
    resource: &'a Resource,
    inputs: &'r Inputs<'i>,
    scope_values: Vec<String>,
    scope: ScopeKey,
}

impl Engine {
    /// The answer of a stateful operation, from `store`.
    pub(super) async fn stateful<'e>(
        &'e self,
        store: &'e State,
        op: &'e Operation,
        plan: &'e OpState,
        inputs: &Inputs<'_>,
    ) -> Answer<'e> {
        let service = &self.index.services[op.service];
        let resource = &service.resources[plan.resource];
        let scope_values: Vec<String> = plan
            .scope
            .iter()
            .map(|&i| {
                value_of(&op.params[i].spec, inputs)
                    .unwrap_or_default()
                    .into_owned()
            })
            .collect();
        let values: Vec<&str> = scope_values.iter().map(String::as_str).collect();
        let call = Call {
            engine: self,
            store,
            op,
            plan,
            resource,
            inputs,
            scope: ScopeKey::new(&service.vendor, &resource.name, &values),
            scope_values,
        };
        let outcome = match plan.ext.action {
            Action::Create => call.create(None).await,
            Action::Read => call.read().await,
            Action::List => call.list().await,
            Action::Update => call.change(false).await,
            Action::Upsert => call.change(true).await,
            Action::Delete => call.delete().await,
        };
        outcome.unwrap_or_else(|error| {
            tracing::warn!(%error, operation = &*op.id, "state store unavailable");
            let values = ErrorValues {
                detail: "the mock's state store is unavailable; try again later",
                ..ErrorValues::default()
            };
            self.fail(Some(op.service), "unavailable", values, inputs.request)
        })
    }
}

type Step<'a> = Result<Answer<'a>, StoreError>;

/// What an insert came to.
enum Inserted<'a> {
    /// The answer to send: created, or refused (quota, a taken unique value).
    Answered(Answer<'a>),
    /// The id the request names is another record's.
    IdTaken,
}

impl<'a> Call<'a, '_, '_> {
    async fn create(&self, named: Option<String>) -> Step<'a> {
        Ok(match self.insert(named).await? {
            Inserted::Answered(answer) => answer,
            Inserted::IdTaken => self.id_taken(),
        })
    }

    /// Stores a new record: the answer, or word that the id the request names is taken.
    async fn insert(&self, named: Option<String>) -> Result<Inserted<'a>, StoreError> {
        let ext = &self.resource.ext;
        let mut stored = self.new_record(named.clone());
        let unique: Vec<(String, Value)> = ext
            .unique
            .iter()
            .filter_map(|u| Some((u.field.clone(), stored.record.pointer(&u.field)?.clone())))
            .collect();
        let id_is_given = named.is_some() || ext.id.generate.is_none() || self.request_names_id();
        for _ in 0..MAX_ATTEMPTS {
            let write = Write::Insert {
                stored: stored.clone(),
                max: ext.quota.max,
                unique: unique.clone(),
            };
            let answer = match self.store.write(&self.scope, write).await? {
                Outcome::Done => self.show(self.plan.success_status(false), Some(&stored)),
                Outcome::Full => self.example(&ext.quota.error),
                Outcome::Taken(Some(at)) => self.example(&ext.unique[at].error),
                Outcome::Taken(None) if id_is_given => return Ok(Inserted::IdTaken),
                // A generated id met an existing one: draw another.
                Outcome::Taken(None) | Outcome::Stale => {
                    stored = self.new_record(named.clone());
                    continue;
                }
            };
            return Ok(Inserted::Answered(answer));
        }
        Err(StoreError("no free id after many attempts".into()))
    }

    /// The refusal of a create whose id, named by the request, another record has: the
    /// resource's unique-id example, else the vendor's invalid-parameter answer.
    fn id_taken(&self) -> Answer<'a> {
        let ext = &self.resource.ext;
        match ext.unique.iter().find(|u| u.field == ext.id.field) {
            Some(unique) => self.example(&unique.error),
            None => {
                let values = ErrorValues {
                    param: &ext.id.parameter,
                    detail: "is taken",
                    ..ErrorValues::default()
                };
                let request = self.inputs.request;
                self.engine
                    .fail(Some(self.op.service), "invalid-parameter", values, request)
            }
        }
    }

    async fn read(&self) -> Step<'a> {
        let Some(stored) = self.find().await? else {
            return Ok(self.not_found());
        };
        if stored.seeded && self.is_documented(Some(&self.key().unwrap_or_default())) {
            return Ok(self.documented());
        }
        Ok(self.show(self.plan.success_status(false), Some(&stored)))
    }

    async fn list(&self) -> Step<'a> {
        let listing = self.store.list(&self.scope).await?;
        if listing.pristine && self.is_documented(None) {
            return Ok(self.documented());
        }
        Ok(self.show_list(&listing))
    }

    /// An update, or an upsert (which creates a record the request names but none has).
    async fn change(&self, upsert: bool) -> Step<'a> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(current) = self.find().await? else {
                if !upsert {
                    return Ok(self.not_found());
                }
                if let Some(refused) = self.stale_etag(None) {
                    return Ok(refused);
                }
                match self.insert(self.key()).await? {
                    Inserted::Answered(answer) => return Ok(answer),
                    // Another request created it meanwhile: this one replaces it.
                    Inserted::IdTaken => continue,
                }
            };
            if let Some(refused) = self.refusal(&current) {
                return Ok(refused);
            }
            let changed = self.changed(&current);
            let write = Write::Replace {
                stored: changed.clone(),
                expected: current.version,
            };
            match self.store.write(&self.scope, write).await? {
                Outcome::Done => {
                    return Ok(self.show(self.plan.success_status(upsert), Some(&changed)));
                }
                _ => continue,
            }
        }
        Err(StoreError(
            "the record kept changing under the update".into(),
        ))
    }

    async fn delete(&self) -> Step<'a> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(current) = self.find().await? else {
                return Ok(self.not_found());
            };
            if let Some(refused) = self.refusal(&current) {
                return Ok(refused);
            }
            let write = Write::Delete {
                id: current.id.clone(),
                expected: current.version,
            };
            match self.store.write(&self.scope, write).await? {
                Outcome::Done => return Ok(self.show(self.plan.success_status(false), None)),
                _ => continue,
            }
        }
        Err(StoreError(
            "the record kept changing under the delete".into(),
        ))
    }

    /// A new record from the request, as the resource's extensions say.
    fn new_record(&self, named: Option<String>) -> Stored {
        let ext = &self.resource.ext;
        let mut record = Value::Object(serde_json::Map::new());
        for (pointer, value) in &ext.initial {
            record::set(&mut record, pointer, value.clone());
        }
        for (pointer, template) in &ext.derive {
            let text = record::fill(template, |name| self.param_named(name).map(Cow::into_owned));
            record::set(&mut record, pointer, Value::String(text));
        }
        self.apply_request(&mut record);
        let id = named
            .or_else(|| {
                record
                    .pointer(&ext.id.field)
                    .map(keygate_spec::ext::plain_text)
            })
            .or_else(|| ext.id.generate.as_ref().map(record::generate))
            .unwrap_or_default();
        record::set(&mut record, &ext.id.field, Value::String(id.clone()));
        for (pointer, generator) in &ext.generate {
            if record.pointer(pointer).is_none_or(Value::is_null) {
                record::set(
                    &mut record,
                    pointer,
                    Value::String(record::generate(generator)),
                );
            }
        }
        self.stamp(&mut record, true);
        Stored {
            id,
            record,
            version: rand::random(),
            etag: ext.etag.as_ref().map(|_| record::new_etag()),
            seeded: false,
        }
    }

    /// `current` as this request changes it.
    fn changed(&self, current: &Stored) -> Stored {
        let ext = &self.resource.ext;
        let mut record = current.record.clone();
        for pointer in &self.plan.ext.rotate {
            if let Some(generator) = ext.generate.get(pointer) {
                record::set(
                    &mut record,
                    pointer,
                    Value::String(record::generate(generator)),
                );
            }
        }
        self.apply_request(&mut record);
        for (pointer, value) in &self.plan.ext.set {
            record::set(&mut record, pointer, value.clone());
        }
        // The id is the address, whatever the body says.
        record::set(
            &mut record,
            &ext.id.field,
            Value::String(current.id.clone()),
        );
        self.stamp(&mut record, false);
        Stored {
            id: current.id.clone(),
            record,
            version: current.version.wrapping_add(1),
            etag: ext.etag.as_ref().map(|_| record::new_etag()),
            seeded: false,
        }
    }

    /// The request's body (merged where `body` says) and its `params`.
    fn apply_request(&self, record: &mut Value) {
        let body = &self.inputs.request.body;
        if self.op.body.is_some()
            && !body.is_empty()
            && let Ok(patch @ Value::Object(_)) = serde_json::from_slice::<Value>(body)
        {
            match self.plan.ext.body.as_deref() {
                None | Some("") => record::merge(record, &patch),
                Some(pointer) => {
                    let mut at = record.pointer(pointer).cloned().unwrap_or(Value::Null);
                    record::merge(&mut at, &patch);
                    record::set(record, pointer, at);
                }
            }
        }
        for (index, name) in &self.plan.inputs {
            if let Some(value) = value_of(&self.op.params[*index].spec, self.inputs) {
                record::set(
                    record,
                    &format!("/{name}"),
                    Value::String(value.into_owned()),
                );
            }
        }
    }

    fn stamp(&self, record: &mut Value, created: bool) {
        let now = OffsetDateTime::now_utc();
        for (pointer, stamp) in &self.resource.ext.timestamps {
            if created || stamp.on == keygate_spec::ext::Stamp::Write {
                record::set(record, pointer, record::timestamp(now, stamp.format));
            }
        }
    }

    /// What refuses to change `current`: a state it must not be in, a stale ETag.
    fn refusal(&self, current: &Stored) -> Option<Answer<'a>> {
        if let Some(require) = &self.plan.ext.require
            && current.record.pointer(&require.field) != Some(&require.equals)
        {
            return Some(self.example(&require.error));
        }
        self.stale_etag(current.etag.as_deref())
    }

    /// The mismatch answer when the request's `If-Match` names another version than
    /// `current` (`None`: no record).
    fn stale_etag(&self, current: Option<&str>) -> Option<Answer<'a>> {
        let etag = self.resource.ext.etag.as_ref()?;
        let sent = self.inputs.request.header(etag.if_match.as_str())?;
        let matches = sent.trim() == "*" && current.is_some()
            || sent.split(',').any(|tag| Some(tag.trim()) == current);
        (!matches).then(|| self.example(&etag.mismatch))
    }

    /// The record the request addresses.
    async fn find(&self) -> Result<Option<Stored>, StoreError> {
        let Some(key) = self.key() else {
            return Ok(None);
        };
        match &self.plan.ext.lookup {
            None => self.store.get(&self.scope, &key).await,
            Some(lookup) => Ok(self
                .store
                .list(&self.scope)
                .await?
                .records
                .iter()
                .find(|r| {
                    r.record
                        .pointer(&lookup.field)
                        .map(keygate_spec::ext::plain_text)
                        .as_deref()
                        == Some(&key)
                })
                .cloned()),
        }
    }

    /// The id (or lookup value) the request names.
    fn key(&self) -> Option<String> {
        let index = self.plan.lookup.or(self.plan.id)?;
        value_of(&self.op.params[index].spec, self.inputs).map(Cow::into_owned)
    }

    /// Whether the request is at the scope (and record) the documented sample is.
    fn is_documented(&self, key: Option<&str>) -> bool {
        self.plan
            .documented
            .as_ref()
            .is_some_and(|(scope, documented_key)| {
                *scope == self.scope_values && documented_key.as_deref() == key
            })
    }

    fn param_named(&self, name: &str) -> Option<Cow<'_, str>> {
        let param = self.op.params.iter().find(|p| *p.spec.name == *name)?;
        value_of(&param.spec, self.inputs)
    }

    /// Whether the request names the id itself (a custom key id in the body or params).
    fn request_names_id(&self) -> bool {
        let mut probe = Value::Object(serde_json::Map::new());
        self.apply_request(&mut probe);
        probe.pointer(&self.resource.ext.id.field).is_some()
    }
}

/// A parameter's value in the request, as text (the first, where it repeats).
fn value_of<'i>(spec: &'i ParamSpec, inputs: &'i Inputs<'_>) -> Option<Cow<'i, str>> {
    match spec.location {
        Location::Path => inputs.path.get(spec.capture)?.as_deref().map(Cow::Borrowed),
        Location::Query => spec.query_values(inputs).next().map(Cow::Borrowed),
        Location::Header => inputs
            .request
            .headers
            .get(spec.header.as_ref()?)?
            .to_str()
            .ok()
            .map(Cow::Borrowed),
        Location::Cookie => None,
    }
}
