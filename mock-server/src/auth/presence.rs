//! Presence: whether a request carries a scheme's credential parts, well-formed, without
//! checking them.

use std::borrow::Cow;

use http::HeaderName;
use keygate_auth::{Carrier, Presence};

use super::AuthFailure;
use crate::index::service::{CredentialSlot, Scheme};
use crate::request::Inputs;

/// Checks that `inputs` carry `scheme`'s credential: as its keygate-auth scheme defines it,
/// else as the slot its spec declares.
pub(crate) fn check(scheme: &Scheme, inputs: &Inputs<'_>) -> Result<(), AuthFailure> {
    let carried = Carried {
        inputs,
        parsed: &scheme.presence_headers,
    };
    match &scheme.presence {
        Some(presence) => presence.check(&carried).map_err(AuthFailure::presence),
        None => slot(&scheme.slot, &carried),
    }
}

/// Presence for a scheme keygate-auth does not implement: its declared slot is filled.
fn slot(slot: &CredentialSlot, carried: &Carried<'_>) -> Result<(), AuthFailure> {
    match slot {
        CredentialSlot::Header(name) => match non_empty(carried.header(name.as_str())) {
            Some(_) => Ok(()),
            None => Err(AuthFailure::missing(name.as_str())),
        },
        CredentialSlot::Query(name) => match carried.inputs.values(name).all(str::is_empty) {
            true => Err(AuthFailure::missing(name)),
            false => Ok(()),
        },
        CredentialSlot::Bearer => Presence::Bearer
            .check(carried)
            .map_err(AuthFailure::presence),
    }
}

/// A request as a scheme's presence check reads it: the decoded inputs (no header or
/// parameter list is built), with the headers the check names looked up by their parsed
/// names.
struct Carried<'a> {
    inputs: &'a Inputs<'a>,
    /// The scheme's [`presence_headers`](Scheme::presence_headers).
    parsed: &'a [HeaderName],
}

impl Carrier for Carried<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        let headers = &self.inputs.request.headers;
        // Parsed names are lowercase, as keygate-auth writes them; any other spelling, or a
        // header the scheme did not announce, is still found, at the cost of parsing it.
        let value = match self.parsed.iter().find(|h| h.as_str() == name) {
            Some(parsed) => headers.get(parsed),
            None => headers.get(name),
        };
        value.and_then(|v| v.to_str().ok())
    }

    fn param(&self, name: &str) -> Option<Cow<'_, str>> {
        self.inputs.values(name).next().map(Cow::Borrowed)
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}
