//! The shared store: Redis, so that several mock replicas answer as one service.
//!
//! # Layout
//!
//! Every key starts with the namespace, so one Redis holds several independent mock worlds:
//!
//! | key | type | holds |
//! | --- | --- | --- |
//! | `{ns}:{scope}` | hash | record id → `SEQ:VERSION:JSON` (`JSON`: the [`Stored`]) |
//! | `{ns}#pristine` | set | the scopes no write has touched since they were seeded |
//! | `{ns}#total` | string | how many records the namespace holds ([`MAX_RECORDS`]) |
//! | `{ns}#seq` | string | the last insertion sequence number (lists are in its order) |
//! | `{ns}#seeded` | string | present once the seeds are in place |
//!
//! A namespace has no `:` nor `#` (see [`RedisStore::connect`]), so no namespace's keys
//! can pass for another's. The version is kept beside the JSON, as text, so a stale check
//! compares the exact `u64` (Lua's numbers are doubles).
//!
//! # Atomicity
//!
//! [`Store::write`] is one Lua script ([`WRITE`]): Redis runs a script with nothing else in
//! between, so the checks (scope full, store full, id or unique value taken, version stale)
//! and the change are one step, as under the memory store's lock. [`Store::seed`] and
//! [`Store::reset`] are one script too ([`SEED`]). Reads are plain reads; a listing is one
//! `MULTI` (records and pristine flag from the same moment).
//!
//! # Failures
//!
//! Every call is bounded by the store's timeout (the whole call, whatever number of
//! exchanges it takes) and answers [`StoreError`] when Redis is down, slow or answers
//! nonsense; the messages never show the URL's password. The connection manager reconnects
//! by itself, so calls succeed again once Redis is back, and the scripts are loaded again
//! (`EVALSHA`, then `SCRIPT LOAD` on `NOSCRIPT`) into a restarted Redis.
//!
//! A Redis that restarts without persistence comes back empty, seeded marker included: after
//! a failed call, the next call first puts the seeds back (the `seed` script, a no-op where
//! the marker survived), so the documented samples are there again.

mod lua;
#[cfg(test)]
mod tests;
mod url_secrets;

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ::redis::RedisResult;
use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::time::Instant;

use super::redact_url;
use super::store::{Listing, MAX_RECORDS, Outcome, ScopeKey, Store, StoreError, Stored, Write};
use lua::{SEED, WRITE};
use url_secrets::{scrub, secrets_of};

/// The first pause between reconnection attempts (it doubles, with jitter).
const RECONNECT_MIN_DELAY: Duration = Duration::from_millis(50);
/// The longest pause between reconnection attempts.
const RECONNECT_MAX_DELAY: Duration = Duration::from_millis(500);
/// Retries of one reconnection. Few, so that while Redis is down a call fails fast (a
/// refused connection, a short pause, twice) instead of waiting out the whole timeout; the
/// next call starts another reconnection, so calls succeed again once Redis is back.
const RECONNECT_ATTEMPTS: usize = 2;
/// Keys asked per `SCAN` step.
const SCAN_COUNT: usize = 1000;

/// Seeds as [`Store::seed`] takes them.
type Seeds = Vec<(ScopeKey, Vec<Stored>)>;

