//! Small maps and sets keyed by category id or language: sorted `Vec`s, with the part of
//! `BTreeMap`'s and `BTreeSet`'s API this crate uses (iteration in key order, `get`, `insert`,
//! `map["id"]`, `collect()`, `[(k, v)].into()`). A banner has a handful of entries; a B-tree costs
//! kilobytes of wasm for each value type.

use std::fmt;
use std::ops::Index;

/// A map from `String` keys to `V`, sorted by key.
///
/// ```
/// use consent_banner::map::Map;
///
/// // From an array or any iterator of pairs whose keys convert into `String`.
/// let mut map = Map::from([("statistics", true), ("functional", false)]);
/// let copy: Map<bool> = map.iter().map(|(id, on)| (id.clone(), *on)).collect();
/// assert_eq!(map, copy);
/// map.extend([("essential", true)]);
/// assert_eq!(map.keys().collect::<Vec<_>>(), ["essential", "functional", "statistics"]);
/// assert!(map["statistics"]);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Map<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for Map<V> {
    fn default() -> Self {
        Map::new()
    }
}

impl<V> Map<V> {
    /// An empty map.
    ///
    /// ```
    /// # use consent_banner::map::Map;
    /// let map: Map<bool> = Map::new();
    /// assert!(map.is_empty());
    /// ```
    pub const fn new() -> Self {
        Map {
            entries: Vec::new(),
        }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of `key`.
    ///
    /// ```
    /// # use consent_banner::map::Map;
    /// let map = Map::from([("statistics", true)]);
    /// assert_eq!(map.get("statistics"), Some(&true));
    /// assert_eq!(map.get("ads"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&V> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// The value of `key`, to change it.
    ///
    /// ```
    /// # use consent_banner::map::Map;
    /// let mut map = Map::from([("statistics", true)]);
    /// if let Some(on) = map.get_mut("statistics") {
    ///     *on = false;
    /// }
    /// assert_eq!(map["statistics"], false);
    /// ```
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    /// Whether `key` has a value.
    ///
    /// ```
    /// # use consent_banner::map::Map;
    /// let map = Map::from([("statistics", true)]);
    /// assert!(map.contains_key("statistics") && !map.contains_key("ads"));
    /// ```
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets the value of `key`; the previous value, if any.
    ///
    /// ```
    /// # use consent_banner::map::Map;
    /// let mut map = Map::new();
    /// assert_eq!(map.insert("statistics".to_string(), true), None);
    /// assert_eq!(map.insert("statistics".to_string(), false), Some(true));
    /// ```
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Whether there are no entries.
    ///
    /// ```
    /// # use consent_banner::map::Map;
    /// assert!(Map::<bool>::new().is_empty());
    /// assert!(!Map::from([("statistics", true)]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in key order.
    ///
    /// ```
    /// # use consent_banner::map::Map;
    /// let map = Map::from([("statistics", true), ("functional", false)]);
    /// let on: Vec<&String> = map.iter().filter(|(_, on)| **on).map(|(id, _)| id).collect();
    /// assert_eq!(on, ["statistics"]);
    /// ```
    pub fn iter(&self) -> Iter<'_, V> {
        Iter(self.entries.iter())
    }

    /// The keys, in order.
    ///
    /// ```
    /// # use consent_banner::map::Map;
    /// let map = Map::from([("statistics", 1), ("functional", 2)]);
    /// assert_eq!(map.keys().collect::<Vec<_>>(), ["functional", "statistics"]);
    /// ```
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }
}

/// The entries of a [`Map`], in key order.
///
/// ```
/// # use consent_banner::map::Map;
/// let map = Map::from([("statistics", true), ("functional", false)]);
/// let mut entries = map.iter();
/// assert_eq!(entries.len(), 2);
/// assert_eq!(entries.next(), Some((&"functional".to_string(), &false)));
/// ```
#[derive(Clone)]
pub struct Iter<'a, V>(std::slice::Iter<'a, (String, V)>);

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a String, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<V> ExactSizeIterator for Iter<'_, V> {}

impl<'a, V> IntoIterator for &'a Map<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}

impl<V> IntoIterator for Map<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// From any keys that convert into `String` (`&str`, `String`, …):
/// `[("statistics", true)].into_iter().collect::<Map<bool>>()`. Later entries replace earlier
/// ones with the same key, as in a `BTreeMap`.
impl<K: Into<String>, V> FromIterator<(K, V)> for Map<V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut map = Map::new();
        map.extend(entries);
        map
    }
}

impl<K: Into<String>, V> Extend<(K, V)> for Map<V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        for (key, value) in entries {
            self.insert(key.into(), value);
        }
    }
}

/// `Map::from([("statistics", true)])`, with `&str` or `String` keys.
impl<K: Into<String>, V, const N: usize> From<[(K, V); N]> for Map<V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

/// `map["statistics"]`; panics when the key is missing, as a `BTreeMap` does.
impl<V, Q: AsRef<str> + ?Sized> Index<&Q> for Map<V> {
    type Output = V;
    fn index(&self, key: &Q) -> &V {
        match self.get(key.as_ref()) {
            Some(value) => value,
            None => panic!("no entry for key"),
        }
    }
}

