//! Which specs the engine serves, read with keygate-spec: the embedded ones, joined or
//! replaced by the ones given with `--spec`.

pub(crate) mod static_example;

use keygate_spec::{Spec, SpecError, SpecSource};

/// Parses `base` then `extra`; an extra spec replaces the base spec of the same vendor and is
/// otherwise added. Two specs of one vendor within `base`, or within `extra`, are an error.
pub(crate) fn load(base: &[SpecSource], extra: &[SpecSource]) -> Result<Vec<Spec>, SpecError> {
    let mut specs = Spec::parse_all(base)?;
    for spec in Spec::parse_all(extra)? {
        match specs.iter().position(|s| s.vendor() == spec.vendor()) {
            Some(i) => specs[i] = spec,
            None => specs.push(spec),
        }
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    fn keygate(vendor: &str) -> String {
        PLAIN.replace(
            "paths:",
            &format!("x-keygate: {{vendor: {vendor}}}\npaths:"),
        )
    }

    #[test]
    fn an_extra_spec_replaces_the_base_spec_of_its_vendor_and_joins_otherwise() {
        let base = [
            SpecSource::from_text("a.yaml", keygate("alpha")),
            SpecSource::from_text("b.yaml", keygate("beta")),
        ];
        let extra = [
            SpecSource::from_text("b2.yaml", keygate("beta")),
            SpecSource::from_text("dir/petstore.yaml", PLAIN),
        ];
        let names: Vec<(String, String)> = load(&base, &extra)
            .unwrap()
            .iter()
            .map(|s| (s.vendor().to_owned(), s.name.clone()))
            .collect();
        let expected = [
            ("alpha", "a.yaml"),
            ("beta", "b2.yaml"),
            ("petstore", "dir/petstore.yaml"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(v, n)| ((*v).to_owned(), (*n).to_owned()))
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn two_extra_specs_of_one_vendor_are_refused() {
        let extra = [
            SpecSource::from_text("one.yaml", keygate("beta")),
            SpecSource::from_text("two.yaml", keygate("beta")),
        ];
        assert!(matches!(
            load(&[], &extra),
            Err(SpecError::DuplicateVendor { .. })
        ));
    }
}
