//! Verification steps shared by the vendor verifiers, so each fails the same way.

#[cfg(any(feature = "alibaba", feature = "huawei"))]
use time::format_description::BorrowedFormatItem;
#[cfg(any(feature = "alibaba", feature = "huawei"))]
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::error::VerifyError;
#[cfg(any(feature = "alibaba", feature = "huawei"))]
use crate::request::SignableRequest;
use crate::secret::SecretString;

/// What both header-signed schemes put in `Authorization`: who signed, over which headers,
/// with which signature.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) struct SignedAuthorization<'a> {
    pub(crate) access_key_id: &'a str,
    pub(crate) signed_headers: Vec<&'a str>,
    pub(crate) signature: &'a str,
}

/// Parses `<algorithm> <key_field>=AK,SignedHeaders=a;b,Signature=hex`.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn parse_authorization<'a>(
    req: &SignableRequest<'a>,
    algorithm: &str,
    key_field: &'static str,
) -> Result<SignedAuthorization<'a>, VerifyError> {
    let fields = auth_fields(authorization(req)?, algorithm)?;
    Ok(SignedAuthorization {
        access_key_id: field(&fields, key_field)?,
        signed_headers: signed_header_list(field(&fields, "SignedHeaders")?)?,
        signature: field(&fields, "Signature")?,
    })
}

/// The secret for `access_key_id`, or `UnknownAccessKey`.
pub(crate) fn lookup(
    lookup_secret: impl Fn(&str) -> Option<SecretString>,
    access_key_id: &str,
) -> Result<SecretString, VerifyError> {
    lookup_secret(access_key_id).ok_or_else(|| VerifyError::UnknownAccessKey {
        access_key_id: access_key_id.to_owned(),
    })
}

/// The `Authorization` header, required exactly once.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
fn authorization<'a>(req: &SignableRequest<'a>) -> Result<&'a str, VerifyError> {
    let mut values = req.header_values("authorization");
    match (values.next(), values.next()) {
        (None, _) => Err(VerifyError::Missing {
            what: "Authorization",
        }),
        (Some(_), Some(_)) => Err(VerifyError::malformed("more than one Authorization header")),
        (Some(value), None) if value.trim().is_empty() => Err(VerifyError::Missing {
            what: "Authorization",
        }),
        (Some(value), None) => Ok(value.trim()),
    }
}

/// `<algorithm> k=v,k=v` split into its fields; blanks around separators are ignored so
/// both `a=1,b=2` (Alibaba) and `a=1, b=2` (Huawei) parse.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
fn auth_fields<'a>(
    value: &'a str,
    algorithm: &str,
) -> Result<Vec<(&'a str, &'a str)>, VerifyError> {
    let rest = value
        .strip_prefix(algorithm)
        .filter(|rest| rest.starts_with(' '))
        .ok_or_else(|| {
            VerifyError::malformed(format!("Authorization does not start with {algorithm}"))
        })?;
    rest.split(',')
        .map(|field| {
            field
                .trim()
                .split_once('=')
                .ok_or_else(|| VerifyError::malformed("Authorization field without '='"))
        })
        .collect()
}

/// The value of a required `Authorization` field.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
fn field<'a>(fields: &[(&'a str, &'a str)], name: &'static str) -> Result<&'a str, VerifyError> {
    fields
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| *v)
        .filter(|v| !v.is_empty())
        .ok_or(VerifyError::Missing { what: name })
}

/// `a;b;c` into names; an empty name means the list is corrupt.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
fn signed_header_list(list: &str) -> Result<Vec<&str>, VerifyError> {
    let names: Vec<&str> = list.split(';').collect();
    if names.iter().any(|n| n.is_empty()) {
        return Err(VerifyError::malformed(
            "SignedHeaders contains an empty name",
        ));
    }
    Ok(names)
}

/// Fails unless every `essential` header is in the signed set: otherwise a client could
/// sign a request whose date or nonce an attacker may rewrite.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn require_signed<'e>(
    signed: &[&str],
    essential: impl IntoIterator<Item = &'e str>,
) -> Result<(), VerifyError> {
    match essential
        .into_iter()
        .find(|e| !signed.iter().any(|s| s.eq_ignore_ascii_case(e)))
    {
        Some(e) => Err(VerifyError::malformed(format!("header {e} must be signed"))),
        None => Ok(()),
    }
}

/// Fails unless every signed header is on the request: a signature over a header the
/// request does not carry cannot be checked.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn require_present(
    req: &SignableRequest<'_>,
    signed: &[&str],
) -> Result<(), VerifyError> {
    match signed
        .iter()
        .find(|s| !s.eq_ignore_ascii_case("host") && req.header(s).is_none())
    {
        Some(s) => Err(VerifyError::malformed(format!(
            "signed header {s} is absent"
        ))),
        None => Ok(()),
    }
}

/// The single value of a header the scheme needs, or `Missing`.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn required_header<'a>(
    req: &SignableRequest<'a>,
    name: &'static str,
) -> Result<&'a str, VerifyError> {
    req.header(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or(VerifyError::Missing { what: name })
}

/// A UTC timestamp in the vendor's fixed layout, as Unix seconds.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn parse_utc(
    value: &str,
    layout: &[BorrowedFormatItem<'_>],
    layout_name: &str,
) -> Result<i64, VerifyError> {
    PrimitiveDateTime::parse(value, layout)
        .map(|t| t.assume_utc().unix_timestamp())
        .map_err(|_| VerifyError::malformed(format!("date {value:?} is not {layout_name}")))
}

/// Unix seconds as a time; a value out of `time`'s range signs as the epoch rather than
/// failing (the signature is then simply rejected as expired).
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Fails with `Expired` when `timestamp` is more than `window_secs` away from `now`.
pub(crate) fn check_window(timestamp: i64, now: i64, window_secs: u64) -> Result<(), VerifyError> {
    let skew = now.saturating_sub(timestamp);
    if skew.unsigned_abs() > window_secs {
        return Err(VerifyError::Expired { skew_secs: skew });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_is_inclusive_and_overflow_safe() {
        assert!(check_window(100, 1000, 900).is_ok());
        assert_eq!(
            check_window(99, 1000, 900),
            Err(VerifyError::Expired { skew_secs: 901 })
        );
        assert_eq!(
            check_window(1901, 1000, 900),
            Err(VerifyError::Expired { skew_secs: -901 })
        );
        assert!(check_window(i64::MIN, i64::MAX, 900).is_err());
    }

    #[test]
    #[cfg(any(feature = "alibaba", feature = "huawei"))]
    fn auth_fields_accept_both_separator_styles() {
        let f = auth_fields("ALG a=1,b=2", "ALG").unwrap();
        assert_eq!(f, [("a", "1"), ("b", "2")]);
        let f = auth_fields("ALG a=1, b=x=y", "ALG").unwrap();
        assert_eq!(f, [("a", "1"), ("b", "x=y")]);
        assert!(auth_fields("ALGX a=1", "ALG").is_err());
        assert!(auth_fields("ALG garbage", "ALG").is_err());
    }
}
