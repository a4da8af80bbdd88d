//! One key API over the four gateways: list, show, create, rotate and revoke keys the same way
//! whichever vendor holds them (feature `inventory`).
//!
//! [`KeyInventory`] is implemented for each vendor's `Client`. Its scope type is the vendor's
//! own ([`Region`] for Alibaba and Tencent, [`HuaweiScope`], [`AzureScope`]), and every key
//! comes back as a [`KeyRecord`]: vendor, scope, id, name, status, typed timestamps, and the
//! key's value as a [`SecretString`](crate::SecretString) where the vendor returned one. Errors are the SDK's own
//! [`Error`], so a refusal keeps the vendor's code and message.
//!
//! ```no_run
//! # async fn example() -> Result<(), keygate_sdk::Error> {
//! use futures::TryStreamExt as _;
//! use keygate_sdk::huawei::{Client, Credentials};
//! use keygate_sdk::inventory::{HuaweiScope, KeyInventory as _};
//!
//! let client = Client::builder(Credentials::from_env()?).region("cn-north-4").build()?;
//! let scope = HuaweiScope::new(
//!     "77b6a44cba5143ab91d13ab9a8ff44fd",
//!     "eddc4d25480b4cd6b512f270a1b8b341",
//!     "9ed8b7fe84224de681e7d7a5587e76dc",
//! );
//! let keys: Vec<_> = client.list_keys(&scope).try_collect().await?;
//! let rotated = client.rotate_key(&scope, &keys[0].id, None).await?;
//! println!("{} replaced by {}", keys[0].id, rotated.key.id);
//! # Ok(())
//! # }
//! ```
//!
//! # Rotation
//!
//! Rotating never leaves a consumer without a valid key:
//!
//! | Vendor | Rotation |
//! |---|---|
//! | Alibaba | UpdateSecret with a new value (given, or 32 random characters) |
//! | Tencent | UpdateApiKey: the service draws a new secretKey for the same secretId |
//! | Huawei | a new AI key with the old alias first, then the old one deleted; with the app's key quota full, the create's refusal is returned and nothing is deleted |
//! | Azure | one slot at a time, named by the caller ([`Slot`]): the other slot keeps working |

mod record;
mod scope;
mod timestamp;

#[cfg(feature = "alibaba")]
mod alibaba;
#[cfg(feature = "azure")]
mod azure;
#[cfg(feature = "huawei")]
mod huawei;
#[cfg(feature = "tencent")]
mod tencent;

use std::future::Future;

pub use record::{KeyRecord, KeyStatus, NewKey, Rotated, Slot};
pub use scope::{AzureScope, HuaweiScope, Region};

use crate::error::Error;
use crate::paginate::Items;

/// A vendor's keys, seen the same way for every vendor.
///
/// `id` is the vendor's own: Alibaba's `secretId`, Tencent's `secretId`, Huawei's AI API key
/// id, Azure's subscription `sid`.
pub trait KeyInventory {
    /// Where keys live: the vendor's own scope type.
    type Scope: Clone + std::fmt::Debug + std::fmt::Display + Send + Sync;

    /// The vendor's name, as the SDK's errors spell it (`huawei`).
    fn vendor(&self) -> &'static str;

    /// Every key in `scope`, fetched page by page as the stream reaches them.
    fn list_keys<'a>(&'a self, scope: &'a Self::Scope) -> Items<'a, KeyRecord<Self::Scope>>;

    /// One key.
    fn show_key(
        &self,
        scope: &Self::Scope,
        id: &str,
    ) -> impl Future<Output = Result<KeyRecord<Self::Scope>, Error>> + Send;

    /// A new key; the answer carries its value.
    fn create_key(
        &self,
        scope: &Self::Scope,
        new: NewKey,
    ) -> impl Future<Output = Result<KeyRecord<Self::Scope>, Error>> + Send;

    /// A new value for a key, without a moment when the consumer has no valid key. Azure
    /// needs the `slot` to rotate; the other vendors have one value and refuse a slot.
    fn rotate_key(
        &self,
        scope: &Self::Scope,
        id: &str,
        slot: Option<Slot>,
    ) -> impl Future<Output = Result<Rotated<Self::Scope>, Error>> + Send;

    /// The key stops working for good: deleted (Tencent: disabled first, as the service
    /// requires; Azure: with the current ETag as `If-Match`).
    fn revoke_key(
        &self,
        scope: &Self::Scope,
        id: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

/// The refusal of a slot by a vendor whose keys have one value, or of no slot by Azure.
fn slot_error(vendor: &str, wanted: bool) -> Error {
    let message = match wanted {
        true => format!("{vendor} keys have two slots: say which to rotate"),
        false => format!("{vendor} keys have one value: rotate without a slot"),
    };
    Error::InvalidRequest { message }
}

/// Refuses a region other than the one the client calls.
#[cfg(any(feature = "alibaba", feature = "tencent"))]
fn check_region(vendor: &str, client: Option<&str>, scope: &Region) -> Result<(), Error> {
    match client {
        Some(region) if region != scope.as_str() => Err(Error::InvalidRequest {
            message: format!(
                "this {vendor} client calls region {region}; build one for {}",
                scope.as_str()
            ),
        }),
        _ => Ok(()),
    }
}

/// A request refused before it is sent.
fn invalid(message: &str) -> Error {
    Error::InvalidRequest {
        message: message.to_owned(),
    }
}

/// A stream of one error, for a list refused before its first page.
fn failed<'a, T: Send + 'a>(error: Error) -> Items<'a, T> {
    Box::pin(futures::stream::once(async move { Err(error) }))
}
