// Building a config in Rust: [`Category::new`] and its setters, and [`Config::validated`]
// (a `Map` is built from keys of any `Into<String>` type: see `core::map`). The config's own fields are public and [`Config::default`] is the seed
// policy, so the rest is Rust's struct update syntax.

use std::rc::Rc;

use crate::core::config::{Category, Config, ConfigError};

impl Category {
    /// An optional category with an id and a label, no description, cookies or storage keys.
    ///
    /// ```
    /// # use consent_banner::config::Category;
    /// let statistics = Category::new("statistics", "Usage statistics");
    /// assert!(!statistics.required && statistics.cookies.is_empty());
    /// ```
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Category {
        Category {
            id: id.into(),
            label: label.into(),
            description: String::new(),
            required: false,
            cookies: Vec::new(),
            shares_data: false,
            storage: Vec::new(),
        }
    }

    /// Sets what the category does, shown in the preferences.
    ///
    /// ```
    /// # use consent_banner::config::Category;
    /// let functional = Category::new("functional", "Lists and queries")
    ///     .description("Keeps your lists and queries across sessions.");
    /// assert_eq!(functional.description, "Keeps your lists and queries across sessions.");
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Category {
        self.description = description.into();
        self
    }

    /// Makes the category required: always on, not operable by the user.
    ///
    /// ```
    /// # use consent_banner::config::Category;
    /// assert!(Category::new("essential", "Essential").required().required);
    /// ```
    pub fn required(mut self) -> Category {
        self.required = true;
        self
    }

    /// Marks the category as selling or sharing personal data: declined while the browser sends
    /// Global Privacy Control and the user has not decided.
    ///
    /// ```
    /// use consent_banner::config::{Category, Config};
    /// use consent_banner::gpc;
    ///
    /// let config = Config {
    ///     categories: vec![
    ///         Category::new("statistics", "Statistics"),
    ///         Category::new("ads", "Ads").shares_data(),
    ///     ],
    ///     ..Config::default()
    /// };
    /// assert_eq!(gpc::declined(&config, true), ["ads"]);
    /// ```
    pub fn shares_data(mut self) -> Category {
        self.shares_data = true;
        self
    }

    /// Sets the names of the cookies the category sets (a trailing `*` matches a prefix),
    /// deleted when it is declined.
    ///
    /// ```
    /// # use consent_banner::config::Category;
    /// let statistics =
    ///     Category::new("statistics", "Usage statistics").cookies(["_pk_id*", "_pk_ses*"]);
    /// assert_eq!(statistics.cookies, ["_pk_id*", "_pk_ses*"]);
    /// ```
    pub fn cookies<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Category {
        self.cookies = names.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the Web Storage keys the category sets (a trailing `*` matches a prefix).
    ///
    /// ```
    /// # use consent_banner::config::Category;
    /// let analytics = Category::new("analytics", "Analytics").storage(["ph_*"]);
    /// assert_eq!(analytics.storage, ["ph_*"]);
    /// ```
    pub fn storage<S: Into<String>>(mut self, keys: impl IntoIterator<Item = S>) -> Category {
        self.storage = keys.into_iter().map(Into::into).collect();
        self
    }
}

impl Config {
    /// The config, checked by [`Config::validate`] (the rules and field-named errors of the JSON
    /// path), in the `Rc` that [`crate::ui::ConsentProvider`] takes. The fields are public and
    /// [`Config::default`] is the seed policy, so a config in Rust is the struct update syntax
    /// with [`Category::new`]:
    ///
    /// ```
    /// use consent_banner::config::{Category, Config};
    ///
    /// let config = Config {
    ///     revision: 3,
    ///     policy_url: "/privacy".into(),
    ///     categories: vec![
    ///         Category::new("essential", "Essential").required(),
    ///         Category::new("statistics", "Usage statistics")
    ///             .description("Counts visits, anonymously.")
    ///             .cookies(["_ga", "_ga_*"]),
    ///         Category::new("marketing", "Marketing").shares_data(),
    ///     ],
    ///     ..Config::default()
    /// }
    /// .validated()?;
    /// assert_eq!(config.categories[1].cookies, ["_ga", "_ga_*"]);
    /// # Ok::<(), consent_banner::config::ConfigError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The first rule broken, naming its field:
    ///
    /// ```
    /// # use consent_banner::config::{Category, Config};
    /// let config = Config {
    ///     categories: vec![Category::new("stats", "A"), Category::new("stats", "B")],
    ///     ..Config::default()
    /// };
    /// let error = config.validated().unwrap_err();
    /// assert_eq!(error.message(), r#"config: categories[1].id: duplicate "stats""#);
    /// ```
    pub fn validated(self) -> Result<Rc<Config>, ConfigError> {
        self.validate()?;
        Ok(Rc::new(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::ConsentType;
    use crate::core::map::Map;

    #[test]
    fn a_category_built_in_rust_equals_the_same_category_read_from_json() {
        let json = Config::from_json(
            r#"{"categories":[{"id":"essential","label":"Essential","required":true},
                {"id":"ads","label":"Ads","description":"Ads.","cookies":["_gcl_*"],
                 "storage":["ads_*"],"sharesData":true}]}"#,
        )
        .unwrap();
        let built = vec![
            Category::new("essential", "Essential").required(),
            Category::new("ads", "Ads")
                .description("Ads.")
                .cookies(["_gcl_*"])
                .storage(vec!["ads_*".to_string()])
                .shares_data(),
        ];
        assert_eq!(built, json.categories);
    }

    #[test]
    fn a_config_built_in_rust_has_the_json_paths_errors() {
        let config = Config {
            categories: vec![Category::new("Not a token", "X")],
            ..Config::default()
        };
        assert!(config
            .validated()
            .unwrap_err()
            .message()
            .starts_with("config: categories[0].id: "));
        let config = Config {
            categories: vec![Category::new("a", " ")],
            ..Config::default()
        };
        assert_eq!(
            config.validated().unwrap_err().message(),
            "config: categories[0].label: must not be empty"
        );
    }

    #[test]
    fn maps_come_from_str_keys_too() {
        let map = Map::from([("statistics", true), ("functional", false)]);
        assert_eq!(map.get("statistics"), Some(&true));
        let map: Map<Vec<ConsentType>> = [("statistics", vec![ConsentType::AnalyticsStorage])]
            .into_iter()
            .collect();
        assert_eq!(map["statistics"], [ConsentType::AnalyticsStorage]);
    }
}