/// Records in Redis (see the module's documentation for the layout).
pub(crate) struct RedisStore {
    /// One multiplexed connection, re-established by itself after a failure; cloned per call.
    manager: ConnectionManager,
    namespace: String,
    timeout: Duration,
    /// The most records the namespace holds ([`MAX_RECORDS`] unless a test says less).
    max_records: usize,
    /// The URL without its password, for messages.
    target: String,
    /// The password as written in the URL (and percent-decoded), scrubbed from messages.
    secrets: Vec<String>,
    /// The seeds last given to [`Store::seed`] or [`Store::reset`].
    seeds: Mutex<Arc<Seeds>>,
    /// A call failed since the seeds were last checked: Redis may have come back empty.
    suspect: AtomicBool,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("target", &self.target)
            .field("namespace", &self.namespace)
            .field("timeout", &self.timeout)
            .field("max_records", &self.max_records)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connects to the Redis at `url` (`redis://[USER:PASSWORD@]HOST:PORT/DB`), keeping the
    /// records under `namespace`, and checks that it answers: all within `timeout`, which
    /// then bounds every call.
    ///
    /// `namespace` is 1 to 128 characters of `A-Z a-z 0-9 . _ -`.
    ///
    /// # Errors
    ///
    /// The namespace or URL is invalid, or Redis does not answer `PING` within `timeout`.
    pub(crate) async fn connect(
        url: &str,
        namespace: &str,
        timeout: Duration,
    ) -> Result<Self, StoreError> {
        check_namespace(namespace)?;
        let target = redact_url(url);
        let secrets = secrets_of(url);
        let invalid = |error: ::redis::RedisError| {
            StoreError(scrub(
                &format!("redis {target}: invalid URL: {error}"),
                &secrets,
            ))
        };
        let client = ::redis::Client::open(url).map_err(invalid)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_min_delay(RECONNECT_MIN_DELAY)
            .set_max_delay(RECONNECT_MAX_DELAY)
            .set_number_of_retries(RECONNECT_ATTEMPTS);
        // Lazy, so that connecting is bounded by the `PING` below like any call.
        let manager = ConnectionManager::new_lazy_with_config(client, config).map_err(invalid)?;
        let store = Self {
            manager,
            namespace: namespace.to_owned(),
            timeout,
            max_records: MAX_RECORDS,
            target,
            secrets,
            seeds: Mutex::default(),
            suspect: AtomicBool::new(false),
        };
        let mut con = store.manager.clone();
        let pong: String = store
            .bounded(store.deadline(), "connect", async move {
                ::redis::cmd("PING").query_async(&mut con).await
            })
            .await?;
        if pong != "PONG" {
            return Err(store.nonsense("connect"));
        }
        Ok(store)
    }

    /// The same store, holding at most `max_records` records across its scopes.
    #[cfg(test)]
    pub(crate) fn with_max_records(mut self, max_records: usize) -> Self {
        self.max_records = max_records;
        self
    }

    /// The hash of `scope`'s records.
    fn scope_key(&self, scope: &ScopeKey) -> String {
        format!("{}:{}", self.namespace, scope.0)
    }

    /// One of the namespace's own keys (`pristine`, `total`, `seq`, `seeded`).
    fn meta(&self, name: &str) -> String {
        format!("{}#{name}", self.namespace)
    }

    /// When a call starting now must be over.
    fn deadline(&self) -> Instant {
        Instant::now() + self.timeout
    }

