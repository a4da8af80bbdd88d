//! A parsed spec: the typed OpenAPI document, its ordered YAML, and its `x-keygate`.

use openapiv3::OpenAPI;

use crate::error::{SpecError, invalid};
use crate::ext::ServiceExt;
use crate::refs;
use crate::source::SpecSource;

/// One spec, parsed once for every reader.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The source's name (file name or path), for messages.
    pub name: String,
    /// The typed document.
    pub openapi: OpenAPI,
    /// The document as ordered YAML values: unlike JSON maps these keep each mapping's key
    /// order, so bodies can be served in the order the spec (and the vendor's doc) shows.
    pub yaml: serde_yaml::Value,
    /// Root `x-keygate`, or the defaults for a spec without one ([`ServiceExt::plain`]).
    pub keygate: ServiceExt,
    /// The `x-keygate` object as ordered YAML (the defaults' for a spec without one).
    pub keygate_yaml: serde_yaml::Value,
    /// Whether the spec declares `x-keygate` (`false`: a plain OpenAPI file, served with
    /// defaults).
    pub declared: bool,
}

impl Spec {
    /// Parses `source`; refuses anything but OpenAPI 3.0.x and a malformed `x-keygate`.
    pub fn parse(source: &SpecSource) -> Result<Self, SpecError> {
        let name = source.name().to_owned();
        let parse_error = |e: serde_yaml::Error| SpecError::Parse {
            spec: name.clone(),
            message: e.to_string(),
        };
        let yaml: serde_yaml::Value = serde_yaml::from_str(source.text()).map_err(parse_error)?;
        let openapi: OpenAPI = serde_yaml::from_value(yaml.clone()).map_err(parse_error)?;
        if !openapi.openapi.starts_with("3.0") {
            return Err(SpecError::Parse {
                spec: name,
                message: format!("openapi {} is not 3.0.x", openapi.openapi),
            });
        }
        let declared =
            ServiceExt::read(&openapi.extensions).map_err(|m| invalid(&name, "x-keygate", m))?;
        let (keygate, keygate_yaml, declared) = match declared {
            Some(ext) => (ext, yaml["x-keygate"].clone(), true),
            None => (
                ServiceExt::plain(source.stem()),
                ServiceExt::plain_yaml(source.stem()),
                false,
            ),
        };
        Ok(Self {
            name,
            openapi,
            yaml,
            keygate,
            keygate_yaml,
            declared,
        })
    }

    /// Parses every source, refusing two specs of one vendor.
    pub fn parse_all(sources: &[SpecSource]) -> Result<Vec<Self>, SpecError> {
        let specs: Vec<Self> = sources.iter().map(Self::parse).collect::<Result<_, _>>()?;
        check_distinct_vendors(&specs)?;
        Ok(specs)
    }

    /// The project's own specs, compiled in.
    pub fn embedded() -> Result<Vec<Self>, SpecError> {
        Self::parse_all(&SpecSource::embedded())
    }

    /// `x-keygate.vendor`, or the file's name for a plain spec.
    pub fn vendor(&self) -> &str {
        &self.keygate.vendor
    }

    /// The document as JSON values (for walking with JSON pointers; maps lose YAML order).
    pub fn json(&self) -> serde_json::Value {
        serde_yaml::from_value(self.yaml.clone()).unwrap_or_default()
    }

    /// The ordered YAML of `x-keygate.errors.<kind>.body`.
    pub fn error_template_body(&self, kind: &str) -> Option<&serde_yaml::Value> {
        refs::walk(&self.yaml, &self.keygate_yaml, &["errors", kind, "body"])
    }
}

/// Fails when two specs declare the same vendor.
pub fn check_distinct_vendors(specs: &[Spec]) -> Result<(), SpecError> {
    for (i, a) in specs.iter().enumerate() {
        if let Some(b) = specs[i + 1..].iter().find(|b| b.vendor() == a.vendor()) {
            return Err(SpecError::DuplicateVendor {
                vendor: a.vendor().to_owned(),
                first: a.name.clone(),
                second: b.name.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    #[test]
    fn a_plain_spec_gets_the_defaults_and_its_file_name_as_vendor() {
        let spec = Spec::parse(&SpecSource::from_text("fixtures/petstore.yaml", PLAIN)).unwrap();
        assert!(!spec.declared);
        assert_eq!(spec.vendor(), "petstore");
        let body = spec.error_template_body("invalid-parameter").unwrap();
        assert_eq!(body["status"], serde_yaml::Value::from(422));
    }

    #[test]
    fn swagger_and_3_1_are_refused() {
        let v31 = PLAIN.replace("3.0.3", "3.1.0");
        assert!(Spec::parse(&SpecSource::from_text("a.yaml", v31)).is_err());
        let swagger = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert!(Spec::parse(&SpecSource::from_text("a.yaml", swagger)).is_err());
    }

    #[test]
    fn the_embedded_specs_parse_with_distinct_declared_vendors() {
        let specs = Spec::embedded().unwrap();
        assert!(
            specs.iter().all(|s| s.declared),
            "spec/ holds keygate specs only"
        );
    }
}
