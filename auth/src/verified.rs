//! What a successful verification tells the caller.

/// The facts a verified request vouches for.
///
/// The crate is stateless, so replay detection is the caller's job: remember
/// `(access_key_id, nonce)` for at least the vendor's time window and reject repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The access key id (Alibaba AK, Tencent SecretId, Huawei AK) that signed the request.
    pub access_key_id: String,
    /// The request's nonce: `x-acs-signature-nonce` (Alibaba) or `Nonce` (Tencent). Huawei's
    /// scheme has none, so it is `None` there.
    pub nonce: Option<String>,
    /// The signed request time, in Unix seconds.
    pub timestamp_unix: i64,
}
