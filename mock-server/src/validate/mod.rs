//! Checking a routed request against its operation: parameters, then body.
//!
//! The first failure wins and names the parameter, so the answer reads like the vendor's
//! ("The specified parameter pageSize is invalid").

mod body;
mod params;

use crate::index::Operation;
use crate::index::params::Location;
use crate::request::Inputs;

/// A request the operation does not accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// Error kind of `x-keygate.errors` (`invalid-parameter`, `missing-parameter`, ...).
    pub(crate) kind: String,
    /// Where the parameter travels (`path`, `query`, `header`, `body`): the `{in}`
    /// placeholder.
    pub(crate) location: &'static str,
    /// The parameter (or body property) concerned.
    pub(crate) param: String,
    /// What the client sent, if anything.
    pub(crate) value: String,
    /// Why it is not acceptable.
    pub(crate) detail: String,
}

impl Failure {
    pub(crate) fn new(
        kind: &str,
        location: &'static str,
        param: &str,
        value: &str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind: kind.to_owned(),
            location,
            param: param.to_owned(),
            value: value.to_owned(),
            detail: detail.into(),
        }
    }
}

/// Checks every parameter, then the body. Credential parameters (Tencent's Signature, ...)
/// are skipped when `skip_credentials`, i.e. with auth off.
pub(crate) fn check(
    op: &Operation,
    inputs: &Inputs<'_>,
    skip_credentials: bool,
) -> Result<(), Failure> {
    if let Some(name) = &inputs.malformed {
        let detail = format!("{name} is not UTF-8 once percent-decoded");
        return Err(Failure::new(
            "invalid-parameter",
            Location::Query.as_str(),
            name,
            "",
            detail,
        ));
    }
    for param in &op.params {
        if skip_credentials && param.credential {
            continue;
        }
        params::check(&param.spec, inputs)?;
    }
    match &op.body {
        Some(spec) => body::check(spec, inputs.request),
        None => Ok(()),
    }
}
