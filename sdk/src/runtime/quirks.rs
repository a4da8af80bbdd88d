//! What a vendor does that its spec cannot say, written by hand in the vendor's folder.

use std::fmt;

use crate::error::Error;

/// A vendor's own request shaping and client settings.
///
/// The vendor folder defines one type implementing it (Tencent's region and POST form,
/// Huawei's `X-Project-Id`, Azure's ARM headers) and names it with [`HasQuirks`]; a vendor
/// with nothing of its own uses [`NoQuirks`].
pub trait Quirks: fmt::Debug + Default + Send + Sync + 'static {
    /// Refuses settings the vendor cannot work with, before a client is built.
    fn check(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Shapes a request once per call, after the spec's wire rules and before signing.
    fn prepare(&self, _request: &mut reqwest::Request) -> Result<(), Error> {
        Ok(())
    }

    /// The region the client calls when the vendor names it in a setting rather than in the
    /// endpoint URL (Tencent's `Region` parameter).
    fn region(&self) -> Option<&str> {
        None
    }

    /// Sets a setting by name, for clients built from configuration rather than code (the
    /// `dynamic` feature). Names follow the wire where there is one (`Region`).
    fn configure(&mut self, name: &str, _value: &str) -> Result<(), Error> {
        Err(Error::InvalidRequest {
            message: format!("this client has no setting {name:?}"),
        })
    }

    /// The different ways the same call can travel (Tencent: GET query or POST form), as
    /// settings for [`configure`](Self::configure); a contract test must hold for each.
    fn wire_variants() -> &'static [&'static [(&'static str, &'static str)]] {
        &[&[]]
    }
}

/// The quirks of a vendor that has none.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoQuirks;

impl Quirks for NoQuirks {}

/// Names the vendor's [`Quirks`] for its generated client; written once in the vendor's
/// folder (`impl HasQuirks for Client { type Quirks = … }`).
#[diagnostic::on_unimplemented(
    message = "{Self} has no quirks type",
    label = "the vendor folder must say `impl crate::runtime::HasQuirks for Client`",
    note = "use `crate::runtime::NoQuirks` when the vendor has nothing of its own"
)]
pub trait HasQuirks {
    /// The vendor's quirks.
    type Quirks: Quirks;
}
