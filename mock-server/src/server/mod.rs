//! The hyper transport: [`MockServer`], in-process or behind the `keygate-mock` binary.

mod connection;
mod drain;
mod serve;
mod tls;
mod watchdog;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::{AuthMode, Credential};
use crate::engine::{AdminAccess, Engine, EngineBuilder};
use crate::error::StartError;
use crate::fault::{Fault, Faults};
use crate::journal::JournalEntry;
use crate::state::{StateConfig, StateError};
use keygate_auth::SecretString;
use keygate_spec::SpecSource;

pub use tls::Tls;

/// Transport limits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Largest request body accepted; larger gets the service's 413.
    pub(crate) body_bytes: usize,
    /// Time a client has to send a request, head and body (zero: no limit).
    pub(crate) header_read_timeout: Duration,
    /// How long shutdown waits for in-flight requests.
    pub(crate) drain_timeout: Duration,
    /// Connections served at once (at least 1); the next ones wait in the kernel's backlog.
    pub(crate) max_connections: usize,
}

/// Connections served at once unless told otherwise: [`MockServerBuilder::max_connections`].
///
/// 1,024: about 20 MiB of connection state when they all wait for a request head (about
/// 20 KiB each with glibc; one trickling a long head up to 64 KiB more), and the usual soft
/// limit of open files (`ulimit -n`), past which accepting fails anyway. Far more than a
/// test suite or a load test of a mock opens (`wrk -c100`).
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 4 * 1024 * 1024,
            header_read_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(30),
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// Connections the kernel completes and queues for the server beyond
/// [`MockServerBuilder::max_connections`] (or while it is busy), where `TcpListener::bind`
/// queues 128: past the cap they wait here to be served. Linux caps it at
/// `net.core.somaxconn` (4,096 by default).
const LISTEN_BACKLOG: u32 = 1024;

/// Binds `address` with a [listen backlog](LISTEN_BACKLOG) of 1,024, address reuse as
/// `TcpListener::bind` sets it.
fn listen(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if address.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(LISTEN_BACKLOG)
}

/// A running mock on a local port, serving every loaded vendor at its real paths.
///
/// See the [crate example](crate). Dropping it stops accepting connections; call
/// [`shutdown`](Self::shutdown) to also wait for requests in flight.
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    url: String,
    engine: Arc<Engine>,
    /// The certificate shown to clients, with TLS on; its written file goes with it.
    certificate: Option<Certificate>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts on `127.0.0.1:<free port>` with the embedded specs and auth `presence`.
    pub async fn start() -> Result<Self, StartError> {
        Self::builder().start().await
    }

    /// Options: specs, auth, address, limits.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// `http://127.0.0.1:<port>` (`https://` with [TLS](MockServerBuilder::tls)), without
    /// a trailing slash: the endpoint to give a client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The same as [`url`](Self::url), under the name wiremock's `MockServer` gives it.
    pub fn uri(&self) -> &str {
        &self.url
    }

    /// The certificate chain the server shows, PEM, when it serves [HTTPS](Tls): what a
    /// client adds to its trusted roots (`reqwest::Certificate::from_pem`). Never the key.
    /// `None` for plain HTTP.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.certificate.as_ref().map(|c| c.pem.as_str())
    }

    /// Where that certificate is on disk: the file written for [`Tls::SelfSignedToFile`]
    /// (removed when the server stops), or the certificate file of [`Tls::PemFiles`].
    /// `None` for plain HTTP and for [`Tls::SelfSigned`].
    pub fn certificate_path(&self) -> Option<&Path> {
        self.certificate.as_ref().and_then(|c| c.path.as_deref())
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The engine answering requests.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The fault rules in force: `server.faults().set([...])` and `.clear()` change them
    /// for the requests that follow, so one server can serve several test phases.
    pub fn faults(&self) -> &Faults {
        self.engine.faults()
    }

    /// Back to the documented state, for every vendor or for `vendor` only (what
    /// `DELETE /__keygate/state[/{vendor}]` does). Each server has its own state (unless
    /// several share one Redis), so tests running in parallel do not see each other.
    ///
    /// # Errors
    ///
    /// State is off, or the Redis store does not answer.
    pub async fn reset_state(&self, vendor: Option<&str>) -> Result<(), StateError> {
        self.engine.reset_state(vendor).await
    }

    /// Every stored record, by scope, as JSON (see [`Engine::state_dump`]); secret values
    /// read [`REDACTED`](crate::REDACTED) unless `reveal_secrets` (in-process, the caller is
    /// trusted: no admin token is asked for).
    ///
    /// # Errors
    ///
    /// State is off, or the Redis store does not answer.
    pub async fn state_dump(&self, reveal_secrets: bool) -> Result<serde_json::Value, StateError> {
        self.engine.state_dump(reveal_secrets).await
    }

    /// The last requests answered, oldest first (see [`Engine::journal`]); admin requests
    /// are not in it.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.engine.journal()
    }

    /// Forgets the journal.
    pub fn clear_journal(&self) {
        self.engine.clear_journal();
    }

    /// Stops accepting connections, lets requests in flight finish (up to the drain
    /// timeout, 30 s by default) and returns when the server is down.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// The certificate a TLS server shows, as [`MockServer`] hands it out.