impl<V: fmt::Debug> fmt::Debug for Map<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A set of `String`s, sorted.
///
/// ```
/// use consent_banner::map::Set;
///
/// let set: Set = ["statistics".to_string(), "essential".to_string()].into_iter().collect();
/// assert_eq!(set.iter().collect::<Vec<_>>(), ["essential", "statistics"]);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Set {
    items: Vec<String>,
}

impl Set {
    /// An empty set.
    ///
    /// ```
    /// # use consent_banner::map::Set;
    /// assert_eq!(Set::new().iter().count(), 0);
    /// ```
    pub const fn new() -> Self {
        Set { items: Vec::new() }
    }

    fn find(&self, item: &str) -> Result<usize, usize> {
        self.items.binary_search_by(|i| i.as_str().cmp(item))
    }

    /// Adds `item`; `false` when it was there already.
    ///
    /// ```
    /// # use consent_banner::map::Set;
    /// let mut set = Set::new();
    /// assert!(set.insert("statistics".to_string()));
    /// assert!(!set.insert("statistics".to_string()));
    /// ```
    pub fn insert(&mut self, item: String) -> bool {
        match self.find(&item) {
            Ok(_) => false,
            Err(i) => {
                self.items.insert(i, item);
                true
            }
        }
    }

    /// Whether `item` is in the set.
    ///
    /// ```
    /// # use consent_banner::map::Set;
    /// let set: Set = ["statistics".to_string()].into_iter().collect();
    /// assert!(set.contains("statistics") && !set.contains("ads"));
    /// ```
    pub fn contains(&self, item: &str) -> bool {
        self.find(item).is_ok()
    }

    /// The items, in order.
    ///
    /// ```
    /// # use consent_banner::map::Set;
    /// let set: Set = ["b".to_string(), "a".to_string()].into_iter().collect();
    /// assert_eq!(set.iter().map(String::as_str).collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, String> {
        self.items.iter()
    }

    /// The items that are not in `other`, in order.
    ///
    /// ```
    /// # use consent_banner::map::Set;
    /// let before: Set = ["essential".to_string(), "statistics".to_string()].into_iter().collect();
    /// let after: Set = ["essential".to_string()].into_iter().collect();
    /// assert_eq!(before.difference(&after).collect::<Vec<_>>(), ["statistics"]);
    /// ```
    pub fn difference<'a>(&'a self, other: &'a Set) -> impl Iterator<Item = &'a String> {
        self.items.iter().filter(|item| !other.contains(item))
    }
}

impl<'a> IntoIterator for &'a Set {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl IntoIterator for Set {
    type Item = String;
    type IntoIter = std::vec::IntoIter<String>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<String> for Set {
    fn from_iter<I: IntoIterator<Item = String>>(items: I) -> Self {
        let mut set = Set::new();
        for item in items {
            set.insert(item);
        }
        set
    }
}

impl<const N: usize> From<[String; N]> for Set {
    fn from(items: [String; N]) -> Self {
        items.into_iter().collect()
    }
}

impl fmt::Debug for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// A JSON object, as a `BTreeMap` is.
#[cfg(feature = "serde")]
impl<V: serde::Serialize> serde::Serialize for Map<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// From a JSON object, as a `BTreeMap` is (a repeated key keeps its last value).
#[cfg(feature = "serde")]
impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for Map<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, V>::deserialize(deserializer)?;
        Ok(map.into_iter().collect())
    }
}

/// The schema of a `BTreeMap<String, V>`.
#[cfg(feature = "schema")]
impl<V: schemars::JsonSchema> schemars::JsonSchema for Map<V> {
    fn inline_schema() -> bool {
        <std::collections::BTreeMap<String, V>>::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<String, V>>::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<String, V>>::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<String, V>>::json_schema(generator)
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    proptest! {
        /// The same operations give the same contents as a BTreeMap / BTreeSet.
        #[test]
        fn behaves_as_the_b_tree_collections(
            ops in prop::collection::vec((0u8..3, "[a-d]{0,2}", any::<bool>()), 0..40),
        ) {
            let (mut map, mut tree) = (Map::new(), BTreeMap::new());
            let (mut set, mut tree_set) = (Set::new(), BTreeSet::new());
            for (op, key, value) in ops {
                match op {
                    0 | 1 => {
                        prop_assert_eq!(map.insert(key.clone(), value), tree.insert(key.clone(), value));
                        prop_assert_eq!(set.insert(key.clone()), tree_set.insert(key));
                    }
                    _ => {
                        prop_assert_eq!(map.get(&key), tree.get(&key));
                        prop_assert_eq!(map.contains_key(&key), tree.contains_key(&key));
                        prop_assert_eq!(set.contains(&key), tree_set.contains(&key));
                    }
                }
                prop_assert!(map.iter().eq(tree.iter()));
                prop_assert!(set.iter().eq(tree_set.iter()));
                prop_assert_eq!(map.keys().len(), tree.len());
                prop_assert_eq!(format!("{map:?} {set:?}"), format!("{tree:?} {tree_set:?}"));
            }
        }
    }
}
