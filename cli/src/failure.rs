//! Why a command failed, and the exit code that says so.

use std::error::Error as _;
use std::fmt;
use std::process::ExitCode;

/// A failed command.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The command cannot run as given: a missing flag or credential.
    Usage(String),
    /// A call failed: the service refused, or could not be reached or understood.
    Call(keygate_sdk::Error),
}

impl Failure {
    /// 2 for bad usage (the SDK refusing a request before sending it included), 1 otherwise.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_)
            | Self::Call(
                keygate_sdk::Error::InvalidRequest { .. } | keygate_sdk::Error::Credentials { .. },
            ) => ExitCode::from(2),
            Self::Call(_) => ExitCode::from(1),
        }
    }
}

impl From<keygate_sdk::Error> for Failure {
    fn from(error: keygate_sdk::Error) -> Self {
        Self::Call(error)
    }
}

/// The message, then each cause: the SDK's errors carry no secret and no URL, so the whole
/// chain is safe to print.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(message) => f.write_str(message),
            Self::Call(error) => {
                write!(f, "{error}")?;
                let mut cause = error.source();
                while let Some(inner) = cause {
                    write!(f, ": {inner}")?;
                    cause = inner.source();
                }
                Ok(())
            }
        }
    }
}
