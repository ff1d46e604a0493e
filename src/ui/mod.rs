//! The Yew components. [`ConsentBanner`] is the root: it owns the state and runs every side effect
//! (save, then emit). The leaves take props and hand back callbacks.

mod banner;
mod first_layer;
pub(crate) mod focus;
mod preferences;
mod reopen;
mod summary;

pub use banner::{Command, Commands, ConsentBanner, ConsentBannerProps, InitialView};
pub use first_layer::FirstLayer;
pub use preferences::{CategoryRow, Preferences};
pub use reopen::ReopenButton;
pub use summary::Summary;
