//! The machinery behind `keygate_sdk::dynamic`: how a generated client is built from
//! configuration and called by operation name.

use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ClientBuilder, Credentials, GeneratedClient, Quirks, Vendor};
use crate::error::Error;
use crate::options::ClientOptions;
use crate::response::Response;

pub use keygate_auth::{AccessKey, Credential};

/// How to build a client from configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// What the client signs with: an access key or a token, as the vendor's schemes take.
    pub credential: Credential,
    /// Endpoint, timeouts, retries.
    pub options: ClientOptions,
    /// The vendor's own settings by name (Tencent's `Region`, Huawei's `X-Project-Id`).
    pub settings: Vec<(String, String)>,
}

impl Config {
    /// Default options, no settings.
    pub fn new(credential: Credential) -> Self {
        Self {
            credential,
            options: ClientOptions::default(),
            settings: Vec::new(),
        }
    }

    /// Endpoint, timeouts, retries.
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// Adds a vendor setting.
    pub fn setting(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.push((name.into(), value.into()));
        self
    }
}

/// A client of some vendor, called by operation name.
#[derive(Clone)]
pub struct DynClient {
    vendor: &'static Vendor,
    call: Arc<dyn CallJson>,
}

impl fmt::Debug for DynClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynClient")
            .field("vendor", &self.vendor.name)
            .finish_non_exhaustive()
    }
}

impl DynClient {
    /// The vendor called.
    pub fn vendor(&self) -> &'static str {
        self.vendor.name
    }

    /// The operationIds it can call.
    pub fn operations(&self) -> impl Iterator<Item = &'static str> {
        self.vendor.operations.iter().map(|op| op.id)
    }

    /// Calls `operation` with `arguments`, an object keyed by wire names (`"body"` for the
    /// request body). Unknown keys are refused; a value that does not fit the parameter's
    /// type is an [`Error::InvalidRequest`] naming the parameter, never its value.
    pub async fn call(&self, operation: &str, arguments: &Value) -> Result<Response<Value>, Error> {
        let arguments = arguments.as_object().ok_or_else(|| Error::InvalidRequest {
            message: "the arguments must be a JSON object".into(),
        })?;
        self.call.call_json(operation, arguments).await
    }
}

/// The vendors compiled in, by name.
pub fn vendors() -> impl Iterator<Item = &'static str> {
    crate::DYNAMIC_VENDORS.iter().map(|entry| entry.vendor.name)
}

/// A client of `vendor`, built from `config`.
pub fn connect(vendor: &str, config: Config) -> Result<DynClient, Error> {
    entry(vendor)?.connect(config)
}

/// The ways one call of `vendor` can travel, as settings (Tencent: GET, or POST with
/// `method=POST`); a contract test holds for each.
pub fn wire_variants(vendor: &str) -> Result<WireVariants, Error> {
    Ok((entry(vendor)?.wire_variants)())
}

/// Settings lists, one per way a call can travel.
pub type WireVariants = &'static [&'static [(&'static str, &'static str)]];

fn entry(vendor: &str) -> Result<&'static Entry, Error> {
    crate::DYNAMIC_VENDORS
        .iter()
        .copied()
        .find(|entry| entry.vendor.name == vendor)
        .ok_or_else(|| Error::InvalidRequest {
            message: format!("no vendor {vendor:?} is compiled in"),
        })
}

/// One vendor's way in, written by sdk-gen.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) vendor: &'static Vendor,
    pub(crate) connect: fn(Config) -> Result<DynClient, Error>,
    pub(crate) wire_variants: fn() -> WireVariants,
}

impl Entry {
    fn connect(&self, config: Config) -> Result<DynClient, Error> {
        (self.connect)(config)
    }
}

/// The entry for a generated client.
pub(crate) const fn entry_for<C>() -> Entry
where
    C: GeneratedClient + CallJson + 'static,
{
    Entry {
        vendor: C::VENDOR,
        connect: connect_generated::<C>,
        wire_variants: <C::Quirks as Quirks>::wire_variants,
    }
}

fn connect_generated<C>(config: Config) -> Result<DynClient, Error>
where
    C: GeneratedClient + CallJson + 'static,
{
    let mut builder =
        ClientBuilder::<C>::new(Credentials::Fixed(config.credential)).options(config.options);
    for (name, value) in &config.settings {
        builder.quirks_mut().configure(name, value)?;
    }
    Ok(DynClient {
        vendor: C::VENDOR,
        call: Arc::new(builder.build()?),
    })
}

/// Calls an operation of a generated client by name; sdk-gen implements it with one arm per
/// operation.
pub(crate) trait CallJson: Send + Sync {
    /// See [`DynClient::call`].
    fn call_json<'a>(
        &'a self,
        operation: &'a str,
        arguments: &'a serde_json::Map<String, Value>,
    ) -> BoxFuture<'a, Result<Response<Value>, Error>>;
}

/// The argument `name`, decoded into the parameter's type.
pub(crate) fn argument<T: DeserializeOwned>(
    arguments: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<T>, Error> {
    arguments
        .get(name)
        .map(|value| {
            T::deserialize(value).map_err(|_| Error::InvalidRequest {
                message: format!("argument {name} does not fit its type"),
            })
        })
        .transpose()
}

/// Refuses argument names the operation does not take.
pub(crate) fn only_known(
    arguments: &serde_json::Map<String, Value>,
    known: &[&str],
) -> Result<(), Error> {
    match arguments.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(Error::InvalidRequest {
            message: format!("unknown argument {unknown:?}"),
        }),
        None => Ok(()),
    }
}

/// A typed answer as JSON.
pub(crate) fn to_json<T: Serialize>(
    result: Result<Response<T>, Error>,
) -> Result<Response<Value>, Error> {
    result?.try_map(|value| {
        serde_json::to_value(value).map_err(|_| Error::InvalidRequest {
            message: "the answer does not serialize back to JSON".into(),
        })
    })
}

/// An unknown operationId.
pub(crate) fn unknown_operation(vendor: &Vendor, operation: &str) -> Error {
    Error::InvalidRequest {
        message: format!("{} has no operation {operation:?}", vendor.name),
    }
}

/// The arguments of a by-name call.
pub(crate) type Arguments = serde_json::Map<String, Value>;

/// What a by-name call returns.
pub(crate) type Answer<'a> = BoxFuture<'a, Result<Response<Value>, Error>>;