#[derive(Debug)]
struct Certificate {
    pem: String,
    path: Option<std::path::PathBuf>,
    /// Deletes the file written for [`Tls::SelfSignedToFile`] when the server goes.
    _written: Option<tempfile::TempPath>,
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Options of a [`MockServer`].
#[derive(Debug, Clone)]
pub struct MockServerBuilder {
    engine: EngineBuilder,
    address: SocketAddr,
    limits: Limits,
    tls: Option<Tls>,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        Self {
            engine: Engine::builder(),
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            limits: Limits::default(),
            tls: None,
        }
    }
}

impl MockServerBuilder {
    /// Serves `source` too; it replaces the embedded spec of the same vendor.
    pub fn spec(mut self, source: SpecSource) -> Self {
        self.engine = self.engine.spec(source);
        self
    }

    /// Serves only the specs given with [`spec`](Self::spec).
    pub fn without_embedded_specs(mut self) -> Self {
        self.engine = self.engine.without_embedded_specs();
        self
    }

    /// How credentials are checked (default [`AuthMode::Presence`]).
    pub fn auth(mut self, mode: AuthMode) -> Self {
        self.engine = self.engine.auth(mode);
        self
    }

    /// A test credential for [`AuthMode::Verify`].
    pub fn credential(mut self, credential: Credential) -> Self {
        self.engine = self.engine.credential(credential);
        self
    }

    /// A fault rule (repeatable); see [`Fault`]. Change rules later with
    /// [`MockServer::faults`].
    pub fn fault(mut self, rule: Fault) -> Self {
        self.engine = self.engine.fault(rule);
        self
    }

    /// Seed of the generator behind [`Fault::rate`] (default 0).
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.engine = self.engine.fault_seed(seed);
        self
    }

    /// Where resources created by requests are kept (default [`StateConfig::Memory`]: this
    /// server's own state).
    pub fn state(mut self, config: StateConfig) -> Self {
        self.engine = self.engine.state(config);
        self
    }

    /// Who may use the admin surface under `/__keygate/` (default [`AdminAccess::Open`]). On
    /// an address that is not loopback, [`start`](Self::start) makes it
    /// [`AdminAccess::TokenRequired`] whatever is set here.
    pub fn admin_access(mut self, access: AdminAccess) -> Self {
        self.engine = self.engine.admin_access(access);
        self
    }

    /// The admin token (see [`EngineBuilder::admin_token`]): needed for the admin surface on
    /// an address that is not loopback, and to see secret values in a dump anywhere.
    pub fn admin_token(mut self, token: impl Into<SecretString>) -> Self {
        self.engine = self.engine.admin_token(token);
        self
    }

    /// Replaces the engine options (specs, auth, credentials, faults) wholesale.
    pub fn engine(mut self, engine: EngineBuilder) -> Self {
        self.engine = engine;
        self
    }

    /// Where to listen (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// Serves HTTPS instead of plain HTTP (the default): a self-signed certificate made at
    /// start, or your own; see [`Tls`]. [`MockServer::url`] then starts with `https://`, and
    /// so do the absolute links the mock writes (Azure's `nextLink`).
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Largest request body accepted (default 4 MiB); larger gets the service's 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.limits.body_bytes = bytes;
        self
    }

    /// Time a client has to send a request, head and body, counted from the connection's
    /// opening or the previous response (default 10 s; zero: no limit).
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// How long [`MockServer::shutdown`] waits for requests in flight (default 30 s).
    pub fn drain_timeout(mut self, timeout: Duration) -> Self {
        self.limits.drain_timeout = timeout;
        self
    }

    /// How many connections are served at once (default [`DEFAULT_MAX_CONNECTIONS`]; 0 counts
    /// as 1). Past it the server stops accepting: new connections wait in the kernel's listen
    /// backlog (their `connect` succeeds, their requests are read once a connection closes)
    /// instead of being refused. A connection that sends nothing is closed at the
    /// [header read timeout](Self::header_read_timeout), freeing its place.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.limits.max_connections = connections.clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
        self
    }

    /// Loads the specs, binds and starts serving on the current tokio runtime.
    ///
    /// The admin surface (`/__keygate/`) is open on a loopback address and requires the admin
    /// token on any other (`0.0.0.0`, `::`, a LAN address): from there, anyone on the
    /// network could reset or read the state.
    pub async fn start(self) -> Result<MockServer, StartError> {
        let mut engine = self.engine;
        // An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is loopback too.
        if !self.address.ip().to_canonical().is_loopback() {
            engine = engine.admin_access(AdminAccess::TokenRequired);
        }
        let engine = Arc::new(engine.build()?);
        let tls = self.tls.as_ref().map(Tls::prepare).transpose()?;
        let listener = listen(self.address).map_err(|source| StartError::Bind {
            addr: self.address.to_string(),
            source,
        })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind {
            addr: self.address.to_string(),
            source,
        })?;
        let (acceptor, certificate) = match tls {
            Some(tls) => {
                let certificate = Certificate {
                    pem: tls.certificate_pem,
                    path: tls.certificate_path,
                    _written: tls.written,
                };
                (Some(tls.acceptor), Some(certificate))
            }
            None => (None, None),
        };
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(connection::accept_loop(
            listener,
            Arc::clone(&engine),
            self.limits,
            acceptor,
            stopped,
        ));
        Ok(MockServer {
            address,
            url: format!("{scheme}://{address}"),
            engine,
            certificate,
            stop: Some(stop),
            task: Some(task),
        })
    }
}
