//! Fresh request ids in the vendor's format.

use keygate_spec::ext::IdFormat;

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// A request id, formatted on the stack (no allocation).
#[derive(Clone, Copy)]
pub(crate) struct RequestId {
    buf: [u8; 36],
    len: usize,
}

impl RequestId {
    /// A random id (thread-local RNG) in `format`.
    pub(crate) fn generate(format: IdFormat) -> Self {
        let mut bits: u128 = rand::random();
        if format != IdFormat::Hex32 {
            // RFC 9562 version 4, variant 10xx, as real uuid v4 generators set them.
            bits = (bits & !(0xF << 76)) | (0x4 << 76);
            bits = (bits & !(0x3 << 62)) | (0x2 << 62);
        }
        let digits = if format == IdFormat::UuidUpper {
            HEX_UPPER
        } else {
            HEX_LOWER
        };
        let mut out = Self {
            buf: [0; 36],
            len: 0,
        };
        for i in 0..32 {
            if format != IdFormat::Hex32 && matches!(i, 8 | 12 | 16 | 20) {
                out.push(b'-');
            }
            let nibble = (bits >> (124 - 4 * i)) & 0xF;
            out.push(digits[nibble as usize]);
        }
        out
    }

    fn push(&mut self, byte: u8) {
        self.buf[self.len] = byte;
        self.len += 1;
    }

    /// The id as text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits and '-' are ever pushed.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_the_vendors() {
        let id = RequestId::generate(IdFormat::Uuid);
        let s = id.as_str();
        assert_eq!(s.len(), 36);
        assert_eq!(&s[14..15], "4");
        assert!("89ab".contains(&s[19..20]));
        assert_eq!(s, s.to_lowercase());
        let upper = RequestId::generate(IdFormat::UuidUpper);
        assert_eq!(upper.as_str(), upper.as_str().to_uppercase());
        let hex = RequestId::generate(IdFormat::Hex32);
        assert_eq!(hex.as_str().len(), 32);
        assert!(hex.as_str().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(hex.as_str(), RequestId::generate(IdFormat::Hex32).as_str());
    }
}
