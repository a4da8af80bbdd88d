//! A string that keeps itself out of logs.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What every secret-holding type prints instead of its value.
pub const REDACTED: &str = "*** redacted ***";

/// A secret (access key secret, STS token, API key value) that redacts itself when formatted.
///
/// `Debug` and `Display` print [`REDACTED`], so credentials can sit in structs that derive
/// `Debug` and end up in logs or panic messages without leaking. The value is reachable only
/// through [`expose_secret`](Self::expose_secret), which makes every use greppable.
///
/// Serde: deserializing reads a plain string. **Serializing writes the real value on purpose**:
/// the SDK must send key values (for example `secretData`) that it was asked to send. Never
/// serialize a `SecretString` into a log record.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Call it only where the value must leave the process (signing, the wire).
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl Serialize for SecretString {
    /// Writes the real value: see the type docs for why.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_redacts() {
        let s = SecretString::from("hunter2");
        assert_eq!(format!("{s:?}"), REDACTED);
        assert_eq!(format!("{s}"), REDACTED);
        assert_eq!(s.expose_secret(), "hunter2");
    }

    #[test]
    fn serde_round_trips_the_real_value() {
        let s: SecretString = serde_json::from_str("\"hunter2\"").unwrap();
        assert_eq!(s, SecretString::new("hunter2"));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"hunter2\"");
    }
}
