//! Consent receipts: what the banner sends to the site owner's `receiptEndpoint` for every decision.
//! Pure: the clock and ids are parameters; the wasm edge sends the JSON with `navigator.sendBeacon`.
//!
//! ```json
//! {"v":1,"id":"3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41","time":1796000000000,"revision":1,
//!  "action":"custom","source":"banner","categories":{"essential":true,"functional":false,
//!  "statistics":true},"language":"en","textsSha256":"9c1f…"}
//! ```
//!
//! A receipt holds no IP address, user agent, URL or login: only the anonymous consent id, the time,
//! the policy revision, the decision and a SHA-256 of the texts the user was shown
//! ([`texts_sha256`]), so the site can later prove which wording a decision answered.

use crate::core::config::Config;
use crate::core::map::{Map, Set};
use crate::core::record::{ConsentRecord, Source};
use crate::core::texts::ResolvedTexts;
use crate::json;

/// The receipt format this build sends.
pub const RECEIPT_VERSION: u32 = 1;

/// What kind of decision a receipt records.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::consent::{accepted, decide, Action};
/// use consent_banner::receipt::{Receipt, ReceiptAction, Shown};
/// use consent_banner::record::Source;
///
/// let config = Config::default();
/// let shown = Shown::new(&config, &consent_banner::texts::resolve(&config, "en"));
/// let now = 1_800_000_000_000;
/// let yes = decide(&config, None, &Action::AcceptAll, now, "id-1", Source::Banner);
/// let no = decide(&config, Some(&yes), &Action::RejectAll, now + 1, "id-1", Source::Banner);
/// let before = accepted(&config, Some(&yes), now + 1);
/// assert_eq!(Receipt::decision(&config, &shown, &no, &before).action, ReceiptAction::Withdraw);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ReceiptAction {
    /// Every category accepted.
    Accept,
    /// Every optional category declined (and nothing accepted before was taken back).
    Decline,
    /// Some optional categories accepted, some declined.
    Custom,
    /// A category accepted before is declined now, or the decision was reset.
    Withdraw,
    /// The browser's Global Privacy Control signal declined the categories that share data.
    Gpc,
}

/// One consent receipt, sent as JSON.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::consent::{decide, ids, Action};
/// use consent_banner::receipt::{Receipt, ReceiptAction, Shown};
/// use consent_banner::record::Source;
///
/// let config = Config::default();
/// let shown = Shown::new(&config, &consent_banner::texts::resolve(&config, "en"));
/// let now = 1_800_000_000_000;
/// let record = decide(&config, None, &Action::AcceptAll, now, "id-1", Source::Banner);
/// let receipt = Receipt::decision(&config, &shown, &record, &ids([]));
/// assert_eq!(receipt.action, ReceiptAction::Accept);
/// assert_eq!((receipt.id.as_str(), receipt.language.as_str()), ("id-1", "en"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Receipt {
    /// Receipt format, [`RECEIPT_VERSION`].
    pub v: u32,
    /// The anonymous consent id of the record (for `gpc`, a fresh id: nothing is stored).
    pub id: String,
    /// When the decision was made (ms since the Unix epoch).
    pub time: u64,
    /// The policy revision the decision answers.
    pub revision: u32,
    /// What kind of decision it is.
    pub action: ReceiptAction,
    /// Who made it: `banner` (the user), `api` (the host page) or `gpc` (the browser's signal).
    pub source: Source,
    /// The decision per category id. For `gpc`, only the categories it decides.
    pub categories: Map<bool>,
    /// The language of the texts shown.
    pub language: String,
    /// SHA-256 (lowercase hex) of the texts shown, see [`texts_sha256`].
    pub texts_sha256: String,
}

/// What the user was shown: the language and the digest of the texts. Computed once per banner.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::receipt::Shown;
///
/// let config = Config::default();
/// let shown = Shown::new(&config, &consent_banner::texts::resolve(&config, "en"));
/// assert_eq!(shown.language, "en");
/// assert_eq!(shown.texts_sha256.len(), 64);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// Language tag of the texts.
    pub language: String,
    /// [`texts_sha256`] of the texts.
    pub texts_sha256: String,
}

impl Shown {
    /// The language and digest of `texts`, as resolved for `config`.
    ///
    /// ```
    /// use consent_banner::config::Config;
    /// use consent_banner::receipt::{texts_sha256, Shown};
    /// use consent_banner::texts::resolve;
    ///
    /// let config = Config::default();
    /// let texts = resolve(&config, "en");
    /// assert_eq!(Shown::new(&config, &texts).texts_sha256, texts_sha256(&config, &texts));
    /// ```
    pub fn new(config: &Config, texts: &ResolvedTexts) -> Shown {
        Shown {
            language: texts.language.clone(),
            texts_sha256: texts_sha256(config, texts),
        }
    }
}

