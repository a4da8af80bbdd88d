//! The `keygate-mock` binary: starts, serves, logs without secrets, stops on SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use crate::common::{HUAWEI_PATH, client};

const BIN: &str = env!("CARGO_BIN_EXE_keygate-mock");

/// The URL of the ready line, the first on stdout (piped): it says the mock is serving.
fn listening_url(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("line");
    line.strip_prefix("keygate-mock listening on ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_binary_serves_and_stops_gracefully_on_sigterm() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--log-format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let url = listening_url(&mut child);

    let huawei = client()
        .get(format!("{url}{HUAWEI_PATH}"))
        .header("X-Auth-Token", "token-value-1234")
        .send()
        .await
        .expect("sent");
    assert_eq!(huawei.status(), 200);
    let secret_query = "Action=DescribeApiKeysStatus&Region=gz&SecretId=AKIDsecretish&Signature=sig-value-5678&Nonce=1&Timestamp=1";
    let tencent = client()
        .get(format!("{url}/v2/index.php?{secret_query}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(tencent.status(), 200);

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let status = child.wait().expect("exit");
    assert!(status.success(), "{status}");

    let mut logs = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut logs)
        .expect("logs");
    let request_lines: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("keygate_mock::request"))
        .collect();
    assert_eq!(request_lines.len(), 2, "{logs}");
    assert!(
        request_lines[0].contains("\"operation\":\"ListAiApiKeys\"")
            && request_lines[0].contains("\"status\":200"),
        "{logs}"
    );
    for secret in ["token-value-1234", "sig-value-5678", "AKIDsecretish"] {
        assert!(!logs.contains(secret), "log leaks {secret}: {logs}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_binary_serves_a_plain_spec_next_to_the_embedded_vendors() {
    // As a user runs it, from the workspace root.
    let workspace = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut child = Command::new(BIN)
        .current_dir(workspace)
        .args([
            "--port",
            "0",
            "--spec",
            "mock-server/tests/fixtures/petstore-fixture.yaml",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let url = listening_url(&mut child);
    let pets = client()
        .get(format!("{url}/pets/7"))
        .send()
        .await
        .expect("sent");
    let pets_status = pets.status().as_u16();
    let pet: serde_json::Value = pets.json().await.expect("JSON");
    let invalid = client()
        .get(format!("{url}/pets?limit=many"))
        .send()
        .await
        .expect("sent");
    let invalid_type = invalid.headers()["content-type"].clone();
    let huawei = client()
        .get(format!("{url}{HUAWEI_PATH}"))
        .header("X-Auth-Token", "t")
        .send()
        .await
        .expect("sent");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!((pets_status, pet["name"].as_str()), (200, Some("Rex")));
    assert_eq!(
        (invalid.status().as_u16(), invalid_type.to_str().ok()),
        (422, Some("application/problem+json"))
    );
    assert_eq!(huawei.status(), 200);
}

#[test]
fn check_lists_every_operation_and_exits_zero() {
    let output = Command::new(BIN).arg("--check").output().expect("run");
    assert!(output.status.success());
    let listed = String::from_utf8_lossy(&output.stdout);
    for op in [
        "CreateSecret",
        "ListSecretReferences",
        "DescribeApiKeysStatus",
        "ListAiApiKeys",
        "Subscription_ListSecrets",
    ] {
        assert!(listed.contains(op), "{listed}");
    }
}

#[test]
fn a_spec_with_a_response_without_example_is_refused_at_start() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
x-keygate: {vendor: example}
paths:
  /things:
    get:
      operationId: ListThings
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {type: object}
"#;
    let path = std::env::temp_dir().join(format!("keygate-mock-bad-{}.yaml", std::process::id()));
    std::fs::write(&path, spec).expect("write");
    let output = Command::new(BIN)
        .arg("--check")
        .arg("--spec")
        .arg(&path)
        .output()
        .expect("run");
    let _ = std::fs::remove_file(&path);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("ListThings response 200 (application/json) has no example"),
        "{message}"
    );
}

#[test]
fn an_ambiguous_route_is_refused_at_start() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
x-keygate: {vendor: example}
paths:
  /things/{a}:
    get:
      operationId: One
      parameters: [{name: a, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: none}}
  /things/{b}:
    get:
      operationId: Two
      parameters: [{name: b, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: none}}
"#;
    let path = std::env::temp_dir().join(format!(
        "keygate-mock-ambiguous-{}.yaml",
        std::process::id()
    ));
    std::fs::write(&path, spec).expect("write");
    let output = Command::new(BIN)
        .arg("--check")
        .arg("--spec")
        .arg(&path)
        .output()
        .expect("run");
    let _ = std::fs::remove_file(&path);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("ambiguous route")
            && message.contains("(One)")
            && message.contains("(Two)"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fault_rules_from_the_command_line_apply_then_run_out() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--auth", "off"])
        .args(["--fault", "op=ListAiApiKeys,error=throttled,times=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let url = listening_url(&mut child);
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let response = client()
            .get(format!("{url}{HUAWEI_PATH}"))
            .send()
            .await
            .expect("sent");
        statuses.push(response.status().as_u16());
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(statuses, [429, 200]);
}

#[test]
fn a_fault_rule_naming_no_served_operation_is_refused_at_start() {
    let output = Command::new(BIN)
        .args(["--check", "--fault", "op=NoSuchOperation,drop"])
        .output()
        .expect("run");
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("no operation served matches it"),
        "{message}"
    );
}

#[test]
fn a_malformed_credential_is_refused_without_showing_its_secret() {
    for (how, value) in [
        ("argument", "huawei:TOPSECRET"),
        ("environment", "TOPSECRET"),
        ("argument", "alibaba::TOPSECRET"),
    ] {
        let mut command = Command::new(BIN);
        command
            .arg("--check")
            .env_remove("KEYGATE_MOCK_CREDENTIALS");
        match how {
            "argument" => command.args(["--credential", value]),
            _ => command.env("KEYGATE_MOCK_CREDENTIALS", value),
        };
        let output = command.output().expect("run");
        assert!(!output.status.success(), "{value} was accepted");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains("credential 1"), "{message}");
        assert!(message.contains("vendor:access-key-id:secret"), "{message}");
        assert!(!message.contains("TOPSECRET"), "{how}: {message}");
    }
}

#[test]
fn a_malformed_state_url_is_refused_without_showing_its_password() {
    for (how, value) in [
        ("argument", "redis:/user:STATEPASSWORD@127.0.0.1:6379/0"),
        ("environment", "redis//:STATEPASSWORD@127.0.0.1"),
    ] {
        let mut command = Command::new(BIN);
        command.arg("--check").env_remove("KEYGATE_MOCK_STATE");
        match how {
            "argument" => command.args(["--state", value]),
            _ => command.env("KEYGATE_MOCK_STATE", value),
        };
        let output = command.output().expect("run");
        assert!(!output.status.success(), "{value} was accepted");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains("--state"), "{message}");
        assert!(message.contains("redis://HOST:PORT/DB"), "{message}");
        assert!(!message.contains("STATEPASSWORD"), "{how}: {message}");
    }
    let help = Command::new(BIN)
        .arg("--help")
        .env("KEYGATE_MOCK_STATE", "redis://:STATEPASSWORD@127.0.0.1:1/0")
        .env("KEYGATE_MOCK_ADMIN_TOKEN", "ADMINTOKEN")
        .output()
        .expect("run");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--state-namespace"), "{help}");
    assert!(
        !help.contains("STATEPASSWORD") && !help.contains("ADMINTOKEN"),
        "{help}"
    );
}

#[test]
fn the_ready_line_names_the_state_without_the_password() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--state-namespace", "ci-shard-1"])
        // Nothing listens on port 1: Redis is connected on first use, so the mock starts.
        .env("KEYGATE_MOCK_STATE", "redis://:STATEPASSWORD@127.0.0.1:1/0")
        .env("KEYGATE_MOCK_ADMIN_TOKEN", "ADMINTOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("line");
    let _ = child.kill();
    let _ = child.wait();
    let mut logs = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut logs)
        .expect("logs");
    assert!(line.starts_with("keygate-mock listening on "), "{line}");
    assert!(
        line.contains("state: redis redis://:***@127.0.0.1:1/0 (namespace ci-shard-1)"),
        "{line}"
    );
    for secret in ["STATEPASSWORD", "ADMINTOKEN"] {
        assert!(
            !line.contains(secret) && !logs.contains(secret),
            "{line}{logs}"
        );
    }
}

#[test]
fn check_says_which_operations_keep_state() {
    let output = Command::new(BIN)
        .arg("--check")
        .env_remove("KEYGATE_MOCK_STATE")
        .output()
        .expect("run");
    assert!(output.status.success());
    let listed = String::from_utf8_lossy(&output.stdout);
    assert!(
        listed.contains("huawei\tCreateAiApiKey\tai-api-key:create\n"),
        "{listed}"
    );
    assert!(
        listed.contains("alibaba\tListSecretReferences\n"),
        "{listed}"
    );
    assert!(
        listed.contains("state: memory; stateful resources: ")
            && listed.contains("huawei/ai-api-key"),
        "{listed}"
    );
    let off = Command::new(BIN)
        .args(["--check", "--state", "off"])
        .output()
        .expect("run");
    let listed = String::from_utf8_lossy(&off.stdout);
    assert!(listed.contains("huawei\tCreateAiApiKey\n"), "{listed}");
    assert!(listed.contains("state: off"), "{listed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn tls_serves_https_and_names_the_certificate_file_in_the_ready_line() {
    let mut child = Command::new(BIN)
        .args(["--tls", "--port", "0", "--auth", "off"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("line");
    let url = line
        .strip_prefix("keygate-mock listening on ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{line}");
    let path = line
        .trim_end()
        .split_once("; certificate: ")
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no certificate in {line:?}"))
        .to_owned();
    let pem = std::fs::read_to_string(&path).expect("the certificate file exists");
    assert!(
        pem.starts_with("-----BEGIN CERTIFICATE-----") && !pem.contains("PRIVATE KEY"),
        "{pem}"
    );

    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).expect("PEM"))
        .build()
        .expect("client");
    let response = client
        .get(format!("{url}{HUAWEI_PATH}"))
        .send()
        .await
        .expect("answered over HTTPS");
    assert_eq!(response.status(), 200);

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    assert!(child.wait().expect("exit").success());
    assert!(
        !std::path::Path::new(&path).exists(),
        "the certificate file is removed at exit"
    );
}

#[test]
fn unusable_tls_files_are_refused_at_start_with_a_clear_message() {
    let garbage =
        std::env::temp_dir().join(format!("keygate-mock-garbage-{}.pem", std::process::id()));
    std::fs::write(&garbage, "this is not a certificate\n").expect("write");
    let output = Command::new(BIN)
        .args(["--port", "0", "--tls-cert"])
        .arg(&garbage)
        .arg("--tls-key")
        .arg(&garbage)
        .output()
        .expect("run");
    let _ = std::fs::remove_file(&garbage);
    assert_eq!(output.status.code(), Some(1), "{:?}", output.status);
    assert!(output.stdout.is_empty(), "no ready line");
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("keygate-mock: TLS: ")
            && message.contains(&garbage.display().to_string())
            && message.contains("holds no certificate"),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");

    // One file without the other is a usage error.
    let output = Command::new(BIN)
        .args(["--check", "--tls-cert", "cert.pem"])
        .env_remove("KEYGATE_MOCK_TLS_KEY")
        .output()
        .expect("run");
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("--tls-key"), "{message}");
}

#[test]
fn max_connections_is_documented_and_zero_is_refused() {
    let help = Command::new(BIN).arg("--help").output().expect("run");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("--max-connections <N>") && help.contains("[default: 1024]"),
        "{help}"
    );
    let zero = Command::new(BIN)
        .args(["--max-connections", "0", "--check"])
        .output()
        .expect("run");
    assert!(!zero.status.success());
    assert!(
        String::from_utf8_lossy(&zero.stderr).contains("--max-connections"),
        "{}",
        String::from_utf8_lossy(&zero.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_binary_serves_past_its_connection_cap_once_a_slot_frees() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--auth", "off", "--max-connections", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let url = listening_url(&mut child);
    // reqwest keeps its connection open after the answer: it holds the only slot.
    let first = client();
    let one = first.get(format!("{url}{HUAWEI_PATH}")).send().await;
    let one = match one {
        Ok(response) => Ok((response.status(), response.bytes().await.is_ok())),
        Err(error) => Err(error),
    };
    // A second client's request waits until the first client's connection goes.
    let second = tokio::spawn(client().get(format!("{url}{HUAWEI_PATH}")).send());
    drop(first);
    let two = second.await.expect("task");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(one.expect("sent").0, 200);
    assert_eq!(two.expect("sent").status(), 200);
}
