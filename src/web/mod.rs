//! The browser edge: the page (clock, ids, events, cookies, the host element) and localStorage,
//! over web-sys.

pub mod dom;
pub mod page;
pub mod storage;
