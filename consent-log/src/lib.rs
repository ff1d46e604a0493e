//! # consent-log
//!
//! Receives the consent banner's receipts (README "Consent receipts"), keeps them in a
//! tamper-evident log, and answers "what did consent id X agree to, when, and what exactly did
//! they see". A site owner runs:
//!
//! ```sh
//! CONSENT_LOG_ALLOWED_ORIGINS=https://www.example.org consent-log serve
//! consent-log texts add --config site.json      # the texts each hash stands for
//! consent-log show 3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41
//! consent-log export --from 2026-01-01 --to 2026-01-31 --format csv > january.csv
//! consent-log verify
//! ```
//!
//! [`receipt`] parses the banner's body strictly; [`store`] keeps rows in SQLite or PostgreSQL,
//! chained by [`chain`]; [`server`] is the HTTP side; [`texts`] hashes a site's texts with the
//! banner crate's own code; [`config`] reads the file and the environment.
#![deny(missing_docs)]

pub mod chain;
pub mod config;
pub mod export;
pub mod receipt;
pub mod server;
pub mod store;
pub mod texts;
