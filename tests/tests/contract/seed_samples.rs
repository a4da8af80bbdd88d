//! The specs' documented samples equal the samples on the vendor pages (after the repairs that
//! spec/README.md lists), and no sample on those pages is left out of the specs.
//!
//! The pages live outside the repository (`../shared/seeds`, or `KEYGATE_SEEDS_DIR`), so this
//! test is ignored by a plain `cargo test`; `.ci/run` runs it with `--ignored`.

use std::collections::BTreeSet;

use keygate_contract_tests::{examples, seeds, specs};

#[test]
#[ignore = "needs the vendor pages (../shared/seeds or KEYGATE_SEEDS_DIR); .ci/run runs it"]
fn documented_samples_equal_the_vendor_pages() {
    let dir = seeds::seeds_dir();
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    for spec in specs::load_all() {
        for op in examples::operations(&spec) {
            for example in examples::all_examples(&spec, &op) {
                let Some(seed) = keygate_spec::ext::seed(example.object) else {
                    continue;
                };
                let (file, index) = seed.split_once('#').expect("x-keygate-seed is FILE#N");
                let index: usize = index.parse().expect("x-keygate-seed index is a number");
                let page = std::fs::read_to_string(dir.join(file))
                    .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()));
                used.insert((file.to_owned(), index));
                match seeds::samples(&page).get(index - 1) {
                    None => {
                        failures.push(format!("{}: {seed} has no sample {index}", spec.file_name))
                    }
                    Some(sample) if sample != example.value => failures.push(format!(
                        "{}: {} example {} differs from {seed}:\n spec: {}\n page: {}",
                        spec.file_name, example.location, example.name, example.value, sample
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let count = seeds::samples(&std::fs::read_to_string(&path).unwrap()).len();
        for index in 1..=count {
            if !used.contains(&(file.clone(), index)) {
                failures.push(format!("{file}: sample {index} is in no spec"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s)\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
    assert_eq!(used.len(), 10, "documented samples compared");
}
