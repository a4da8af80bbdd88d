//! When and how long to wait before sending a call again.

use std::time::{Duration, SystemTime};

use rand::Rng as _;

/// Retries with exponential back-off and full jitter.
///
/// A call is retried only when its operation is safe to repeat (each operation's `send`
/// documentation says whether it is) and the failure is transient: throttling (HTTP 429,
/// Alibaba `Throttling*`, Tencent `4400`), a 5xx status or a vendor internal error
/// (Tencent `6000`/`6200`), a timeout or a transport failure. Before retry *n* (1-based) the
/// SDK waits a random time in `[0, min(max_delay, base_delay * 2^(n-1))]`, or exactly what the
/// service's `Retry-After` asks for. When `Retry-After` asks for more than `max_delay`, the SDK
/// does not wait that long: it stops retrying and returns the error.
///
/// Every retry re-signs the request (fresh date and nonce), so it is never a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 200 ms base delay, 5 s maximum delay.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// One attempt, never retried.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The back-off before the first retry, doubled for each further one.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between two attempts, `Retry-After` included.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait before retry number `retry` (1-based), or `None` to stop retrying.
    pub(crate) fn delay_before(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if retry >= self.max_attempts {
            return None;
        }
        match retry_after {
            Some(asked) if asked > self.max_delay => None,
            Some(asked) => Some(asked),
            None => Some(self.jittered(retry)),
        }
    }

    fn jittered(&self, retry: u32) -> Duration {
        let exponential = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        let ceiling = exponential.min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::rng().random_range(0..=nanos))
    }
}

/// `Retry-After` in seconds or as an HTTP date, relative to `now`.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_the_delay_when_within_max() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay_before(1, Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.delay_before(1, Some(Duration::from_secs(6))),
            None,
            "over max_delay: give up"
        );
    }

    #[test]
    fn backoff_is_jittered_below_the_exponential_ceiling() {
        let policy = RetryPolicy::default()
            .with_max_attempts(10)
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.delay_before(1, None).unwrap() <= Duration::from_millis(100));
            assert!(policy.delay_before(2, None).unwrap() <= Duration::from_millis(200));
            assert!(policy.delay_before(5, None).unwrap() <= Duration::from_millis(350));
        }
        let spread: std::collections::HashSet<_> =
            (0..50).map(|_| policy.delay_before(3, None)).collect();
        assert!(spread.len() > 1, "full jitter varies the delay");
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy::default().with_max_attempts(3);
        assert!(policy.delay_before(2, None).is_some());
        assert_eq!(policy.delay_before(3, None), None);
        assert_eq!(RetryPolicy::none().delay_before(1, None), None);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
