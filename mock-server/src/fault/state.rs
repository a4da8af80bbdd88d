//! The live rule set: checked against the specs when set, rolled for every served request.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::{Fault, FaultAnswer, FaultError};
use crate::index::{Index, Operation};
use crate::select::{self, Preference};

/// Error kinds any spec may define (spec/README.md); a rule may also name a kind that only
/// its vendor's `x-keygate.errors` defines.
const KINDS: [&str; 16] = [
    "invalid-parameter",
    "missing-parameter",
    "unknown-action",
    "auth-missing",
    "auth-malformed",
    "unknown-access-key",
    "signature-mismatch",
    "timestamp-expired",
    "nonce-replayed",
    "route-not-found",
    "method-not-allowed",
    "payload-too-large",
    "unsupported-media-type",
    "throttled",
    "internal-error",
    "no-such-response",
];

/// The fault rules of an [`Engine`](crate::Engine), shared with whoever holds this handle:
/// changing them affects the running server at once, so one server can serve several test
/// phases.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use keygate_mock::{Fault, MockServer};
///
/// let server = MockServer::start().await?;
/// // Phase 1: the next two calls of any operation fail with the vendor's internal error.
/// server.faults().set([Fault::internal_error().times(2)])?;
/// // ... exercise the client's retries ...
/// // Phase 2: every answer is documented again.
/// server.faults().clear();
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Faults {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    /// Whether any rule is armed: with none, a request reads only this flag (no lock).
    active: AtomicBool,
    state: Mutex<State>,
    /// The specs, to refuse rules that name what is not served.
    index: Arc<Index>,
}

#[derive(Debug)]
struct State {
    rules: Vec<Armed>,
    rng: SplitMix64,
}

/// A rule with what is left of its `times` budget.
#[derive(Debug)]
struct Armed {
    fault: Fault,
    remaining: Option<u64>,
}

/// What the rules that fired for a request ask for.
#[derive(Debug, Default)]
pub(crate) struct Hit {
    /// Sum of the fired rules' latencies.
    pub(crate) delay: Duration,
    /// The answer of the first fired rule that has one.
    pub(crate) answer: Option<FaultAnswer>,
}

impl Faults {
    /// No rules yet; rates draw from a generator seeded with `seed`.
    pub(crate) fn new(index: Arc<Index>, seed: u64) -> Self {
        let state = State {
            rules: Vec::new(),
            rng: SplitMix64(seed),
        };
        Self {
            shared: Arc::new(Shared {
                active: AtomicBool::new(false),
                state: Mutex::new(state),
                index,
            }),
        }
    }

    /// Replaces all rules (after checking every one; on error nothing changes).
    ///
    /// Rules are tried in order for each request that passed routing, auth and validation:
    /// every rule that matches and fires adds its latency; the first one that fires with
    /// an answer decides the answer, and answer rules after it are not tried (their
    /// `times` budgets are not used).
    pub fn set(&self, rules: impl IntoIterator<Item = Fault>) -> Result<(), FaultError> {
        let rules: Vec<Fault> = rules.into_iter().collect();
        for rule in &rules {
            check(&self.shared.index, rule)?;
        }
        let mut state = self.lock();
        state.rules = rules.into_iter().map(Armed::new).collect();
        self.publish(&state);
        Ok(())
    }

    /// Adds a rule after the existing ones.
    pub fn push(&self, rule: Fault) -> Result<(), FaultError> {
        check(&self.shared.index, &rule)?;
        let mut state = self.lock();
        state.rules.push(Armed::new(rule));
        self.publish(&state);
        Ok(())
    }

    /// Removes every rule: all answers are the documented ones again.
    pub fn clear(&self) {
        let mut state = self.lock();
        state.rules.clear();
        self.publish(&state);
    }

    /// Restarts the generator behind [`Fault::rate`] from `seed`, so a run can be repeated.
    pub fn seed(&self, seed: u64) {
        self.lock().rng = SplitMix64(seed);
    }

    /// The rules still armed (a rule whose `times` are used up is gone), each with the
    /// `times` it has left.
    pub fn rules(&self) -> Vec<Fault> {
        let state = self.lock();
        state
            .rules
            .iter()
            .map(|armed| Fault {
                times: armed.remaining,
                ..armed.fault.clone()
            })
            .collect()
    }

