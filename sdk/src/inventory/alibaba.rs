//! Alibaba APIG secrets as inventory keys.

use futures::TryStreamExt as _;
use keygate_auth::SecretString;
use rand::distr::{Alphanumeric, SampleString as _};

use super::timestamp::from_epoch_millis;
use super::{KeyInventory, KeyRecord, KeyStatus, NewKey, Region, Rotated, Slot};
use crate::alibaba::{Client, types};
use crate::error::Error;
use crate::paginate::Items;

const VENDOR: &str = "alibaba";

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
            self.list_secrets()
                .into_stream()
                .map_ok(move |secret| record(scope, secret)),
        )
    }

    async fn show_key(&self, scope: &Region, id: &str) -> Result<KeyRecord<Region>, Error> {
        self.check(scope)?;
        let secret = self.get_secret().secret_id(id).send().await?.into_inner();
        Ok(record(scope, secret.data.unwrap_or_default()).with_id(id))
    }

    async fn create_key(&self, scope: &Region, new: NewKey) -> Result<KeyRecord<Region>, Error> {
        self.check(scope)?;
        let name = new
            .name
            .ok_or_else(|| super::invalid("an Alibaba secret needs a name"))?;
        let value = new.value.unwrap_or_else(random_value);
        let body = types::CreateSecretRequest {
            name: Some(
                name.parse()
                    .map_err(|_| super::invalid("the secret name is not valid"))?,
            ),
            secret_data: Some(value.clone()),
            ..types::CreateSecretRequest::default()
        };
        let created = self.create_secret().body(body).send().await?.into_inner();
        let id = created
            .data
            .and_then(|data| data.secret_id)
            .ok_or_else(|| super::invalid("CreateSecret answered without a secretId"))?;
        let mut key = self.show_key(scope, &id).await?;
        key.secret = Some(value);
        Ok(key)
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
        let value = random_value();
        let body = types::UpdateSecretRequest {
            secret_data: value.clone(),
        };
        self.update_secret().secret_id(id).body(body).send().await?;
        let mut key = self.show_key(scope, id).await?;
        key.secret = Some(value);
        Ok(Rotated {
            key,
            slot: None,
            replaced: None,
        })
    }

    async fn revoke_key(&self, scope: &Region, id: &str) -> Result<(), Error> {
        self.check(scope)?;
        self.delete_secret().secret_id(id).send().await?;
        Ok(())
    }
}

impl Client {
    fn check(&self, scope: &Region) -> Result<(), Error> {
        super::check_region(VENDOR, self.inner.region(), scope)
    }
}

fn record(scope: &Region, secret: types::Secret) -> KeyRecord<Region> {
    let mut key = KeyRecord::new(VENDOR, scope.clone(), secret.secret_id.unwrap_or_default());
    key.name = secret.name;
    key.status = secret.status.map(|status| match status {
        types::SecretStatus::Enalbe | types::SecretStatus::Enable => KeyStatus::Enabled,
        types::SecretStatus::Disable => KeyStatus::Disabled,
        types::SecretStatus::Deleted => KeyStatus::Other("DELETED".into()),
    });
    key.created = from_epoch_millis(secret.create_timestamp);
    key.updated = from_epoch_millis(secret.update_timestamp);
    key
}

impl KeyRecord<Region> {
    /// GetSecret's data may leave out the id the caller named.
    fn with_id(mut self, id: &str) -> Self {
        if self.id.is_empty() {
            self.id = id.to_owned();
        }
        self
    }
}

/// A fresh secret value: 32 alphanumeric characters from the OS-seeded generator.
fn random_value() -> SecretString {
    SecretString::from(Alphanumeric.sample_string(&mut rand::rng(), 32))
}
