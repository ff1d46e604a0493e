//! The pure core: the config and its texts, the stored record, the decision model, receipts,
//! Global Privacy Control, cookies, events, the summary format, and [`banner`], the state machine
//! of the banner with every transition. Imports no web crate and nothing of [`crate::web`] or
//! [`crate::ui`]: the browser is reached through [`banner::Page`], and time and ids are
//! parameters, so all of it is tested natively.

pub mod banner;
pub mod config;
pub mod consent;
pub mod cookies;
pub mod events;
pub mod gpc;
pub mod map;
pub mod receipt;
pub mod record;
pub mod richtext;
pub mod texts;
