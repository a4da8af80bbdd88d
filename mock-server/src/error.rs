//! Why the mock could not start.

use keygate_spec::SpecError;

/// Why [`MockServer`](crate::MockServer) or [`Engine`](crate::Engine) could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A spec cannot be served.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The options contradict each other (for example verify mode without credentials).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A fault rule cannot be used with the loaded specs.
    #[error(transparent)]
    Fault(#[from] crate::fault::FaultError),
    /// HTTPS cannot be served: a certificate or key file is unreadable, not PEM, or the
    /// key does not match the certificate; or the self-signed certificate cannot be made or
    /// written. The message names the file, never a key's content.
    #[error("TLS: {0}")]
    Tls(String),
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// Requested address.
        addr: String,
        /// The I/O error.
        source: std::io::Error,
    },
}
