//! Declares one module per vendor folder (`src/<vendor>/` holding a `generated.rs`), so that
//! adding a vendor edits no shared file. A folder is behind the cargo feature of its name when
//! the manifest declares one (a user then compiles only the vendors they call), and always
//! compiled otherwise. With the `dynamic` feature it also lists the vendors for
//! `keygate_sdk::dynamic`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let src = manifest_dir.join("src");
    let manifest = manifest_dir.join("Cargo.toml");
    // A new folder changes `src` itself.
    println!("cargo::rerun-if-changed={}", src.display());
    println!("cargo::rerun-if-changed={}", manifest.display());

    let features = declared_features(&std::fs::read_to_string(&manifest).expect("Cargo.toml"));
    let vendors = vendor_folders(&src);
    let mut code = String::new();
    for vendor in &vendors {
        let mod_rs = src.join(vendor).join("mod.rs");
        writeln!(
            code,
            "{}#[path = {:?}]\npub mod {vendor};",
            gate(vendor, &features),
            mod_rs.display().to_string()
        )
        .expect("writing to a String");
    }
    for vendor in &vendors {
        // Vendor features turn their schemes' keygate-auth features on; a folder without a
        // feature relies on another feature (or another crate of the build) for them.
        writeln!(
            code,
            "{}const _: () = assert!(\n    {vendor}::VENDOR.schemes_compiled(),\n    \"the {vendor} \
             client signs with a keygate-auth scheme this build does not compile: turn that \
             scheme's keygate-auth feature on, or give {vendor} a feature of its own in \
             sdk/Cargo.toml that does\",\n);",
            gate(vendor, &features),
        )
        .expect("writing to a String");
    }
    code.push_str(
        "/// Every vendor compiled in, for `keygate_sdk::dynamic`.\n\
         #[cfg(feature = \"dynamic\")]\n\
         pub(crate) static DYNAMIC_VENDORS: &[&crate::runtime::dynamic::Entry] = &[\n",
    );
    for vendor in &vendors {
        writeln!(code, "    {}&{vendor}::DYNAMIC,", gate(vendor, &features))
            .expect("writing to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("vendors.rs"), code).expect("OUT_DIR is writable");
}

/// `#[cfg(feature = "<vendor>")]` when the manifest declares that feature, else nothing.
fn gate(vendor: &str, features: &[String]) -> String {
    if features.iter().any(|f| f == vendor) {
        format!("#[cfg(feature = {vendor:?})] ")
    } else {
        String::new()
    }
}

/// The subfolders of `src` that hold a generated client, sorted.
fn vendor_folders(src: &Path) -> Vec<String> {
    let mut vendors: Vec<String> = std::fs::read_dir(src)
        .expect("src is readable")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("generated.rs").is_file() && path.join("mod.rs").is_file())
        .filter_map(|path| Some(path.file_name()?.to_str()?.to_owned()))
        .collect();
    vendors.sort();
    vendors
}

/// The names of the `[features]` table of a manifest (one `name = [...]` per line, as
/// `cargo fmt`-style manifests write them).
fn declared_features(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[features]")
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter_map(|line| line.split_once('='))
        .map(|(name, _)| name.trim().to_owned())
        .filter(|name| !name.starts_with('#') && !name.is_empty())
        .collect()
}