    /// The rules' verdict on a request for `operation` of `vendor`; `None` when none fired.
    pub(crate) fn roll(&self, vendor: &str, operation: &str) -> Option<Hit> {
        if !self.shared.active.load(Ordering::Acquire) {
            return None;
        }
        let mut state = self.lock();
        let State { rules, rng } = &mut *state;
        let mut hit = Hit::default();
        let mut fired = false;
        for armed in rules.iter_mut() {
            let rule = &armed.fault;
            if !rule.matches(vendor, operation)
                || (rule.answer.is_some() && hit.answer.is_some())
                || rule.rate.is_some_and(|p| rng.next_unit() >= p)
            {
                continue;
            }
            if let Some(left) = &mut armed.remaining {
                *left -= 1;
            }
            fired = true;
            hit.delay += rule.latency;
            if hit.answer.is_none() {
                hit.answer.clone_from(&rule.answer);
            }
        }
        rules.retain(|armed| armed.remaining != Some(0));
        self.publish(&state);
        fired.then_some(hit)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the rules half-written: every change is one
        // assignment. Keep serving.
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes the request path see whether rules are armed; called with the lock held.
    fn publish(&self, state: &State) {
        let active = !state.rules.is_empty();
        self.shared.active.store(active, Ordering::Release);
    }
}

impl Armed {
    fn new(fault: Fault) -> Self {
        Self {
            remaining: fault.times,
            fault,
        }
    }
}

/// Refuses a rule that names an unknown vendor, operation or error kind, a documented
/// response one of its operations lacks, or an impossible rate.
fn check(index: &Index, rule: &Fault) -> Result<(), FaultError> {
    let fail = |message: String| FaultError::new(rule.to_string(), message);
    if let Some(p) = rule.rate
        && !(p > 0.0 && p <= 1.0)
    {
        return Err(fail(format!("rate {p} is not a probability in (0, 1]")));
    }
    if rule.answer.is_none() && rule.latency.is_zero() {
        return Err(fail("nothing to do: no answer and no latency".into()));
    }
    let matched: Vec<&Operation> = index
        .operations
        .iter()
        .filter(|op| rule.matches(&index.services[op.service].vendor, &op.id))
        .collect();
    if matched.is_empty() {
        return Err(fail("no operation served matches it".into()));
    }
    match &rule.answer {
        Some(FaultAnswer::Error(kind)) => {
            let defined = matched.iter().any(|op| {
                index.services[op.service]
                    .errors
                    .contains_key(kind.as_str())
            });
            if !defined && !KINDS.contains(&kind.as_str()) {
                return Err(fail(format!(
                    "{kind:?} is not an error kind of x-keygate.errors"
                )));
            }
        }
        Some(FaultAnswer::Documented { code, example }) => {
            let code = code.to_string();
            let preference = Preference {
                code: Some(code.as_str().into()),
                example: example.as_deref().map(Into::into),
            };
            for op in matched {
                if let Err(detail) = select::choose(&op.responses, &preference) {
                    let vendor = &index.services[op.service].vendor;
                    return Err(fail(format!(
                        "{vendor} {}: {detail}; narrow the rule with op= or vendor=",
                        op.id
                    )));
                }
            }
        }
        Some(FaultAnswer::Drop) | None => {}
    }
    Ok(())
}

/// SplitMix64: tiny, and its sequence for a seed never changes with a dependency's
/// version, so `--fault-seed` runs stay reproducible.
#[derive(Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    fn next_unit(&mut self) -> f64 {
        // The top 53 bits fit an f64's mantissa exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_repeats_for_a_seed_and_stays_in_range() {
        let draws = |seed| {
            let mut rng = SplitMix64(seed);
            (0..1000).map(|_| rng.next_unit()).collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        let all = draws(1);
        assert!(all.iter().all(|u| (0.0..1.0).contains(u)));
        let mean = all.iter().sum::<f64>() / 1000.0;
        assert!((0.4..0.6).contains(&mean), "{mean}");
    }
}
