//! The operation tables of README.md and of the SDK's crate docs are written from the specs:
//! a new operation shows in both by itself. The committed tables must be what the specs say
//! today; `KEYGATE_REGENERATE=1 cargo test -p keygate-contract-tests docs_tables` rewrites
//! them.

use std::path::{Path, PathBuf};

use heck::ToSnakeCase as _;
use keygate_contract_tests::examples;
use keygate_contract_tests::specs::{self, SpecFile};
use keygate_spec::ext::OperationExt;

const BEGIN: &str = "<!-- operations: written from spec/ by the contract tests -->";
const END: &str = "<!-- /operations -->";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace")
        .to_path_buf()
}

/// `Huawei Cloud APIG (dedicated gateway) — AI API keys` version `v2` -> `Huawei Cloud APIG
/// (dedicated gateway) v2`.
fn vendor_label(spec: &SpecFile) -> String {
    let title = &spec.openapi.info.title;
    let product = title.split(" — ").next().unwrap_or(title);
    let version = &spec.openapi.info.version;
    if product.contains(version.as_str()) {
        product.to_owned()
    } else {
        format!("{product} {version}")
    }
}

/// How an operation travels: `GET /v1/secrets/{secretId}`, Tencent's actions as a query (or
/// the same as a POST form), long paths shortened to their last segments.
fn wire(spec: &SpecFile, op: &examples::Operation<'_>) -> String {
    let method = op.method.to_uppercase();
    if let Some((path, action)) = op.path.split_once('#') {
        let post = spec
            .spec
            .keygate
            .rpc
            .as_ref()
            .is_some_and(|rpc| rpc.post_form);
        let also = if post { " (or a POST form)" } else { "" };
        return format!("`{method} {path}?{action}`{also}");
    }
    let segments: Vec<&str> = op.path.split('/').collect();
    let path = if op.path.len() > 60 && segments.len() > 5 {
        format!("…/{}", segments[segments.len() - 4..].join("/"))
    } else {
        op.path.to_owned()
    };
    format!("`{method} {path}`")
}

fn retried(op: &examples::Operation<'_>) -> &'static str {
    let ext = OperationExt::read(op.value).expect("readable x-keygate extensions");
    if ext.is_idempotent(op.method) {
        "yes"
    } else {
        "no"
    }
}

/// The README table: every operation of every spec.
fn readme_table(all: &[SpecFile]) -> String {
    let mut out = String::from(
        "| Vendor | Operation | SDK method | Wire | Retried |\n|---|---|---|---|---|\n",
    );
    for spec in all {
        for (i, op) in examples::operations(spec).iter().enumerate() {
            let vendor = if i == 0 {
                vendor_label(spec)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "| {vendor} | {} | `{}::Client::{}` | {} | {} |\n",
                op.id(),
                spec.vendor(),
                snake(op.id()),
                wire(spec, op),
                retried(op)
            ));
        }
    }
    out
}

/// The crate docs' table: each vendor module with its methods and authentication.
fn crate_docs_table(all: &[SpecFile]) -> String {
    let mut out = String::from("| Module | Operations | Authentication |\n|---|---|---|\n");
    for spec in all {
        let methods: Vec<String> = examples::operations(spec)
            .iter()
            .map(|op| format!("`{}`", snake(op.id())))
            .collect();
        let schemes: Vec<&str> = spec
            .openapi
            .components
            .iter()
            .flat_map(|c| c.security_schemes.values())
            .filter_map(|scheme| scheme.as_item())
            .filter_map(|scheme| {
                let extensions = match scheme {
                    openapiv3::SecurityScheme::APIKey { extensions, .. }
                    | openapiv3::SecurityScheme::HTTP { extensions, .. }
                    | openapiv3::SecurityScheme::OAuth2 { extensions, .. }
                    | openapiv3::SecurityScheme::OpenIDConnect { extensions, .. } => extensions,
                };
                let id = keygate_spec::ext::scheme_auth(extensions).ok()??;
                keygate_auth::scheme(&id).map(|s| s.label())
            })
            .collect();
        out.push_str(&format!(
            "| [`{vendor}`] | {} | {} |\n",
            methods.join(", "),
            schemes.join(" or "),
            vendor = spec.vendor()
        ));
    }
    out
}

/// progenitor's method name for an operationId (it snake-cases with heck too).
fn snake(id: &str) -> String {
    id.to_snake_case()
}

/// `text` with the block between the markers replaced by `table`, each line with `prefix`.
fn with_table(text: &str, table: &str, prefix: &str) -> String {
    let begin = format!("{prefix}{BEGIN}\n");
    let end = format!("{prefix}{END}");
    let start = text.find(&begin).expect("the begin marker") + begin.len();
    let stop = text[start..].find(&end).expect("the end marker") + start;
    let body: String = table
        .lines()
        .map(|line| format!("{prefix}{line}").trim_end().to_owned() + "\n")
        .collect();
    format!("{}{body}{}", &text[..start], &text[stop..])
}

fn check(file: &Path, table: &str, prefix: &str) -> Result<(), String> {
    let committed = std::fs::read_to_string(file).expect("readable");
    let wanted = with_table(&committed, table, prefix);
    if committed == wanted {
        return Ok(());
    }
    if std::env::var_os("KEYGATE_REGENERATE").is_some_and(|v| v == "1") {
        std::fs::write(file, wanted).expect("writable");
        return Ok(());
    }
    Err(format!(
        "{}: the operations table is not what the specs say; run \
         `KEYGATE_REGENERATE=1 cargo test -p keygate-contract-tests docs_tables`",
        file.display()
    ))
}

#[test]
fn the_operation_tables_are_written_from_the_specs() {
    let all = specs::all();
    let root = workspace_root();
    let results = [
        check(&root.join("README.md"), &readme_table(all), ""),
        check(&root.join("sdk/src/lib.rs"), &crate_docs_table(all), "//! "),
    ];
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn method_names_follow_progenitor() {
    assert_eq!(
        snake("Subscription_ListSecrets"),
        "subscription_list_secrets"
    );
    assert_eq!(snake("CreateAppCodeAutoV2"), "create_app_code_auto_v2");
    assert_eq!(snake("ShowDetailsOfAiApiKey"), "show_details_of_ai_api_key");
    assert_eq!(snake("GetSecretValue"), "get_secret_value");
}
