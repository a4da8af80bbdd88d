//! Where keys live, vendor by vendor.

use std::fmt;

/// An Alibaba or Tencent region (`cn-hangzhou`, `ap-guangzhou`): the account's keys there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region(String);

impl Region {
    /// The region `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    /// Its name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Huawei APIG application: the AI API keys of one app, in one gateway instance of one
/// project.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HuaweiScope {
    /// The project id.
    pub project_id: String,
    /// The gateway instance id.
    pub instance_id: String,
    /// The application id.
    pub app_id: String,
}

impl HuaweiScope {
    /// The app `app_id` of instance `instance_id` in project `project_id`.
    pub fn new(
        project_id: impl Into<String>,
        instance_id: impl Into<String>,
        app_id: impl Into<String>,
    ) -> Self {
        Self {
            project_id: project_id.into(),
            instance_id: instance_id.into(),
            app_id: app_id.into(),
        }
    }
}

impl fmt::Display for HuaweiScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "project {} / instance {} / app {}",
            self.project_id, self.instance_id, self.app_id
        )
    }
}

/// An Azure API Management service: the subscriptions of one service, in one resource group
/// of one Azure subscription.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AzureScope {
    /// The Azure subscription id.
    pub subscription_id: String,
    /// The resource group.
    pub resource_group: String,
    /// The API Management service name.
    pub service: String,
}

impl AzureScope {
    /// The service `service` in `resource_group` of Azure subscription `subscription_id`.
    pub fn new(
        subscription_id: impl Into<String>,
        resource_group: impl Into<String>,
        service: impl Into<String>,
    ) -> Self {
        Self {
            subscription_id: subscription_id.into(),
            resource_group: resource_group.into(),
            service: service.into(),
        }
    }
}

impl fmt::Display for AzureScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "subscription {} / resource group {} / service {}",
            self.subscription_id, self.resource_group, self.service
        )
    }
}
