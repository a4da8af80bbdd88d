//! What a command prints: a table for people or JSON for programs, key values only when asked.

use std::fmt::Display;

use keygate_sdk::SecretString;
use keygate_sdk::inventory::{KeyRecord, Rotated};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::args::OutputFormat;

/// One key, whichever vendor holds it.
pub(crate) struct Row {
    vendor: &'static str,
    scope: String,
    id: String,
    name: Option<String>,
    status: Option<String>,
    created: Option<OffsetDateTime>,
    updated: Option<OffsetDateTime>,
    secret: Option<SecretString>,
    secondary_secret: Option<SecretString>,
}

impl<S: Display> From<KeyRecord<S>> for Row {
    fn from(key: KeyRecord<S>) -> Self {
        Self {
            vendor: key.vendor,
            scope: key.scope.to_string(),
            id: key.id,
            name: key.name,
            status: key.status.map(|s| s.to_string()),
            created: key.created,
            updated: key.updated,
            secret: key.secret,
            secondary_secret: key.secondary_secret,
        }
    }
}

/// What a command did.
pub(crate) enum Outcome {
    /// A listing.
    Keys(Vec<Row>),
    /// One key: shown or created.
    Key(Row),
    /// A rotation: the key in force, the slot that changed, the key it replaced.
    Rotated {
        /// The key now in force.
        key: Row,
        /// Azure's slot.
        slot: Option<String>,
        /// Huawei's replaced key.
        replaced: Option<String>,
    },
    /// A revocation.
    Revoked {
        /// The vendor.
        vendor: &'static str,
        /// The key revoked.
        id: String,
    },
}

impl<S: Display> From<Rotated<S>> for Outcome {
    fn from(rotated: Rotated<S>) -> Self {
        Self::Rotated {
            key: rotated.key.into(),
            slot: rotated.slot.map(|s| s.to_string()),
            replaced: rotated.replaced,
        }
    }
}

impl Outcome {
    /// The text to print on stdout.
    pub(crate) fn render(&self, format: OutputFormat, show_secret: bool) -> String {
        match format {
            OutputFormat::Json => {
                let value = self.json(show_secret);
                serde_json::to_string_pretty(&value).expect("JSON values serialize") + "\n"
            }
            OutputFormat::Table => self.table(show_secret),
        }
    }

    fn json(&self, show_secret: bool) -> Value {
        match self {
            Self::Keys(rows) => rows.iter().map(|r| r.json(show_secret)).collect(),
            Self::Key(row) => row.json(show_secret),
            Self::Rotated {
                key,
                slot,
                replaced,
            } => json!({"key": key.json(show_secret), "slot": slot, "replaced": replaced}),
            Self::Revoked { vendor, id } => json!({"vendor": vendor, "revoked": id}),
        }
    }

    fn table(&self, show_secret: bool) -> String {
        match self {
            Self::Keys(rows) => table(rows, show_secret),
            Self::Key(row) => table(std::slice::from_ref(row), show_secret),
            Self::Rotated {
                key,
                slot,
                replaced,
            } => {
                let mut text = table(std::slice::from_ref(key), show_secret);
                if let Some(slot) = slot {
                    text.push_str(&format!("rotated the {slot} key\n"));
                }
                if let Some(replaced) = replaced {
                    text.push_str(&format!("replaced and deleted key {replaced}\n"));
                }
                text
            }
            Self::Revoked { vendor, id } => format!("revoked {vendor} key {id}\n"),
        }
    }
}

impl Row {
    fn json(&self, show_secret: bool) -> Value {
        let mut object = Map::new();
        object.insert("vendor".into(), self.vendor.into());
        object.insert("scope".into(), self.scope.clone().into());
        object.insert("id".into(), self.id.clone().into());
        object.insert("name".into(), self.name.clone().into());
        object.insert("status".into(), self.status.clone().into());
        object.insert("created".into(), timestamp(self.created).into());
        object.insert("updated".into(), timestamp(self.updated).into());
        if show_secret {
            object.insert("secret".into(), exposed(&self.secret).into());
            if self.secondary_secret.is_some() {
                let secondary = exposed(&self.secondary_secret);
                object.insert("secondary_secret".into(), secondary.into());
            }
        }
        Value::Object(object)
    }

    fn cells(&self, show_secret: bool) -> Vec<String> {
        let mut cells = vec![
            self.vendor.to_owned(),
            self.id.clone(),
            self.name.clone().unwrap_or_default(),
            self.status.clone().unwrap_or_default(),
            timestamp(self.created).unwrap_or_default(),
            timestamp(self.updated).unwrap_or_default(),
            self.scope.clone(),
        ];
        if show_secret {
            cells.push(exposed(&self.secret).unwrap_or_default());
            cells.push(exposed(&self.secondary_secret).unwrap_or_default());
        }
        cells
    }
}

fn table(rows: &[Row], show_secret: bool) -> String {
    let mut header: Vec<String> = [
        "VENDOR", "ID", "NAME", "STATUS", "CREATED", "UPDATED", "SCOPE",
    ]
    .map(String::from)
    .to_vec();
    if show_secret {
        header.push("SECRET".into());
        header.push("SECONDARY".into());
    }
    let lines: Vec<Vec<String>> = std::iter::once(header)
        .chain(rows.iter().map(|row| row.cells(show_secret)))
        .collect();
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|column| {
            let widest = lines.iter().map(|l| l[column].chars().count()).max();
            widest.unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for line in &lines {
        let padded: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(padded.join("  ").trim_end());
        text.push('\n');
    }
    text
}

fn timestamp(at: Option<OffsetDateTime>) -> Option<String> {
    at.and_then(|at| at.format(&Rfc3339).ok())
}

/// The value itself: only called when the user asked for it with --show-secret.
fn exposed(secret: &Option<SecretString>) -> Option<String> {
    secret.as_ref().map(|s| s.expose_secret().to_owned())
}
