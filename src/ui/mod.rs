//! The Yew components. [`ConsentBanner`] is the root: it wires hooks and views around
//! [`crate::core::banner::Banner`], where the state and every transition live. The leaves take
//! props and hand back callbacks; the summary and the reopen button are view functions.

mod banner;
mod consent_mode;
mod context;
mod first_layer;
pub(crate) mod focus;
mod preferences;
mod reopen;
mod summary;

#[cfg(feature = "ssr")]
pub(crate) use banner::frame;
pub use banner::{Command, Commands, ConsentBanner, ConsentBannerProps, InitialView};
pub use context::{use_consent, Consent, ConsentProvider, ConsentProviderProps};
pub use first_layer::{FirstLayer, FirstLayerProps};
pub use preferences::{CategoryRow, Preferences, PreferencesProps};
