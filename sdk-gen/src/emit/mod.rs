//! The code the generator adds to progenitor's output, all written against the SDK's
//! `runtime` module: the vendor's tables, its client shell, each operation's `send` and
//! `into_stream`, and its by-name calls for the `dynamic` feature.

mod dynamic;
mod methods;
mod shell;
mod tables;

pub(crate) use dynamic::call_json;
pub(crate) use methods::builder_methods;
pub(crate) use shell::shell;
pub(crate) use tables::tables;
