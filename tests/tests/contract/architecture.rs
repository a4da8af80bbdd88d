//! The workspace's shape: no two top-level modules of a crate depend on each other, directly
//! or around a circle, so each module can be read (and changed) after the ones it uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Crates of the workspace, by their folder.
const CRATES: [&str; 6] = ["auth", "spec", "sdk", "sdk-gen", "mock-server", "tests"];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace")
        .to_path_buf()
}

/// Top-level module name -> the `.rs` files that make it up.
fn top_level_modules(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(src).expect("src/ is readable") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if matches!(name.as_str(), "lib" | "main" | "bin") {
            continue;
        }
        let files = if path.is_dir() {
            rust_files(&path)
        } else if path.extension().is_some_and(|e| e == "rs") {
            vec![path.clone()]
        } else {
            continue;
        };
        modules.entry(name).or_insert_with(Vec::new).extend(files);
    }
    modules
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level modules `code` names through `crate::…`, comments left out.
fn crate_references(code: &str) -> BTreeSet<String> {
    let code: String = code
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            // `use crate::{a, b::{c, d}}`: the first segment of each top-level member.
            Some(group) => found.extend(group_members(group).iter().map(|m| first_segment(m))),
            None => {
                found.insert(first_segment(rest));
            }
        }
    }
    found.remove("");
    found
}

/// The comma-separated members of a `{…}` group whose opening brace was just passed.
fn group_members(group: &str) -> Vec<&str> {
    let mut members = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                members.push(&group[start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                members.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    members
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Every cycle among `edges`, each as the modules on it (found once, from its least name).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, path)) = stack.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if next == start {
                    found.push(path.clone());
                } else if next > start && !path.contains(next) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found
}

#[test]
fn no_crate_has_an_import_circle_between_its_top_level_modules() {
    let root = workspace_root();
    let mut failures = Vec::new();
    let mut modules_seen = 0;
    for krate in CRATES {
        let modules = top_level_modules(&root.join(krate).join("src"));
        modules_seen += modules.len();
        let edges: BTreeMap<String, BTreeSet<String>> = modules
            .iter()
            .map(|(name, files)| {
                let mut uses = BTreeSet::new();
                for file in files {
                    let code = std::fs::read_to_string(file).expect("readable source");
                    uses.extend(crate_references(&code));
                }
                uses.retain(|used| used != name && modules.contains_key(used));
                (name.clone(), uses)
            })
            .collect();
        for cycle in cycles(&edges) {
            failures.push(format!("{krate}: {}", cycle.join(" -> ")));
        }
    }
    assert!(modules_seen > 40, "only {modules_seen} modules found");
    assert!(
        failures.is_empty(),
        "import circles between top-level modules:\n  {}",
        failures.join("\n  ")
    );
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(cycles(&edges), [vec!["a", "b", "c"]]);
    let code = "use crate::{\n    call::{run, Record},\n    error::Error,\n};\n// crate::doc\nlet x = crate::wire::f();";
    assert_eq!(
        crate_references(code),
        ["call", "error", "wire"]
            .map(str::to_owned)
            .into_iter()
            .collect()
    );
}
