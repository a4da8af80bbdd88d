//! Log lines gathered in memory and written out in batches by a background thread.
//!
//! A request thread only appends its line to a shared buffer under a short lock. The writer
//! thread sleeps until the buffer has something, lets lines gather for [`GATHER`], then
//! writes them with one call. tracing-appender's non-blocking writer, used before, woke its
//! thread (a futex call, a context switch) and wrote (a syscall) for nearly every line: at
//! tens of thousands of requests a second on two cores that cost a quarter of the
//! throughput. Lines appear at most [`GATHER`] late; none is dropped: past
//! [`MAX_PENDING`] bytes, request threads wait for the writer.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// How long the writer lets lines gather before writing them.
const GATHER: Duration = Duration::from_millis(20);
/// Bytes waiting beyond which request threads wait for the writer (memory stays bounded).
const MAX_PENDING: usize = 4 * 1024 * 1024;

#[derive(Debug, Default)]
struct State {
    pending: Vec<u8>,
    closed: bool,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    /// Signalled when the buffer stops being empty, or on close.
    filled: Condvar,
    /// Signalled when the writer has taken the buffer.
    drained: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Appending bytes cannot leave the state inconsistent: keep logging after a panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The `MakeWriter` for the subscriber.
#[derive(Debug, Clone)]
pub(crate) struct BatchWriter {
    shared: Arc<Shared>,
}

/// Stops the writer thread on drop, after it wrote every line.
#[derive(Debug)]
pub(crate) struct FlushGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl BatchWriter {
    /// Starts the writer thread writing to `out`. Without that thread, request threads would
    /// wait forever once the buffer is full, hence an error rather than a writer.
    pub(crate) fn spawn(out: impl Write + Send + 'static) -> io::Result<(Self, FlushGuard)> {
        let shared = Arc::new(Shared::default());
        let thread = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("keygate-mock-log".into())
                .spawn(move || write_batches(&shared, out))?
        };
        let guard = FlushGuard {
            shared: Arc::clone(&shared),
            thread: Some(thread),
        };
        Ok((Self { shared }, guard))
    }
}

/// The writer thread: waits for lines, lets more gather, writes them all at once.
fn write_batches(shared: &Shared, mut out: impl Write) {
    let mut batch = Vec::new();
    loop {
        let mut state = shared.lock();
        while state.pending.is_empty() && !state.closed {
            state = shared
                .filled
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if state.pending.is_empty() {
            return;
        }
        if !state.closed {
            drop(state);
            thread::sleep(GATHER);
            state = shared.lock();
        }
        // Swapping buffers keeps both allocations alive: no reallocation in steady state.
        std::mem::swap(&mut batch, &mut state.pending);
        drop(state);
        shared.drained.notify_all();
        // Nowhere to report a failing stderr: the lines are lost, the server goes on.
        let _ = out.write_all(&batch).and_then(|()| out.flush());
        batch.clear();
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.filled.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One log line's writer (tracing-subscriber formats a line, then writes it at once).
#[derive(Debug)]
pub(crate) struct Line<'a> {
    shared: &'a Shared,
}

impl<'a> MakeWriter<'a> for BatchWriter {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Line {
            shared: &self.shared,
        }
    }
}

impl Write for Line<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut state = self.shared.lock();
        while state.pending.len() >= MAX_PENDING && !state.closed {
            state = self
                .shared
                .drained
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let was_empty = state.pending.is_empty();
        state.pending.extend_from_slice(bytes);
        drop(state);
        // Only the first line of a batch wakes the writer.
        if was_empty {
            self.shared.filled.notify_one();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `io::Write` that the test can read after the writer is gone.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_is_written_in_order_by_the_time_the_guard_is_dropped() {
        let sink = Sink::default();
        let (writer, guard) = BatchWriter::spawn(sink.clone()).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let writer = writer.clone();
                thread::spawn(move || {
                    for i in 0..1000 {
                        // One write per line, as tracing-subscriber does.
                        let line = format!("{t} {i}\n");
                        writer.make_writer().write_all(line.as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        drop(guard);
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 4000);
        for t in 0..4 {
            let mine: Vec<usize> = text
                .lines()
                .filter_map(|l| l.strip_prefix(&format!("{t} ")))
                .map(|i| i.parse().unwrap())
                .collect();
            assert_eq!(mine, (0..1000).collect::<Vec<_>>());
        }
    }
}
