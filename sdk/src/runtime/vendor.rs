//! The tables sdk-gen writes for each vendor: everything its spec says that the runtime needs.

pub use crate::wire::{Constant, Location, Operation, Server};

/// One vendor, as its spec describes it.
#[derive(Debug)]
pub struct Vendor {
    /// `x-keygate.vendor`.
    pub name: &'static str,
    /// The spec's first server.
    pub server: Server,
    /// Every operation, in `operationId` order.
    pub operations: &'static [Operation],
    /// How the vendor's answers carry errors and request ids.
    pub dialect: Dialect,
    /// The `x-keygate-auth` ids of the spec's security schemes, in the order the spec
    /// prefers them.
    pub schemes: &'static [&'static str],
}

/// `x-keygate.errorFields` and the request-id header, as the runtime reads answers.
#[derive(Debug)]
pub struct Dialect {
    /// Pointers to the error code; the first present wins.
    pub code: &'static [&'static str],
    /// Pointers to the message.
    pub message: &'static [&'static str],
    /// Pointers to a request id in a body.
    pub request_id: &'static [&'static str],
    /// The response header that carries the request id.
    pub request_id_header: Option<&'static str>,
    /// The success code, where errors share the success status (as text).
    pub ok_code: Option<&'static str>,
    /// Codes a later attempt may not meet; `Prefix*` matches a prefix.
    pub retryable: &'static [&'static str],
}
