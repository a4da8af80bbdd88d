//! The project's own specs, compiled into the crate so the mock needs no files at run time.

use super::SpecSource;

/// `(file name, text)` of every spec under the workspace's `spec/` folder.
const EMBEDDED: [(&str, &str); 4] = [
    (
        "alibaba-apig.yaml",
        include_str!("../../../spec/alibaba-apig.yaml"),
    ),
    (
        "tencent-apigateway.yaml",
        include_str!("../../../spec/tencent-apigateway.yaml"),
    ),
    (
        "huawei-apig.yaml",
        include_str!("../../../spec/huawei-apig.yaml"),
    ),
    (
        "azure-apim.yaml",
        include_str!("../../../spec/azure-apim.yaml"),
    ),
];

/// The embedded specs as sources, in a fixed order.
pub(crate) fn sources() -> Vec<SpecSource> {
    EMBEDDED
        .iter()
        .map(|(name, text)| SpecSource::from_text(*name, *text))
        .collect()
}
