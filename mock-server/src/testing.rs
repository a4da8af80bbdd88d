//! Helpers for tests that need real components next to the mock: a throwaway
//! [`RedisServer`] for the Redis state store (`--state redis://…`).
//!
//! ```no_run
//! use keygate_mock::testing::RedisServer;
//!
//! // Skipped loudly where redis-server is not installed; a failure under CI=true.
//! let Some(redis) = RedisServer::start_or_skip("two_replicas_share_state") else {
//!     return;
//! };
//! println!("state at {}", redis.url());
//! // The process is killed when `redis` is dropped.
//! ```

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The executable [`RedisServer`] runs, looked up on `PATH`.
const BINARY: &str = "redis-server";

/// How long a starting `redis-server` may take to answer `PING`.
const READY_WITHIN: Duration = Duration::from_secs(10);

/// A `redis-server` process of this test's own, on a free loopback port, without
/// persistence (`--save '' --appendonly no`): its data lives as long as the process.
///
/// The process is killed (and reaped) when the value is dropped, so a failing test leaves
/// nothing running.
#[derive(Debug)]
pub struct RedisServer {
    port: u16,
    child: Option<Child>,
    log: PathBuf,
}

impl RedisServer {
    /// Starts `redis-server` on a free loopback port and waits (bounded) until it answers
    /// `PING`.
    ///
    /// # Errors
    ///
    /// `redis-server` is not installed ([`io::ErrorKind::NotFound`]), exited, or did not
    /// answer within 10 seconds.
    pub fn start() -> io::Result<Self> {
        // The port is free when asked, but another process could take it before Redis binds
        // it: then Redis exits at once, and another port is tried.
        let mut last = None;
        for _ in 0..5 {
            let port = free_port()?;
            let mut server = Self {
                port,
                child: None,
                log: std::env::temp_dir()
                    .join(format!("keygate-redis-{}-{port}.log", std::process::id())),
            };
            match server.launch() {
                Ok(()) => return Ok(server),
                Err(error) if error.kind() == io::ErrorKind::NotFound => return Err(error),
                Err(error) => last = Some(error),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("redis-server did not start")))
    }

    /// [`start`](Self::start), or `None` where `redis-server` is not installed: then the test
    /// named `test` is reported as skipped, loudly, on stderr.
    ///
    /// # Panics
    ///
    /// Under `CI=true` when `redis-server` is not installed (in CI a skip is a failure), and
    /// anywhere when it is installed but does not start.
    pub fn start_or_skip(test: &str) -> Option<Self> {
        match Self::start() {
            Ok(server) => Some(server),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                let reason = "redis-server is not installed (apt install redis-server)";
                if in_ci() {
                    panic!("{test}: {reason}; under CI=true a skipped test is a failure");
                }
                // Straight to the process's stderr: the test harness captures `eprintln!`
                // of passing tests, and this line must be seen.
                let _ = writeln!(io::stderr(), "SKIPPED {test}: {reason}");
                None
            }
            Err(error) => panic!("{test}: redis-server did not start: {error}"),
        }
    }

    /// `redis://127.0.0.1:PORT/0`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// The loopback port the server listens on (the same across [`restart`](Self::restart)s).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether the process is running (it is after [`start`](Self::start) and
    /// [`restart`](Self::restart), not after [`stop`](Self::stop)).
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// Kills the process (as a crash would: no shutdown, no save) and waits for it to exit.
    /// Its data is gone; its port is free for [`restart`](Self::restart).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // An error here means the process already exited; `wait` reaps it either way.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Freezes the process (`SIGSTOP`): it keeps its port and connections but answers
    /// nothing, as a hung Redis would, until [`resume`](Self::resume).
    ///
    /// # Panics
    ///
    /// When the server is not running or `kill` fails.
    pub fn pause(&mut self) {
        self.signal("-STOP");
    }

    /// Lets a [`pause`](Self::pause)d process go on (`SIGCONT`).
    ///
    /// # Panics
    ///
    /// When the server is not running or `kill` fails.
    pub fn resume(&mut self) {
        self.signal("-CONT");
    }

    /// Sends `signal` to the process, with the `kill` utility (no unsafe code here).
    fn signal(&mut self, signal: &str) {
        let child = self.child.as_ref().expect("redis-server is not running");
        let status = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill did not run");
        assert!(status.success(), "kill {signal} failed: {status}");
    }

    /// Starts a fresh, empty server on the same port (stopping the running one first), and
    /// waits until it answers `PING`.
    ///
    /// # Errors
    ///
    /// As [`start`](Self::start); the port may also have been taken meanwhile.
    pub fn restart(&mut self) -> io::Result<()> {
        self.stop();
        self.launch()
    }

    /// Spawns the process on `self.port` and waits until it answers, or kills it.
    fn launch(&mut self) -> io::Result<()> {
        let log = std::fs::File::create(&self.log)?;
        let child = Command::new(BINARY)
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--daemonize", "no"])
            .args(["--loglevel", "warning"])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        self.child = Some(child);
        let ready = self.wait_ready();
        if ready.is_err() {
            self.stop();
        }
        ready
    }

    /// Polls until `PING` gets `+PONG`, the process exits, or [`READY_WITHIN`] passes.
    fn wait_ready(&mut self) -> io::Result<()> {
        let deadline = Instant::now() + READY_WITHIN;
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                return Err(io::Error::other(format!(
                    "redis-server on port {} exited with {status}: {}",
                    self.port,
                    self.log_tail()
                )));
            }
            if ping(address).is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "redis-server on port {} did not answer PING within {READY_WITHIN:?}: {}",
                        self.port,
                        self.log_tail()
                    ),
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The end of the server's log, for an error message.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let start = text.len().saturating_sub(2000);
        let start = (start..text.len())
            .find(|&at| text.is_char_boundary(at))
            .unwrap_or(text.len());
        text[start..].trim().to_owned()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// One `PING` over a fresh connection, every step bounded.
fn ping(address: SocketAddr) -> io::Result<()> {
    let step = Duration::from_millis(500);
    let mut stream = TcpStream::connect_timeout(&address, step)?;
    stream.set_read_timeout(Some(step))?;
    stream.set_write_timeout(Some(step))?;
    stream.write_all(b"PING\r\n")?;
    let mut answer = [0u8; 7];
    stream.read_exact(&mut answer)?;
    if &answer == b"+PONG\r\n" {
        Ok(())
    } else {
        // Redis answers `-LOADING …` while it is still starting.
        Err(io::Error::other("not ready"))
    }
}

/// A loopback port no one listens on right now.
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Whether this runs in CI, where a skipped test is a failure.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value.eq_ignore_ascii_case("true") || value == "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_stops_and_restarts_on_the_same_port() {
        let Some(mut server) = RedisServer::start_or_skip(concat!(
            module_path!(),
            "::starts_stops_and_restarts_on_the_same_port"
        )) else {
            return;
        };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, server.port()));
        assert!(server.url().ends_with(&format!(":{}/0", server.port())));
        assert!(server.is_running());
        ping(address).unwrap();

        server.stop();
        assert!(!server.is_running());
        assert!(ping(address).is_err());

        server.restart().unwrap();
        assert!(server.is_running());
        ping(address).unwrap();

        drop(server);
        assert!(
            ping(address).is_err(),
            "the process outlived its RedisServer"
        );
    }
}
