//! `cargo run -p keygate-sdk-gen`: regenerates `sdk/src/<vendor>/generated.rs` from `spec/`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let targets = match keygate_sdk_gen::generate_all(&keygate_sdk_gen::workspace_root()) {
        Ok(targets) => targets,
        Err(e) => {
            eprintln!("keygate-sdk-gen: {e}");
            return ExitCode::FAILURE;
        }
    };
    for target in targets {
        if let Err(e) = std::fs::write(&target.output, &target.generated) {
            eprintln!("keygate-sdk-gen: {}: {e}", target.output.display());
            return ExitCode::FAILURE;
        }
        println!("{} -> {}", target.spec.display(), target.output.display());
    }
    ExitCode::SUCCESS
}
