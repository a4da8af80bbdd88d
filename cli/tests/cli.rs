//! The `keygate` binary against the stateful mock in verify mode, for all four vendors: the
//! whole key life, output formats, exit codes, and no key value printed without
//! --show-secret.

use std::process::{Command, Output};

use keygate_mock::{AuthMode, Credential, MockServer};
use serde_json::Value;

const AK: &str = "keygate-cli-ak";
const SK: &str = "keygate-cli-secret-0123456789";
const TOKEN: &str = "keygate-cli-token";

/// The vendors, each with the flags of its documented scope.
const VENDORS: [(&str, &[&str]); 4] = [
    ("alibaba", &["--region", "cn-hangzhou"]),
    ("tencent", &["--region", "ap-guangzhou"]),
    (
        "huawei",
        &[
            "--project-id",
            "77b6a44cba5143ab91d13ab9a8ff44fd",
            "--instance-id",
            "eddc4d25480b4cd6b512f270a1b8b341",
            "--app-id",
            "9ed8b7fe84224de681e7d7a5587e76dc",
        ],
    ),
    (
        "azure",
        &[
            "--subscription-id",
            "00000000-0000-0000-0000-000000000000",
            "--resource-group",
            "rg1",
            "--service",
            "apimService1",
        ],
    ),
];

/// The mock checking every AK/SK signature with the test key (and Azure's token by form).
async fn mock() -> MockServer {
    let builder = ["alibaba", "tencent", "huawei"]
        .into_iter()
        .fold(MockServer::builder().auth(AuthMode::Verify), |b, v| {
            b.credential(Credential::new(v, AK, SK))
        });
    builder.start().await.expect("mock starts")
}

/// Which vendors' credentials the run has in its environment.
#[derive(Clone, Copy)]
enum Credentials {
    All,
    Only(&'static [&'static str]),
}

