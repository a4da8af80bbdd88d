//! Where spec text comes from: the files of this package (compiled in), a path, or memory.

use std::borrow::Cow;
use std::path::Path;

use crate::error::SpecError;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// One OpenAPI 3.0 document, as text.
#[derive(Debug, Clone)]
pub struct SpecSource {
    name: String,
    text: Cow<'static, str>,
}

impl SpecSource {
    /// A spec held in memory; `name` (a file name or path) appears in error messages, and
    /// names the vendor of a spec without `x-keygate`.
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

    /// Every spec file of the project's `spec/` folder, compiled in, by file name.
    pub fn embedded() -> Vec<Self> {
        EMBEDDED
            .iter()
            .map(|(name, text)| Self::from_text(*name, *text))
            .collect()
    }

    /// The name used in messages (file name or path).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The document's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file name without folders and extension: the vendor of a spec without
    /// `x-keygate` (`petstore.yaml` is vendor `petstore`).
    pub fn stem(&self) -> &str {
        let file = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        [".yaml", ".yml", ".json"]
            .iter()
            .find_map(|ext| file.strip_suffix(ext))
            .unwrap_or(file)
    }
}

/// The directory of the project's spec files (this package's own directory), for tools that
/// read them from disk so that an edit shows without a rebuild.
pub fn spec_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stem_names_a_plain_vendor() {
        assert_eq!(
            SpecSource::from_text("a/b/petstore.yaml", "").stem(),
            "petstore"
        );
        assert_eq!(SpecSource::from_text("x.json", "").stem(), "x");
        assert_eq!(SpecSource::from_text("noext", "").stem(), "noext");
    }

    #[test]
    fn every_yaml_file_beside_the_manifest_is_embedded() {
        let on_disk = std::fs::read_dir(spec_dir())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "yaml")
            })
            .count();
        assert_eq!(SpecSource::embedded().len(), on_disk);
        assert!(on_disk >= 4);
    }
}
