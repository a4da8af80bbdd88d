//! Command-line options.

use std::convert::Infallible;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Parser, ValueEnum};
use keygate_auth::SecretString;
use keygate_mock::{AuthMode, Credential, DEFAULT_NAMESPACE, Fault, StateConfig, Tls};

/// An offline mock of the Alibaba APIG, Tencent API Gateway (legacy), Huawei APIG and Azure
/// API Management key-management APIs, all on one port at their real paths.
#[derive(Debug, Parser)]
#[command(name = "keygate-mock", version)]
pub(crate) struct Cli {
    /// Address to listen on. Use 0.0.0.0 only on a trusted network: the mock is for tests,
    /// its admin surface and credentials are test ones, and without --tls it speaks plain
    /// HTTP.
    #[arg(long, default_value = "127.0.0.1", env = "KEYGATE_MOCK_HOST")]
    pub(crate) host: IpAddr,

    /// Port to listen on (4010, Prism's default, so Prism setups work unchanged; 0 picks a
    /// free port, printed in the "listening on" line).
    #[arg(long, default_value_t = 4010, env = "KEYGATE_MOCK_PORT")]
    pub(crate) port: u16,

    /// Serve HTTPS with a certificate for localhost, 127.0.0.1 and ::1 generated at start.
    /// The certificate (never its key) is written to a fresh file in the temp dir, named in
    /// the "listening on" line and removed at exit: trust it with curl --cacert FILE.
    #[arg(long, env = "KEYGATE_MOCK_TLS")]
    pub(crate) tls: bool,

    /// Serve HTTPS with this certificate chain (PEM, end-entity first); with --tls-key.
    #[arg(
        long,
        value_name = "PATH",
        requires = "tls_key",
        env = "KEYGATE_MOCK_TLS_CERT"
    )]
    pub(crate) tls_cert: Option<PathBuf>,

    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(
        long,
        value_name = "PATH",
        requires = "tls_cert",
        env = "KEYGATE_MOCK_TLS_KEY"
    )]
    pub(crate) tls_key: Option<PathBuf>,

    /// An extra OpenAPI 3.0 spec (repeatable). It replaces the embedded spec with the same
    /// x-keygate.vendor and is added otherwise. A plain file without x-keygate is served with
    /// defaults, its file name as vendor.
    #[arg(long = "spec", value_name = "PATH")]
    pub(crate) specs: Vec<PathBuf>,

    /// Serve only the --spec files, not the embedded specs.
    #[arg(long)]
    pub(crate) no_embedded_specs: bool,

    /// off: no check; presence: credential parts there and well-formed; verify: signatures
    /// recomputed with --credential, expired timestamps and replayed nonces rejected.
    #[arg(long, default_value = "presence", value_parser = parse_auth, env = "KEYGATE_MOCK_AUTH")]
    pub(crate) auth: AuthMode,

    /// Test credential for verify mode, vendor:access-key-id:secret (repeatable). Prefer the
    /// environment variable: command lines are visible to other users in `ps`.
    #[arg(
        long = "credential",
        value_name = "VENDOR:ID:SECRET",
        env = "KEYGATE_MOCK_CREDENTIALS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub(crate) credentials: Vec<CredentialArg>,

    /// Log format (logs go to stderr; the "listening on" line to stdout).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,

    /// Largest request body in bytes; larger gets the vendor's 413.
    #[arg(long, default_value_t = 4 * 1024 * 1024)]
    pub(crate) body_limit: usize,

    /// Seconds a client has to send a request, head and body (from the connection's opening
    /// or the previous response).
    #[arg(long, default_value_t = 10)]
    pub(crate) header_read_timeout: u64,

    /// Connections served at once. Past it the mock stops accepting: new connections wait in
    /// the kernel's listen backlog and are served as others close (idle ones close at
    /// --header-read-timeout), instead of being refused. The default bounds the memory
    /// connections take to about 20 MiB and matches the usual open-file limit (ulimit -n).
    #[arg(
        long,
        value_name = "N",
        default_value_t = keygate_mock::DEFAULT_MAX_CONNECTIONS,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..),
        env = "KEYGATE_MOCK_MAX_CONNECTIONS"
    )]
    pub(crate) max_connections: usize,

    /// A fault rule (repeatable; tried in order), for testing clients: comma-separated
    /// items, applied to requests that passed routing, auth and validation.
    ///   which:   op=OPERATION_ID, vendor=VENDOR (neither: every operation)
    ///   answer:  error=KIND (x-keygate.errors kind: throttled, internal-error, ...),
    ///            code=STATUS[,example=NAME] (a documented response), or drop (close
    ///            the connection without an answer)
    ///   delay:   latency=DURATION (250ms, 2s; with or without an answer)
    ///   how often: rate=P (probability, seeded by --fault-seed), times=N (the next N
    ///            matching requests only); neither: every matching request.
    /// Examples: 'op=ListAiApiKeys,error=throttled,rate=0.5'
    ///           'vendor=alibaba,code=503,times=2'   'drop,times=1'   'latency=200ms'
    #[arg(
        long = "fault",
        value_name = "SPEC",
        env = "KEYGATE_MOCK_FAULTS",
        value_delimiter = ';',
        verbatim_doc_comment
    )]
    pub(crate) faults: Vec<Fault>,

    /// Seed of the generator behind rate= faults: the same seed and requests, the same
    /// faults.
    #[arg(long, default_value_t = 0, env = "KEYGATE_MOCK_FAULT_SEED")]
    pub(crate) fault_seed: u64,

    /// Where resources created by requests are kept: memory (this process; the default),
    /// off (every answer a documented sample, as a replay mock), or redis://HOST:PORT/DB
    /// (shared by every replica pointed at it; plain TCP, no rediss://). A password in the URL is
    /// never printed: prefer the environment variable, command lines show in `ps`.
    #[arg(
        long = "state",
        value_name = "off|memory|redis://HOST:PORT/DB",
        default_value = "memory",
        env = "KEYGATE_MOCK_STATE",
        hide_env_values = true
    )]
    pub(crate) state: StateArg,

    /// Prefix of every Redis key (default "keygate"), so one Redis holds several independent
    /// mock worlds; replicas that share a namespace share their state. Only used with
    /// --state redis://...
    #[arg(long, value_name = "NAME", env = "KEYGATE_MOCK_STATE_NAMESPACE")]
    pub(crate) state_namespace: Option<String>,

    /// The admin token: required (Authorization: Bearer <token>) for the admin surface
    /// under /__keygate/ when --host is not a loopback address, and to see secret values in
    /// a state dump (?secrets=reveal) anywhere. Prefer the environment variable: command
    /// lines show in `ps`.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "KEYGATE_MOCK_ADMIN_TOKEN",
        hide_env_values = true,
        value_parser = secret
    )]
    pub(crate) admin_token: Option<SecretString>,

    /// Load and index the specs, print what would be served, and exit (0 if all is well).
    #[arg(long)]
    pub(crate) check: bool,
}

