//! Azure Resource Manager bearer tokens: a form check only (vendor-facts 4.2).
//!
//! ARM answers `AuthenticationFailed` when `Authorization` is missing and
//! `AuthenticationFailedInvalidHeader` when it is not `Bearer <token>`; those two are what
//! [`parse_bearer`] tells apart. Tokens are not validated as JWTs: the mock has no issuer.

pub use crate::bearer::{AUTH_SCHEME, authorization_value, parse_bearer};

use crate::scheme::Presence;
use crate::token::TokenScheme;

/// The `x-keygate-auth` id of this scheme.
pub const SCHEME_ID: &str = "azure-bearer";

/// `Authorization: Bearer <token>`, for lookups by id: the form is checked, the token is not
/// (the mock has no issuer).
pub static SCHEME: TokenScheme = TokenScheme {
    id: SCHEME_ID,
    label: "Bearer token",
    header: &"Authorization",
    prefix: "Bearer ",
    presence: Presence::Bearer,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VerifyError;

    #[test]
    fn missing_and_blank_are_missing() {
        let missing = Err(VerifyError::Missing {
            what: "Authorization",
        });
        assert_eq!(parse_bearer(None), missing);
        assert_eq!(parse_bearer(Some("  ")), missing);
    }

    #[test]
    fn wrong_forms_are_malformed() {
        for bad in ["Basic abc", "Bearer", "Bearer ", "token-only", "Bearer a b"] {
            assert!(
                matches!(parse_bearer(Some(bad)), Err(VerifyError::Malformed { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn token_is_returned_and_round_trips() {
        assert_eq!(parse_bearer(Some("bearer  eyJ0.x.y")), Ok("eyJ0.x.y"));
        let value = authorization_value(&"eyJ0.x.y".into());
        assert_eq!(parse_bearer(Some(value.expose_secret())), Ok("eyJ0.x.y"));
    }
}
