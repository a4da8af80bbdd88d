//! State administration for a test or a person: the journal of recent requests, a reset to
//! the documented samples, a dump of the state. Methods of an in-process engine; the HTTP
//! surface under `/__keygate/` ([`admin_http`](super::admin_http)) calls them.

use serde_json::{Value, json};

use super::Engine;
use crate::journal::JournalEntry;
use crate::state::StateError;
use crate::state::store::ScopeKey;

/// What a redacted secret value reads as in a dump.
pub const REDACTED: &str = "*** redacted ***";

impl Engine {
    /// The last requests answered (at most [`JOURNAL_CAPACITY`](crate::JOURNAL_CAPACITY)),
    /// oldest first: method, path, vendor, operation, status; never a header, query or body.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.journal.entries()
    }

    /// Forgets the journal.
    pub fn clear_journal(&self) {
        self.journal.clear();
    }

    /// Back to the documented state, for every vendor or for `vendor` only.
    pub async fn reset_state(&self, vendor: Option<&str>) -> Result<(), StateError> {
        let state = self.state.as_ref().ok_or_else(StateError::off)?;
        if let Some(vendor) = vendor
            && !self.vendors().any(|v| v == vendor)
        {
            return Err(StateError::unknown_vendor(vendor));
        }
        Ok(state.reset(vendor).await?)
    }

    /// Every stored record, by scope, as JSON:
    /// `{"scopes": [{"scope", "pristine", "records": [{"id", "etag", "record"}]}]}`. The
    /// secret values (the fields a resource generates: keys, AppCodes, secret data) read
    /// [`REDACTED`] unless `reveal_secrets`.
    pub async fn state_dump(&self, reveal_secrets: bool) -> Result<Value, StateError> {
        let state = self.state.as_ref().ok_or_else(StateError::off)?;
        let scopes = state.dump().await?;
        let scopes: Vec<Value> = scopes
            .into_iter()
            .map(|(scope, listing)| {
                let secrets = self.secret_fields(&scope.0);
                let records: Vec<Value> = listing
                    .records
                    .iter()
                    .map(|stored| {
                        let mut record = stored.record.clone();
                        if !reveal_secrets {
                            for pointer in &secrets {
                                if let Some(value) = record.pointer_mut(pointer) {
                                    *value = Value::String(REDACTED.into());
                                }
                            }
                        }
                        json!({"id": stored.id, "etag": stored.etag, "record": record})
                    })
                    .collect();
                json!({"scope": scope.0, "pristine": listing.pristine, "records": records})
            })
            .collect();
        Ok(json!({ "scopes": scopes }))
    }

    /// The generated (secret) fields of the resource a scope key names.
    fn secret_fields(&self, scope: &str) -> Vec<String> {
        self.index
            .services
            .iter()
            .flat_map(|service| {
                service
                    .resources
                    .iter()
                    .map(move |resource| (service, resource))
            })
            .find(|(service, resource)| {
                ScopeKey(scope.to_owned()).is_of_resource(&service.vendor, &resource.name)
            })
            .map(|(_, resource)| resource.ext.secret_fields().cloned().collect())
            .unwrap_or_default()
    }
}
