//! The vendor-neutral key inventory, for each vendor's client, against the stateful mock in
//! verify mode: a key's whole life, rotation that never strands a consumer, and the refusals.

use std::collections::BTreeSet;

use futures::TryStreamExt as _;
use keygate_mock::{MockServer, StateConfig};
use keygate_sdk::inventory::{
    AzureScope, HuaweiScope, KeyInventory, KeyRecord, KeyStatus, NewKey, Region, Slot,
};
use keygate_sdk::{Error, SecretString};

use crate::lifecycle::stateful_mock;
use crate::sdk_calls::Target;

async fn mock() -> MockServer {
    stateful_mock(&StateConfig::Memory).await
}

fn huawei_scope() -> HuaweiScope {
    HuaweiScope::new(
        "77b6a44cba5143ab91d13ab9a8ff44fd",
        "eddc4d25480b4cd6b512f270a1b8b341",
        "9ed8b7fe84224de681e7d7a5587e76dc",
    )
}

fn azure_scope() -> AzureScope {
    AzureScope::new(
        "00000000-0000-0000-0000-000000000000",
        "rg1",
        "apimService1",
    )
}

fn exposed(secret: Option<&SecretString>) -> String {
    secret.expect("a key value").expose_secret().to_owned()
}

async fn ids<C: KeyInventory>(client: &C, scope: &C::Scope) -> BTreeSet<String> {
    client
        .list_keys(scope)
        .map_ok(|key| key.id)
        .try_collect()
        .await
        .expect("listed")
}

/// Create, show, list, rotate, revoke, then not found; returns the rotated key.
async fn whole_life<C: KeyInventory>(
    client: &C,
    scope: &C::Scope,
    new: NewKey,
    slot: Option<Slot>,
) -> (KeyRecord<C::Scope>, KeyRecord<C::Scope>) {
    let before = ids(client, scope).await;
    let name = new.name.clone();
    let created = client.create_key(scope, new).await.expect("created");
    assert_eq!(created.vendor, client.vendor());
    assert_eq!(created.name, name);
    assert!(created.created.is_some(), "{created:?} has a creation time");
    let first_value = exposed(created.secret.as_ref());
    assert!(!first_value.is_empty());

    let shown = client.show_key(scope, &created.id).await.expect("shown");
    assert_eq!(
        (shown.id.as_str(), &shown.name),
        (created.id.as_str(), &name)
    );

    let listed = ids(client, scope).await;
    assert!(
        listed.contains(&created.id),
        "{listed:?} lists {}",
        created.id
    );
    assert_eq!(listed.len(), before.len() + 1);

    let rotated = client
        .rotate_key(scope, &created.id, slot)
        .await
        .expect("rotated");
    assert_eq!(rotated.slot, slot);
    let new_value = match slot {
        Some(Slot::Secondary) => exposed(rotated.key.secondary_secret.as_ref()),
        _ => exposed(rotated.key.secret.as_ref()),
    };
    let old_value = match slot {
        Some(Slot::Secondary) => exposed(created.secondary_secret.as_ref()),
        _ => first_value,
    };
    assert_ne!(new_value, old_value, "rotation gives a new value");

    client
        .revoke_key(scope, &rotated.key.id)
        .await
        .expect("revoked");
    let gone = client.show_key(scope, &rotated.key.id).await;
    assert!(
        matches!(gone, Err(Error::Service { .. })),
        "a revoked key is not found: {gone:?}"
    );
    assert_eq!(ids(client, scope).await, before, "the listing is back");
    (created, rotated.key)
}

#[tokio::test]
async fn alibaba_secret_lives_and_rotates_by_value() {
    let server = mock().await;
    let client = Target::new(server.url()).alibaba();
    let scope = Region::new("cn-hangzhou");
    let (created, rotated) = whole_life(&client, &scope, NewKey::named("inventory"), None).await;
    assert_eq!(rotated.id, created.id, "the same secret, a new value");
    assert_eq!(created.status, Some(KeyStatus::Enabled));
    assert!(created.updated.is_some());

    let elsewhere = client
        .show_key(&Region::new("cn-shanghai"), &created.id)
        .await;
    assert!(
        matches!(&elsewhere, Err(Error::InvalidRequest { message }) if message.contains("cn-hangzhou")),
        "{elsewhere:?}"
    );
}

