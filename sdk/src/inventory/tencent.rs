//! Tencent API Gateway API keys as inventory keys.

use futures::TryStreamExt as _;

use super::timestamp::from_rfc3339;
use super::{KeyInventory, KeyRecord, KeyStatus, NewKey, Region, Rotated, Slot};
use crate::error::Error;
use crate::paginate::Items;
use crate::tencent::{Client, types};

const VENDOR: &str = "tencent";

impl KeyInventory for Client {
    type Scope = Region;

    fn vendor(&self) -> &'static str {
        VENDOR
    }

    fn list_keys<'a>(&'a self, scope: &'a Region) -> Items<'a, KeyRecord<Region>> {
        if let Err(refused) = self.check(scope) {
            return super::failed(refused);
        }
        Box::pin(
            self.describe_api_keys_status()
                .into_stream()
                .map_ok(move |key| listed(scope, key)),
        )
    }

    async fn show_key(&self, scope: &Region, id: &str) -> Result<KeyRecord<Region>, Error> {
        self.check(scope)?;
        let key = self
            .describe_api_key()
            .secret_id(id)
            .send()
            .await?
            .into_inner();
        let mut record = KeyRecord::new(VENDOR, scope.clone(), key.secret_id.unwrap_or_default());
        record.name = key.secret_name;
        record.status = key.status.map(status);
        record.created = from_rfc3339(key.created_time.as_deref());
        record.updated = from_rfc3339(key.modified_time.as_deref());
        record.secret = key.secret_key;
        Ok(record)
    }

    async fn create_key(&self, scope: &Region, new: NewKey) -> Result<KeyRecord<Region>, Error> {
        self.check(scope)?;
        let name = new
            .name
            .ok_or_else(|| super::invalid("a Tencent API key needs a name"))?;
        let mut create = self.create_api_key().secret_name(name);
        if let Some(id) = new.id {
            create = create.secret_id(id);
        }
        if let Some(value) = new.value {
            create = create
                .secret_key(value)
                .type_(types::CreateApiKeyType::Manual);
        }
        let created = create.send().await?.into_inner();
        let id = created
            .secret_id
            .ok_or_else(|| super::invalid("CreateApiKey answered without a secretID"))?;
        self.show_key(scope, &id).await
    }

    async fn rotate_key(
        &self,
        scope: &Region,
        id: &str,
        slot: Option<Slot>,
    ) -> Result<Rotated<Region>, Error> {
        if slot.is_some() {
            return Err(super::slot_error(VENDOR, false));
        }
        self.check(scope)?;
        let updated = self
            .update_api_key()
            .secret_id(id)
            .send()
            .await?
            .into_inner();
        let mut key = self.show_key(scope, id).await?;
        // The update's own answer is the one that surely carries the new secretKey.
        if updated.secret_key.is_some() {
            key.secret = updated.secret_key;
        }
        Ok(Rotated {
            key,
            slot: None,
            replaced: None,
        })
    }

    async fn revoke_key(&self, scope: &Region, id: &str) -> Result<(), Error> {
        let key = self.show_key(scope, id).await?;
        // The service deletes only disabled keys.
        if key.status != Some(KeyStatus::Disabled) {
            self.disable_api_key().secret_id(id).send().await?;
        }
        self.delete_api_key().secret_id(id).send().await?;
        Ok(())
    }
}

impl Client {
    fn check(&self, scope: &Region) -> Result<(), Error> {
        super::check_region(VENDOR, self.inner.region(), scope)
    }
}

fn listed(scope: &Region, key: types::ApiKeyStatus) -> KeyRecord<Region> {
    let mut record = KeyRecord::new(VENDOR, scope.clone(), key.secret_id.unwrap_or_default());
    record.name = key.secret_name;
    record.status = key.status.map(status);
    record.created = from_rfc3339(key.created_time.as_deref());
    record.updated = from_rfc3339(key.modified_time.as_deref());
    record
}

/// Tencent's numeric status: 1 enabled, 0 disabled.
fn status(code: i64) -> KeyStatus {
    match code {
        1 => KeyStatus::Enabled,
        0 => KeyStatus::Disabled,
        other => KeyStatus::Other(other.to_string()),
    }
}
