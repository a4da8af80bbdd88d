//! `x-keygate.resources` and `x-keygate-state`: what the mock keeps between requests.
//!
//! A resource (a secret, an API key pair, a subscription) is a JSON record kept per scope. The
//! root extension says what scopes it, how its id, secret values and timestamps are made, and
//! which limits the service enforces; each operation that touches it says how (create, read,
//! list, update, upsert, delete) and where the record shows in its answer. Errors are named by
//! the documented example the operation answers with, so every refusal is a documented one.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{Extensions, read};

/// `x-keygate.resources.<name>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceExt {
    /// Parameters (path or query) whose values scope the resource; none: the account.
    #[serde(default)]
    pub scope: Vec<String>,
    /// The record's id.
    pub id: IdExt,
    /// Values a create makes when the request gives none, and a rotation makes anew:
    /// JSON pointer into the record -> how.
    #[serde(default)]
    pub generate: BTreeMap<String, Generator>,
    /// Fields holding secret values besides the generated ones (a key the client gives):
    /// shown only where an answer shows them, never in a state dump unless asked.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Fields written from parameters on create: pointer -> text with `{parameter}` holes.
    #[serde(default)]
    pub derive: BTreeMap<String, String>,
    /// Field values a new record starts with, before the request's own: pointer -> value.
    #[serde(default)]
    pub initial: BTreeMap<String, Value>,
    /// Times the service stamps: pointer -> when and how.
    #[serde(default)]
    pub timestamps: BTreeMap<String, TimestampExt>,
    /// How many records one scope may hold.
    pub quota: QuotaExt,
    /// Fields no two records of a scope may share.
    #[serde(default)]
    pub unique: Vec<UniqueExt>,
    /// Optimistic concurrency by ETag, where the service has it.
    #[serde(default)]
    pub etag: Option<EtagExt>,
}

impl ResourceExt {
    /// Every field that holds a secret: the generated ones and `secrets`.
    pub fn secret_fields(&self) -> impl Iterator<Item = &String> {
        self.generate.keys().chain(
            self.secrets
                .iter()
                .filter(|s| !self.generate.contains_key(*s)),
        )
    }
}

/// `id`: where the id sits and where it comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdExt {
    /// JSON pointer to the id in the record.
    pub field: String,
    /// The parameter that names one record in the operations that address one.
    pub parameter: String,
    /// How a create makes a new id; without it the create request names the record by
    /// `parameter` (Azure's PUT to the caller's sid).
    #[serde(default)]
    pub generate: Option<Generator>,
}

/// A generated value: `prefix` then `length` characters of `alphabet`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Generator {
    /// Fixed start (`sec-`, `AKID`).
    #[serde(default)]
    pub prefix: String,
    /// The characters drawn from.
    pub alphabet: Alphabet,
    /// How many are drawn.
    pub length: usize,
}

/// Character sets for generated values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Alphabet {
    /// `0-9a-f`.
    Hex,
    /// `0-9a-z`.
    LowerAlnum,
    /// `0-9A-Za-z`.
    Alnum,
}

impl Alphabet {
    /// The characters, as bytes.
    pub fn chars(self) -> &'static [u8] {
        match self {
            Self::Hex => b"0123456789abcdef",
            Self::LowerAlnum => b"0123456789abcdefghijklmnopqrstuvwxyz",
            Self::Alnum => b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        }
    }
}

/// `timestamps.<pointer>`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimestampExt {
    /// When the service writes it.
    pub on: Stamp,
    /// How it is written.
    pub format: TimeFormat,
}

/// When a timestamp is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stamp {
    /// On create only.
    Create,
    /// On create and on every change.
    Write,
}

/// How a timestamp is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeFormat {
    /// Milliseconds since the epoch, a JSON number.
    EpochMillis,
    /// `2020-07-24T02:37:24Z`.
    Rfc3339Seconds,
    /// `2017-06-02T17:59:06.223Z`.
    Rfc3339Millis,
}

/// `quota`: `max` records per scope; past it, creates answer the example `error`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuotaExt {
    /// The most records one scope holds: the vendor's documented limit, or the mock's own
    /// bound where the vendor documents none (its memory stays bounded either way).
    pub max: usize,
    /// The create operations' example that refuses one more.
    pub error: String,
}

/// `unique[]`: a field no two records of a scope share.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UniqueExt {
    /// JSON pointer into the record.
    pub field: String,
    /// The create operations' example that refuses a taken value.
    pub error: String,
}

/// `etag`: the record's version travels as an ETag, and writes may be conditional on it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EtagExt {
    /// The response header that carries it.
    pub header: String,
    /// The request header that makes a write conditional (`*` matches any version).
    pub if_match: String,
    /// The example a write with a stale value answers.
    pub mismatch: String,
}

