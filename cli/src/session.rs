//! A vendor's client and scope, made from the flags and the environment.

use std::env;

use keygate_sdk::inventory::{AzureScope, HuaweiScope, Region};
use keygate_sdk::{ClientOptions, alibaba, azure, huawei, tencent};

use crate::args::{Common, ScopeArgs, Vendor};
use crate::failure::Failure;

/// A client ready to call, with the scope its commands work in.
pub(crate) enum Session {
    /// Alibaba: the client of one region.
    Alibaba(alibaba::Client, Region),
    /// Tencent: the client of one region.
    Tencent(tencent::Client, Region),
    /// Huawei: one app's AI keys.
    Huawei(huawei::Client, HuaweiScope),
    /// Azure: one service's subscriptions.
    Azure(azure::Client, AzureScope),
}

impl Session {
    /// The vendor's client over the vendor's credentials variables, and its scope.
    pub(crate) fn open(vendor: Vendor, common: &Common) -> Result<Self, Failure> {
        let options = options(common);
        let scope = &common.scope;
        Ok(match vendor {
            Vendor::Alibaba => {
                let region = flag_or_env(&scope.region, "ALIBABA_CLOUD_REGION_ID")
                    .unwrap_or_else(|| "cn-hangzhou".to_owned());
                let client = alibaba::Client::builder(alibaba::Credentials::from_env()?)
                    .region(region.as_str())
                    .options(options)
                    .build()?;
                Self::Alibaba(client, Region::new(region))
            }
            Vendor::Tencent => {
                let region = flag_or_env(&scope.region, "TENCENTCLOUD_REGION")
                    .ok_or_else(|| missing("--region (or TENCENTCLOUD_REGION)", vendor))?;
                let client = tencent::Client::builder(tencent::Credentials::from_env()?)
                    .region(region.as_str())
                    .options(options)
                    .build()?;
                Self::Tencent(client, Region::new(region))
            }
            Vendor::Huawei => {
                let scope = huawei_scope(scope)?;
                let region = common
                    .scope
                    .region
                    .clone()
                    .unwrap_or_else(|| "cn-north-4".to_owned());
                let client = huawei::Client::builder(huawei::Credentials::from_env()?)
                    .region(region.as_str())
                    .project_id(scope.project_id.as_str())
                    .options(options)
                    .build()?;
                Self::Huawei(client, scope)
            }
            Vendor::Azure => {
                let scope = azure_scope(scope)?;
                let client = azure::Client::builder(azure::Credentials::from_env()?)
                    .options(options)
                    .build()?;
                Self::Azure(client, scope)
            }
        })
    }
}

/// Whether the vendor's credentials variables are set (as the SDK reads them: blank is
/// unset), for `--all-vendors`.
pub(crate) fn has_credentials(vendor: Vendor) -> bool {
    match vendor {
        Vendor::Alibaba => alibaba::Credentials::from_env().is_ok(),
        Vendor::Tencent => tencent::Credentials::from_env().is_ok(),
        Vendor::Huawei => huawei::Credentials::from_env().is_ok(),
        Vendor::Azure => azure::Credentials::from_env().is_ok(),
    }
}

fn options(common: &Common) -> ClientOptions {
    match &common.endpoint {
        Some(endpoint) => ClientOptions::default().endpoint(endpoint.clone()),
        None => ClientOptions::default(),
    }
}

fn huawei_scope(scope: &ScopeArgs) -> Result<HuaweiScope, Failure> {
    let vendor = Vendor::Huawei;
    let project = flag_or_env(&scope.project_id, "HUAWEICLOUD_SDK_PROJECT_ID")
        .ok_or_else(|| missing("--project-id (or HUAWEICLOUD_SDK_PROJECT_ID)", vendor))?;
    let instance = scope
        .instance_id
        .clone()
        .ok_or_else(|| missing("--instance-id", vendor))?;
    let app = scope
        .app_id
        .clone()
        .ok_or_else(|| missing("--app-id", vendor))?;
    Ok(HuaweiScope::new(project, instance, app))
}

fn azure_scope(scope: &ScopeArgs) -> Result<AzureScope, Failure> {
    let vendor = Vendor::Azure;
    let subscription = flag_or_env(&scope.subscription_id, "AZURE_SUBSCRIPTION_ID")
        .ok_or_else(|| missing("--subscription-id (or AZURE_SUBSCRIPTION_ID)", vendor))?;
    let group = scope
        .resource_group
        .clone()
        .ok_or_else(|| missing("--resource-group", vendor))?;
    let service = scope
        .service
        .clone()
        .ok_or_else(|| missing("--service", vendor))?;
    Ok(AzureScope::new(subscription, group, service))
}

fn flag_or_env(flag: &Option<String>, variable: &str) -> Option<String> {
    flag.clone()
        .or_else(|| env::var(variable).ok().filter(|v| !v.is_empty()))
}

fn missing(what: &str, vendor: Vendor) -> Failure {
    Failure::Usage(format!("{} keys need {what}", vendor.name()))
}
