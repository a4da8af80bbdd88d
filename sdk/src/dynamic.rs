//! Any operation of any vendor, called by name with JSON arguments (feature `dynamic`).
//!
//! For tools driven by the specs rather than by code: contract tests that walk every
//! documented operation, a command line, a proxy. Arguments are keyed by their wire names
//! (as in the spec), the request body is `"body"`; the answer is the typed response turned
//! back into JSON, so it went through the same decoding as a typed call.
//!
//! ```no_run
//! # async fn example() -> Result<(), keygate_sdk::Error> {
//! use keygate_sdk::dynamic::{Config, Credential, connect};
//! use keygate_sdk::{ClientOptions, SecretString};
//!
//! let config = Config::new(Credential::Token(SecretString::from("iam-token")))
//!     .options(ClientOptions::default().endpoint("http://127.0.0.1:4010"));
//! let client = connect("huawei", config)?;
//! let page = client
//!     .call("ListAiApiKeys", &serde_json::json!({
//!         "project_id": "77b6a44cba5143ab91d13ab9a8ff44fd",
//!         "instance_id": "eddc4d25480b4cd6b512f270a1b8b341",
//!         "app_id": "9ed8b7fe84224de681e7d7a5587e76dc",
//!     }))
//!     .await?;
//! println!("{}", page["total"]);
//! # Ok(())
//! # }
//! ```

pub use crate::runtime::dynamic::{
    AccessKey, Config, Credential, DynClient, WireVariants, connect, vendors, wire_variants,
};
