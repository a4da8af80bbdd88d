//! The committed `sdk/src/<vendor>/generated.rs` files must be what the generator makes of
//! `spec/` today. `KEYGATE_REGENERATE=1 cargo test -p keygate-sdk-gen` rewrites them instead.

#[test]
fn committed_sdk_code_matches_the_specs() {
    let root = keygate_sdk_gen::workspace_root();
    let targets = keygate_sdk_gen::generate_all(&root).expect("every spec generates");
    assert!(
        !targets.is_empty(),
        "no spec found under {}",
        root.join("spec").display()
    );
    let regenerate = std::env::var_os("KEYGATE_REGENERATE").is_some_and(|v| v == "1");
    let mut drifted = Vec::new();
    for target in &targets {
        let committed = std::fs::read_to_string(&target.output).unwrap_or_default();
        if committed == target.generated {
            continue;
        }
        if regenerate {
            std::fs::write(&target.output, &target.generated)
                .expect("the generated file is writable");
            eprintln!("rewrote {}", target.output.display());
        } else {
            drifted.push(format!(
                "{} is not what {} generates (first difference at line {})",
                target.output.display(),
                target.spec.display(),
                first_difference(&committed, &target.generated)
            ));
        }
    }
    assert!(
        drifted.is_empty(),
        "generated SDK code is out of date:\n  {}\nRun `KEYGATE_REGENERATE=1 cargo test -p keygate-sdk-gen` and commit the result.",
        drifted.join("\n  ")
    );
}

fn first_difference(a: &str, b: &str) -> usize {
    a.lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()))
        + 1
}

/// Generated code depends on the SDK only through its documented `runtime` module (and links
/// its documentation to the crate's public types).
#[test]
fn generated_code_names_only_the_runtime_surface() {
    let targets = keygate_sdk_gen::generate_all(&keygate_sdk_gen::workspace_root())
        .expect("every spec generates");
    let mut outside = Vec::new();
    for target in &targets {
        for (line_number, line) in target.generated.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                let public = ["Error]", "Error`", "RetryPolicy)"];
                if !rest.starts_with("runtime::") && !public.iter().any(|p| rest.starts_with(p)) {
                    outside.push(format!(
                        "{}:{}: {}",
                        target.output.display(),
                        line_number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        outside.is_empty(),
        "generated code reaches past crate::runtime:\n  {}",
        outside.join("\n  ")
    );
}