impl Receipt {
    fn new(
        shown: &Shown,
        id: &str,
        time: u64,
        revision: u32,
        action: ReceiptAction,
        source: Source,
        categories: Map<bool>,
    ) -> Receipt {
        Receipt {
            v: RECEIPT_VERSION,
            id: id.to_string(),
            time,
            revision,
            action,
            source,
            categories,
            language: shown.language.clone(),
            texts_sha256: shown.texts_sha256.clone(),
        }
    }

    /// The receipt of a new `record`; `before` is the set of categories in effect before it
    /// ([`crate::core::consent::accepted`]), which tells a withdrawal.
    ///
    /// ```
    /// # use consent_banner::config::Config;
    /// # use consent_banner::receipt::Shown;
    /// # let config = Config::default();
    /// # let shown = Shown::new(&config, &consent_banner::texts::resolve(&config, "en"));
    /// use consent_banner::consent::{decide, ids, Action};
    /// use consent_banner::map::Map;
    /// use consent_banner::receipt::{Receipt, ReceiptAction};
    /// use consent_banner::record::Source;
    ///
    /// let custom = Action::Set(Map::from([("statistics", true)]));
    /// let record = decide(&config, None, &custom, 1_800_000_000_000, "id-1", Source::Banner);
    /// let receipt = Receipt::decision(&config, &shown, &record, &ids(["essential".to_string()]));
    /// assert_eq!(receipt.action, ReceiptAction::Custom);
    /// assert_eq!(receipt.time, record.updated);
    /// ```
    pub fn decision(
        config: &Config,
        shown: &Shown,
        record: &ConsentRecord,
        before: &Set,
    ) -> Receipt {
        let on = |id: &String| record.categories.get(id) == Some(&true);
        let optional: Vec<&String> = config
            .categories
            .iter()
            .filter(|c| !c.required)
            .map(|c| &c.id)
            .collect();
        let action = if before.iter().any(|id| !on(id)) {
            ReceiptAction::Withdraw
        } else if optional.iter().all(|id| on(id)) {
            ReceiptAction::Accept
        } else if optional.iter().all(|id| !on(id)) {
            ReceiptAction::Decline
        } else {
            ReceiptAction::Custom
        };
        let categories = crate::core::consent::decisions(
            config
                .categories
                .iter()
                .map(|c| (c.id.clone(), c.required || on(&c.id))),
        );
        Receipt::new(
            shown,
            &record.id,
            record.updated,
            record.revision,
            action,
            record.source,
            categories,
        )
    }

    /// The receipt of a reset: the decision `previous` is forgotten, every optional category is
    /// declined until the user decides again.
    ///
    /// ```
    /// # use consent_banner::config::Config;
    /// # use consent_banner::receipt::Shown;
    /// # let config = Config::default();
    /// # let shown = Shown::new(&config, &consent_banner::texts::resolve(&config, "en"));
    /// use consent_banner::consent::{decide, Action};
    /// use consent_banner::receipt::{Receipt, ReceiptAction};
    /// use consent_banner::record::Source;
    ///
    /// let now = 1_800_000_000_000;
    /// let previous = decide(&config, None, &Action::AcceptAll, now, "id-1", Source::Banner);
    /// let receipt = Receipt::reset(&config, &shown, &previous, now + 1000);
    /// assert_eq!((receipt.action, receipt.id.as_str()), (ReceiptAction::Withdraw, "id-1"));
    /// assert_eq!(receipt.categories["statistics"], false);
    /// ```
    pub fn reset(config: &Config, shown: &Shown, previous: &ConsentRecord, now: u64) -> Receipt {
        let categories = crate::core::consent::decisions(
            config.categories.iter().map(|c| (c.id.clone(), c.required)),
        );
        Receipt::new(
            shown,
            &previous.id,
            now,
            config.revision,
            ReceiptAction::Withdraw,
            Source::Api,
            categories,
        )
    }

