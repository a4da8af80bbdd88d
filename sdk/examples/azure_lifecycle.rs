//! Azure API Management: a subscription's whole life through `keygate_sdk::azure`, from
//! Subscription_CreateOrUpdate to ARM's typed "not found", against keygate's stateful mock,
//! with ETags guarding every write.
//!
//! Steps, one printed line each: CreateOrUpdate with a fresh sid, Get, GetEntityTag (HEAD: the
//! ETag alone), List (every page, through the pagination stream) to find it, Update with a
//! stale `If-Match` (refused, 412) and then with the current one (renamed and suspended),
//! RegeneratePrimaryKey with ListSecrets before and after (only the primary key changed),
//! Delete with `If-Match`, then Get again, which fails with `Error::Service` and ARM's code
//! `ResourceNotFound`. Keys are never printed: they show as `*** redacted ***`.
//!
//! Run it against the mock (first command in one terminal, the rest in another):
//!
//! ```sh
//! cargo run --release -p keygate-mock
//! export AZURE_ACCESS_TOKEN=test-token
//! cargo run -p keygate-sdk --example azure_lifecycle -- --endpoint http://127.0.0.1:4010
//! ```
//!
//! The mock checks a bearer token for its form only (in every auth mode), so any token does.
//! The subscription, resource group and service default to those of Microsoft's documented
//! samples. Without `--endpoint` the example calls the mock's default address, never Azure: it
//! creates and deletes a subscription, so a real service is only ever reached on purpose
//! (`--endpoint https://management.azure.com`, a token from
//! `az account get-access-token --query accessToken -o tsv`, and your own names).

use std::process::ExitCode;

use clap::Parser;
use futures::TryStreamExt as _;
use keygate_sdk::azure::{Client, Credentials, types};
use keygate_sdk::{ClientOptions, Error, SecretString};

/// Walks an Azure API Management subscription through its whole life.
#[derive(Debug, Parser)]
struct Args {
    /// Base URL of the service: keygate-mock's default address unless given.
    #[arg(long, default_value = "http://127.0.0.1:4010")]
    endpoint: String,

    /// Azure subscription id (of the account, not the APIM subscription).
    #[arg(long, default_value = "00000000-0000-0000-0000-000000000000")]
    subscription_id: uuid::Uuid,

    /// Resource group of the API Management service.
    #[arg(long, default_value = "rg1")]
    resource_group: String,

    /// API Management service name.
    #[arg(long, default_value = "apimService1")]
    service_name: String,
}

/// ARM's code for a subscription that does not exist.
const NOT_FOUND: &str = "ResourceNotFound";

/// ARM's code for a write whose `If-Match` is not the current ETag.
const STALE: &str = "PreconditionFailed";

/// Why the walk stopped: an SDK error, or an answer that is not what the step expects.
type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("azure_lifecycle: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), Failure> {
    let credentials = Credentials::from_env().map_err(|error| {
        format!(
            "{error}; set AZURE_ACCESS_TOKEN (against the mock any token does; for Azure, \
             `az account get-access-token --query accessToken -o tsv`)"
        )
    })?;
    let client = Client::builder(credentials)
        .options(ClientOptions::default().endpoint(&args.endpoint))
        .build()?;
    println!(
        "azure: {} (subscription {}, resource group {}, service {})",
        args.endpoint, args.subscription_id, args.resource_group, args.service_name
    );
    let apim = Apim { client, args };

    // 24 hex digits, the form of the ids API Management generates; fresh each run.
    let sid = format!("{:024x}", rand::random::<u128>() >> 32);
    let created = apim
        .client
        .subscription_create_or_update()
        .subscription_id(args.subscription_id)
        .resource_group_name(args.resource_group.as_str())
        .service_name(args.service_name.as_str())
        .sid(sid.as_str())
        .body_map(|body| {
            body.properties(
                types::SubscriptionCreateParameterProperties::builder()
                    .scope("/apis".to_owned())
                    .display_name("keygate example".to_owned())
                    .state(types::SubscriptionCreateParameterPropertiesState::Active),
            )
        })
        .send()
        .await?;
    let created_etag = etag("CreateOrUpdate", created.etag())?;
    println!(
        "CreateOrUpdate: {sid} (HTTP {}), ETag {created_etag}",
        created.status()
    );

    let read = apim.get(&sid).await?;
    let properties = read.properties.as_ref();
    println!(
        "Get: {sid} \"{}\", state {}, ETag {}",
        properties
            .and_then(|p| p.display_name.as_deref())
            .unwrap_or_default(),
        properties
            .and_then(|p| p.state.as_deref())
            .unwrap_or("not given"),
        etag("Get", read.etag())?
    );

    let current = apim.entity_tag(&sid).await?;
    if current != created_etag {
        return Err("GetEntityTag: the ETag changed without a write".into());
    }
    println!("GetEntityTag: ETag {current}, unchanged since the create");

    // top(2): the stream follows nextLink page after page until the last one.
    let listed: Vec<types::SubscriptionContract> = apim
        .client
        .subscription_list()
        .subscription_id(args.subscription_id)
        .resource_group_name(args.resource_group.as_str())
        .service_name(args.service_name.as_str())
        .top(2u32)
        .into_stream()
        .try_collect()
        .await?;
    if !listed
        .iter()
        .any(|s| s.name.as_deref() == Some(sid.as_str()))
    {
        return Err(format!("List: {sid} is not among the {} listed", listed.len()).into());
    }
    println!(
        "List: {} subscriptions in pages of 2, {sid} among them",
        listed.len()
    );

    // Renamed and suspended: its keys stop opening APIs until it is active again.
    let changes = types::SubscriptionUpdateParameterProperties {
        display_name: Some("keygate example (suspended)".to_owned()),
        state: Some(types::SubscriptionUpdateParameterPropertiesState::Suspended),
        ..Default::default()
    };
    match apim
        .update(&sid, "\"not-the-current-etag\"", changes.clone())
        .await
    {
        Err(Error::Service { code, status, .. }) if code == STALE => {
            println!(
                "Update with a stale If-Match: refused, Error::Service {code} (HTTP {status})"
            );
        }
        Err(error) => {
            return Err(
                format!("Update with a stale If-Match: expected {STALE}, got {error}").into(),
            );
        }
        Ok(_) => return Err("Update with a stale If-Match was applied".into()),
    }
    let updated = apim.update(&sid, &current, changes).await?;
    let properties = updated.properties.as_ref();
    println!(
        "Update with If-Match {current}: \"{}\", state {}, ETag {}",
        properties
            .and_then(|p| p.display_name.as_deref())
            .unwrap_or_default(),
        properties
            .and_then(|p| p.state.as_deref())
            .unwrap_or("not given"),
        etag("Update", updated.etag())?
    );

    let before = apim.keys(&sid).await?;
    apim.client
        .subscription_regenerate_primary_key()
        .subscription_id(args.subscription_id)
        .resource_group_name(args.resource_group.as_str())
        .service_name(args.service_name.as_str())
        .sid(sid.as_str())
        .send()
        .await?;
    let after = apim.keys(&sid).await?;
    let primary_changed = text(after.primary_key.as_ref()) != text(before.primary_key.as_ref());
    let secondary_kept = text(after.secondary_key.as_ref()) == text(before.secondary_key.as_ref());
    if !(primary_changed && secondary_kept) {
        return Err(format!(
            "RegeneratePrimaryKey: primary changed {primary_changed}, secondary kept {secondary_kept}"
        )
        .into());
    }
    println!(
        "RegeneratePrimaryKey, ListSecrets: primary key {} replaced, secondary key {} unchanged",
        redacted(after.primary_key.as_ref()),
        redacted(after.secondary_key.as_ref())
    );

    // The rotation was a write: delete with the ETag of now, not the update's.
    let latest = apim.entity_tag(&sid).await?;
    let deleted = apim
        .client
        .subscription_delete()
        .subscription_id(args.subscription_id)
        .resource_group_name(args.resource_group.as_str())
        .service_name(args.service_name.as_str())
        .sid(sid.as_str())
        .if_match(latest.as_str())
        .send()
        .await?;
    println!(
        "Delete with If-Match {latest}: {sid} (HTTP {})",
        deleted.status()
    );

    match apim.get(&sid).await {
        Err(Error::Service { code, status, .. }) if code == NOT_FOUND => {
            println!("Get after delete: Error::Service {code} (HTTP {status})");
            Ok(())
        }
        Err(error) => Err(format!("Get after delete: expected {NOT_FOUND}, got {error}").into()),
        Ok(_) => Err(format!("Get after delete: {sid} is still there").into()),
    }
}

