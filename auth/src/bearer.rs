//! `Authorization: Bearer <token>`, the header form every bearer scheme shares.

use crate::error::VerifyError;
use crate::secret::SecretString;

/// The authentication scheme ARM expects.
pub const AUTH_SCHEME: &str = "Bearer";

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
    if !scheme.eq_ignore_ascii_case(AUTH_SCHEME)
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
    SecretString::new(format!("{AUTH_SCHEME} {}", token.expose_secret()))
}
