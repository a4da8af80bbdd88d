//! The defaults for an OpenAPI file without `x-keygate` (`plain.yaml`).

use super::ServiceExt;

/// `plain.yaml`, with `vendor` still to fill.
const DEFAULTS: &str = include_str!("plain.yaml");

impl ServiceExt {
    /// What a spec without `x-keygate` is served with: problem+json errors, a request id in
    /// `X-Request-Id`, and `vendor` as the vendor's name.
    pub fn plain(vendor: &str) -> Self {
        serde_yaml::from_value(Self::plain_yaml(vendor)).expect("plain.yaml is a valid x-keygate")
    }

    /// The same defaults, as ordered YAML (for serving their bodies in the order written).
    pub fn plain_yaml(vendor: &str) -> serde_yaml::Value {
        let mut document: serde_yaml::Mapping =
            serde_yaml::from_str(DEFAULTS).expect("plain.yaml is valid YAML");
        document.insert("vendor".into(), vendor.into());
        document.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_name_the_vendor() {
        let ext = ServiceExt::plain("petstore");
        assert_eq!(ext.vendor, "petstore");
        assert_eq!(ext.errors["invalid-parameter"].status, 422);
        assert!(ext.error_fields.is_some() && ext.request_id.is_some());
    }
}