    /// Runs `call` (one Redis exchange or a few) until `deadline`; any failure is a
    /// [`StoreError`] without secrets, and makes the next call check the seeds first.
    async fn bounded<T>(
        &self,
        deadline: Instant,
        what: &str,
        call: impl Future<Output = RedisResult<T>>,
    ) -> Result<T, StoreError> {
        let message = match tokio::time::timeout_at(deadline, call).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(error)) => format!("redis {}: {what}: {error}", self.target),
            Err(_) => format!(
                "redis {}: {what}: no answer within {:?}",
                self.target, self.timeout
            ),
        };
        self.suspect.store(true, Ordering::SeqCst);
        Err(StoreError(scrub(&message, &self.secrets)))
    }

    /// After a failed call: puts the remembered seeds back if Redis lost them (it came back
    /// empty), before `deadline`.
    async fn heal(&self, deadline: Instant) -> Result<(), StoreError> {
        if !self.suspect.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        let seeds = Arc::clone(&self.seeds.lock().unwrap_or_else(|p| p.into_inner()));
        if seeds.is_empty() {
            return Ok(());
        }
        let seeds: Vec<_> = seeds.iter().collect();
        // On failure `bounded` marks the store suspect again.
        self.run_seed(deadline, "once", "", &[], &seeds).await
    }

    /// Keeps `seeds` for [`heal`](Self::heal).
    fn remember(&self, seeds: &[(ScopeKey, Vec<Stored>)]) {
        let mut kept = self.seeds.lock().unwrap_or_else(|p| p.into_inner());
        if kept.as_slice() != seeds {
            *kept = Arc::new(seeds.to_vec());
        }
    }

    /// Redis answered something this store never wrote (another program's keys under the
    /// namespace, or a damaged record); its content is not repeated, it may hold secrets.
    fn nonsense(&self, what: &str) -> StoreError {
        StoreError(format!(
            "redis {}: {what}: an answer not in keygate's format under namespace {:?}",
            self.target, self.namespace
        ))
    }

    /// A kept `SEQ:VERSION:JSON` record.
    fn decode(&self, what: &str, kept: &str) -> Result<(u64, Stored), StoreError> {
        let mut parts = kept.splitn(3, ':');
        let (Some(seq), Some(version), Some(json)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(self.nonsense(what));
        };
        let seq = seq.parse::<u64>().map_err(|_| self.nonsense(what))?;
        let stored: Stored = serde_json::from_str(json).map_err(|_| self.nonsense(what))?;
        if version != stored.version.to_string() {
            return Err(self.nonsense(what));
        }
        Ok((seq, stored))
    }

    /// Records as kept, oldest first.
    fn decode_all(&self, what: &str, kept: &[String]) -> Result<Vec<Stored>, StoreError> {
        let mut records = kept
            .iter()
            .map(|kept| self.decode(what, kept))
            .collect::<Result<Vec<_>, _>>()?;
        records.sort_by_key(|(seq, _)| *seq);
        Ok(records.into_iter().map(|(_, stored)| stored).collect())
    }

    /// The JSON of `stored`, as kept.
    fn encode(stored: &Stored) -> Result<String, StoreError> {
        serde_json::to_string(stored)
            .map_err(|error| StoreError(format!("a record does not serialize: {error}")))
    }

    /// The scope names of every key that matches `pattern` under the namespace.
    async fn scan(con: &mut ConnectionManager, pattern: &str) -> RedisResult<BTreeSet<String>> {
        let mut keys = BTreeSet::new();
        let mut cursor: u64 = 0;
        loop {
            let (next, batch): (u64, Vec<String>) = ::redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(pattern)
                .arg("COUNT")
                .arg(SCAN_COUNT)
                .query_async(con)
                .await?;
            keys.extend(batch);
            if next == 0 {
                return Ok(keys);
            }
            cursor = next;
        }
    }

    /// The scopes of `keys` (full Redis keys under the namespace).
    fn scopes_of(&self, keys: BTreeSet<String>) -> impl Iterator<Item = ScopeKey> + '_ {
        let prefix = format!("{}:", self.namespace);
        keys.into_iter()
            .filter_map(move |key| key.strip_prefix(&prefix).map(|s| ScopeKey(s.to_owned())))
    }

    /// Runs [`SEED`] in `mode`: forgets the scopes `forget` (and the pristine marks starting
    /// with `prefix`, in `reset` mode), then writes `seeds`.
    async fn run_seed(
        &self,
        deadline: Instant,
        mode: &str,
        prefix: &str,
        forget: &[ScopeKey],
        seeds: &[&(ScopeKey, Vec<Stored>)],
    ) -> Result<(), StoreError> {
        let mut invocation = SEED.prepare_invoke();
        invocation
            .key(self.meta("seeded"))
            .key(self.meta("pristine"))
            .key(self.meta("total"))
            .key(self.meta("seq"));
        for scope in forget {
            invocation.key(self.scope_key(scope));
        }
        for (scope, _) in seeds {
            invocation.key(self.scope_key(scope));
        }
        invocation
            .arg(mode)
            .arg(prefix)
            .arg(forget.len())
            .arg(seeds.len());
        for (scope, records) in seeds {
            invocation.arg(&scope.0).arg(records.len());
            for stored in records {
                invocation
                    .arg(&stored.id)
                    .arg(stored.version.to_string())
                    .arg(Self::encode(stored)?);
            }
        }
        let what = if mode == "once" { "seed" } else { "reset" };
        let mut con = self.manager.clone();
        let _: i64 = self
            .bounded(deadline, what, async move {
                invocation.invoke_async(&mut con).await
            })
            .await?;
        Ok(())
    }
}

