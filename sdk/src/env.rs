//! Reading credentials from each vendor's conventional environment variables.

use crate::error::Error;

/// A variable that must be set and not blank.
pub(crate) fn required(name: &str) -> Result<String, Error> {
    optional(name)
        .ok_or_else(|| Error::credentials(format!("environment variable {name} is not set")))
}

/// A variable that may be unset; blank counts as unset.
pub(crate) fn optional(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}
