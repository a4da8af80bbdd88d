//! `keygate`: API keys on four gateways from one command line.
//!
//! ```text
//! keygate keys list --vendor huawei --endpoint http://127.0.0.1:4010 \
//!     --project-id 77b6a44cba5143ab91d13ab9a8ff44fd \
//!     --instance-id eddc4d25480b4cd6b512f270a1b8b341 --app-id 9ed8b7fe84224de681e7d7a5587e76dc
//! ```
//!
//! Built on `keygate_sdk::inventory`; `keygate --help` lists every command and flag.

mod args;
mod commands;
mod failure;
mod output;
mod session;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use keygate_sdk::inventory::NewKey;

use crate::args::{Cli, Common, KeysCommand, Top, Vendor};
use crate::commands::Action;
use crate::failure::Failure;
use crate::output::Outcome;
use crate::session::{Session, has_credentials};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("keygate: cannot start: {error}");
            return ExitCode::from(1);
        }
    };
    let Top::Keys(command) = cli.command;
    match runtime.block_on(keys(command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("keygate: {failure}");
            failure.exit_code()
        }
    }
}

async fn keys(command: KeysCommand) -> Result<(), Failure> {
    let (common, outcome) = match command {
        KeysCommand::List {
            vendor: None,
            common,
            ..
        } => {
            let outcome = list_all_vendors(&common).await?;
            (common, outcome)
        }
        KeysCommand::List {
            vendor: Some(vendor),
            common,
            ..
        } => one(vendor, common, Action::List).await?,
        KeysCommand::Show { vendor, id, common } => one(vendor, common, Action::Show(id)).await?,
        KeysCommand::Create {
            vendor,
            name,
            id,
            common,
        } => {
            let mut new = NewKey::named(name);
            new.id = id;
            one(vendor, common, Action::Create(new)).await?
        }
        KeysCommand::Rotate {
            vendor,
            id,
            slot,
            common,
        } => one(vendor, common, Action::Rotate(id, slot)).await?,
        KeysCommand::Revoke { vendor, id, common } => {
            one(vendor, common, Action::Revoke(id)).await?
        }
    };
    let text = outcome.render(common.output, common.show_secret);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`keygate … | head`) is not worth a panic.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    Ok(())
}

async fn one(vendor: Vendor, common: Common, action: Action) -> Result<(Common, Outcome), Failure> {
    let outcome = Session::open(vendor, &common)?.run(action).await?;
    Ok((common, outcome))
}

/// Lists every vendor whose credentials are set, one after the other, in one output.
async fn list_all_vendors(common: &Common) -> Result<Outcome, Failure> {
    let vendors: Vec<Vendor> = Vendor::ALL
        .into_iter()
        .filter(|v| has_credentials(*v))
        .collect();
    if vendors.is_empty() {
        return Err(Failure::Usage(
            "no vendor has credentials in the environment (see keygate --help)".into(),
        ));
    }
    let mut rows = Vec::new();
    for vendor in vendors {
        rows.extend(Session::open(vendor, common)?.list().await?);
    }
    Ok(Outcome::Keys(rows))
}
