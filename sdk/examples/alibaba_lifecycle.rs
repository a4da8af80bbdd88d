//! Alibaba Cloud APIG: a secret's whole life through `keygate_sdk::alibaba`, from CreateSecret
//! to Alibaba's typed "not found", against keygate's stateful mock.
//!
//! Steps, one printed line each: CreateSecret, GetSecret, GetSecretValue, ListSecrets (every
//! page, through the pagination stream) to find the new secret, UpdateSecret (a new value under
//! the same name) and GetSecretValue to see it changed, DeleteSecret, then GetSecret again,
//! which fails with `Error::Service` and Alibaba's code `NotFound.SecretNotFound`. Secret
//! values are never printed: they show as `*** redacted ***`.
//!
//! Run it against the mock (first command in one terminal, the rest in another):
//!
//! ```sh
//! cargo run --release -p keygate-mock
//! export ALIBABA_CLOUD_ACCESS_KEY_ID=test-ak ALIBABA_CLOUD_ACCESS_KEY_SECRET=test-sk
//! cargo run -p keygate-sdk --example alibaba_lifecycle -- --endpoint http://127.0.0.1:4010
//! ```
//!
//! The mock's default auth mode (`presence`) takes any AccessKey pair; with `--auth verify` the
//! pair must be one of its `--credential alibaba:ID:SECRET`. Without `--endpoint` the example
//! calls the mock's default address, never Alibaba: it creates and deletes a secret, so a real
//! account is only ever reached on purpose, with its regional endpoint
//! (`--endpoint https://apig.cn-hangzhou.aliyuncs.com`).

use std::process::ExitCode;

use clap::Parser;
use futures::TryStreamExt as _;
use keygate_sdk::alibaba::{Client, Credentials, types};
use keygate_sdk::{ClientOptions, Error, SecretString};

/// Walks an Alibaba APIG secret through its whole life.
#[derive(Debug, Parser)]
struct Args {
    /// Base URL of the service: keygate-mock's default address unless given.
    #[arg(long, default_value = "http://127.0.0.1:4010")]
    endpoint: String,
}

/// Alibaba's code for a secret that does not exist.
const NOT_FOUND: &str = "NotFound.SecretNotFound";

/// Why the walk stopped: an SDK error, or an answer that is not what the step expects.
type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("alibaba_lifecycle: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), Failure> {
    let credentials = Credentials::from_env().map_err(|error| {
        format!(
            "{error}; set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET \
             (against the mock: one of its --credential pairs, or any pair in presence mode)"
        )
    })?;
    let client = Client::builder(credentials)
        .options(ClientOptions::default().endpoint(&args.endpoint))
        .build()?;
    println!("alibaba: {}", args.endpoint);

    // A fresh name each run: names are unique, and an earlier run may have stopped half-way.
    let name = format!("keygate_example_{:08x}", rand::random::<u32>());
    let created = client
        .create_secret()
        .body(
            types::CreateSecretRequest::builder()
                .name(types::CreateSecretRequestName::try_from(name.as_str())?)
                .secret_data(SecretString::from("apikey-v1"))
                .description("created by keygate's alibaba_lifecycle example".to_owned()),
        )
        .send()
        .await?;
    let id = created
        .data
        .as_ref()
        .and_then(|data| data.secret_id.clone())
        .ok_or("CreateSecret answered without a secretId")?;
    println!("CreateSecret: {id} ({name})");

    let secret = client.get_secret().secret_id(&id).send().await?;
    let shown = secret
        .data
        .as_ref()
        .ok_or("GetSecret answered without data")?;
    if shown.name.as_deref() != Some(name.as_str()) {
        return Err(format!("GetSecret shows the name {:?}, not {name}", shown.name).into());
    }
    // A new secret's status is `ENALBE`: Alibaba's own spelling of "enabled" (sic).
    println!(
        "GetSecret: {id} is {name}, status {}",
        shown
            .status
            .map_or_else(|| "not given".to_owned(), |s| s.to_string())
    );

    let first = secret_value(&client, &name).await?;
    println!("GetSecretValue: {first} (the value prints redacted)");

    // page_size(1): the stream fetches page after page until the last one.
    let listed: Vec<types::Secret> = client
        .list_secrets()
        .page_size(1u32)
        .into_stream()
        .try_collect()
        .await?;
    if !listed
        .iter()
        .any(|s| s.secret_id.as_deref() == Some(id.as_str()))
    {
        return Err(format!("ListSecrets: {id} is not among the {} listed", listed.len()).into());
    }
    println!(
        "ListSecrets: {} secrets in pages of 1, {id} among them",
        listed.len()
    );

    client
        .update_secret()
        .secret_id(&id)
        .body(types::UpdateSecretRequest::builder().secret_data(SecretString::from("apikey-v2")))
        .send()
        .await?;
    let second = secret_value(&client, &name).await?;
    if second.expose_secret() == first.expose_secret() {
        return Err("UpdateSecret: GetSecretValue still returns the old value".into());
    }
    println!("UpdateSecret: new value stored; GetSecretValue returns it (not the old one)");

    client.delete_secret().secret_id(&id).send().await?;
    println!("DeleteSecret: {id}");

    match client.get_secret().secret_id(&id).send().await {
        Err(Error::Service { code, status, .. }) if code == NOT_FOUND => {
            println!("GetSecret after delete: Error::Service {code} (HTTP {status})");
            Ok(())
        }
        Err(error) => {
            Err(format!("GetSecret after delete: expected {NOT_FOUND}, got {error}").into())
        }
        Ok(_) => Err(format!("GetSecret after delete: {id} is still there").into()),
    }
}

/// The secret's value, read by name.
async fn secret_value(client: &Client, name: &str) -> Result<SecretString, Failure> {
    let value = client.get_secret_value().name(name).send().await?;
    let data = value.into_inner().data;
    Ok(data
        .and_then(|d| d.secret_data)
        .ok_or("GetSecretValue answered without secretData")?)
}
