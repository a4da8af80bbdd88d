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
//! - each operation's `send` (through the attempt loop) and, for paged lists, `into_stream`
//!   (by offset, by page, or following the service's links to the next page).
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
mod link;
mod quirks;
mod vendor;

pub use client::{ClientBuilder, ClientState, GeneratedClient};
pub use credentials::{TokenError, TokenProvider};
pub use quirks::{HasQuirks, NoQuirks, Quirks};
pub use vendor::{Constant, Dialect, Location, Operation, Server, Vendor};

pub(crate) use credentials::Credentials;
// For the signing-vector tests of the vendors that publish vectors (not Azure).
#[cfg(test)]
#[allow(unused_imports)]
pub(crate) use hooks::prepared_and_signed;
pub(crate) use hooks::{exec, prepare, send};

// What generated `send` and `into_stream` methods call. Each vendor's code uses a subset, so
// with one vendor's feature alone some of these go unused.
#[allow(unused_imports)]
pub(crate) use {
    crate::call::run,
    crate::error::Error,
    crate::paginate::{
        Items, LinkPaging, Paging, Position, Style, items, items_by_link, position_of,
    },
    crate::response::Response,
    crate::wire::push_path_param,
    keygate_auth::SecretString,
    link::follow_link,
};
