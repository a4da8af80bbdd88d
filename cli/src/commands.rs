//! The key commands, run against any vendor's inventory.

use std::io::IsTerminal as _;

use futures::TryStreamExt as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use keygate_sdk::inventory::{KeyInventory, NewKey, Slot};

use crate::args::SlotArg;
use crate::failure::Failure;
use crate::output::{Outcome, Row};
use crate::session::Session;

/// One key command, its vendor aside.
pub(crate) enum Action {
    /// Every key in the scope.
    List,
    /// One key.
    Show(String),
    /// A new key.
    Create(NewKey),
    /// A key's new value.
    Rotate(String, Option<SlotArg>),
    /// A key deleted.
    Revoke(String),
}

impl Session {
    /// Runs `action` with this session's client and scope.
    pub(crate) async fn run(&self, action: Action) -> Result<Outcome, Failure> {
        match self {
            Self::Alibaba(client, scope) => run(client, scope, action).await,
            Self::Tencent(client, scope) => run(client, scope, action).await,
            Self::Huawei(client, scope) => run(client, scope, action).await,
            Self::Azure(client, scope) => run(client, scope, action).await,
        }
    }

    /// Every key in this session's scope.
    pub(crate) async fn list(&self) -> Result<Vec<Row>, Failure> {
        match self {
            Self::Alibaba(client, scope) => list(client, scope).await,
            Self::Tencent(client, scope) => list(client, scope).await,
            Self::Huawei(client, scope) => list(client, scope).await,
            Self::Azure(client, scope) => list(client, scope).await,
        }
    }
}

async fn run<C: KeyInventory>(
    client: &C,
    scope: &C::Scope,
    action: Action,
) -> Result<Outcome, Failure> {
    Ok(match action {
        Action::List => Outcome::Keys(list(client, scope).await?),
        Action::Show(id) => Outcome::Key(client.show_key(scope, &id).await?.into()),
        Action::Create(new) => Outcome::Key(client.create_key(scope, new).await?.into()),
        Action::Rotate(id, slot) => {
            let slot = slot.map(|slot| match slot {
                SlotArg::Primary => Slot::Primary,
                SlotArg::Secondary => Slot::Secondary,
            });
            client.rotate_key(scope, &id, slot).await?.into()
        }
        Action::Revoke(id) => {
            client.revoke_key(scope, &id).await?;
            Outcome::Revoked {
                vendor: client.vendor(),
                id,
            }
        }
    })
}

/// Every page, with a spinner counting keys on stderr when stderr is a terminal.
async fn list<C: KeyInventory>(client: &C, scope: &C::Scope) -> Result<Vec<Row>, Failure> {
    let progress = spinner(client.vendor());
    let mut rows = Vec::new();
    let mut keys = client.list_keys(scope);
    while let Some(key) = keys.try_next().await? {
        rows.push(Row::from(key));
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(rows)
}

fn spinner(vendor: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} listing {msg} keys: {pos}")
        .expect("a valid template");
    bar.set_style(style);
    bar.set_message(vendor.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
