//! [`EngineBuilder`]: specs, auth, credentials and fault rules, checked together.

use std::sync::Arc;

use super::Engine;
use crate::auth::{AuthMode, Authenticator, Credential};
use crate::error::StartError;
use crate::fault::{Fault, Faults};
use crate::index::Index;
use crate::spec;
use keygate_spec::SpecSource;

/// Options of an [`Engine`].
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    embedded: bool,
    specs: Vec<SpecSource>,
    auth: AuthMode,
    credentials: Vec<Credential>,
    faults: Vec<Fault>,
    fault_seed: u64,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        Self {
            embedded: true,
            specs: Vec::new(),
            auth: AuthMode::default(),
            credentials: Vec::new(),
            faults: Vec::new(),
            fault_seed: 0,
        }
    }
}

impl EngineBuilder {
    /// Serves `source` too; it replaces the embedded spec of the same vendor
    /// (`x-keygate.vendor`; for a plain OpenAPI file, its file name).
    pub fn spec(mut self, source: SpecSource) -> Self {
        self.specs.push(source);
        self
    }

    /// Serves only the specs given with [`spec`](Self::spec).
    pub fn without_embedded_specs(mut self) -> Self {
        self.embedded = false;
        self
    }

    /// How credentials are checked (default [`AuthMode::Presence`]).
    pub fn auth(mut self, mode: AuthMode) -> Self {
        self.auth = mode;
        self
    }

    /// A test credential for [`AuthMode::Verify`].
    pub fn credential(mut self, credential: Credential) -> Self {
        self.credentials.push(credential);
        self
    }

    /// A fault rule (repeatable; tried in order). Rules can also be changed later, through
    /// [`Engine::faults`].
    pub fn fault(mut self, rule: Fault) -> Self {
        self.faults.push(rule);
        self
    }

    /// Seed of the generator behind [`Fault::rate`] (default 0): the same seed and the same
    /// sequence of requests give the same faults.
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.fault_seed = seed;
        self
    }

    /// Loads and indexes the specs; checks the credentials and fault rules against them.
    pub fn build(self) -> Result<Engine, StartError> {
        let base = if self.embedded {
            SpecSource::embedded()
        } else {
            Vec::new()
        };
        let specs = spec::load(&base, &self.specs)?;
        if specs.is_empty() {
            return Err(StartError::Config("no spec to serve".into()));
        }
        let index = Index::build(&specs)?;
        if self.auth == AuthMode::Verify {
            check_verifiable(&index)?;
        }
        for credential in &self.credentials {
            if !index
                .services
                .iter()
                .any(|s| *s.vendor == *credential.vendor)
            {
                return Err(StartError::Config(format!(
                    "credential for vendor {:?}, which no loaded spec declares",
                    credential.vendor
                )));
            }
        }
        let index = Arc::new(index);
        let faults = Faults::new(Arc::clone(&index), self.fault_seed);
        faults.set(self.faults)?;
        Ok(Engine {
            index,
            faults,
            auth: Authenticator::new(self.auth, &self.credentials),
        })
    }
}

/// Verify mode needs a verifier for every `x-keygate-auth` id the specs name.
fn check_verifiable(index: &Index) -> Result<(), StartError> {
    let schemes = index.services.iter().flat_map(|s| &s.schemes);
    match schemes
        .filter(|s| s.auth.is_none())
        .find_map(|s| s.auth_id.as_deref())
    {
        Some(id) => Err(StartError::Config(format!(
            "verify mode: keygate-mock has no verifier for x-keygate-auth {id:?}"
        ))),
        None => Ok(()),
    }
}
