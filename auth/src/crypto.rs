//! Thin wrappers over the RustCrypto crates, so vendor modules read like their specs.

use hmac::Mac;
use hmac::digest::KeyInit;
use sha2::{Digest, Sha256};

/// HMAC-SHA1, Tencent's default.
pub(crate) type HmacSha1 = hmac::Hmac<sha1::Sha1>;
/// HMAC-SHA256, used by every scheme here.
pub(crate) type HmacSha256 = hmac::Hmac<Sha256>;

/// Lowercase hex SHA-256, the payload and canonical-request hash of ACS3 and SDK-HMAC.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// A keyed MAC over `msg`. HMAC accepts keys of every length, so this cannot fail.
fn keyed<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> M {
    let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac
}

/// The raw HMAC tag.
pub(crate) fn hmac<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
    keyed::<M>(key, msg).finalize().into_bytes().to_vec()
}

/// Constant-time comparison of `tag` with the HMAC of `msg`.
pub(crate) fn hmac_matches<M: Mac + KeyInit>(key: &[u8], msg: &[u8], tag: &[u8]) -> bool {
    keyed::<M>(key, msg).verify_slice(tag).is_ok()
}

/// Constant-time check of a hex HMAC-SHA256 (either case); bad hex is just a mismatch.
pub(crate) fn hmac_sha256_hex_matches(key: &[u8], msg: &[u8], provided_hex: &str) -> bool {
    hex::decode(provided_hex).is_ok_and(|tag| hmac_matches::<HmacSha256>(key, msg, &tag))
}