    /// The receipt of the Global Privacy Control signal declining `declined`
    /// ([`crate::core::gpc::declined`]); `id` is fresh, since nothing is stored.
    ///
    /// ```
    /// use consent_banner::config::{Category, Config};
    /// use consent_banner::receipt::{Receipt, Shown};
    /// use consent_banner::{gpc, texts};
    ///
    /// let config = Config {
    ///     categories: vec![
    ///         Category::new("statistics", "Statistics"),
    ///         Category::new("ads", "Ads").shares_data(),
    ///     ],
    ///     ..Config::default()
    /// };
    /// let shown = Shown::new(&config, &texts::resolve(&config, "en"));
    /// let declined = gpc::declined(&config, true);
    /// let receipt = Receipt::gpc(&config, &shown, &declined, "fresh-id", 1_800_000_000_000);
    /// assert_eq!(receipt.categories.keys().collect::<Vec<_>>(), ["ads"]);
    /// ```
    pub fn gpc(config: &Config, shown: &Shown, declined: &[String], id: &str, now: u64) -> Receipt {
        let categories = crate::core::consent::decisions(
            config
                .categories
                .iter()
                .filter(|c| c.required || declined.contains(&c.id))
                .map(|c| (c.id.clone(), c.required)),
        );
        Receipt::new(
            shown,
            id,
            now,
            config.revision,
            ReceiptAction::Gpc,
            Source::Gpc,
            categories,
        )
    }

    /// The receipt as sent.
    ///
    /// ```
    /// # use consent_banner::config::Config;
    /// # use consent_banner::receipt::Shown;
    /// # let config = Config::default();
    /// # let shown = Shown::new(&config, &consent_banner::texts::resolve(&config, "en"));
    /// use consent_banner::consent::{decide, ids, Action};
    /// use consent_banner::receipt::Receipt;
    /// use consent_banner::record::Source;
    ///
    /// let now = 1_800_000_000_000;
    /// let record = decide(&config, None, &Action::RejectAll, now, "id-1", Source::Api);
    /// let json = Receipt::decision(&config, &shown, &record, &ids([])).to_json();
    /// let start = r#"{"v":1,"id":"id-1","time":1800000000000,"revision":1,"action":"decline","#;
    /// assert!(json.starts_with(start));
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = "{\"v\":".to_string();
        json::push_u64(&mut out, self.v.into());
        out.push_str(",\"id\":");
        json::push_str(&mut out, &self.id);
        out.push_str(",\"time\":");
        json::push_u64(&mut out, self.time);
        out.push_str(",\"revision\":");
        json::push_u64(&mut out, self.revision.into());
        out.push_str(",\"action\":");
        json::push_str(&mut out, self.action.name());
        out.push_str(",\"source\":");
        json::push_str(&mut out, self.source.name());
        out.push_str(",\"categories\":");
        json::push_decisions(&mut out, &self.categories);
        out.push_str(",\"language\":");
        json::push_str(&mut out, &self.language);
        out.push_str(",\"textsSha256\":");
        json::push_str(&mut out, &self.texts_sha256);
        out.push('}');
        out
    }
}

impl ReceiptAction {
    /// The name in a receipt (`"withdraw"`).
    ///
    /// ```
    /// # use consent_banner::receipt::ReceiptAction;
    /// assert_eq!(ReceiptAction::Withdraw.name(), "withdraw");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ReceiptAction::Accept => "accept",
            ReceiptAction::Decline => "decline",
            ReceiptAction::Custom => "custom",
            ReceiptAction::Withdraw => "withdraw",
            ReceiptAction::Gpc => "gpc",
        }
    }
}

/// SHA-256, as lowercase hex, of [`texts_json`]: the policy summary and every text of the first
/// layer and the preferences, as resolved for the user's language.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::receipt::texts_sha256;
/// use consent_banner::texts::resolve;
///
/// let config = Config::default();
/// let english = texts_sha256(&config, &resolve(&config, "en"));
/// assert_eq!(english.len(), 64);
/// // Another wording of the policy, another digest.
/// let changed = Config { policy_url: "/privacy-2".into(), ..Config::default() };
/// assert_ne!(texts_sha256(&changed, &resolve(&changed, "en")), english);
/// ```
pub fn texts_sha256(config: &Config, texts: &ResolvedTexts) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for byte in sha256(texts_json(config, texts).as_bytes()) {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    hex
}