#[tokio::test]
async fn tencent_key_lives_and_rotates_with_update_api_key() {
    let server = mock().await;
    let client = Target::new(server.url()).tencent();
    let scope = Region::new("ap-guangzhou");
    let (created, rotated) = whole_life(&client, &scope, NewKey::named("inventory"), None).await;
    assert_eq!(rotated.id, created.id, "UpdateApiKey keeps the secretId");
    assert_eq!(created.status, Some(KeyStatus::Enabled));
}

#[tokio::test]
async fn huawei_key_rotates_by_replacement_and_the_old_one_is_gone() {
    let server = mock().await;
    let client = Target::new(server.url()).huawei();
    let scope = huawei_scope();
    let (created, rotated) = whole_life(&client, &scope, NewKey::named("inventory"), None).await;
    assert_ne!(rotated.id, created.id, "a new key replaces the old");
    assert_eq!(rotated.name, created.name, "under the same alias");
    let old = client.show_key(&scope, &created.id).await;
    assert_eq!(old.err().and_then(|e| e.status()), Some(404));
}

#[tokio::test]
async fn huawei_rotation_under_a_full_quota_fails_and_deletes_nothing() {
    let server = mock().await;
    let client = Target::new(server.url()).huawei();
    let scope = huawei_scope();
    let mut present = ids(&client, &scope).await;
    while present.len() < 5 {
        let key = client
            .create_key(&scope, NewKey::named("filler"))
            .await
            .expect("room left");
        present.insert(key.id);
    }
    let oldest = present.iter().next().expect("a key").clone();

    let refused = client.rotate_key(&scope, &oldest, None).await;
    let error = refused.expect_err("no room for the new key");
    assert_eq!(error.code(), Some("APIG.3100"), "{error}");
    assert_eq!(ids(&client, &scope).await, present, "nothing deleted");
    client.show_key(&scope, &oldest).await.expect("still there");
}

#[tokio::test]
async fn azure_rotates_one_slot_and_the_other_keeps_working() {
    let server = mock().await;
    let client = Target::new(server.url()).azure();
    let scope = azure_scope();
    let (created, rotated) = whole_life(
        &client,
        &scope,
        NewKey::named("inventory").with_id("inventory-sub"),
        Some(Slot::Primary),
    )
    .await;
    assert_eq!(created.id, "inventory-sub");
    assert_eq!(
        exposed(rotated.secondary_secret.as_ref()),
        exposed(created.secondary_secret.as_ref()),
        "the secondary slot is untouched"
    );

    let key = client
        .create_key(&scope, NewKey::named("slots"))
        .await
        .expect("created with a drawn sid");
    assert_eq!(key.id.len(), 24);
    let secondary = client
        .rotate_key(&scope, &key.id, Some(Slot::Secondary))
        .await
        .expect("rotated");
    assert_eq!(
        exposed(secondary.key.secret.as_ref()),
        exposed(key.secret.as_ref()),
        "the primary slot is untouched"
    );
    assert_ne!(
        exposed(secondary.key.secondary_secret.as_ref()),
        exposed(key.secondary_secret.as_ref())
    );
    let unnamed = client.rotate_key(&scope, &key.id, None).await;
    assert!(
        matches!(&unnamed, Err(Error::InvalidRequest { message }) if message.contains("slot")),
        "{unnamed:?}"
    );
}

#[tokio::test]
async fn records_print_no_key_value() {
    let server = mock().await;
    let client = Target::new(server.url()).huawei();
    let key = client
        .create_key(&huawei_scope(), NewKey::named("debug"))
        .await
        .expect("created");
    let value = exposed(key.secret.as_ref());
    let printed = format!("{key:?}");
    assert!(!printed.contains(&value), "{printed}");
    assert!(printed.contains("redacted"));
}
