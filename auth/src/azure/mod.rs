//! Azure Resource Manager bearer tokens: a form check only (vendor-facts 4.2).
//!
//! ARM answers `AuthenticationFailed` when `Authorization` is missing and
//! `AuthenticationFailedInvalidHeader` when it is not `Bearer <token>`; those two are what
//! [`parse_bearer`] tells apart. Tokens are not validated as JWTs: the mock has no issuer.

use crate::error::VerifyError;
use crate::secret::SecretString;

/// The authentication scheme ARM expects.
pub const SCHEME: &str = "Bearer";

/// The token of an `Authorization: Bearer <token>` header value.
///
/// `None` or a blank value is [`VerifyError::Missing`] (ARM: `AuthenticationFailed`).
/// Another scheme, no token, or a token with inner whitespace is [`VerifyError::Malformed`]
/// (ARM: `AuthenticationFailedInvalidHeader`). The scheme is case-insensitive (RFC 9110).
pub fn parse_bearer(authorization: Option<&str>) -> Result<&str, VerifyError> {
    let value = authorization.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        return Err(VerifyError::Missing {
            what: "Authorization",
        });
    }
    let invalid = || VerifyError::malformed("Authorization is not 'Bearer <token>'");
    let (scheme, token) = value.split_once(' ').ok_or_else(invalid)?;
    let token = token.trim_start();
    if !scheme.eq_ignore_ascii_case(SCHEME)
        || token.is_empty()
        || token.contains(char::is_whitespace)
    {
        return Err(invalid());
    }
    Ok(token)
}

/// The `Authorization` header value for `token`, still wrapped so it cannot be logged by
/// accident; call `expose_secret()` only to set the header.
pub fn authorization_value(token: &SecretString) -> SecretString {
    SecretString::new(format!("{SCHEME} {}", token.expose_secret()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
