//! Corpus replay on stable: every file under `corpus/<target>/` through the same function
//! the fuzz target calls, plus checks that the seeds still decode to, and reach, what they
//! were made for (an encoding change would otherwise turn them into noise unnoticed).

use std::path::{Path, PathBuf};

use keygate_auth::VerifyError;
use keygate_fuzz::auth::{self, HttpInput, TencentInput};
use keygate_fuzz::input::{Encode, decode};
use keygate_fuzz::mock::{self, MockInput, TencentFormInput};
use keygate_fuzz::{AK, seeds, targets};

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target)
}

fn seed(target: &str, label: &str) -> Vec<u8> {
    seeds::all()
        .into_iter()
        .find(|s| s.target == target && s.label == label)
        .unwrap_or_else(|| panic!("no seed {target}/{label}"))
        .bytes
}

#[test]
fn every_corpus_file_replays_without_panic() {
    let mut total = 0;
    for (name, run) in targets::ALL {
        let dir = corpus_dir(name);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("readable corpus entry").path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{name} has no corpus");
        for file in &files {
            let data = std::fs::read(file).expect("readable corpus file");
            // A panic names the file, which is then the reproducer to minimize.
            eprintln!("replaying {}", file.display());
            run(&data);
        }
        total += files.len();
    }
    println!("replayed {total} corpus files");
}

#[test]
fn seed_files_match_the_generator() {
    for s in seeds::all() {
        let path = corpus_dir(s.target).join(format!("seed-{}", s.label));
        let on_disk = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            on_disk == s.bytes,
            "{} is stale: run `cargo run --manifest-path fuzz/Cargo.toml --no-default-features --example make_seeds`",
            path.display()
        );
    }
}

#[test]
fn seeds_decode_to_what_was_encoded() {
    fn same<T: for<'a> arbitrary::Arbitrary<'a> + Default + Encode>(bytes: &[u8]) -> bool {
        decode::<T>(bytes).to_bytes() == bytes
    }
    for s in seeds::all() {
        let ok = match s.target {
            "verify_alibaba" | "verify_huawei" => same::<HttpInput>(&s.bytes),
            "verify_tencent" => same::<TencentInput>(&s.bytes),
            "parse_azure_bearer" => same::<auth::BearerInput>(&s.bytes),
            "roundtrip_alibaba" | "roundtrip_huawei" => same::<auth::SignInput>(&s.bytes),
            "roundtrip_tencent" => same::<auth::TencentSignInput>(&s.bytes),
            "mock_request" => same::<MockInput>(&s.bytes),
            "mock_tencent_form" => same::<TencentFormInput>(&s.bytes),
            other => panic!("seed for unknown target {other}"),
        };
        assert!(ok, "{}/{} does not decode back", s.target, s.label);
    }
}

#[test]
fn signed_seeds_verify() {
    for label in ["createsecret", "createsecret-sts", "listsecretreferences"] {
        let input: HttpInput = decode(&seed("verify_alibaba", label));
        assert_eq!(
            auth::alibaba_outcome(&input).map(|v| v.access_key_id),
            Ok(AK.to_owned()),
            "{label}"
        );
    }
    let unsigned: HttpInput = decode(&seed("verify_alibaba", "unsigned"));
    assert!(matches!(
        auth::alibaba_outcome(&unsigned),
        Err(VerifyError::Missing { .. })
    ));

    for label in ["listaiapikeys", "unsigned-payload"] {
        let input: HttpInput = decode(&seed("verify_huawei", label));
        assert!(auth::huawei_outcome(&input).is_ok(), "{label}");
    }
    let token: HttpInput = decode(&seed("verify_huawei", "x-auth-token"));
    assert!(matches!(
        auth::huawei_outcome(&token),
        Err(VerifyError::Missing { .. })
    ));

    for label in [
        "describeapikeysstatus-get-sha1",
        "describeapikeysstatus-get-wire",
        "describeapikeysstatus-post",
    ] {
        let input: TencentInput = decode(&seed("verify_tencent", label));
        assert!(auth::tencent_outcome(&input).is_ok(), "{label}");
    }
}

/// Seeds of documented requests get the documented sample, the others an error: the
/// exact error is the mock's own tests' business, reaching past the router is ours.
#[test]
fn mock_seeds_reach_their_answers() {
    let cases = [
        ("alibaba-createsecret", true),
        ("alibaba-unsigned", false),
        ("huawei-listaiapikeys", true),
        ("huawei-x-auth-token", true),
        ("huawei-auth-off", true),
        ("tencent-describeapikeysstatus", true),
        ("azure-listsecrets", true),
        ("azure-bad-api-version", false),
        ("azure-no-token", false),
        ("azure-prefer-code", false),
        ("wrong-method", false),
        ("payload-too-large", false),
    ];
    for (label, success) in cases {
        let input: MockInput = decode(&seed("mock_request", label));
        let response =
            mock::mock_outcome(&input).unwrap_or_else(|| panic!("{label} cannot be sent"));
        assert_eq!(
            response.status.is_success(),
            success,
            "{label}: {response:?}"
        );
    }
    // Tencent answers errors with HTTP 200 and a non-zero `code` in the body.
    let cases = [
        ("describeapikeysstatus", true),
        ("describeapikeysstatus-auth-off", true),
        ("action-in-query", true),
        ("unknown-action", false),
        ("limit-out-of-range", false),
    ];
    for (label, success) in cases {
        let input: TencentFormInput = decode(&seed("mock_tencent_form", label));
        let response =
            mock::tencent_form_outcome(&input).unwrap_or_else(|| panic!("{label} cannot be sent"));
        let body: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON");
        assert_eq!(body["code"] == 0, success, "{label}: {body}");
    }
}
