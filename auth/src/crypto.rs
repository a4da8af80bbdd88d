//! Thin wrappers over the RustCrypto crates, so vendor modules read like their specs. Each is
//! compiled only with the schemes that use it (the crate's features).

use hmac::Mac;
use hmac::digest::KeyInit;
#[cfg(any(feature = "alibaba", feature = "huawei"))]
use sha2::Digest;
use sha2::Sha256;

/// HMAC-SHA1, Tencent's default.
#[cfg(feature = "tencent")]
pub(crate) type HmacSha1 = hmac::Hmac<sha1::Sha1>;
/// HMAC-SHA256, used by every scheme here.
pub(crate) type HmacSha256 = hmac::Hmac<Sha256>;

/// Lowercase hex SHA-256, the payload and canonical-request hash of ACS3 and SDK-HMAC.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    if data.is_empty() {
        // Every bodiless request (GET, DELETE) hashes the empty payload.
        return EMPTY_SHA256_HEX.to_owned();
    }
    hex_lower(&Sha256::digest(data))
}

/// Lowercase hex, as `hex::encode` writes it but without its per-character `String`
/// collection (a measurable share of signing a small request).
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex_lower(&mut out, bytes);
    out
}

/// [`hex_lower`], appended to `out`: a hash or tag written straight into the text that
/// carries it.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn push_hex_lower(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // A digest at a time into a stack buffer, appended as one str: a `push` per digit
    // checks capacity and encodes a char each time.
    for chunk in bytes.chunks(32) {
        let mut hex = [0u8; 64];
        for (pair, &byte) in hex.chunks_exact_mut(2).zip(chunk) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
        }
        let hex = &hex[..2 * chunk.len()];
        out.push_str(std::str::from_utf8(hex).expect("hex digits are ASCII"));
    }
}

/// [`sha256_hex`], appended to `out`.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn push_sha256_hex(out: &mut String, data: &[u8]) {
    push_hex_lower(out, &Sha256::digest(data));
}

/// hex(sha256("")).
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) const EMPTY_SHA256_HEX: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// A keyed MAC over `msg`. HMAC accepts keys of every length, so this cannot fail.
fn keyed<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> M {
    let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac
}

/// The raw HMAC tag.
#[cfg(feature = "tencent")]
pub(crate) fn hmac<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
    keyed::<M>(key, msg).finalize().into_bytes().to_vec()
}

/// Lowercase hex HMAC-SHA256, without an intermediate `Vec` for the tag.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn hmac_sha256_hex(key: &[u8], msg: &[u8]) -> String {
    hex_lower(&keyed::<HmacSha256>(key, msg).finalize().into_bytes())
}

/// [`hmac_sha256_hex`], appended to `out`.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn push_hmac_sha256_hex(out: &mut String, key: &[u8], msg: &[u8]) {
    push_hex_lower(out, &keyed::<HmacSha256>(key, msg).finalize().into_bytes());
}

/// Constant-time comparison of `tag` with the HMAC of `msg`.
pub(crate) fn hmac_matches<M: Mac + KeyInit>(key: &[u8], msg: &[u8], tag: &[u8]) -> bool {
    keyed::<M>(key, msg).verify_slice(tag).is_ok()
}

/// Constant-time check of a hex HMAC-SHA256 (either case); bad hex is just a mismatch.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub(crate) fn hmac_sha256_hex_matches(key: &[u8], msg: &[u8], provided_hex: &str) -> bool {
    hex::decode(provided_hex).is_ok_and(|tag| hmac_matches::<HmacSha256>(key, msg, &tag))
}

#[cfg(all(test, any(feature = "alibaba", feature = "huawei")))]
mod tests {
    use super::*;

    #[test]
    fn empty_payload_hash_is_the_sha256_of_nothing() {
        assert_eq!(EMPTY_SHA256_HEX, hex::encode(Sha256::digest(b"")));
        assert_eq!(sha256_hex(b""), EMPTY_SHA256_HEX);
    }

    #[test]
    fn hex_matches_the_hex_crate() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(hex_lower(&all), hex::encode(&all));
        assert_eq!(sha256_hex(b"abc"), hex::encode(Sha256::digest(b"abc")));
    }
}
