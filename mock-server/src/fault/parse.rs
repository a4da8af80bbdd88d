//! The text form of a fault rule, as `--fault` takes it:
//! `op=ListAiApiKeys,error=throttled,rate=0.5`. See `mock-server/README.md`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::{Fault, FaultAnswer, FaultError};

impl FromStr for Fault {
    type Err = FaultError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |message: String| FaultError::new(text, message);
        let mut fault = Fault::answering(None);
        let mut example = None;
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (key, value) = item.split_once('=').unwrap_or((item, ""));
            let value = value.trim();
            let answer = match key.trim() {
                "op" | "operation" => {
                    fault.operation = Some(non_empty(key, value).map_err(fail)?);
                    None
                }
                "vendor" => {
                    fault.vendor = Some(non_empty(key, value).map_err(fail)?);
                    None
                }
                "error" => Some(FaultAnswer::Error(non_empty(key, value).map_err(fail)?)),
                "code" => Some(FaultAnswer::Documented {
                    code: status(value).map_err(fail)?,
                    example: None,
                }),
                "example" => {
                    example = Some(non_empty(key, value).map_err(fail)?);
                    None
                }
                "drop" if value.is_empty() => Some(FaultAnswer::Drop),
                "latency" | "delay" => {
                    fault.latency = duration(value).map_err(fail)?;
                    None
                }
                "rate" => {
                    fault.rate = Some(probability(value).map_err(fail)?);
                    None
                }
                "times" => {
                    let n = value
                        .parse::<u64>()
                        .map_err(|_| fail(format!("times={value}: not a non-negative integer")))?;
                    fault.times = Some(n);
                    None
                }
                other => return Err(fail(format!("unknown item {other:?}"))),
            };
            if let Some(answer) = answer {
                if fault.answer.is_some() {
                    return Err(fail("give one of error=, code=, drop".into()));
                }
                fault.answer = Some(answer);
            }
        }
        match (&mut fault.answer, example) {
            (Some(FaultAnswer::Documented { example, .. }), Some(name)) => *example = Some(name),
            (_, Some(_)) => return Err(fail("example= needs code=".into())),
            _ => {}
        }
        if fault.answer.is_none() && fault.latency.is_zero() {
            return Err(fail(
                "nothing to do: give error=, code=, drop or latency=".into(),
            ));
        }
        Ok(fault)
    }
}

impl fmt::Display for Fault {
    /// The rule in the text form [`FromStr`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items = Vec::new();
        if let Some(vendor) = &self.vendor {
            items.push(format!("vendor={vendor}"));
        }
        if let Some(op) = &self.operation {
            items.push(format!("op={op}"));
        }
        match &self.answer {
            Some(FaultAnswer::Error(kind)) => items.push(format!("error={kind}")),
            Some(FaultAnswer::Documented { code, example }) => {
                items.push(format!("code={code}"));
                if let Some(name) = example {
                    items.push(format!("example={name}"));
                }
            }
            Some(FaultAnswer::Drop) => items.push("drop".into()),
            None => {}
        }
        if !self.latency.is_zero() {
            items.push(format!("latency={}ms", self.latency.as_millis()));
        }
        if let Some(rate) = self.rate {
            items.push(format!("rate={rate}"));
        }
        if let Some(times) = self.times {
            items.push(format!("times={times}"));
        }
        f.write_str(&items.join(","))
    }
}

fn non_empty(key: &str, value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Err(format!("{key}= needs a value"));
    }
    Ok(value.to_owned())
}

fn status(value: &str) -> Result<u16, String> {
    value
        .parse::<u16>()
        .ok()
        .filter(|c| (100..=599).contains(c))
        .ok_or_else(|| format!("code={value}: not an HTTP status"))
}

/// `0 < p <= 1`.
pub(super) fn probability(value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|p| *p > 0.0 && *p <= 1.0)
        .ok_or_else(|| format!("rate={value}: not a probability in (0, 1]"))
}

/// `250ms`, `2s`, `1.5s`, `100us`; a bare number is milliseconds.
fn duration(value: &str) -> Result<Duration, String> {
    let fail = || format!("latency={value}: not a duration such as 250ms or 2s");
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number = number.parse::<f64>().map_err(|_| fail())?;
    let seconds = match unit {
        "" | "ms" => number / 1e3,
        "s" => number,
        "us" => number / 1e6,
        "m" | "min" => number * 60.0,
        _ => return Err(fail()),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| fail())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_item_and_prints_it_back() {
        for text in [
            "op=ListAiApiKeys,error=throttled,rate=0.5",
            "vendor=alibaba,code=503,example=ServiceUnavailable,times=2",
            "drop,times=1",
            "latency=250ms",
            "op=CreateSecret,error=internal-error,latency=1500ms",
        ] {
            let fault: Fault = text.parse().expect(text);
            let again: Fault = fault.to_string().parse().expect("round trip");
            assert_eq!(again, fault, "{text}");
        }
        let fault: Fault = "latency=1.5s".parse().expect("seconds");
        assert_eq!(fault.latency, Duration::from_millis(1500));
    }

    #[test]
    fn refuses_what_it_cannot_mean() {
        for text in [
            "",
            "op=X",
            "error=throttled,drop",
            "rate=0",
            "rate=2,drop",
            "times=-1,drop",
            "latency=fast",
            "code=999",
            "example=X,error=throttled",
            "drop=yes",
            "colour=red,drop",
        ] {
            assert!(text.parse::<Fault>().is_err(), "{text}");
        }
    }
}
