//! One key API over four gateways: `keygate_sdk::inventory` lists, creates, rotates and
//! revokes a key on every vendor whose credentials are set, the same code for each, against
//! keygate's stateful mock.
//!
//! Steps, one printed line each, per vendor: list the scope's keys (every page), create a
//! key, show it, rotate it (Azure: the primary slot, then the secondary, one at a time; Huawei:
//! a new key before the old is deleted), revoke it, and see the listing back as it was. Key
//! values are never printed: they show as `*** redacted ***`.
//!
//! Run it against the mock (first command in one terminal, the rest in another):
//!
//! ```sh
//! cargo run --release -p keygate-mock
//! export HUAWEICLOUD_SDK_AK=test-ak HUAWEICLOUD_SDK_SK=test-sk AZURE_ACCESS_TOKEN=test-token
//! cargo run -p keygate-sdk --features inventory --example inventory -- --endpoint http://127.0.0.1:4010
//! ```
//!
//! Vendors without credentials in the environment (`ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`,
//! `TENCENTCLOUD_SECRET_ID`/`_SECRET_KEY`, `HUAWEICLOUD_SDK_AK`/`_SK`, `AZURE_ACCESS_TOKEN`) are
//! skipped. Scopes are the documented samples'. Without `--endpoint` the example calls the
//! mock's default address, never a vendor: it creates and deletes keys.

use std::collections::BTreeSet;
use std::process::ExitCode;

use clap::Parser;
use futures::TryStreamExt as _;
use keygate_sdk::inventory::{AzureScope, HuaweiScope, KeyInventory, NewKey, Region, Slot};
use keygate_sdk::{ClientOptions, alibaba, azure, huawei, tencent};

/// Walks one key per vendor through the vendor-neutral inventory.
#[derive(Debug, Parser)]
struct Args {
    /// Base URL of the services: keygate-mock's default address unless given.
    #[arg(long, default_value = "http://127.0.0.1:4010")]
    endpoint: String,
}

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(0) => {
            eprintln!("inventory: no vendor has credentials in the environment");
            ExitCode::FAILURE
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("inventory: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The walk for every vendor with credentials; how many there were.
async fn run(args: &Args) -> Result<usize, Failure> {
    let options = || ClientOptions::default().endpoint(&args.endpoint);
    let mut walked = 0;
    if let Ok(credentials) = alibaba::Credentials::from_env() {
        let client = alibaba::Client::builder(credentials)
            .region("cn-hangzhou")
            .options(options())
            .build()?;
        walk(&client, &Region::new("cn-hangzhou"), &[None]).await?;
        walked += 1;
    }
    if let Ok(credentials) = tencent::Credentials::from_env() {
        let client = tencent::Client::builder(credentials)
            .region("ap-guangzhou")
            .options(options())
            .build()?;
        walk(&client, &Region::new("ap-guangzhou"), &[None]).await?;
        walked += 1;
    }
    if let Ok(credentials) = huawei::Credentials::from_env() {
        let client = huawei::Client::builder(credentials)
            .options(options())
            .build()?;
        let scope = HuaweiScope::new(
            "77b6a44cba5143ab91d13ab9a8ff44fd",
            "eddc4d25480b4cd6b512f270a1b8b341",
            "9ed8b7fe84224de681e7d7a5587e76dc",
        );
        walk(&client, &scope, &[None]).await?;
        walked += 1;
    }
    if let Ok(credentials) = azure::Credentials::from_env() {
        let client = azure::Client::builder(credentials)
            .options(options())
            .build()?;
        let scope = AzureScope::new(
            "00000000-0000-0000-0000-000000000000",
            "rg1",
            "apimService1",
        );
        let slots = [Some(Slot::Primary), Some(Slot::Secondary)];
        walk(&client, &scope, &slots).await?;
        walked += 1;
    }
    Ok(walked)
}

/// List, create, show, rotate (once per slot given), revoke, list again: the same code for
/// every vendor.
async fn walk<C: KeyInventory>(
    client: &C,
    scope: &C::Scope,
    slots: &[Option<Slot>],
) -> Result<(), Failure> {
    let vendor = client.vendor();
    let before: BTreeSet<String> = client
        .list_keys(scope)
        .map_ok(|k| k.id)
        .try_collect()
        .await?;
    println!("{vendor}: {} keys in {scope}", before.len());

    let created = client
        .create_key(scope, NewKey::named("keygate_inventory_example"))
        .await?;
    let shown_secret = created.secret.as_ref().map(|s| s.to_string());
    let status = created.status.as_ref().map(|s| s.to_string());
    println!(
        "{vendor}: created {} ({}), value {}",
        created.id,
        status.as_deref().unwrap_or("no status"),
        shown_secret.unwrap_or_else(|| "not returned".into())
    );

    let shown = client.show_key(scope, &created.id).await?;
    let created_at = shown.created.map(|at| at.to_string());
    println!(
        "{vendor}: shown {}, created {}",
        shown.id,
        created_at.as_deref().unwrap_or("at an unknown time")
    );

    let mut id = created.id;
    for slot in slots {
        let rotated = client.rotate_key(scope, &id, *slot).await?;
        let how = match (rotated.slot, &rotated.replaced) {
            (Some(slot), _) => format!("the {slot} slot"),
            (None, Some(old)) => format!("a new key replacing {old}"),
            (None, None) => "a new value".to_owned(),
        };
        println!("{vendor}: rotated {}: {how}", rotated.key.id);
        id = rotated.key.id;
    }

    client.revoke_key(scope, &id).await?;
    let after: BTreeSet<String> = client
        .list_keys(scope)
        .map_ok(|k| k.id)
        .try_collect()
        .await?;
    if after != before {
        return Err(format!("{vendor}: the listing did not come back to what it was").into());
    }
    println!("{vendor}: revoked {id}; {} keys again", after.len());
    Ok(())
}