/// A `--credential` value as given, checked only after clap is done: clap's own error for a
/// value it cannot parse quotes the value, and with it the secret.
#[derive(Debug, Clone)]
pub(crate) struct CredentialArg(SecretString);

impl FromStr for CredentialArg {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(SecretString::from(text)))
    }
}

impl CredentialArg {
    /// The credential, or an error that says which one is wrong without showing it.
    pub(crate) fn parse(&self, position: usize) -> Result<Credential, String> {
        self.0.expose_secret().parse().map_err(|error| {
            format!("credential {position} of --credential / KEYGATE_MOCK_CREDENTIALS (not shown: it holds a secret): {error}")
        })
    }
}

/// A `--state` value as given, parsed only after clap is done: clap's error for a value it
/// cannot parse quotes the value, and a Redis URL may hold a password. Its `Debug` shows the
/// parsed configuration (whose `Debug` hides the password), never the text.
#[derive(Clone)]
pub(crate) struct StateArg(SecretString);

impl FromStr for StateArg {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(SecretString::from(text)))
    }
}

impl std::fmt::Debug for StateArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.expose_secret().parse::<StateConfig>() {
            Ok(config) => write!(f, "StateArg({config:?})"),
            Err(_) => f.write_str("StateArg(<invalid, not shown>)"),
        }
    }
}

impl Cli {
    /// HTTPS as asked: your own files (--tls-cert, --tls-key; --tls is implied), a
    /// self-signed certificate written to a file (--tls), or none.
    pub(crate) fn tls(&self) -> Option<Tls> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(certificate), Some(key)) => Some(Tls::pem_files(certificate, key)),
            _ if self.tls => Some(Tls::SelfSignedToFile),
            _ => None,
        }
    }

    /// The state configuration: `--state` parsed (its error hides a password) with
    /// `--state-namespace` applied, and whether a namespace was given that does not apply
    /// (without Redis: worth a warning, not a refusal, since memory state is this process's
    /// own anyway and one environment may serve both kinds of runs).
    pub(crate) fn state_config(&self) -> Result<(StateConfig, bool), String> {
        let config: StateConfig = self
            .state
            .0
            .expose_secret()
            .parse()
            .map_err(|error| format!("--state / KEYGATE_MOCK_STATE: {error}"))?;
        Ok(match config {
            StateConfig::Redis { url, .. } => {
                let namespace = self.state_namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE);
                let config = StateConfig::Redis {
                    url,
                    namespace: namespace.to_owned(),
                };
                (config, false)
            }
            other => (other, self.state_namespace.is_some()),
        })
    }
}

/// A secret option's value, kept out of `Debug` and of clap's errors.
fn secret(text: &str) -> Result<SecretString, Infallible> {
    Ok(SecretString::from(text))
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

fn parse_auth(value: &str) -> Result<AuthMode, String> {
    value.parse()
}
