//! The default store: one process's memory, one lock held only for a map operation.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::store::{Listing, MAX_RECORDS, Outcome, ScopeKey, Store, StoreError, Stored, Write};

/// Records in memory; what a store's atomic step is, is plain here: everything happens
/// under the lock.
#[derive(Debug, Default)]
pub(crate) struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    scopes: BTreeMap<ScopeKey, Listing>,
    total: usize,
    seeded: bool,
}

impl MemoryStore {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave a half-written record: every change
        // is one push, one assignment or one removal. So a poisoned lock is still usable.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Inner {
    fn put_seeds(&mut self, seeds: &[(ScopeKey, Vec<Stored>)]) {
        for (scope, records) in seeds {
            self.scopes.insert(
                scope.clone(),
                Listing {
                    records: records.clone().into(),
                    pristine: true,
                },
            );
        }
        self.total = self.scopes.values().map(|l| l.records.len()).sum();
    }

    fn write(&mut self, scope: &ScopeKey, write: Write) -> Outcome {
        // Taken out and put back only if it holds something: a refused write in a new scope
        // must not leave an empty one behind (creates in ever new scopes would grow the map
        // past every bound).
        let mut listing = self.scopes.remove(scope).unwrap_or_default();
        let before = listing.records.len();
        let outcome = apply(&mut listing, write, self.total);
        if outcome == Outcome::Done {
            listing.pristine = false;
        }
        self.total = self.total - before + listing.records.len();
        if !listing.records.is_empty() || listing.pristine {
            self.scopes.insert(scope.clone(), listing);
        }
        outcome
    }
}

fn apply(listing: &mut Listing, write: Write, total: usize) -> Outcome {
    match write {
        Write::Insert {
            stored,
            max,
            unique,
        } => insert(listing, stored, max, &unique, total),
        Write::Replace { stored, expected } => {
            match Arc::make_mut(&mut listing.records)
                .iter_mut()
                .find(|r| r.id == stored.id)
            {
                Some(current) if current.version == expected => {
                    *current = stored;
                    Outcome::Done
                }
                _ => Outcome::Stale,
            }
        }
        Write::Delete { id, expected } => match listing.records.iter().position(|r| r.id == id) {
            Some(at) if listing.records[at].version == expected => {
                Arc::make_mut(&mut listing.records).remove(at);
                Outcome::Done
            }
            _ => Outcome::Stale,
        },
    }
}

fn insert(
    listing: &mut Listing,
    stored: Stored,
    max: usize,
    unique: &[(String, serde_json::Value)],
    total: usize,
) -> Outcome {
    if listing.records.len() >= max || total >= MAX_RECORDS {
        return Outcome::Full;
    }
    if listing.records.iter().any(|r| r.id == stored.id) {
        return Outcome::Taken(None);
    }
    let taken = unique.iter().position(|(pointer, value)| {
        listing
            .records
            .iter()
            .any(|r| r.record.pointer(pointer) == Some(value))
    });
    if let Some(at) = taken {
        return Outcome::Taken(Some(at));
    }
    Arc::make_mut(&mut listing.records).push(stored);
    Outcome::Done
}

impl Store for MemoryStore {
    async fn get(&self, scope: &ScopeKey, id: &str) -> Result<Option<Stored>, StoreError> {
        Ok(self
            .lock()
            .scopes
            .get(scope)
            .and_then(|l| l.records.iter().find(|r| r.id == id).cloned()))
    }

    async fn list(&self, scope: &ScopeKey) -> Result<Listing, StoreError> {
        Ok(self.lock().scopes.get(scope).cloned().unwrap_or_default())
    }

    async fn write(&self, scope: &ScopeKey, write: Write) -> Result<Outcome, StoreError> {
        Ok(self.lock().write(scope, write))
    }

    async fn seed(&self, seeds: &[(ScopeKey, Vec<Stored>)]) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if !inner.seeded {
            inner.put_seeds(seeds);
            inner.seeded = true;
        }
        Ok(())
    }

    async fn reset(
        &self,
        vendor: Option<&str>,
        seeds: &[(ScopeKey, Vec<Stored>)],
    ) -> Result<(), StoreError> {
        let mut inner = self.lock();
        let mine = |scope: &ScopeKey| vendor.is_none_or(|v| scope.is_of(v));
        inner.scopes.retain(|scope, _| !mine(scope));
        let seeds: Vec<_> = seeds.iter().filter(|(s, _)| mine(s)).cloned().collect();
        inner.put_seeds(&seeds);
        inner.total = inner.scopes.values().map(|l| l.records.len()).sum();
        inner.seeded = true;
        Ok(())
    }

    async fn dump(&self) -> Result<Vec<(ScopeKey, Listing)>, StoreError> {
        Ok(self
            .lock()
            .scopes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }
}
