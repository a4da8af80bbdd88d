//! Azure API Management subscriptions as inventory keys.

use futures::TryStreamExt as _;
use rand::Rng as _;

use super::timestamp::from_rfc3339;
use super::{AzureScope, KeyInventory, KeyRecord, KeyStatus, NewKey, Rotated, Slot};
use crate::azure::{Client, types};
use crate::error::Error;
use crate::paginate::Items;

const VENDOR: &str = "azure";

/// The scope of a subscription created without one: every API of the service.
const ALL_APIS: &str = "/apis";

impl KeyInventory for Client {
    type Scope = AzureScope;

    fn vendor(&self) -> &'static str {
        VENDOR
    }

    fn list_keys<'a>(&'a self, scope: &'a AzureScope) -> Items<'a, KeyRecord<AzureScope>> {
        Box::pin(
            self.subscription_list()
                .subscription_id(scope.subscription_id.as_str())
                .resource_group_name(scope.resource_group.as_str())
                .service_name(scope.service.as_str())
                .into_stream()
                .map_ok(move |subscription| record(scope, subscription)),
        )
    }

    async fn show_key(&self, scope: &AzureScope, id: &str) -> Result<KeyRecord<AzureScope>, Error> {
        let subscription = self
            .subscription_get()
            .subscription_id(scope.subscription_id.as_str())
            .resource_group_name(scope.resource_group.as_str())
            .service_name(scope.service.as_str())
            .sid(id)
            .send()
            .await?
            .into_inner();
        Ok(record(scope, subscription))
    }

    async fn create_key(
        &self,
        scope: &AzureScope,
        new: NewKey,
    ) -> Result<KeyRecord<AzureScope>, Error> {
        let name = new
            .name
            .ok_or_else(|| super::invalid("an Azure subscription needs a display name"))?;
        if new.value.is_some() {
            return Err(super::invalid("Azure draws subscription keys itself"));
        }
        let sid = new.id.unwrap_or_else(new_sid);
        let properties = types::SubscriptionCreateParameterProperties {
            display_name: name
                .parse()
                .map_err(|_| super::invalid("the display name is not valid"))?,
            scope: ALL_APIS.to_owned(),
            allow_tracing: None,
            owner_id: None,
            primary_key: None,
            secondary_key: None,
            state: Some(types::SubscriptionCreateParameterPropertiesState::Active),
        };
        let body = types::SubscriptionCreateParameters { properties };
        let created = self
            .subscription_create_or_update()
            .subscription_id(scope.subscription_id.as_str())
            .resource_group_name(scope.resource_group.as_str())
            .service_name(scope.service.as_str())
            .sid(sid.as_str())
            .body(body)
            .send()
            .await?
            .into_inner();
        let mut key = record(scope, created);
        self.fill_secrets(scope, &mut key).await?;
        Ok(key)
    }

    /// Regenerates the named slot only, so clients on the other slot keep working.
    async fn rotate_key(
        &self,
        scope: &AzureScope,
        id: &str,
        slot: Option<Slot>,
    ) -> Result<Rotated<AzureScope>, Error> {
        let slot = slot.ok_or_else(|| super::slot_error(VENDOR, true))?;
        match slot {
            Slot::Primary => {
                self.subscription_regenerate_primary_key()
                    .subscription_id(scope.subscription_id.as_str())
                    .resource_group_name(scope.resource_group.as_str())
                    .service_name(scope.service.as_str())
                    .sid(id)
                    .send()
                    .await?;
            }
            Slot::Secondary => {
                self.subscription_regenerate_secondary_key()
                    .subscription_id(scope.subscription_id.as_str())
                    .resource_group_name(scope.resource_group.as_str())
                    .service_name(scope.service.as_str())
                    .sid(id)
                    .send()
                    .await?;
            }
        }
        let mut key = self.show_key(scope, id).await?;
        self.fill_secrets(scope, &mut key).await?;
        Ok(Rotated {
            key,
            slot: Some(slot),
            replaced: None,
        })
    }

    async fn revoke_key(&self, scope: &AzureScope, id: &str) -> Result<(), Error> {
        let head = self
            .subscription_get_entity_tag()
            .subscription_id(scope.subscription_id.as_str())
            .resource_group_name(scope.resource_group.as_str())
            .service_name(scope.service.as_str())
            .sid(id)
            .send()
            .await?;
        let etag = head.etag().unwrap_or("*").to_owned();
        self.subscription_delete()
            .subscription_id(scope.subscription_id.as_str())
            .resource_group_name(scope.resource_group.as_str())
            .service_name(scope.service.as_str())
            .sid(id)
            .if_match(etag)
            .send()
            .await?;
        Ok(())
    }
}

impl Client {
    /// GET never shows keys: listSecrets does.
    async fn fill_secrets(
        &self,
        scope: &AzureScope,
        key: &mut KeyRecord<AzureScope>,
    ) -> Result<(), Error> {
        let keys = self
            .subscription_list_secrets()
            .subscription_id(scope.subscription_id.as_str())
            .resource_group_name(scope.resource_group.as_str())
            .service_name(scope.service.as_str())
            .sid(key.id.as_str())
            .send()
            .await?
            .into_inner();
        key.secret = keys.primary_key;
        key.secondary_secret = keys.secondary_key;
        Ok(())
    }
}

fn record(scope: &AzureScope, subscription: types::SubscriptionContract) -> KeyRecord<AzureScope> {
    let mut record = KeyRecord::new(VENDOR, scope.clone(), subscription.name.unwrap_or_default());
    if let Some(properties) = subscription.properties {
        record.name = properties.display_name;
        record.status = properties.state.as_deref().map(status);
        record.created = from_rfc3339(properties.created_date.as_deref());
        record.secret = properties.primary_key;
        record.secondary_secret = properties.secondary_key;
    }
    record
}

/// ARM's subscription states.
fn status(state: &str) -> KeyStatus {
    match state {
        "active" => KeyStatus::Enabled,
        "submitted" => KeyStatus::Pending,
        "suspended" | "cancelled" | "expired" | "rejected" => KeyStatus::Disabled,
        other => KeyStatus::Other(other.to_owned()),
    }
}

/// A new subscription id in the form the portal uses: 24 hexadecimal digits.
fn new_sid() -> String {
    let bytes: [u8; 12] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
