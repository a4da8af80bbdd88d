//! libFuzzer entry point; the body lives in [`keygate_fuzz::targets::parse_azure_bearer`] so that the
//! corpus replay under `cargo test` runs exactly the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keygate_fuzz::targets::parse_azure_bearer(data));
