//! The vendors' time formats, read into typed timestamps.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Alibaba's epoch milliseconds.
pub(super) fn from_epoch_millis(millis: Option<i64>) -> Option<OffsetDateTime> {
    let nanos = i128::from(millis?).checked_mul(1_000_000)?;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
}

/// ISO 8601 as the other vendors send it (RFC 3339: `2020-07-24T02:37:24Z`, fractions and
/// offsets included). A value that does not parse is treated as absent: it is the vendor's
/// metadata, not worth failing a listing for.
pub(super) fn from_rfc3339(text: Option<&str>) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text?, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_millis_and_rfc3339_name_the_same_instant() {
        let millis = from_epoch_millis(Some(1_719_386_834_548)).expect("in range");
        let text = from_rfc3339(Some("2024-06-26T07:27:14.548Z")).expect("RFC 3339");
        assert_eq!(millis, text);
        assert_eq!(from_epoch_millis(Some(i64::MAX)), None);
        assert_eq!(from_rfc3339(Some("yesterday")), None);
        assert_eq!(from_rfc3339(None), None);
    }
}