/// `keygate keys <args>` pointed at the mock, with the test credentials in its environment.
async fn keygate(mock: &MockServer, credentials: Credentials, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keygate"));
    command
        .env_clear()
        .arg("keys")
        .args(args)
        .args(["--endpoint", mock.url()]);
    let has = |vendor: &str| match credentials {
        Credentials::All => true,
        Credentials::Only(vendors) => vendors.contains(&vendor),
    };
    let pairs = [
        ("alibaba", "ALIBABA_CLOUD_ACCESS_KEY_ID", AK),
        ("alibaba", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", SK),
        ("tencent", "TENCENTCLOUD_SECRET_ID", AK),
        ("tencent", "TENCENTCLOUD_SECRET_KEY", SK),
        ("huawei", "HUAWEICLOUD_SDK_AK", AK),
        ("huawei", "HUAWEICLOUD_SDK_SK", SK),
        ("azure", "AZURE_ACCESS_TOKEN", TOKEN),
    ];
    for (vendor, name, value) in pairs {
        if has(vendor) {
            command.env(name, value);
        }
    }
    tokio::task::spawn_blocking(move || command.output().expect("keygate runs"))
        .await
        .expect("the run finishes")
}

/// `keygate keys <command>` with every vendor's credentials.
async fn run(mock: &MockServer, command: Vec<&str>) -> Output {
    keygate(mock, Credentials::All, &command).await
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// Succeeded, and printed JSON.
fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn args<'a>(
    command: &[&'a str],
    vendor: &'a str,
    scope: &[&'a str],
    more: &[&'a str],
) -> Vec<&'a str> {
    let mut all = command.to_vec();
    all.extend(["--vendor", vendor]);
    all.extend(scope);
    all.extend(more);
    all
}

fn string(value: &Value) -> String {
    value.as_str().expect("a string").to_owned()
}

#[tokio::test]
async fn every_vendor_key_lives_through_the_cli_and_no_secret_leaks() {
    let mock = mock().await;
    for (vendor, scope) in VENDORS {
        let mut secrets = Vec::new();
        let mut quiet = Vec::new();

        let listed = json(
            &run(
                &mock,
                args(&["list", "--output", "json"], vendor, scope, &[]),
            )
            .await,
        );
        let before = listed.as_array().expect("a list").len();
        quiet.push(text(
            &run(&mock, args(&["list"], vendor, scope, &[])).await.stdout,
        ));

        let more: &[&str] = match vendor {
            "azure" => &["--id", "cli-sub"],
            _ => &[],
        };
        let created = json(
            &run(
                &mock,
                args(
                    &[
                        "create",
                        "--name",
                        "cli",
                        "--output",
                        "json",
                        "--show-secret",
                    ],
                    vendor,
                    scope,
                    more,
                ),
            )
            .await,
        );
        assert_eq!(created["vendor"], vendor);
        assert_eq!(created["name"], "cli");
        let id = string(&created["id"]);
        secrets.push(string(&created["secret"]));
        if vendor == "azure" {
            secrets.push(string(&created["secondary_secret"]));
        }

        let shown = run(&mock, args(&["show", &id], vendor, scope, &[])).await;
        assert!(shown.status.success(), "{}", text(&shown.stderr));
        assert!(text(&shown.stdout).starts_with("VENDOR"), "a table");
        assert!(text(&shown.stdout).contains(&id));
        quiet.push(text(&shown.stdout));

        let listed = json(
            &run(
                &mock,
                args(&["list", "--output", "json"], vendor, scope, &[]),
            )
            .await,
        );
        assert_eq!(listed.as_array().expect("a list").len(), before + 1);

        let slot: &[&str] = match vendor {
            "azure" => &["--slot", "primary"],
            _ => &[],
        };
        let rotated = json(
            &run(
                &mock,
                args(
                    &["rotate", &id, "--output", "json", "--show-secret"],
                    vendor,
                    scope,
                    slot,
                ),
            )
            .await,
        );
        let key = &rotated["key"];
        let new_value = string(&key["secret"]);
        assert_ne!(new_value, secrets[0], "{vendor}: the old value is replaced");
        let current = string(&key["id"]);
        match vendor {
            "azure" => {
                assert_eq!(rotated["slot"], "primary");
                assert_eq!(
                    string(&key["secondary_secret"]),
                    secrets[1],
                    "the other slot still works"
                );
            }
            "huawei" => {
                assert_eq!(rotated["replaced"], id.as_str());
                let old = run(&mock, args(&["show", &id], vendor, scope, &[])).await;
                assert_eq!(old.status.code(), Some(1), "the old key is gone");
                assert!(
                    text(&old.stderr).contains("HTTP 404"),
                    "{}",
                    text(&old.stderr)
                );
            }
            "tencent" => {
                assert_eq!(current, id, "the same secretId");
                // DescribeApiKey answers the key in force: the old value is no longer it.
                let shown = json(
                    &run(
                        &mock,
                        args(
                            &["show", &id, "--output", "json", "--show-secret"],
                            vendor,
                            scope,
                            &[],
                        ),
                    )
                    .await,
                );
                assert_eq!(shown["secret"], new_value.as_str());
            }
            _ => assert_eq!(current, id, "the same secret, a new value"),
        }
        secrets.push(new_value);

        // Without --show-secret: no value, in JSON either.
        let rotated_quietly = run(
            &mock,
            args(
                &["rotate", &current, "--output", "json"],
                vendor,
                scope,
                slot,
            ),
        )
        .await;
        let again = json(&rotated_quietly);
        assert_eq!(again["key"].get("secret"), None, "{again}");
        let current = string(&again["key"]["id"]);
        quiet.push(text(&rotated_quietly.stdout));

        let revoked = run(&mock, args(&["revoke", &current], vendor, scope, &[])).await;
        assert!(revoked.status.success(), "{}", text(&revoked.stderr));
        assert_eq!(
            text(&revoked.stdout),
            format!("revoked {vendor} key {current}\n")
        );
        let gone = run(&mock, args(&["show", &current], vendor, scope, &[])).await;
        assert_eq!(
            gone.status.code(),
            Some(1),
            "{vendor}: not found is a service error"
        );
        let stderr = text(&gone.stderr);
        assert!(
            stderr.starts_with(&format!("keygate: {vendor} ")),
            "{stderr}"
        );
        assert!(stderr.contains("failed: "), "the vendor's code: {stderr}");
        quiet.push(stderr);

        for output in &quiet {
            for secret in &secrets {
                assert!(
                    !output.contains(secret.as_str()),
                    "{vendor} printed a key value: {output}"
                );
            }
        }
    }
}

#[tokio::test]
async fn bad_usage_exits_2_and_service_errors_exit_1() {
    let mock = mock().await;
    let (_, huawei_scope) = VENDORS[2];

    let unknown_vendor = keygate(&mock, Credentials::All, &["list", "--vendor", "aws"]).await;
    assert_eq!(unknown_vendor.status.code(), Some(2));

    let no_app = keygate(
        &mock,
        Credentials::All,
        &[
            "list",
            "--vendor",
            "huawei",
            "--project-id",
            "p",
            "--instance-id",
            "i",
        ],
    )
    .await;
    assert_eq!(no_app.status.code(), Some(2));
    assert_eq!(text(&no_app.stderr), "keygate: huawei keys need --app-id\n");

    let no_credentials = keygate(
        &mock,
        Credentials::Only(&[]),
        &args(&["list"], "huawei", huawei_scope, &[]),
    )
    .await;
    assert_eq!(no_credentials.status.code(), Some(2));
    assert!(text(&no_credentials.stderr).contains("HUAWEICLOUD_SDK_AK"));

    let azure_without_slot = keygate(
        &mock,
        Credentials::All,
        &args(
            &["rotate", "5931a769d8d14f0ad8ce13b8"],
            "azure",
            VENDORS[3].1,
            &[],
        ),
    )
    .await;
    assert_eq!(azure_without_slot.status.code(), Some(2));
    assert!(text(&azure_without_slot.stderr).contains("say which to rotate"));

    let missing = keygate(
        &mock,
        Credentials::All,
        &args(
            &["show", "0123456789abcdef0123456789abcdef"],
            "huawei",
            huawei_scope,
            &[],
        ),
    )
    .await;
    assert_eq!(missing.status.code(), Some(1));
    let stderr = text(&missing.stderr);
    assert!(
        stderr.contains("huawei ShowDetailsOfAiApiKey failed: APIG."),
        "{stderr}"
    );
    assert!(missing.stdout.is_empty());
}

#[tokio::test]
async fn all_vendors_lists_the_vendors_that_have_credentials() {
    let mock = mock().await;
    let mut flags = vec!["list", "--all-vendors", "--output", "json"];
    flags.extend(VENDORS[2].1);
    flags.extend(VENDORS[3].1);
    let output = keygate(&mock, Credentials::Only(&["huawei", "azure"]), &flags).await;
    let keys = json(&output);
    let vendors: std::collections::BTreeSet<&str> = keys
        .as_array()
        .expect("a list")
        .iter()
        .map(|key| key["vendor"].as_str().expect("a vendor"))
        .collect();
    assert_eq!(vendors.into_iter().collect::<Vec<_>>(), ["azure", "huawei"]);
    // No terminal here: no spinner either.
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));

    let none = keygate(&mock, Credentials::Only(&[]), &["list", "--all-vendors"]).await;
    assert_eq!(none.status.code(), Some(2));
}

#[tokio::test]
async fn listings_print_documented_samples_as_a_table_without_values() {
    let mock = mock().await;
    let (vendor, scope) = VENDORS[2];
    let output = keygate(
        &mock,
        Credentials::All,
        &args(&["list"], vendor, scope, &[]),
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let table = text(&output.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines.len(),
        3,
        "a header and the two documented keys: {table}"
    );
    assert!(lines[0].starts_with("VENDOR  ID"), "{table}");
    assert!(
        lines[1].contains("test1") && lines[1].contains("2020-07-24T02:37:24Z"),
        "{table}"
    );
    assert!(
        !table.contains("GjOD3g80"),
        "no key value, even masked: {table}"
    );
}