/// `x-keygate-state` of an operation: its part in a resource's life.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateExt {
    /// The resource, a key of `x-keygate.resources`.
    pub resource: String,
    /// What the operation does to it.
    pub action: Action,
    /// Where the record shows in the answer's body (a JSON pointer; `""` the whole body).
    /// Only the fields the documented example shows are shown. Without it the documented
    /// body is answered as it is. Lists show their records at the pagination `items`.
    #[serde(default)]
    pub entity: Option<String>,
    /// Fields of the documented entity answered as documented, not from the record: the
    /// envelope of a service that puts the record beside it (Tencent's `code`, `message`).
    /// Pointers relative to `entity`.
    #[serde(default)]
    pub keep: Vec<String>,
    /// The part of the record shown (a JSON pointer; the whole record by default).
    #[serde(default)]
    pub view: Option<String>,
    /// Where the request body's fields go in the record (a JSON pointer; the root by
    /// default). The body is merged in, objects field by field.
    #[serde(default)]
    pub body: Option<String>,
    /// Query or form parameters copied into the record's top level under their own names.
    #[serde(default)]
    pub params: Vec<String>,
    /// Addresses the record by another field than its id (Alibaba's value by name).
    #[serde(default)]
    pub lookup: Option<LookupExt>,
    /// Fields this operation sets: pointer -> value (enable, disable).
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// Generated fields this operation makes anew (a key rotation); the request's own
    /// value, where it gives one, wins.
    #[serde(default)]
    pub rotate: Vec<String>,
    /// A state the record must be in first.
    #[serde(default)]
    pub require: Option<RequireExt>,
    /// The answer when no record has the id (or lookup value).
    #[serde(default)]
    pub not_found: Option<AnswerRef>,
    /// An upsert's answer status when it replaced a record (when it creates, the first
    /// documented 2xx).
    #[serde(default)]
    pub replaced: Option<String>,
    /// Fields a list shows masked: pointer into an item -> how.
    #[serde(default)]
    pub mask: BTreeMap<String, MaskExt>,
}

impl StateExt {
    /// The `x-keygate-state` of an operation object, if any.
    pub fn read(operation: &(impl Extensions + ?Sized)) -> Result<Option<Self>, String> {
        read(operation, "x-keygate-state")
    }
}

/// What an operation does to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Stores a new record.
    Create,
    /// Shows one record.
    Read,
    /// Shows the scope's records, paged as the operation's `x-keygate-pagination` says.
    List,
    /// Changes one record.
    Update,
    /// Creates the record the request names, or replaces it (a PUT).
    Upsert,
    /// Removes one record.
    Delete,
}

/// `lookup`: the parameter whose value is matched against a record field.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LookupExt {
    /// The parameter.
    pub parameter: String,
    /// JSON pointer into the record.
    pub field: String,
}

/// `require`: the record's `field` must equal `equals`, else the example `error` answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequireExt {
    /// JSON pointer into the record.
    pub field: String,
    /// The value it must have.
    pub equals: Value,
    /// The example answered otherwise.
    pub error: String,
}

/// A documented answer: by example name, or by status (a response without content).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnswerRef {
    /// The example's name.
    #[serde(default)]
    pub example: Option<String>,
    /// The status.
    #[serde(default)]
    pub status: Option<String>,
}

/// `mask`: keep `keepStart` characters, then `*******`, then the last `keepEnd`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MaskExt {
    /// Characters kept at the start.
    pub keep_start: usize,
    /// Characters kept at the end.
    pub keep_end: usize,
}

impl MaskExt {
    /// `value` masked; a value too short to mask is all stars.
    pub fn apply(self, value: &str) -> String {
        const STARS: &str = "*******";
        let chars = value.chars().count();
        if chars <= self.keep_start + self.keep_end {
            return STARS.to_owned();
        }
        let byte_at = |char_index: usize| {
            value
                .char_indices()
                .nth(char_index)
                .map_or(value.len(), |(at, _)| at)
        };
        let (head, tail) = (byte_at(self.keep_start), byte_at(chars - self.keep_end));
        [&value[..head], STARS, &value[tail..]].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_both_ends() {
        let mask = MaskExt {
            keep_start: 4,
            keep_end: 2,
        };
        assert_eq!(mask.apply("abcdefghij"), "abcd*******ij");
        assert_eq!(mask.apply("abc"), "*******");
        assert_eq!(mask.apply("äbcdéfghiü"), "äbcd*******iü");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let op =
            serde_json::json!({"x-keygate-state": {"resource": "r", "action": "read", "nope": 1}});
        assert!(StateExt::read(&op).unwrap_err().contains("nope"));
    }
}