/// The client and the service whose subscriptions it manages.
struct Apim<'a> {
    client: Client,
    args: &'a Args,
}

impl Apim<'_> {
    /// Subscription_Get.
    async fn get(
        &self,
        sid: &str,
    ) -> Result<keygate_sdk::Response<types::SubscriptionContract>, Error> {
        self.client
            .subscription_get()
            .subscription_id(self.args.subscription_id)
            .resource_group_name(self.args.resource_group.as_str())
            .service_name(self.args.service_name.as_str())
            .sid(sid)
            .send()
            .await
    }

    /// Subscription_GetEntityTag: the current ETag, from a HEAD request.
    async fn entity_tag(&self, sid: &str) -> Result<String, Failure> {
        let answer = self
            .client
            .subscription_get_entity_tag()
            .subscription_id(self.args.subscription_id)
            .resource_group_name(self.args.resource_group.as_str())
            .service_name(self.args.service_name.as_str())
            .sid(sid)
            .send()
            .await?;
        etag("GetEntityTag", answer.etag())
    }

    /// Subscription_Update, applied only if the subscription is still at `if_match`.
    async fn update(
        &self,
        sid: &str,
        if_match: &str,
        changes: types::SubscriptionUpdateParameterProperties,
    ) -> Result<keygate_sdk::Response<types::SubscriptionContract>, Error> {
        self.client
            .subscription_update()
            .subscription_id(self.args.subscription_id)
            .resource_group_name(self.args.resource_group.as_str())
            .service_name(self.args.service_name.as_str())
            .sid(sid)
            .if_match(if_match)
            .body(types::SubscriptionUpdateParameters {
                properties: Some(changes),
            })
            .send()
            .await
    }

    /// Subscription_ListSecrets: the subscription's two keys.
    async fn keys(&self, sid: &str) -> Result<types::SubscriptionKeysContract, Error> {
        let keys = self
            .client
            .subscription_list_secrets()
            .subscription_id(self.args.subscription_id)
            .resource_group_name(self.args.resource_group.as_str())
            .service_name(self.args.service_name.as_str())
            .sid(sid)
            .send()
            .await?;
        Ok(keys.into_inner())
    }
}

/// An answer's ETag, which every answer of these steps carries.
fn etag(operation: &str, etag: Option<&str>) -> Result<String, Failure> {
    Ok(etag
        .ok_or_else(|| format!("{operation} answered without an ETag"))?
        .to_owned())
}

/// A key's value, to compare (never to print).
fn text(key: Option<&SecretString>) -> Option<&str> {
    key.map(SecretString::expose_secret)
}

/// A key as it may be printed: redacted.
fn redacted(key: Option<&SecretString>) -> String {
    key.map_or_else(|| "(none)".to_owned(), SecretString::to_string)
}
