//! Graceful shutdown, with nothing shared on the request path.
//!
//! hyper-util's `GracefulShutdown` makes every connection poll one shared `watch` channel,
//! which takes that channel's lock on each poll of each connection: contention across the
//! worker threads on the hottest path. Here each connection gets its own oneshot (polled
//! without a lock once its waker is stored) and holds a clone of one mpsc sender, whose
//! closing tells the server that every connection is gone.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

/// The server's side: one stop signal per live connection.
#[derive(Debug)]
pub(crate) struct Drain {
    stops: Vec<oneshot::Sender<()>>,
    /// Length at which closed connections' senders are pruned next.
    prune_at: usize,
    alive: mpsc::Sender<()>,
    all_gone: mpsc::Receiver<()>,
}

/// A connection's side: when to shut down, and a token that says it is still running.
#[derive(Debug)]
pub(crate) struct Watch {
    /// Resolves when the server stops (or is dropped).
    pub(crate) stop: oneshot::Receiver<()>,
    _alive: mpsc::Sender<()>,
}

/// Senders kept before the first pruning.
const FIRST_PRUNE: usize = 64;

impl Drain {
    pub(crate) fn new() -> Self {
        let (alive, all_gone) = mpsc::channel(1);
        Self {
            stops: Vec::new(),
            prune_at: FIRST_PRUNE,
            alive,
            all_gone,
        }
    }

    /// Registers a new connection.
    pub(crate) fn watch(&mut self) -> Watch {
        if self.stops.len() >= self.prune_at {
            // Amortized: the list is walked once per doubling, not per connection.
            self.stops.retain(|stop| !stop.is_closed());
            self.prune_at = (self.stops.len() * 2).max(FIRST_PRUNE);
        }
        let (stop, receiver) = oneshot::channel();
        self.stops.push(stop);
        Watch {
            stop: receiver,
            _alive: self.alive.clone(),
        }
    }

    /// Tells every connection to finish its request in flight and close, then waits for
    /// them (at most `timeout`); `false` when some were still open at the timeout.
    pub(crate) async fn shutdown(self, timeout: Duration) -> bool {
        let Self {
            stops,
            alive,
            mut all_gone,
            ..
        } = self;
        for stop in stops {
            let _ = stop.send(());
        }
        drop(alive);
        // No one ever sends: `recv` returns `None` once every connection's clone is dropped.
        tokio::time::timeout(timeout, all_gone.recv()).await.is_ok()
    }
}
