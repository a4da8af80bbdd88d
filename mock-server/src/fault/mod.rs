//! Fault injection, for testing clients: latency, the vendor's throttling or 5xx answers,
//! and connections closed without an answer.
//!
//! A [`Fault`] is a rule: which requests (an operation, a vendor, or all), what happens
//! (an answer, a delay, or both) and how often (always, with a probability from a seeded
//! generator, or for the next N matching requests). Rules are set when the engine is built
//! ([`EngineBuilder::fault`](crate::EngineBuilder::fault), `--fault`) and can be replaced on
//! a running server through [`Faults`].
//!
//! Faults apply **after routing, auth and validation, before a response is chosen**:
//! - after routing, because a rule names an operation, which only routing knows;
//! - after auth and validation, because the gateways throttle per caller and per API
//!   (Alibaba `Throttling.User`, Huawei's per-app APIG.0308), which needs an identified
//!   caller, and so that a client's own mistakes are still reported as such; it also makes
//!   "the next N requests" count only requests the service would have served, so a test's
//!   malformed request does not use up the failures meant for its retries;
//! - before selection, so that a `Prefer` header cannot bypass them.

mod parse;
mod state;

use std::time::Duration;

pub use state::Faults;
pub(crate) use state::Hit;

/// What a fault answers instead of the documented response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAnswer {
    /// The service's `x-keygate.errors` template of this kind: `throttled` (429 or the
    /// vendor's throttling code, with `Retry-After` where the vendor sends it),
    /// `internal-error`, or any other kind.
    Error(String),
    /// A documented response of the operation, as `Prefer: code=…, example=…` selects it
    /// (for example Alibaba's 503 `ServiceUnavailable`).
    Documented {
        /// The documented status.
        code: u16,
        /// The example's name; the status's first example when `None`.
        example: Option<String>,
    },
    /// The connection is closed without an answer.
    Drop,
}

/// One fault rule. Build it with a constructor and narrow it down:
///
/// ```
/// use std::time::Duration;
/// use keygate_mock::Fault;
///
/// // The next two ListAiApiKeys calls get Huawei's 429, then calls are answered normally.
/// let throttle = Fault::throttled().operation("ListAiApiKeys").times(2);
/// // Half of all calls (seeded, reproducible) wait 200 ms more.
/// let slow = Fault::latency(Duration::from_millis(200)).rate(0.5);
/// // The same, written as on the command line.
/// assert_eq!("op=ListAiApiKeys,error=throttled,times=2".parse::<Fault>()?, throttle);
/// # Ok::<(), keygate_mock::FaultError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    operation: Option<String>,
    vendor: Option<String>,
    answer: Option<FaultAnswer>,
    latency: Duration,
    rate: Option<f64>,
    times: Option<u64>,
}

/// A fault rule that cannot be used: unreadable, or naming what no spec serves.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fault {rule:?}: {message}")]
pub struct FaultError {
    rule: String,
    message: String,
}

impl FaultError {
    pub(crate) fn new(rule: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            rule: rule.into(),
            message: message.into(),
        }
    }
}

impl Fault {
    fn answering(answer: Option<FaultAnswer>) -> Self {
        Self {
            operation: None,
            vendor: None,
            answer,
            latency: Duration::ZERO,
            rate: None,
            times: None,
        }
    }

    /// Answers with the service's `x-keygate.errors` template of `kind`.
    pub fn error(kind: impl Into<String>) -> Self {
        Self::answering(Some(FaultAnswer::Error(kind.into())))
    }

    /// Answers with the vendor's throttling error (`x-keygate.errors.throttled`).
    pub fn throttled() -> Self {
        Self::error("throttled")
    }

    /// Answers with the vendor's internal error (`x-keygate.errors.internal-error`).
    pub fn internal_error() -> Self {
        Self::error("internal-error")
    }

    /// Answers with the operation's documented response of status `code` (its first
    /// example, or the one named with [`example`](Self::example)).
    pub fn documented(code: u16) -> Self {
        Self::answering(Some(FaultAnswer::Documented {
            code,
            example: None,
        }))
    }

    /// Closes the connection without answering.
    pub fn drop_connection() -> Self {
        Self::answering(Some(FaultAnswer::Drop))
    }

    /// Delays the normal answer by `delay`.
    pub fn latency(delay: Duration) -> Self {
        Self::answering(None).with_latency(delay)
    }

    /// Only requests for this operation (its `operationId`).
    pub fn operation(mut self, operation_id: impl Into<String>) -> Self {
        self.operation = Some(operation_id.into());
        self
    }

    /// Only requests for this vendor's operations (`x-keygate.vendor`).
    pub fn vendor(mut self, vendor: impl Into<String>) -> Self {
        self.vendor = Some(vendor.into());
        self
    }

    /// With [`documented`](Self::documented): the example to answer with.
    pub fn example(mut self, name: impl Into<String>) -> Self {
        if let Some(FaultAnswer::Documented { example, .. }) = &mut self.answer {
            *example = Some(name.into());
        }
        self
    }

    /// Also waits `delay` before answering (or closing).
    pub fn with_latency(mut self, delay: Duration) -> Self {
        self.latency = delay;
        self
    }

    /// Fires for each matching request with this probability (0 < p <= 1), drawn from the
    /// seeded generator ([`Faults::seed`]).
    pub fn rate(mut self, probability: f64) -> Self {
        self.rate = Some(probability);
        self
    }

    /// Fires for the next `n` matching requests only, then never again.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// The answer, if any (a pure latency rule has none).
    pub fn answer(&self) -> Option<&FaultAnswer> {
        self.answer.as_ref()
    }

    /// Whether the rule is about this request's operation.
    fn matches(&self, vendor: &str, operation: &str) -> bool {
        self.vendor.as_deref().is_none_or(|v| v == vendor)
            && self.operation.as_deref().is_none_or(|o| o == operation)
    }
}
