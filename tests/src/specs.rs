//! The spec files of `spec/`, read from disk (so that an edit shows up in the next test run)
//! through keygate-spec, the one reader every crate uses.

use std::path::{Path, PathBuf};

use keygate_spec::ext::ErrorFields;
use keygate_spec::{Spec, SpecSource};
use serde_json::Value;

/// One vendor's spec file: parsed by keygate-spec, and as plain JSON for walking.
pub struct SpecFile {
    /// File name inside `spec/`, for messages.
    pub file_name: String,
    /// The parsed spec (typed document, typed `x-keygate`).
    pub spec: Spec,
    /// The typed document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as JSON, where `$ref`s are resolved by pointer.
    pub json: Value,
}

impl SpecFile {
    /// Follows `$ref`s (local ones only, as the specs use) until a non-reference value; a
    /// reference that cannot be followed fails the test, naming the file.
    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        keygate_spec::refs::resolve(&self.json, value)
            .unwrap_or_else(|e| panic!("{}: {e}", self.file_name))
    }

    /// `x-keygate.vendor`.
    pub fn vendor(&self) -> &str {
        self.spec.vendor()
    }

    /// `x-keygate.errorFields`, which every keygate spec declares.
    pub fn error_fields(&self) -> &ErrorFields {
        self.spec
            .keygate
            .error_fields
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no x-keygate.errorFields", self.file_name))
    }

    /// Status and code (as text) of the vendor's `x-keygate.errors` template `kind`.
    pub fn error_template(&self, kind: &str) -> (u16, String) {
        let template = self
            .spec
            .keygate
            .errors
            .get(kind)
            .unwrap_or_else(|| panic!("{}: no error template {kind}", self.file_name));
        let code = self.error_fields().code_of(&template.body);
        (template.status, code.unwrap_or_default())
    }

    /// True when a documented answer is an error: a non-2xx status, or a 2xx body whose code
    /// is not the vendor's success code (Tencent answers errors with HTTP 200).
    pub fn is_error(&self, status: &str, body: &Value) -> bool {
        self.error_fields().is_error(status, body)
    }

    /// The error code (as text) in an error body of this vendor.
    pub fn error_code_of(&self, body: &Value) -> Option<String> {
        self.error_fields().code_of(body)
    }
}

/// The `spec/` directory of the workspace.
pub fn spec_dir() -> PathBuf {
    keygate_spec::spec_dir().to_path_buf()
}

/// Every spec of `spec/`, loaded once per test process.
pub fn all() -> &'static [SpecFile] {
    static ALL: std::sync::OnceLock<Vec<SpecFile>> = std::sync::OnceLock::new();
    ALL.get_or_init(load_all)
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
    let source = SpecSource::from_path(path).unwrap_or_else(|e| panic!("{e}"));
    let spec = Spec::parse(&source).unwrap_or_else(|e| panic!("{e}"));
    SpecFile {
        file_name: path.file_name().unwrap().to_string_lossy().into_owned(),
        openapi: spec.openapi.clone(),
        json: spec.json(),
        spec,
    }
}

/// The spec of `vendor` (its `x-keygate.vendor`).
pub fn for_vendor(vendor: &str) -> &'static SpecFile {
    all()
        .iter()
        .find(|spec| spec.vendor() == vendor)
        .unwrap_or_else(|| panic!("no spec for vendor {vendor}"))
}