impl Store for RedisStore {
    async fn get(&self, scope: &ScopeKey, id: &str) -> Result<Option<Stored>, StoreError> {
        let deadline = self.deadline();
        self.heal(deadline).await?;
        let key = self.scope_key(scope);
        let mut con = self.manager.clone();
        let kept: Option<String> = self
            .bounded(deadline, "get", async move {
                ::redis::cmd("HGET")
                    .arg(&key)
                    .arg(id)
                    .query_async(&mut con)
                    .await
            })
            .await?;
        kept.map(|kept| self.decode("get", &kept).map(|(_, stored)| stored))
            .transpose()
    }

    async fn list(&self, scope: &ScopeKey) -> Result<Listing, StoreError> {
        let deadline = self.deadline();
        self.heal(deadline).await?;
        let key = self.scope_key(scope);
        let pristine = self.meta("pristine");
        let mut con = self.manager.clone();
        let (kept, pristine): (Vec<String>, bool) = self
            .bounded(deadline, "list", async move {
                ::redis::pipe()
                    .atomic()
                    .hvals(&key)
                    .sismember(&pristine, &scope.0)
                    .query_async(&mut con)
                    .await
            })
            .await?;
        Ok(Listing {
            records: self.decode_all("list", &kept)?.into(),
            pristine,
        })
    }

    async fn write(&self, scope: &ScopeKey, write: Write) -> Result<Outcome, StoreError> {
        let deadline = self.deadline();
        self.heal(deadline).await?;
        let mut invocation = WRITE.prepare_invoke();
        invocation
            .key(self.scope_key(scope))
            .key(self.meta("pristine"))
            .key(self.meta("total"))
            .key(self.meta("seq"))
            .arg(&scope.0);
        match &write {
            Write::Insert {
                stored,
                max,
                unique,
            } => {
                invocation
                    .arg("insert")
                    .arg(&stored.id)
                    .arg(stored.version.to_string())
                    .arg(Self::encode(stored)?)
                    .arg(max.to_string())
                    .arg(self.max_records.to_string());
                for (pointer, value) in unique {
                    let value = serde_json::to_string(value).map_err(|error| {
                        StoreError(format!("a unique value does not serialize: {error}"))
                    })?;
                    invocation.arg(pointer).arg(value);
                }
            }
            Write::Replace { stored, expected } => {
                invocation
                    .arg("replace")
                    .arg(&stored.id)
                    .arg(stored.version.to_string())
                    .arg(Self::encode(stored)?)
                    .arg(expected.to_string());
            }
            Write::Delete { id, expected } => {
                invocation.arg("delete").arg(id).arg(expected.to_string());
            }
        }
        let mut con = self.manager.clone();
        let answer: String = self
            .bounded(deadline, "write", async move {
                invocation.invoke_async(&mut con).await
            })
            .await?;
        match answer.as_str() {
            "done" => Ok(Outcome::Done),
            "full" => Ok(Outcome::Full),
            "stale" => Ok(Outcome::Stale),
            "taken" => Ok(Outcome::Taken(None)),
            other => other
                .strip_prefix("taken:")
                .and_then(|at| at.parse().ok())
                .map(|at| Outcome::Taken(Some(at)))
                .ok_or_else(|| self.nonsense("write")),
        }
    }

    async fn seed(&self, seeds: &[(ScopeKey, Vec<Stored>)]) -> Result<(), StoreError> {
        self.remember(seeds);
        let seeds: Vec<_> = seeds.iter().collect();
        self.run_seed(self.deadline(), "once", "", &[], &seeds)
            .await
    }

