//! The spec files of `spec/`, read from disk so that an edit shows up in the next test run.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// One vendor's spec file, parsed twice: as typed OpenAPI and as plain JSON for walking.
pub struct SpecFile {
    /// File name inside `spec/`, for messages.
    pub file_name: String,
    /// The typed document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as JSON, where `$ref`s are resolved by pointer.
    pub json: Value,
}

impl SpecFile {
    /// Follows `$ref`s (local ones only, as the specs use) until a non-reference value.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{}: non-local $ref {reference}", self.file_name));
            value = self
                .json
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{}: dangling $ref {reference}", self.file_name));
        }
        value
    }
}

/// The `spec/` directory of the workspace.
pub fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// Loads every `*.yaml` file of `spec/`, sorted by name; panics with the file name on a parse error.
pub fn load_all() -> Vec<SpecFile> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(spec_dir())
        .expect("spec/ is readable")
        .map(|entry| entry.expect("spec/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    paths.iter().map(|path| load(path)).collect()
}

/// Loads one spec file.
pub fn load(path: &Path) -> SpecFile {
    let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{file_name}: {e}"));
    let openapi = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{file_name} is not OpenAPI 3.0 as openapiv3 reads it: {e}"));
    let json = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{file_name}: {e}"));
    SpecFile {
        file_name,
        openapi,
        json,
    }
}

/// The spec of `vendor` (its `x-keygate.vendor`).
pub fn for_vendor(vendor: &str) -> SpecFile {
    load_all()
        .into_iter()
        .find(|spec| {
            spec.json
                .pointer("/x-keygate/vendor")
                .and_then(Value::as_str)
                == Some(vendor)
        })
        .unwrap_or_else(|| panic!("no spec for vendor {vendor}"))
}

impl SpecFile {
    /// Status and code (as text) of the vendor's `x-keygate.errors` template `kind`.
    pub fn error_template(&self, kind: &str) -> (u16, String) {
        let template = self
            .json
            .pointer(&format!("/x-keygate/errors/{kind}"))
            .unwrap_or_else(|| panic!("{}: no error template {kind}", self.file_name));
        let code_pointer = self
            .json
            .pointer("/x-keygate/errorFields/code")
            .and_then(Value::as_str)
            .expect("x-keygate.errorFields.code");
        let status = template["status"].as_u64().expect("template status") as u16;
        let code = template["body"]
            .pointer(code_pointer)
            .map(crate::cases::plain_text);
        (status, code.unwrap_or_default())
    }

    /// True when a documented answer is an error: a non-2xx status, or a 2xx body whose code
    /// is not the vendor's success code (Tencent answers errors with HTTP 200).
    pub fn is_error(&self, status: &str, body: &Value) -> bool {
        let fields = self.json.pointer("/x-keygate/errorFields");
        let ok_code = fields.and_then(|f| f.get("okCode"));
        let code_pointer = fields.and_then(|f| f.get("code")).and_then(Value::as_str);
        !status.starts_with('2')
            || ok_code.is_some_and(|ok| code_pointer.and_then(|p| body.pointer(p)) != Some(ok))
    }

    /// The error code (as text) in an error body of this vendor.
    pub fn error_code_of(&self, body: &Value) -> Option<String> {
        let pointer = self.json.pointer("/x-keygate/errorFields/code")?.as_str()?;
        body.pointer(pointer).map(crate::cases::plain_text)
    }
}
