//! Log timestamps as tracing-subscriber writes them (RFC 3339, UTC, microseconds:
//! `2025-11-23T17:22:24.123456Z`), with the date and time formatted once per second per
//! thread instead of for every line: at tens of thousands of request lines a second, the
//! default formatter's calendar arithmetic and `fmt` calls were a visible share of a
//! request's cost.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::FormatTime;

/// The timer of the binary's log lines.
pub(crate) struct CachedUtc;

thread_local! {
    /// The second last formatted, and its `YYYY-MM-DDTHH:MM:SS`.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

impl FormatTime for CachedUtc {
    fn format_time(&self, w: &mut Writer<'_>) -> fmt::Result {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        SECOND.with(|cell| {
            let mut cached = cell.borrow_mut();
            if cached.0 != now.as_secs() {
                cached.1.clear();
                write_second(&mut cached.1, now.as_secs())?;
                cached.0 = now.as_secs();
            }
            w.write_str(&cached.1)?;
            let mut digits = *b".000000Z";
            let mut micros = now.subsec_micros();
            for digit in digits[1..7].iter_mut().rev() {
                // `micros % 10` is a single digit.
                *digit = b'0' + u8::try_from(micros % 10).unwrap_or(0);
                micros /= 10;
            }
            w.write_str(std::str::from_utf8(&digits).map_err(|_| fmt::Error)?)
        })
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of a Unix second (proleptic Gregorian calendar; Howard Hinnant's
/// `civil_from_days`).
fn write_second(out: &mut String, unix: u64) -> fmt::Result {
    let days = i64::try_from(unix / 86_400).map_err(|_| fmt::Error)?;
    let in_day = unix % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        in_day / 3600,
        in_day / 60 % 60,
        in_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn second(unix: u64) -> String {
        let mut out = String::new();
        write_second(&mut out, unix).unwrap();
        out
    }

    #[test]
    fn seconds_format_as_rfc3339() {
        assert_eq!(second(0), "1970-01-01T00:00:00");
        assert_eq!(second(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(second(1_700_000_000), "2023-11-14T22:13:20");
        assert_eq!(second(4_107_542_399), "2100-02-28T23:59:59");
    }

    #[test]
    fn lines_get_microseconds_and_zulu() {
        let mut line = String::new();
        CachedUtc.format_time(&mut Writer::new(&mut line)).unwrap();
        assert_eq!(line.len(), "2025-11-23T17:22:24.123456Z".len(), "{line}");
        assert!(line.ends_with('Z') && line.as_bytes()[19] == b'.', "{line}");
    }
}
