//! The store interface: where records live between requests, behind one small async trait
//! with two implementations ([`MemoryStore`](super::memory::MemoryStore), one process; Redis,
//! replicas sharing one state).
//!
//! Every write that checks before it changes (a full scope, a taken name, a stale version) is
//! one atomic step of the store, never a read followed by a write: so two replicas on one
//! store behave as one service. Reads are plain reads; the engine's read-modify-write goes
//! through [`Write::Replace`], which refuses a record that changed since it was read.

use std::future::Future;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One resource's records in one scope: `vendor/resource/scope values joined by '/'`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct ScopeKey(pub(crate) String);

impl ScopeKey {
    /// The key of `resource` of `vendor` in the scope named by `values`.
    pub(crate) fn new(vendor: &str, resource: &str, values: &[&str]) -> Self {
        let length =
            vendor.len() + resource.len() + values.iter().map(|v| v.len() + 1).sum::<usize>();
        let mut key = String::with_capacity(length + 1);
        key.push_str(vendor);
        key.push('/');
        key.push_str(resource);
        for value in values {
            key.push('/');
            // Escaped so that no scope value can pass for a separator.
            for (at, part) in value.split('/').enumerate() {
                if at > 0 {
                    key.push_str("%2F");
                }
                for (at, piece) in part.split('%').enumerate() {
                    if at > 0 {
                        key.push_str("%25");
                    }
                    key.push_str(piece);
                }
            }
        }
        Self(key)
    }

    /// Whether the scope holds `resource` of `vendor`.
    pub(crate) fn is_of_resource(&self, vendor: &str, resource: &str) -> bool {
        self.0
            .strip_prefix(vendor)
            .and_then(|rest| rest.strip_prefix('/'))
            .and_then(|rest| rest.strip_prefix(resource))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// Whether the scope belongs to `vendor`.
    pub(crate) fn is_of(&self, vendor: &str) -> bool {
        self.0
            .strip_prefix(vendor)
            .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// A record as kept, with what the engine needs besides its JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Stored {
    /// The record's id (also inside `record`, at the resource's id field).
    pub(crate) id: String,
    /// The record.
    pub(crate) record: Value,
    /// Changes on every write: a read-modify-write replaces only the version it read.
    pub(crate) version: u64,
    /// The ETag clients see, where the resource has one.
    pub(crate) etag: Option<String>,
    /// Still exactly as seeded from the documented samples.
    pub(crate) seeded: bool,
}

/// A scope's records, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Listing {
    /// The records, in the order they were created. Shared: a read hands out the listing
    /// without copying it (a list is the mock's most frequent stateful answer), and a write
    /// copies it only while a read still holds it.
    pub(crate) records: Arc<Vec<Stored>>,
    /// No write has touched the scope since it was seeded: its answers are the samples.
    pub(crate) pristine: bool,
}

/// One atomic change of a scope.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Write {
    /// Adds `stored`, unless the scope already holds `max` records (or the store its own
    /// bound), the id is taken, or another record has one of the `unique` values
    /// (JSON pointer, value).
    Insert {
        stored: Stored,
        max: usize,
        unique: Vec<(String, Value)>,
    },
    /// Puts `stored` in place of the record with its id, if that record's version is still
    /// `expected`.
    Replace { stored: Stored, expected: u64 },
    /// Removes the record `id`, if its version is still `expected`.
    Delete { id: String, expected: u64 },
}

/// What a [`Write`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Written.
    Done,
    /// The scope (or the store) is full.
    Full,
    /// The id, or the value of `unique[i]`, is taken (`None`: the id).
    Taken(Option<usize>),
    /// The record changed or went away since it was read: read again and retry.
    Stale,
}

/// The store could not be reached or answered nonsense; the engine answers the vendor's
/// `unavailable` error and keeps serving what needs no state.
#[derive(Debug, thiserror::Error)]
#[error("state store: {0}")]
pub(crate) struct StoreError(pub(crate) String);

/// Where records live. Futures are `Send` so the server can await them on any worker.
pub(crate) trait Store: Send + Sync {
    /// The record `id` of `scope`.
    fn get(
        &self,
        scope: &ScopeKey,
        id: &str,
    ) -> impl Future<Output = Result<Option<Stored>, StoreError>> + Send;

    /// Every record of `scope`, oldest first.
    fn list(&self, scope: &ScopeKey) -> impl Future<Output = Result<Listing, StoreError>> + Send;

    /// One atomic change of `scope`; marks the scope written when it is done.
    fn write(
        &self,
        scope: &ScopeKey,
        write: Write,
    ) -> impl Future<Output = Result<Outcome, StoreError>> + Send;

    /// Puts the seeds in place, once per store: a store that already holds state (another
    /// replica seeded it, or it survived a restart) is left as it is.
    fn seed(
        &self,
        seeds: &[(ScopeKey, Vec<Stored>)],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Forgets every scope (of `vendor` only, when given) and puts their seeds back.
    fn reset(
        &self,
        vendor: Option<&str>,
        seeds: &[(ScopeKey, Vec<Stored>)],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every scope with its records, in key order.
    fn dump(&self) -> impl Future<Output = Result<Vec<(ScopeKey, Listing)>, StoreError>> + Send;
}

/// The most records one store holds across all scopes, whatever the quotas say: the
/// mock's memory (or Redis's) stays bounded when clients create in ever new scopes. A create
/// past it answers the resource's quota error.
pub(crate) const MAX_RECORDS: usize = 100_000;
