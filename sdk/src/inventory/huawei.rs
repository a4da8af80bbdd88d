//! Huawei APIG AI API keys as inventory keys.

use futures::TryStreamExt as _;

use super::timestamp::from_rfc3339;
use super::{HuaweiScope, KeyInventory, KeyRecord, NewKey, Rotated, Slot};
use crate::error::Error;
use crate::huawei::{Client, types};
use crate::paginate::Items;

const VENDOR: &str = "huawei";

impl KeyInventory for Client {
    type Scope = HuaweiScope;

    fn vendor(&self) -> &'static str {
        VENDOR
    }

    fn list_keys<'a>(&'a self, scope: &'a HuaweiScope) -> Items<'a, KeyRecord<HuaweiScope>> {
        Box::pin(
            self.list_ai_api_keys()
                .project_id(scope.project_id.as_str())
                .instance_id(scope.instance_id.as_str())
                .app_id(scope.app_id.as_str())
                .into_stream()
                // Lists show keys masked: not a value anyone can use, so not kept.
                .map_ok(move |key| record(scope, key, false)),
        )
    }

    async fn show_key(
        &self,
        scope: &HuaweiScope,
        id: &str,
    ) -> Result<KeyRecord<HuaweiScope>, Error> {
        let key = self
            .show_details_of_ai_api_key()
            .project_id(scope.project_id.as_str())
            .instance_id(scope.instance_id.as_str())
            .app_id(scope.app_id.as_str())
            .ai_api_key_id(id)
            .send()
            .await?
            .into_inner();
        Ok(record(scope, key, true))
    }

    async fn create_key(
        &self,
        scope: &HuaweiScope,
        new: NewKey,
    ) -> Result<KeyRecord<HuaweiScope>, Error> {
        if new.id.is_some() || new.value.is_some() {
            return Err(super::invalid("Huawei draws AI key ids and values itself"));
        }
        let mut body = types::AiApiKeyCreate::default();
        if let Some(name) = new.name {
            body.alias = Some(
                name.parse()
                    .map_err(|_| super::invalid("the AI key alias is not valid"))?,
            );
        }
        let key = self
            .create_ai_api_key()
            .project_id(scope.project_id.as_str())
            .instance_id(scope.instance_id.as_str())
            .app_id(scope.app_id.as_str())
            .body(body)
            .send()
            .await?
            .into_inner();
        Ok(record(scope, key, true))
    }

    /// AI keys cannot be updated: a new key with the old alias comes first, then the old key
    /// goes. With the app's quota full the create is refused, and that refusal is returned
    /// with the old key untouched.
    async fn rotate_key(
        &self,
        scope: &HuaweiScope,
        id: &str,
        slot: Option<Slot>,
    ) -> Result<Rotated<HuaweiScope>, Error> {
        if slot.is_some() {
            return Err(super::slot_error(VENDOR, false));
        }
        let old = self.show_key(scope, id).await?;
        let new = NewKey {
            name: old.name,
            ..NewKey::default()
        };
        let key = self.create_key(scope, new).await?;
        self.revoke_key(scope, id).await?;
        Ok(Rotated {
            key,
            slot: None,
            replaced: Some(id.to_owned()),
        })
    }

    async fn revoke_key(&self, scope: &HuaweiScope, id: &str) -> Result<(), Error> {
        self.delete_ai_api_key()
            .project_id(scope.project_id.as_str())
            .instance_id(scope.instance_id.as_str())
            .app_id(scope.app_id.as_str())
            .ai_api_key_id(id)
            .send()
            .await?;
        Ok(())
    }
}

fn record(
    scope: &HuaweiScope,
    key: types::AiApiKeyBaseInfo,
    in_full: bool,
) -> KeyRecord<HuaweiScope> {
    let mut record = KeyRecord::new(VENDOR, scope.clone(), key.id.unwrap_or_default());
    record.name = key.alias;
    record.created = from_rfc3339(key.create_time.as_deref());
    if in_full {
        record.secret = key.ai_api_key;
    }
    record
}