    async fn reset(
        &self,
        vendor: Option<&str>,
        seeds: &[(ScopeKey, Vec<Stored>)],
    ) -> Result<(), StoreError> {
        self.remember(seeds);
        let deadline = self.deadline();
        // Another vendor's seeds, lost with a Redis that came back empty, are put back first:
        // the reset marks the store seeded.
        self.heal(deadline).await?;
        let pattern = match vendor {
            Some(vendor) => format!("{}:{}/*", self.namespace, glob_escape(vendor)),
            None => format!("{}:*", self.namespace),
        };
        let mine = |scope: &ScopeKey| vendor.is_none_or(|v| scope.is_of(v));
        let mut con = self.manager.clone();
        // Found outside the script (SCAN cannot run in one), forgotten inside it: a scope a
        // concurrent write creates meanwhile is as if written just after the reset.
        let keys = self
            .bounded(deadline, "reset", async move {
                Self::scan(&mut con, &pattern).await
            })
            .await?;
        let forget: Vec<_> = self.scopes_of(keys).filter(|s| mine(s)).collect();
        let seeds: Vec<_> = seeds.iter().filter(|(s, _)| mine(s)).collect();
        let prefix = vendor.map(|v| format!("{v}/")).unwrap_or_default();
        self.run_seed(deadline, "reset", &prefix, &forget, &seeds)
            .await
    }

    async fn dump(&self) -> Result<Vec<(ScopeKey, Listing)>, StoreError> {
        let deadline = self.deadline();
        self.heal(deadline).await?;
        let pattern = format!("{}:*", self.namespace);
        let pristine_key = self.meta("pristine");
        let mut con = self.manager.clone();
        let (scopes, mut answers) = self
            .bounded(deadline, "dump", async {
                let keys = Self::scan(&mut con, &pattern).await?;
                let seeded: BTreeSet<String> = ::redis::cmd("SMEMBERS")
                    .arg(&pristine_key)
                    .query_async(&mut con)
                    .await?;
                // Seeded scopes without records have no hash: the pristine set names them.
                let scopes: BTreeSet<ScopeKey> = self
                    .scopes_of(keys)
                    .chain(seeded.into_iter().map(ScopeKey))
                    .collect();
                let mut pipe = ::redis::pipe();
                pipe.atomic();
                for scope in &scopes {
                    pipe.hvals(self.scope_key(scope));
                }
                pipe.smembers(&pristine_key);
                let answers: Vec<Vec<String>> = pipe.query_async(&mut con).await?;
                Ok((scopes, answers))
            })
            .await?;
        let pristine: BTreeSet<String> = answers.pop().unwrap_or_default().into_iter().collect();
        if answers.len() != scopes.len() {
            return Err(self.nonsense("dump"));
        }
        let mut dump = Vec::with_capacity(scopes.len());
        for (scope, kept) in scopes.into_iter().zip(answers) {
            let listing = Listing {
                records: self.decode_all("dump", &kept)?.into(),
                pristine: pristine.contains(&scope.0),
            };
            // Gone between the scan and the snapshot.
            if listing.records.is_empty() && !listing.pristine {
                continue;
            }
            dump.push((scope, listing));
        }
        Ok(dump)
    }
}

/// Refuses a namespace that could overlap another's keys or a `SCAN` pattern.
pub(crate) fn check_namespace(namespace: &str) -> Result<(), StoreError> {
    let fine = !namespace.is_empty()
        && namespace.len() <= 128
        && namespace
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if fine {
        Ok(())
    } else {
        Err(StoreError(format!(
            "namespace {namespace:?}: expected 1 to 128 characters of A-Z a-z 0-9 . _ -"
        )))
    }
}

/// `text` with every glob special character escaped, for a `SCAN MATCH` pattern.
fn glob_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\' | '^') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