/// The texts a receipt's digest stands for, as the compact JSON object `{"language", "policyUrl",
/// "title", "summary", "policyLink", "acceptAll", "rejectAll", "preferences", "preferencesTitle",
/// "save", "alwaysOn", "categories": [{"id", "label", "description", "required"}, ...]}` in that
/// order ([`texts_sha256`] hashes it; a consent log keeps it as the proof of what was shown).
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::receipt::{sha256, texts_json, texts_sha256};
/// use consent_banner::texts::resolve;
///
/// let config = Config::default();
/// let texts = resolve(&config, "en");
/// let json = texts_json(&config, &texts);
/// let start = r#"{"language":"en","policyUrl":"/privacy-policy","title":"Your privacy","#;
/// assert!(json.starts_with(start));
/// let hex: String = sha256(json.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
/// assert_eq!(hex, texts_sha256(&config, &texts));
/// ```
pub fn texts_json(config: &Config, texts: &ResolvedTexts) -> String {
    let mut json = String::from("{");
    for (key, value) in [
        ("language", &texts.language),
        ("policyUrl", &config.policy_url),
        ("title", &texts.title),
        ("summary", &texts.summary),
        ("policyLink", &texts.policy_link),
        ("acceptAll", &texts.accept_all),
        ("rejectAll", &texts.reject_all),
        ("preferences", &texts.preferences),
        ("preferencesTitle", &texts.preferences_title),
        ("save", &texts.save),
        ("alwaysOn", &texts.always_on),
    ] {
        json::push_key(&mut json, key);
        json::push_str(&mut json, value);
    }
    json.push_str(",\"categories\":[");
    for (i, (c, (label, description))) in
        config.categories.iter().zip(&texts.categories).enumerate()
    {
        if i > 0 {
            json.push(',');
        }
        json.push_str("{\"id\":");
        json::push_str(&mut json, &c.id);
        json.push_str(",\"label\":");
        json::push_str(&mut json, label);
        json.push_str(",\"description\":");
        json::push_str(&mut json, description);
        json.push_str(",\"required\":");
        json::push_bool(&mut json, c.required);
        json.push('}');
    }
    json.push_str("]}");
    json
}

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// SHA-256 (FIPS 180-4) of `data`. A few hundred bytes of wasm, against several KB for a crate.
///
/// ```
/// let digest = consent_banner::receipt::sha256(b"abc");
/// assert_eq!(digest[..4], [0xba, 0x78, 0x16, 0xbf]);
/// ```
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    // The message, a 1 bit, zeros, and the length in bits: a whole number of 64-byte blocks.
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *state = state.wrapping_add(value);
        }
    }
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::consent::{accepted, decide, Action};
    use crate::core::texts::{add_language_file, read_language_file, resolve};

    fn hex(bytes: [u8; 32]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha256_matches_the_fips_180_vectors() {
        assert_eq!(
            hex(sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(sha256(&vec![b'a'; 1_000_000])),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        // Lengths around the padding boundary (55, 56, 64 bytes).
        assert_eq!(
            hex(sha256(&[b'a'; 55])),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"
        );
        assert_eq!(
            hex(sha256(&[b'a'; 56])),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"
        );
        assert_eq!(
            hex(sha256(&[b'a'; 64])),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
        );
    }

    fn shown(config: &Config) -> Shown {
        Shown::new(config, &resolve(config, "en"))
    }

    #[test]
    fn receipt_carries_the_decision_and_nothing_personal() {
        let config = Config::default();
        let record = decide(
            &config,
            None,
            &Action::Set([("statistics".to_string(), true)].into()),
            1_796_000_000_000,
            "3f0c",
            Source::Banner,
        );
        let receipt = Receipt::decision(&config, &shown(&config), &record, &Set::new());
        let json = receipt.to_json();
        let expected = format!(
            r#"{{"v":1,"id":"3f0c","time":1796000000000,"revision":1,"action":"custom","source":"banner","categories":{{"essential":true,"functional":false,"statistics":true}},"language":"en","textsSha256":"{}"}}"#,
            receipt.texts_sha256
        );
        assert_eq!(json, expected);
        assert_eq!(receipt.texts_sha256.len(), 64);
    }

    #[test]
    fn accept_decline_and_withdrawal_are_told_apart() {
        let config = Config::default();
        let shown = shown(&config);
        let now = 1_796_000_000_000;
        let action_of = |action: Action, previous: Option<&ConsentRecord>| {
            let record = decide(&config, previous, &action, now, "id", Source::Banner);
            let before = accepted(&config, previous, now);
            (
                Receipt::decision(&config, &shown, &record, &before).action,
                record,
            )
        };
        let (action, all) = action_of(Action::AcceptAll, None);
        assert_eq!(action, ReceiptAction::Accept);
        let (action, none) = action_of(Action::RejectAll, None);
        assert_eq!(action, ReceiptAction::Decline);
        assert_eq!(
            action_of(Action::RejectAll, Some(&none)).0,
            ReceiptAction::Decline,
            "declining again takes nothing back"
        );
        assert_eq!(
            action_of(Action::RejectAll, Some(&all)).0,
            ReceiptAction::Withdraw
        );
        let off = Action::Set([("statistics".to_string(), false)].into());
        assert_eq!(action_of(off, Some(&all)).0, ReceiptAction::Withdraw);
        let reset = Receipt::reset(&config, &shown, &all, now + 1);
        assert_eq!(
            (reset.action, reset.id.as_str(), reset.source),
            (ReceiptAction::Withdraw, "id", Source::Api)
        );
        assert!(!reset.categories["statistics"] && reset.categories["essential"]);
    }

    #[test]
    fn gpc_receipt_lists_only_what_the_signal_decides() {
        let config = Config::from_json(
            r#"{"categories":[{"id":"essential","label":"E","required":true},
                {"id":"statistics","label":"S"},{"id":"ads","label":"A","sharesData":true}]}"#,
        )
        .unwrap();
        let receipt = Receipt::gpc(&config, &shown(&config), &["ads".into()], "fresh", 5);
        assert_eq!(receipt.action, ReceiptAction::Gpc);
        assert_eq!(receipt.source, Source::Gpc);
        assert_eq!(
            receipt.categories,
            [("essential".to_string(), true), ("ads".to_string(), false)].into()
        );
    }

    /// The digests of the default texts in five languages (each with its file from `www/lang/`,
    /// as the UI adds it): the hashed JSON must change only when a text the visitor sees changes.
    /// (Changed on 2026-11-30: the summary says "change or withdraw your consent", and de, fr, es
    /// and ar come from their files, with translated category labels.)
    #[test]
    fn texts_digest_is_stable_across_releases() {
        for (language, digest) in [
            (
                "en",
                "bef64834bcf85a214729bd05b335d1786904221799bb20a4ef4098b0af0cdbed",
            ),
            (
                "de",
                "88cd7957c6d68fc2b2f4c6a1a69826bc0cd73822f928bfa3118cb6fb0c75c800",
            ),
            (
                "fr",
                "bdeb218743622316c73c4eec8aca1777725798c195d061035befcc51e32fddf5",
            ),
            (
                "es",
                "104e3e38b2a8ea394ae77b5e76067a8c9a7ef87674547aea1e5aefc3dc89b09b",
            ),
            (
                "ar",
                "168673753b18596a994b139045af2150dc4a318cbc97a39ed2d6cacbfc01d00b",
            ),
        ] {
            let mut config = Config::default();
            if language != "en" {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("www/lang")
                    .join(language.to_string() + ".json");
                let file = std::fs::read_to_string(path).unwrap();
                add_language_file(&mut config, language, read_language_file(&file).unwrap());
            }
            assert_eq!(
                texts_sha256(&config, &resolve(&config, language)),
                digest,
                "{language}"
            );
        }
        let escapes = Config::from_json(
            r#"{"policyUrl":"/p?a=\"1\"","categories":[
                {"id":"essential","label":"Ess\u0001ential \"core\"","required":true},
                {"id":"stats","label":"Stats\\ ✓","description":"line\nbreak\ttab </script>"}],
                "texts":{"de":{"title":"Tité\u001f"}}}"#,
        )
        .unwrap();
        assert_eq!(
            texts_sha256(&escapes, &resolve(&escapes, "en")),
            "ab6670a613686adaeb6995e723aba4396e3c85bce01f932afb0cb54d775fdbd9"
        );
        assert_eq!(
            texts_sha256(&escapes, &resolve(&escapes, "de")),
            "b81a136eb49192274ba2bef6772393ac535da673de2067034e51c11da5bb62a4"
        );
    }

    #[test]
    fn texts_digest_changes_with_any_text_the_user_sees() {
        let config = Config::default();
        let digest = texts_sha256(&config, &resolve(&config, "en"));
        assert_eq!(digest, texts_sha256(&config, &resolve(&config, "en")));
        assert_ne!(digest, texts_sha256(&config, &resolve(&config, "de")));
        let mut reworded = config.clone();
        reworded.categories[2].description.push_str(" Changed.");
        assert_ne!(digest, texts_sha256(&reworded, &resolve(&reworded, "en")));
        let mut moved = config.clone();
        moved.policy_url = "/privacy-v2".into();
        assert_ne!(digest, texts_sha256(&moved, &resolve(&moved, "en")));
    }
}
