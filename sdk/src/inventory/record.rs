//! What the inventory says about a key, whichever vendor holds it.

use std::fmt;

use keygate_auth::SecretString;
use time::OffsetDateTime;

/// One key, the same shape for every vendor.
///
/// `Debug` prints no key value: [`SecretString`] prints redacted.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct KeyRecord<S> {
    /// `alibaba`, `tencent`, `huawei` or `azure`.
    pub vendor: &'static str,
    /// Where the key lives.
    pub scope: S,
    /// The vendor's id of the key.
    pub id: String,
    /// Its name or alias: Alibaba's and Tencent's name, Huawei's alias, Azure's display name.
    pub name: Option<String>,
    /// Whether it works, where the vendor says (Huawei AI keys have no status).
    pub status: Option<KeyStatus>,
    /// When it was created, where the vendor says.
    pub created: Option<OffsetDateTime>,
    /// When it last changed, where the vendor says (Alibaba and Tencent).
    pub updated: Option<OffsetDateTime>,
    /// The key's value, when this answer carried it in full (never a masked value). Azure: the
    /// primary key.
    pub secret: Option<SecretString>,
    /// Azure's secondary key, when this answer carried it.
    pub secondary_secret: Option<SecretString>,
}

impl<S> KeyRecord<S> {
    /// A record of `id` with nothing else known yet.
    pub(crate) fn new(vendor: &'static str, scope: S, id: impl Into<String>) -> Self {
        Self {
            vendor,
            scope,
            id: id.into(),
            name: None,
            status: None,
            created: None,
            updated: None,
            secret: None,
            secondary_secret: None,
        }
    }
}

/// Whether a key works.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyStatus {
    /// Calls with it are accepted.
    Enabled,
    /// It exists but calls with it are refused (disabled, suspended, cancelled, expired).
    Disabled,
    /// Waiting for approval (Azure `submitted`).
    Pending,
    /// A state the SDK does not map, as the vendor spells it.
    Other(String),
}

impl fmt::Display for KeyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Enabled => f.write_str("enabled"),
            Self::Disabled => f.write_str("disabled"),
            Self::Pending => f.write_str("pending"),
            Self::Other(state) => f.write_str(state),
        }
    }
}

/// One of Azure's two key slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// `primaryKey`.
    Primary,
    /// `secondaryKey`.
    Secondary,
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Primary => "primary",
            Self::Secondary => "secondary",
        })
    }
}

/// What to create.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct NewKey {
    /// Name or alias (required by Alibaba, Tencent and Azure).
    pub name: Option<String>,
    /// An id of your choosing: Azure's `sid` (else one is drawn), Tencent's custom
    /// `secretId`. The other vendors choose ids themselves.
    pub id: Option<String>,
    /// A value of your choosing: Alibaba's secret data (else 32 random characters),
    /// Tencent's manual `secretKey`. The other vendors draw values themselves.
    pub value: Option<SecretString>,
}

impl NewKey {
    /// A key named `name`.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: Some(name.into()),
            ..Self::default()
        }
    }

    /// With an id of your choosing.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// With a value of your choosing.
    pub fn with_value(mut self, value: impl Into<SecretString>) -> Self {
        self.value = Some(value.into());
        self
    }
}

/// A rotation's outcome.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Rotated<S> {
    /// The key now in force, with its new value.
    pub key: KeyRecord<S>,
    /// The slot that changed (Azure).
    pub slot: Option<Slot>,
    /// The id of the key it replaced, when the vendor rotates by replacing (Huawei).
    pub replaced: Option<String>,
}
