//! The journal: the last requests the engine answered, for a test or a person asking what a
//! client did. Bounded, and as careful as the log line: method, path (never the query),
//! vendor, operation and status, no header or body.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// How many requests the journal keeps: the oldest go first.
pub const JOURNAL_CAPACITY: usize = 1_000;

/// Longest path kept, in bytes.
const MAX_PATH: usize = 200;

/// One answered request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    /// Milliseconds since the Unix epoch when it was answered.
    pub at_ms: u64,
    /// The request's method.
    pub method: String,
    /// The request's path, without its query.
    pub path: String,
    /// The vendor whose spec answered, if any.
    pub vendor: Option<String>,
    /// The operationId, if the request reached one.
    pub operation: Option<String>,
    /// The answer's status (0: the connection was closed by a fault).
    pub status: u16,
}

/// The bounded list of recent requests.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: Mutex<VecDeque<JournalEntry>>,
}

impl Journal {
    /// Adds an entry, dropping the oldest past [`JOURNAL_CAPACITY`].
    pub(crate) fn record(
        &self,
        method: &str,
        path: &str,
        vendor: Option<&str>,
        operation: Option<&str>,
        status: u16,
    ) {
        let entry = JournalEntry {
            at_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            method: method.to_owned(),
            path: crate::text::truncated(path, MAX_PATH).to_owned(),
            vendor: vendor.map(str::to_owned),
            operation: operation.map(str::to_owned),
            status,
        };
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() == JOURNAL_CAPACITY {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// The entries, oldest first.
    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.iter().cloned().collect()
    }

    /// Forgets every entry.
    pub(crate) fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_keeps_the_newest_entries() {
        let journal = Journal::default();
        for i in 0..JOURNAL_CAPACITY + 5 {
            journal.record("GET", &format!("/p/{i}"), None, None, 200);
        }
        let entries = journal.entries();
        assert_eq!(entries.len(), JOURNAL_CAPACITY);
        assert_eq!(entries[0].path, "/p/5");
    }
}
