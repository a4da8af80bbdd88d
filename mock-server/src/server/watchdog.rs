//! The header read timeout, with one timer per connection instead of one per request.
//!
//! hyper's own `header_read_timeout` arms a fresh timer for every request head, which cost
//! this server 10-20% of its throughput. Here each connection keeps the time it started
//! waiting for a head (when it opened, or when the last response was handed over) and
//! zero while a request is being served; one sleeping task per connection closes it when the
//! wait exceeds the limit. The semantics are hyper's, extended to the body: an idle
//! keep-alive connection and a client trickling its head or its body all count as waiting.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Milliseconds since a process-wide origin, plus one (so zero can mean "in a request").
fn now_ms() -> u64 {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    let elapsed = ORIGIN.get_or_init(Instant::now).elapsed();
    u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX - 1) + 1
}

/// When a connection started waiting for a request head.
#[derive(Debug)]
pub(crate) struct HeadClock {
    waiting_since: AtomicU64,
}

impl HeadClock {
    /// A new connection waits for its first head from now.
    pub(crate) fn new() -> Self {
        Self {
            waiting_since: AtomicU64::new(now_ms()),
        }
    }

    /// A request arrived, head and body: it is being served.
    pub(crate) fn request_started(&self) {
        self.waiting_since.store(0, Ordering::Relaxed);
    }

    /// The response is handed over: waiting for the next head.
    pub(crate) fn request_finished(&self) {
        self.waiting_since.store(now_ms(), Ordering::Relaxed);
    }

    /// Resolves once the connection has waited longer than `limit` for a head.
    pub(crate) async fn expired(&self, limit: Duration) {
        let limit_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
        loop {
            let since = self.waiting_since.load(Ordering::Relaxed);
            let pause = if since == 0 {
                limit
            } else {
                let deadline = since.saturating_add(limit_ms);
                let now = now_ms();
                if now >= deadline {
                    return;
                }
                Duration::from_millis(deadline - now)
            };
            tokio::time::sleep(pause).await;
        }
    }
}
