//! Replay detection: a nonce is accepted once per access key while its request could
//! still pass the timestamp check.
//!
//! Memory is bounded twice over: an entry is dropped once its request's timestamp falls out
//! of the vendor window (after that the timestamp check rejects a replay anyway), and each
//! shard holds at most a fixed number of entries, forgetting the oldest first. Sharding
//! keeps concurrent verify-mode requests from contending on one lock.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

const SHARDS: usize = 16;
/// 16 shards x 16,384 = 262,144 nonces remembered at most (about 10 MiB).
const CAPACITY_PER_SHARD: usize = 16_384;

#[derive(Debug, Default)]
struct Shard {
    /// key hash -> expiry (Unix seconds).
    seen: HashMap<u64, i64>,
    /// Insertion order, for eviction: (expiry, key hash).
    order: VecDeque<(i64, u64)>,
}

impl Shard {
    fn evict(&mut self, now: i64, capacity: usize) {
        while let Some(&(expires, key)) = self.order.front() {
            if expires > now && self.order.len() < capacity {
                break;
            }
            self.order.pop_front();
            if self.seen.get(&key) == Some(&expires) {
                self.seen.remove(&key);
            }
        }
    }
}

/// Remembers `(vendor, access key, nonce)` triples for their validity window.
#[derive(Debug)]
pub(crate) struct ReplayGuard {
    shards: Box<[Mutex<Shard>]>,
    hasher: RandomState,
    capacity: usize,
}

impl Default for ReplayGuard {
    fn default() -> Self {
        Self::with_capacity(CAPACITY_PER_SHARD)
    }
}

impl ReplayGuard {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            hasher: RandomState::new(),
            capacity,
        }
    }

    /// `true` the first time a nonce is seen; `false` for a replay. `expires_at` is the
    /// request timestamp plus the vendor window.
    pub(crate) fn first_use(
        &self,
        vendor: &str,
        access_key: &str,
        nonce: &str,
        expires_at: i64,
        now: i64,
    ) -> bool {
        // Hashing keeps entries small; a 64-bit collision wrongly flags one request in ~2^64.
        let key = self.hasher.hash_one((vendor, access_key, nonce));
        let shard = &self.shards[(key as usize) % self.shards.len()];
        let mut shard = shard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        shard.evict(now, self.capacity);
        if shard.seen.get(&key).is_some_and(|&expires| expires > now) {
            return false;
        }
        shard.seen.insert(key, expires_at);
        shard.order.push_back((expires_at, key));
        true
    }

    /// Entries held, for tests.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().map(|s| s.seen.len()).unwrap_or(0))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_accepted_once_per_key() {
        let guard = ReplayGuard::default();
        assert!(guard.first_use("v", "ak", "1", 1000, 0));
        assert!(!guard.first_use("v", "ak", "1", 1000, 10));
        assert!(guard.first_use("v", "other", "1", 1000, 10));
        assert!(guard.first_use("w", "ak", "1", 1000, 10));
    }

    #[test]
    fn entries_expire_with_their_window() {
        let guard = ReplayGuard::default();
        assert!(guard.first_use("v", "ak", "1", 100, 0));
        // Past its window the timestamp check rejects a replay, so the entry is dropped.
        assert!(guard.first_use("v", "ak", "1", 300, 200));
        assert_eq!(guard.len(), 1);
    }

    #[test]
    fn memory_is_bounded() {
        let guard = ReplayGuard::with_capacity(8);
        for nonce in 0..10_000 {
            assert!(guard.first_use("v", "ak", &nonce.to_string(), i64::MAX, 0));
        }
        assert!(guard.len() <= 8 * SHARDS);
    }
}
