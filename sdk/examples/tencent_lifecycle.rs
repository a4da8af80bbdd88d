//! Tencent Cloud API Gateway (legacy API 2.0): an API key pair's whole life through
//! `keygate_sdk::tencent`, from CreateApiKey to Tencent's typed "not found", against keygate's
//! stateful mock.
//!
//! Steps, one printed line each: CreateApiKey, DescribeApiKey, DescribeApiKeysStatus (every
//! page, through the pagination stream) to find the new key, UpdateApiKey (the service issues a
//! new secretKey), DisableApiKey and EnableApiKey, a DeleteApiKey that Tencent refuses because
//! the key is enabled, DisableApiKey and DeleteApiKey, then DescribeApiKey again, which fails
//! with `Error::Service` and Tencent's code `5000` (answered, as Tencent does, with HTTP 200).
//! The secretKey is never printed: it shows as `*** redacted ***`.
//!
//! Run it against the mock (first command in one terminal, the rest in another):
//!
//! ```sh
//! cargo run --release -p keygate-mock
//! export TENCENTCLOUD_SECRET_ID=test-id TENCENTCLOUD_SECRET_KEY=test-key
//! cargo run -p keygate-sdk --example tencent_lifecycle -- --endpoint http://127.0.0.1:4010
//! ```
//!
//! The mock's default auth mode (`presence`) takes any key pair; with `--auth verify` the pair
//! must be one of its `--credential tencent:ID:KEY`. `--region` (or `TENCENTCLOUD_REGION`)
//! defaults to the documented `ap-guangzhou`. Without `--endpoint` the example calls the
//! mock's default address, never Tencent: it creates and deletes a key pair, so a real account
//! is only ever reached on purpose (`--endpoint https://apigateway.api.qcloud.com`).

use std::process::ExitCode;

use clap::Parser;
use futures::TryStreamExt as _;
use keygate_sdk::tencent::{Client, Credentials, types};
use keygate_sdk::{ClientOptions, Error, SecretString};

/// Walks a Tencent API Gateway key pair through its whole life.
#[derive(Debug, Parser)]
struct Args {
    /// Base URL of the service: keygate-mock's default address unless given.
    #[arg(long, default_value = "http://127.0.0.1:4010")]
    endpoint: String,

    /// The `Region` every call carries.
    #[arg(long, env = "TENCENTCLOUD_REGION", default_value = "ap-guangzhou")]
    region: String,
}

/// Tencent's code for a key that does not exist.
const NOT_FOUND: &str = "5000";

/// Tencent's code for an operation the key's status does not allow (deleting an enabled key).
const WRONG_STATUS: &str = "5100";

/// Why the walk stopped: an SDK error, or an answer that is not what the step expects.
type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tencent_lifecycle: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), Failure> {
    let credentials = Credentials::from_env().map_err(|error| {
        format!(
            "{error}; set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY \
             (against the mock: one of its --credential pairs, or any pair in presence mode)"
        )
    })?;
    let client = Client::builder(credentials)
        .region(&args.region)
        .options(ClientOptions::default().endpoint(&args.endpoint))
        .build()?;
    println!("tencent: {} (region {})", args.endpoint, args.region);

    let name = format!("keygate-example-{:08x}", rand::random::<u32>());
    let created = client.create_api_key().secret_name(&name).send().await?;
    let id = created
        .secret_id
        .clone()
        .ok_or("CreateApiKey answered without a secretID")?;
    let first_key = created
        .secret_key
        .clone()
        .ok_or("CreateApiKey answered without a secretKey")?;
    println!("CreateApiKey: {id} ({name}), secretKey {first_key}");

    let described = client.describe_api_key().secret_id(&id).send().await?;
    if described.secret_name.as_deref() != Some(name.as_str()) {
        return Err(format!(
            "DescribeApiKey shows the name {:?}, not {name}",
            described.secret_name
        )
        .into());
    }
    println!("DescribeApiKey: {id} is {name}, {}", status(&described));

    // limit(2): the stream fetches page after page until the last one.
    let listed: Vec<types::ApiKeyStatus> = client
        .describe_api_keys_status()
        .limit(2u64)
        .into_stream()
        .try_collect()
        .await?;
    if !listed
        .iter()
        .any(|k| k.secret_id.as_deref() == Some(id.as_str()))
    {
        return Err(format!(
            "DescribeApiKeysStatus: {id} is not among the {} listed",
            listed.len()
        )
        .into());
    }
    println!(
        "DescribeApiKeysStatus: {} keys in pages of 2, {id} among them",
        listed.len()
    );

    let updated = client.update_api_key().secret_id(&id).send().await?;
    let new_key = updated
        .secret_key
        .clone()
        .ok_or("UpdateApiKey answered without a secretKey")?;
    let reread = secret_key(&client, &id).await?;
    if new_key.expose_secret() == first_key.expose_secret()
        || reread.expose_secret() != new_key.expose_secret()
    {
        return Err("UpdateApiKey: the secretKey did not change".into());
    }
    println!("UpdateApiKey: a new secretKey {new_key}; DescribeApiKey returns it, not the old one");

    client.disable_api_key().secret_id(&id).send().await?;
    let read = client.describe_api_key().secret_id(&id).send().await?;
    println!("DisableApiKey: {}", status(&read));
    client.enable_api_key().secret_id(&id).send().await?;
    let read = client.describe_api_key().secret_id(&id).send().await?;
    println!("EnableApiKey: {}", status(&read));

    match client.delete_api_key().secret_id(&id).send().await {
        Err(Error::Service { code, .. }) if code == WRONG_STATUS => {
            println!("DeleteApiKey while enabled: refused, Error::Service {code}");
        }
        Err(error) => {
            return Err(format!(
                "DeleteApiKey while enabled: expected {WRONG_STATUS}, got {error}"
            )
            .into());
        }
        Ok(_) => return Err("DeleteApiKey deleted an enabled key".into()),
    }
    client.disable_api_key().secret_id(&id).send().await?;
    client.delete_api_key().secret_id(&id).send().await?;
    println!("DisableApiKey, DeleteApiKey: {id}");

    match client.describe_api_key().secret_id(&id).send().await {
        Err(Error::Service { code, status, .. }) if code == NOT_FOUND => {
            println!("DescribeApiKey after delete: Error::Service {code} (HTTP {status})");
            Ok(())
        }
        Err(error) => {
            Err(format!("DescribeApiKey after delete: expected {NOT_FOUND}, got {error}").into())
        }
        Ok(_) => Err(format!("DescribeApiKey after delete: {id} is still there").into()),
    }
}

/// The key's current secretKey.
async fn secret_key(client: &Client, id: &str) -> Result<SecretString, Failure> {
    let described = client.describe_api_key().secret_id(id).send().await?;
    Ok(described
        .into_inner()
        .secret_key
        .ok_or("DescribeApiKey answered without a secretKey")?)
}

/// "enabled" or "disabled", from the key's `status` (1 or 0).
fn status(key: &types::DescribeApiKeyResponse) -> &'static str {
    match key.status {
        Some(1) => "enabled",
        Some(0) => "disabled",
        Some(_) => "status unknown to this example",
        None => "no status given",
    }
}
