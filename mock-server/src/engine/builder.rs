//! [`EngineBuilder`]: specs, auth, credentials and fault rules, checked together.

use std::sync::Arc;

use super::Engine;
use super::admin_http::{AdminAccess, AdminPolicy};
use crate::auth::{AuthMode, Authenticator, Credential};
use crate::error::StartError;
use crate::fault::{Fault, Faults};
use crate::index::Index;
use crate::journal::Journal;
use crate::spec;
use crate::state::{State, StateConfig, seed};
use keygate_auth::SecretString;
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
    state: StateConfig,
    admin: AdminPolicy,
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
            state: StateConfig::default(),
            admin: AdminPolicy::default(),
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

    /// Where resources created by requests are kept (default [`StateConfig::Memory`]).
    pub fn state(mut self, config: StateConfig) -> Self {
        self.state = config;
        self
    }

    /// Who may use the admin surface under `/__keygate/` (default [`AdminAccess::Open`]).
    ///
    /// [`MockServerBuilder::start`](crate::MockServerBuilder::start) makes it
    /// [`AdminAccess::TokenRequired`] on any address that is not loopback, whatever is set
    /// here; setting `TokenRequired` here makes a loopback server require the token too.
    pub fn admin_access(mut self, access: AdminAccess) -> Self {
        self.admin.access = access;
        self
    }

    /// The admin token: a caller sending `Authorization: Bearer <token>` may use the admin
    /// surface where [`AdminAccess::TokenRequired`] applies, and see secret values in a
    /// dump (`GET /__keygate/state?secrets=reveal`). Without one, nobody sees them over
    /// HTTP. It is never printed (`Debug` shows only that one is set). Surrounding
    /// whitespace is dropped (a trailing newline from a file or an environment variable);
    /// an empty token is refused by [`build`](Self::build).
    pub fn admin_token(mut self, token: impl Into<SecretString>) -> Self {
        let token = token.into();
        self.admin.token = Some(SecretString::from(token.expose_secret().trim()));
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
        if self
            .admin
            .token
            .as_ref()
            .is_some_and(|token| token.expose_secret().is_empty())
        {
            return Err(StartError::Config("the admin token is empty".into()));
        }
        self.state.validate().map_err(StartError::Config)?;
        let state = State::new(&self.state, seed::seeds(&index));
        let index = Arc::new(index);
        let faults = Faults::new(Arc::clone(&index), self.fault_seed);
        faults.set(self.faults)?;
        Ok(Engine {
            index,
            faults,
            auth: Authenticator::new(self.auth, &self.credentials),
            state,
            journal: Journal::default(),
            admin: self.admin,
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
