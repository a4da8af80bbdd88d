//! The store in use ([`State`]): memory, or Redis connected on first use, with the seeds it
//! starts from and returns to on reset.

use std::fmt;
use std::time::Duration;

use super::StateConfig;
use super::memory::MemoryStore;
use super::redis::RedisStore;
use super::store::{Listing, Outcome, ScopeKey, Store, StoreError, Stored, Write};

/// How long one call to a shared store may take before the request is answered with the
/// vendor's "unavailable" error.
pub(crate) const STORE_TIMEOUT: Duration = Duration::from_secs(2);

/// The store in use, and the seeds it starts from (and returns to on reset).
pub(crate) struct State {
    backend: Backend,
    seeds: Vec<(ScopeKey, Vec<Stored>)>,
}

enum Backend {
    Memory(MemoryStore),
    /// Connected on first use, so the mock starts (and serves what needs no state) while
    /// Redis is down, and seeded then.
    Redis {
        url: String,
        namespace: String,
        store: tokio::sync::OnceCell<RedisStore>,
    },
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.backend {
            Backend::Memory(_) => "memory",
            Backend::Redis { .. } => "redis",
        };
        f.debug_struct("State")
            .field("store", &kind)
            .field("seeded_scopes", &self.seeds.len())
            .finish()
    }
}

impl State {
    /// The state `config` asks for, starting from `seeds`; `None` for [`StateConfig::Off`].
    pub(crate) fn new(config: &StateConfig, seeds: Vec<(ScopeKey, Vec<Stored>)>) -> Option<Self> {
        let backend = match config {
            StateConfig::Off => return None,
            StateConfig::Memory => {
                let store = MemoryStore::default();
                // The memory store never waits: its futures are ready when first polled.
                let seeded = futures::FutureExt::now_or_never(store.seed(&seeds));
                debug_assert!(matches!(seeded, Some(Ok(()))));
                Backend::Memory(store)
            }
            StateConfig::Redis { url, namespace } => Backend::Redis {
                url: url.clone(),
                namespace: namespace.clone(),
                store: tokio::sync::OnceCell::new(),
            },
        };
        Some(Self { backend, seeds })
    }

    /// Whether the store lives in another process (a synchronous transport cannot wait
    /// for it).
    pub(crate) fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Redis { .. })
    }

    /// The Redis store, connected and seeded on first use (and again after a failed
    /// connection).
    async fn redis<'s>(
        &'s self,
        url: &str,
        namespace: &str,
        cell: &'s tokio::sync::OnceCell<RedisStore>,
    ) -> Result<&'s RedisStore, StoreError> {
        cell.get_or_try_init(|| async {
            let store = RedisStore::connect(url, namespace, STORE_TIMEOUT).await?;
            store.seed(&self.seeds).await?;
            Ok(store)
        })
        .await
    }

    /// The record `id` of `scope`.
    pub(crate) async fn get(
        &self,
        scope: &ScopeKey,
        id: &str,
    ) -> Result<Option<Stored>, StoreError> {
        match &self.backend {
            Backend::Memory(store) => store.get(scope, id).await,
            Backend::Redis {
                url,
                namespace,
                store,
            } => {
                self.redis(url, namespace, store)
                    .await?
                    .get(scope, id)
                    .await
            }
        }
    }

    /// The records of `scope`.
    pub(crate) async fn list(&self, scope: &ScopeKey) -> Result<Listing, StoreError> {
        match &self.backend {
            Backend::Memory(store) => store.list(scope).await,
            Backend::Redis {
                url,
                namespace,
                store,
            } => self.redis(url, namespace, store).await?.list(scope).await,
        }
    }

    /// One atomic change of `scope`.
    pub(crate) async fn write(
        &self,
        scope: &ScopeKey,
        write: Write,
    ) -> Result<Outcome, StoreError> {
        match &self.backend {
            Backend::Memory(store) => store.write(scope, write).await,
            Backend::Redis {
                url,
                namespace,
                store,
            } => {
                self.redis(url, namespace, store)
                    .await?
                    .write(scope, write)
                    .await
            }
        }
    }

    /// Back to the seeds, for every vendor or one.
    pub(crate) async fn reset(&self, vendor: Option<&str>) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Memory(store) => store.reset(vendor, &self.seeds).await,
            Backend::Redis {
                url,
                namespace,
                store,
            } => {
                self.redis(url, namespace, store)
                    .await?
                    .reset(vendor, &self.seeds)
                    .await
            }
        }
    }

    /// Every scope and its records.
    pub(crate) async fn dump(&self) -> Result<Vec<(ScopeKey, Listing)>, StoreError> {
        match &self.backend {
            Backend::Memory(store) => store.dump().await,
            Backend::Redis {
                url,
                namespace,
                store,
            } => self.redis(url, namespace, store).await?.dump().await,
        }
    }
}
