//! The command line, as clap reads it.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// API keys on Alibaba Cloud APIG, Tencent Cloud API Gateway, Huawei Cloud APIG and Azure API
/// Management, one way for all four.
///
/// Credentials come from the variables the vendors' own SDKs read: ALIBABA_CLOUD_ACCESS_KEY_ID
/// and ALIBABA_CLOUD_ACCESS_KEY_SECRET; TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY;
/// HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; AZURE_ACCESS_TOKEN. Exit codes: 0 success, 1 the
/// service refused or could not be reached, 2 bad usage.
#[derive(Debug, Parser)]
#[command(name = "keygate", version)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Top,
}

/// What to work on.
#[derive(Debug, Subcommand)]
pub(crate) enum Top {
    /// List, show, create, rotate or revoke API keys.
    #[command(subcommand)]
    Keys(KeysCommand),
}

/// The key operations.
#[derive(Debug, Subcommand)]
pub(crate) enum KeysCommand {
    /// Every key in a scope, all pages.
    List {
        /// The vendor whose keys to list.
        #[arg(long, value_enum, required_unless_present = "all_vendors")]
        vendor: Option<Vendor>,
        /// List across every vendor whose credentials are set.
        #[arg(long, conflicts_with = "vendor")]
        all_vendors: bool,
        #[command(flatten)]
        common: Common,
    },
    /// One key.
    Show {
        /// The vendor holding the key.
        #[arg(long, value_enum)]
        vendor: Vendor,
        /// The key's id (Alibaba secretId, Tencent secretId, Huawei key id, Azure sid).
        id: String,
        #[command(flatten)]
        common: Common,
    },
    /// A new key; its value is printed only with --show-secret.
    Create {
        /// The vendor to create the key at.
        #[arg(long, value_enum)]
        vendor: Vendor,
        /// Name or alias of the key.
        #[arg(long)]
        name: String,
        /// An id of your choosing (Azure sid, Tencent custom secretId).
        #[arg(long)]
        id: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// A new value for a key, without a moment when its consumers have none.
    Rotate {
        /// The vendor holding the key.
        #[arg(long, value_enum)]
        vendor: Vendor,
        /// The key's id.
        id: String,
        /// The slot to rotate (Azure only: its subscriptions have two keys).
        #[arg(long, value_enum)]
        slot: Option<SlotArg>,
        #[command(flatten)]
        common: Common,
    },
    /// Delete a key for good (Tencent: disabled first, as the service requires).
    Revoke {
        /// The vendor holding the key.
        #[arg(long, value_enum)]
        vendor: Vendor,
        /// The key's id.
        id: String,
        #[command(flatten)]
        common: Common,
    },
}

/// The gateways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Vendor {
    /// Alibaba Cloud APIG secrets.
    Alibaba,
    /// Tencent Cloud API Gateway API keys.
    Tencent,
    /// Huawei Cloud APIG AI API keys.
    Huawei,
    /// Azure API Management subscriptions.
    Azure,
}

impl Vendor {
    /// Every vendor, in the order listings show them.
    pub(crate) const ALL: [Vendor; 4] = [Self::Alibaba, Self::Tencent, Self::Huawei, Self::Azure];

    /// Its name on the command line and in the SDK's errors.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Alibaba => "alibaba",
            Self::Tencent => "tencent",
            Self::Huawei => "huawei",
            Self::Azure => "azure",
        }
    }
}

/// Azure's key slots.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SlotArg {
    /// primaryKey.
    Primary,
    /// secondaryKey.
    Secondary,
}

/// How output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// JSON for programs.
    Json,
}

/// Flags every key command takes.
#[derive(Debug, Args)]
pub(crate) struct Common {
    /// Call this base URL instead of the vendor's (keygate-mock: http://127.0.0.1:4010).
    #[arg(long, value_name = "URL", env = "KEYGATE_ENDPOINT")]
    pub(crate) endpoint: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub(crate) output: OutputFormat,
    /// Print key values. Without it no key value is ever printed.
    #[arg(long)]
    pub(crate) show_secret: bool,
    #[command(flatten)]
    pub(crate) scope: ScopeArgs,
}

/// Where keys live, vendor by vendor.
#[derive(Debug, Args)]
#[command(next_help_heading = "Scope")]
pub(crate) struct ScopeArgs {
    /// Alibaba region (else ALIBABA_CLOUD_REGION_ID, else cn-hangzhou); Tencent region (else
    /// TENCENTCLOUD_REGION); Huawei endpoint region (else cn-north-4).
    #[arg(long)]
    pub(crate) region: Option<String>,
    /// Huawei project id (else HUAWEICLOUD_SDK_PROJECT_ID).
    #[arg(long)]
    pub(crate) project_id: Option<String>,
    /// Huawei gateway instance id.
    #[arg(long)]
    pub(crate) instance_id: Option<String>,
    /// Huawei application id.
    #[arg(long)]
    pub(crate) app_id: Option<String>,
    /// Azure subscription id (else AZURE_SUBSCRIPTION_ID).
    #[arg(long)]
    pub(crate) subscription_id: Option<String>,
    /// Azure resource group.
    #[arg(long)]
    pub(crate) resource_group: Option<String>,
    /// Azure API Management service name.
    #[arg(long)]
    pub(crate) service: Option<String>,
}
