//! What the mock keeps between requests: resources described in the specs
//! (`x-keygate.resources`, `x-keygate-state`), kept in a store.
//!
//! - [`record`]: building, changing and showing a record's JSON.
//! - [`seed`]: the state the documented samples describe, where the mock starts.
//! - [`store`]: the async store interface; [`memory`] and [`redis`] implement it.
//! - [`backend`]: the store in use, behind [`State`].
//!
//! The engine's stateful step (`engine::stateful`) ties them to a request.

mod backend;
pub(crate) mod memory;
pub(crate) mod record;
pub(crate) mod redis;
pub(crate) mod seed;
pub(crate) mod store;
#[cfg(test)]
mod store_tests;

use std::fmt;
use std::str::FromStr;

pub(crate) use backend::State;
use store::StoreError;

/// Where the mock keeps what requests create, change and delete.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum StateConfig {
    /// No state: every answer is a documented sample, as a replay mock's.
    Off,
    /// In this process's memory (the default): each server has its own state.
    #[default]
    Memory,
    /// In Redis, so that several replicas answer as one service.
    Redis {
        /// `redis://HOST:PORT/DB`.
        url: String,
        /// Prefix of every key, so one Redis holds several independent mock worlds.
        namespace: String,
    },
}

impl fmt::Debug for StateConfig {
    /// Without the Redis URL's password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Off => f.write_str("Off"),
            Self::Memory => f.write_str("Memory"),
            Self::Redis { url, namespace } => f
                .debug_struct("Redis")
                .field("url", &redact_url(url))
                .field("namespace", namespace)
                .finish(),
        }
    }
}

impl fmt::Display for StateConfig {
    /// `off`, `memory`, or `redis <url without its password> (namespace <ns>)`: fit for a
    /// startup line or a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Off => f.write_str("off"),
            Self::Memory => f.write_str("memory"),
            Self::Redis { url, namespace } => {
                write!(f, "redis {} (namespace {namespace})", redact_url(url))
            }
        }
    }
}

/// The namespace when none is given.
pub const DEFAULT_NAMESPACE: &str = "keygate";

impl FromStr for StateConfig {
    type Err = String;

    /// `off`, `memory`, or a `redis://` URL (namespace: [`DEFAULT_NAMESPACE`]).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "off" => Ok(Self::Off),
            "memory" => Ok(Self::Memory),
            url if url.starts_with("redis://") => Ok(Self::Redis {
                url: url.to_owned(),
                namespace: DEFAULT_NAMESPACE.to_owned(),
            }),
            // The value is not repeated: it may be a URL with a password, mistyped.
            _ => Err(
                "expected off, memory or redis://HOST:PORT/DB (the value given is not \
                      shown: it may hold a password)"
                    .into(),
            ),
        }
    }
}

impl StateConfig {
    /// Refuses what would only fail at the first stateful request: a namespace that could
    /// reach into another's keys.
    pub(crate) fn validate(&self) -> Result<(), String> {
        match self {
            Self::Redis { namespace, .. } => {
                redis::check_namespace(namespace).map_err(|e| e.to_string())
            }
            _ => Ok(()),
        }
    }
}

/// `url` without its password (`redis://user:***@host`); anything before an `@` is taken
/// for credentials, even in a malformed URL.
pub(crate) fn redact_url(url: &str) -> String {
    let Some(at) = url.rfind('@') else {
        return url.to_owned();
    };
    match url.find("://").map(|s| s + 3).filter(|&start| start <= at) {
        Some(start) => {
            let user = url[start..at].split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..start], &url[at..])
        }
        None => format!("***{}", &url[at..]),
    }
}

/// The state store could not do what was asked (Redis unreachable, or state is off).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StateError(String);

impl From<StoreError> for StateError {
    fn from(error: StoreError) -> Self {
        Self(error.to_string())
    }
}

impl StateError {
    /// The error for a state operation on an engine that keeps no state.
    pub(crate) fn off() -> Self {
        Self("state is off (--state off): there is nothing to reset or dump".into())
    }

    /// The error for a vendor no loaded spec declares.
    pub(crate) fn unknown_vendor(vendor: &str) -> Self {
        Self(format!("no loaded spec declares vendor {vendor:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configs_parse_and_never_print_a_password() {
        assert_eq!("off".parse::<StateConfig>(), Ok(StateConfig::Off));
        assert_eq!("memory".parse::<StateConfig>(), Ok(StateConfig::Memory));
        let redis: StateConfig = "redis://u:hunter2@127.0.0.1:6379/0".parse().unwrap();
        assert!(!format!("{redis:?}").contains("hunter2"));
        for mistyped in ["redis:/u:hunter2@x", "hunter2"] {
            let error = mistyped.parse::<StateConfig>().unwrap_err();
            assert!(!error.contains("hunter2"), "{error}");
        }
        let bad = StateConfig::Redis {
            url: "redis://h".into(),
            namespace: "a:b".into(),
        };
        assert!(bad.validate().is_err());
        assert_eq!(redact_url("redis://:pw@h:1/0"), "redis://:***@h:1/0");
    }
}
