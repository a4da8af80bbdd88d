//! Fuzz targets for keygate, as plain functions.
//!
//! Each target in `fuzz_targets/` is a one-line libFuzzer wrapper around a function of
//! [`targets`], so the corpus replay (`tests/corpus.rs`, plain `cargo test` on stable) runs
//! exactly what the fuzzer runs. Inputs are structs deriving `arbitrary::Arbitrary` over the
//! stable leaf types of [`input`]; [`seeds`] builds the committed seed corpus.

pub mod auth;
pub mod input;
pub mod mock;
pub mod seeds;

use keygate_auth::SecretString;

/// The one access key id the targets' key store knows.
pub const AK: &str = "AK";
/// Its secret.
pub const SK: &str = "SK";
/// The verifiers' clock: 2026-01-01T00:00:00Z. Fixed, so that every run is reproducible.
pub const NOW: i64 = 1_767_225_600;

/// The targets' key store: [`AK`] -> [`SK`], nothing else.
pub fn lookup(access_key_id: &str) -> Option<SecretString> {
    (access_key_id == AK).then(|| SecretString::from(SK))
}

/// The target functions, under the names of their `fuzz_targets/` binaries.
pub mod targets {
    pub use crate::auth::{
        parse_azure_bearer, roundtrip_alibaba, roundtrip_huawei, roundtrip_tencent, verify_alibaba,
        verify_huawei, verify_tencent,
    };
    pub use crate::mock::{mock_request, mock_tencent_form};

    /// A target's body: takes the fuzzer's bytes, panics on a finding.
    pub type Target = fn(&[u8]);

    /// Every target: `(name, body)`; the name is also its corpus folder under `corpus/`.
    pub const ALL: &[(&str, Target)] = &[
        ("verify_alibaba", verify_alibaba),
        ("verify_tencent", verify_tencent),
        ("verify_huawei", verify_huawei),
        ("parse_azure_bearer", parse_azure_bearer),
        ("roundtrip_alibaba", roundtrip_alibaba),
        ("roundtrip_tencent", roundtrip_tencent),
        ("roundtrip_huawei", roundtrip_huawei),
        ("mock_request", mock_request),
        ("mock_tencent_form", mock_tencent_form),
    ];
}
