//! Loading the OpenAPI documents: the embedded ones, plus any given with `--spec`.

mod embedded;
pub(crate) mod extensions;
pub(crate) mod raw;
pub(crate) mod refs;
pub(crate) mod schema;

use std::borrow::Cow;
use std::path::Path;

use openapiv3::OpenAPI;

use crate::error::{SpecError, invalid};
use extensions::ServiceExt;

/// One OpenAPI 3.0 document to serve, as text.
#[derive(Debug, Clone)]
pub struct SpecSource {
    name: String,
    text: Cow<'static, str>,
}

impl SpecSource {
    /// A spec held in memory; `name` appears in error messages.
    pub fn from_text(name: impl Into<String>, text: impl Into<Cow<'static, str>>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Reads a spec file (YAML or JSON).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
            path: path.to_owned(),
            source,
        })?;
        Ok(Self::from_text(path.display().to_string(), text))
    }

    /// The four specs of the project's `spec/` folder, compiled into the crate.
    pub fn embedded() -> Vec<Self> {
        embedded::sources()
    }

    /// The name used in messages (file name or path).
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A parsed spec with its `x-keygate` extension.
#[derive(Debug)]
pub(crate) struct LoadedSpec {
    /// File name, for messages.
    pub(crate) name: String,
    /// The document.
    pub(crate) doc: OpenAPI,
    /// Root `x-keygate`.
    pub(crate) ext: ServiceExt,
    /// The document as YAML values: unlike `serde_json::Value` these keep each mapping's
    /// key order, so bodies are served in the order the spec (and the vendor's doc) shows.
    pub(crate) raw: serde_yaml::Value,
}

impl LoadedSpec {
    fn parse(source: &SpecSource) -> Result<Self, SpecError> {
        let parse_error = |e: serde_yaml::Error| SpecError::Parse {
            spec: source.name.clone(),
            message: e.to_string(),
        };
        let raw: serde_yaml::Value = serde_yaml::from_str(&source.text).map_err(parse_error)?;
        let doc: OpenAPI = serde_yaml::from_value(raw.clone()).map_err(parse_error)?;
        if !doc.openapi.starts_with("3.0") {
            return Err(SpecError::Parse {
                spec: source.name.clone(),
                message: format!("openapi {} is not 3.0.x", doc.openapi),
            });
        }
        let ext = extensions::read::<ServiceExt>(doc.extensions.get("x-keygate"), "x-keygate")
            .map_err(|m| invalid(&source.name, "x-keygate", m))?
            .ok_or_else(|| {
                invalid(
                    &source.name,
                    "root",
                    "x-keygate (with at least `vendor`) is required",
                )
            })?;
        Ok(Self {
            name: source.name.clone(),
            doc,
            ext,
            raw,
        })
    }
}

/// Parses `base` then `extra`; an extra spec replaces the base spec of the same vendor and is
/// otherwise added. Two extra specs for one vendor are an error.
pub(crate) fn load(
    base: &[SpecSource],
    extra: &[SpecSource],
) -> Result<Vec<LoadedSpec>, SpecError> {
    let mut specs: Vec<LoadedSpec> = base
        .iter()
        .map(LoadedSpec::parse)
        .collect::<Result<_, _>>()?;
    check_distinct_vendors(&specs)?;
    let extra: Vec<LoadedSpec> = extra
        .iter()
        .map(LoadedSpec::parse)
        .collect::<Result<_, _>>()?;
    check_distinct_vendors(&extra)?;
    for spec in extra {
        match specs.iter().position(|s| s.ext.vendor == spec.ext.vendor) {
            Some(i) => specs[i] = spec,
            None => specs.push(spec),
        }
    }
    Ok(specs)
}

fn check_distinct_vendors(specs: &[LoadedSpec]) -> Result<(), SpecError> {
    for (i, a) in specs.iter().enumerate() {
        if let Some(b) = specs[i + 1..].iter().find(|b| b.ext.vendor == a.ext.vendor) {
            return Err(SpecError::DuplicateVendor {
                vendor: a.ext.vendor.clone(),
                first: a.name.clone(),
                second: b.name.clone(),
            });
        }
    }
    Ok(())
}
