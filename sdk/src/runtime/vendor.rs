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

impl Vendor {
    /// Whether keygate-auth compiles every scheme the spec names. The build script asserts it
    /// for each vendor at compile time: a vendor folder without a feature of its own (so one
    /// that turns no keygate-auth feature on) would otherwise build and then fail to sign.
    pub(crate) const fn schemes_compiled(&self) -> bool {
        let mut i = 0;
        while i < self.schemes.len() {
            if !keygate_auth::is_compiled(self.schemes[i]) {
                return false;
            }
            i += 1;
        }
        true
    }
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
