//! Writes the seed corpus: `cargo run --manifest-path fuzz/Cargo.toml --no-default-features
//! --example make_seeds`. Rerun it after changing `src/seeds.rs` or the input encoding; the
//! replay test fails until the files match.

use std::path::Path;

fn main() -> std::io::Result<()> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for seed in keygate_fuzz::seeds::all() {
        let dir = corpus.join(seed.target);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("seed-{}", seed.label)), &seed.bytes)?;
    }
    println!("seeds written under {}", corpus.display());
    Ok(())
}
