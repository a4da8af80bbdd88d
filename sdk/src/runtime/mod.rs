//! The surface generated vendor modules are written against; you need it only to add a
//! vendor.
//!
//! A vendor is a spec plus a folder. keygate-sdk-gen writes `src/<vendor>/generated.rs` from
//! the spec: progenitor's client and types, then the shell every vendor shares, which names
//! nothing but this module and the crate's public types:
//!
//! - a [`Vendor`] table (server, operations, error [`Dialect`], security scheme ids);
//! - `Credentials` (a newtype over the client's credential source), `ClientBuilder` (an alias
//!   of [`ClientBuilder`] with one setter per endpoint URL variable), `Client::builder`;
//! - the progenitor hooks, whose bodies live here, and [`GeneratedClient`] for its `Client`;
//! - each operation's `send` (through the attempt loop) and, for paged lists, `into_stream`.
//!
//! The folder's hand-written `mod.rs` adds only what is the vendor's own: module docs, the
//! constructors of its `Credentials` (names and environment variables its users know), a
//! [`Quirks`] type for whatever the spec cannot say (Tencent's POST form, Huawei's
//! `X-Project-Id`, Azure's ARM headers), named once with [`HasQuirks`] (or [`NoQuirks`]), and
//! builder methods for those settings. The crate's build script finds the folder: nothing
//! shared lists vendors.

mod client;
mod credentials;
mod dialect;
#[cfg(feature = "dynamic")]
pub(crate) mod dynamic;
mod hooks;
mod quirks;
mod vendor;

pub use client::{ClientBuilder, ClientState, GeneratedClient};
pub use credentials::{TokenError, TokenProvider};
pub use quirks::{HasQuirks, NoQuirks, Quirks};
pub use vendor::{Constant, Dialect, Location, Operation, Server, Vendor};

pub(crate) use credentials::Credentials;
#[cfg(test)]
pub(crate) use hooks::prepared_and_signed;
pub(crate) use hooks::{exec, prepare};

// What generated `send` and `into_stream` methods call.
pub(crate) use crate::call::run;
pub(crate) use crate::error::Error;
pub(crate) use crate::paginate::{Items, Paging, Position, Style, items, position_of};
pub(crate) use crate::response::Response;
pub(crate) use keygate_auth::SecretString;
