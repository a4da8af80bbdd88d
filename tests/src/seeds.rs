//! The JSON samples printed on the vendor pages in `shared/seeds/`, repaired as spec/README.md
//! records, so that the specs' documented examples can be compared with them.

use std::path::PathBuf;

use serde_json::Value;

/// Where the seed pages are: `KEYGATE_SEEDS_DIR`, or `shared/seeds` beside the checkout.
pub fn seeds_dir() -> PathBuf {
    std::env::var_os("KEYGATE_SEEDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds"))
        })
}

/// The samples of one page, in page order (`#1` is the first).
pub fn samples(page: &str) -> Vec<Value> {
    let blocks = brace_blocks(page);
    let texts = if blocks.is_empty() {
        bare_legacy_sample(page).into_iter().collect()
    } else {
        blocks
    };
    texts
        .iter()
        .map(|text| {
            serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("sample is not JSON after repair ({e}):\n{text}"))
        })
        .collect()
}

/// Blocks that start with a line holding only `{` and end where the braces balance.
fn brace_blocks(page: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, i32)> = None;
    for line in page.lines() {
        if current.is_none() && line.trim() == "{" {
            current = Some((String::new(), 0));
        }
        if let Some((text, depth)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
            *depth += brace_balance(line);
            if *depth == 0 {
                blocks.push(std::mem::take(text));
                current = None;
            }
        }
    }
    blocks
}

/// Opening minus closing braces outside string literals.
fn brace_balance(line: &str) -> i32 {
    let (mut balance, mut in_string, mut escaped) = (0, false, false);
    for c in line.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => in_string = !in_string,
            (false, _, '{') => balance += 1,
            (false, _, '}') => balance -= 1,
            _ => {}
        }
    }
    balance
}

/// Tencent's legacy page prints its sample without braces (spec/README.md, Tencent 1 and 2):
/// restore the outer braces, the `}, {` between the two list items and the closing `}]`, and
/// make `code` the integer the service sends.
fn bare_legacy_sample(page: &str) -> Option<String> {
    let start = page.find("Below is a sample return:")? + "Below is a sample return:".len();
    let end = start + page[start..].find("Was this page helpful?")?;
    let mut body = page[start..end].to_owned();
    if let Some((second_item, _)) = body.match_indices("\"secretID\"").nth(1) {
        body.insert_str(second_item, "}, {");
    }
    let repaired = format!("{{{}}}]}}", body.trim_end()).replace("\"code\": \"0\"", "\"code\": 0");
    Some(repaired)
}
