//! The one place that decides Rust names, and the only module that uses heck (a test in
//! `tests/architecture.rs` keeps it so).

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions) that cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A module of the runtime whose items the generated crate root re-exports with a glob, and
/// their names (for the API listing and the reserved names); `tests/real_spec.rs` checks them
/// against `runtime/src/exports.rs`.
pub struct Exports {
    /// Path of the module under the runtime crate.
    pub module: [&'static str; 2],
    /// The names it re-exports, in listing order.
    pub names: &'static [&'static str],
}

/// What the crate root re-exports from the runtime always.
pub const ROOT_EXPORTS: Exports = Exports {
    module: ["exports", "root"],
    names: &[
        "Amount",
        "ApiError",
        "Call",
        "CallFuture",
        "ConversionError",
        "DEFAULT_BASE_URL",
        "DecodeError",
        "Error",
        "InvalidRequestError",
        "Method",
        "Page",
        "PageStream",
        "ResponseTooLargeError",
        "RetryPolicy",
        "Timestamp",
        "TransportError",
        "UnknownValue",
        "PORTONE_WEBHOOK_ADDRESSES",
        "WebhookSources",
    ],
};

/// What the crate root also re-exports when the spec has `flows:`: the types of the helpers'
/// signatures.
pub const FLOW_EXPORTS: Exports = Exports {
    module: ["exports", "flows"],
    names: &[
        "Ambiguity",
        "CancelAttempt",
        "CancelOutcome",
        "CancellationFacts",
        "ChargeLookup",
        "ChargeOutcome",
        "Check",
        "CheckFuture",
        "Decide",
        "Discrepancy",
        "Expected",
        "PaymentFacts",
        "Verdict",
    ],
};

/// Names a spec type may not take, besides keywords, by what the generated code uses them
/// for: it writes them short, so a spec type of the same name would shadow them (or be
/// shadowed) instead of failing where the spec is.
const RESERVED: [(&str, &[&str]); 5] = [
    (
        "a name of Rust's standard prelude",
        &[
            "AsMut",
            "AsRef",
            "Box",
            "Clone",
            "Copy",
            "Default",
            "DoubleEndedIterator",
            "Drop",
            "Eq",
            "Err",
            "ExactSizeIterator",
            "Extend",
            "Fn",
            "FnMut",
            "FnOnce",
            "From",
            "FromIterator",
            "Future",
            "Into",
            "IntoFuture",
            "IntoIterator",
            "Iterator",
            "None",
            "Ok",
            "Option",
            "Ord",
            "PartialEq",
            "PartialOrd",
            "Result",
            "Send",
            "Sized",
            "Some",
            "String",
            "Sync",
            "ToOwned",
            "ToString",
            "TryFrom",
            "TryInto",
            "Unpin",
            "Vec",
        ],
    ),
    (
        "imported by the generated modules from std, serde or the runtime",
        &[
            "BTreeMap",
            "BodyFormat",
            "Core",
            "Deserialize",
            "Deserializer",
            "Endpoint",
            "MapAccess",
            "NotificationBody",
            "Redacted",
            "Request",
            "Serialize",
            "Serializer",
            "WebhookError",
        ],
    ),
    (
        "one of the crate's own types",
        &["BlockingClient", "Client", "ClientBuilder"],
    ),
    (
        "a name inside the generated serde impls (a generic parameter)",
        &["A", "D", "S"],
    ),
    (
        "imported by the generated contract tests",
        &["Mock", "MockServer", "ResponseTemplate", "Sample"],
    ),
];

/// What the generated code uses `name` for, when a spec type may not take it: one of
/// the names listed by their use here, or a re-export of the runtime ([`ROOT_EXPORTS`],
/// [`FLOW_EXPORTS`]).
pub fn reserved(name: &str) -> Option<&'static str> {
    let exported = ROOT_EXPORTS.names.contains(&name) || FLOW_EXPORTS.names.contains(&name);
    if exported {
        return Some("re-exported by the crate root from the runtime");
    }
    RESERVED
        .iter()
        .find(|(_, names)| names.contains(&name))
        .map(|(what, _)| *what)
}

/// Name of the constant of the contract tests holding the sample answer of a type
/// (`PaymentPage` -> `PAYMENT_PAGE`, `string` -> `STRING`).
pub fn sample_const(type_name: &str) -> String {
    type_name.to_shouty_snake_case()
}

/// The sample constant of a list, from its items' (`PAYMENT` -> `PAYMENTS`).
pub fn list_sample(item: &str) -> String {
    format!("{item}S")
}

/// The sample constant of a map, from its values' (`PAYMENT` -> `PAYMENT_MAP`).
pub fn map_sample(value: &str) -> String {
    format!("{value}_MAP")
}

/// Name of the constructor taking a struct's required fields; no field or named constructor
/// may use it.
pub const CONSTRUCTOR: &str = "new";

/// The generated module holding the webhook notification.
pub const WEBHOOK_MODULE: &str = "webhook";

/// The webhook notification's type.
pub const NOTIFICATION: &str = "Notification";

/// The notification's field that keeps every key the spec does not name; no spec field may
/// use it.
pub const NOTIFICATION_EXTRA: &str = "extra";
/// The `Client` methods `flows:` generates: `verify_payment`, `reconcile_cancel` and
/// `reconcile_charge`, in that order.
pub const FLOW_METHODS: [&str; 3] = ["verify_payment", "reconcile_cancel", "reconcile_charge"];

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` is already snake_case (what method, field and param keys must be).
pub fn is_snake(name: &str) -> bool {
    !name.is_empty()
        && name.to_snake_case() == name
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `name` is already UpperCamelCase (what type and variant names must be).
pub fn is_upper_camel(name: &str) -> bool {
    !name.is_empty()
        && name.to_upper_camel_case() == name
        && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `name` in snake_case (what a misspelt key should have been).
pub fn to_snake(name: &str) -> String {
    name.to_snake_case()
}

/// `name` in UpperCamelCase (what a misspelt type key should have been).
pub fn to_upper_camel(name: &str) -> String {
    name.to_upper_camel_case()
}

/// The internal cargo feature named after the first type that needs a set of categories
/// (`Payment` -> `_payment`); the underscore tells users it is not theirs to switch on.
pub fn internal_feature(type_name: &str) -> String {
    format!("_{}", type_name.to_snake_case())
}

/// The internal cargo feature of a category file's set of categories, when no type has the
/// same set (`payment` -> `_payment_types`).
pub fn module_feature(module: &str) -> String {
    format!("_{module}_types")
}

/// Rust variant name for an enum wire value (`payment.scheduled` -> `PaymentScheduled`).
pub fn variant(wire: &str) -> String {
    let name = wire.to_upper_camel_case();
    match name.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        _ => name,
    }
}

/// Name of the query-parameter struct of an endpoint (`get_payment` -> `GetPaymentQuery`).
pub fn query_struct(endpoint: &str) -> String {
    format!("{}Query", endpoint.to_upper_camel_case())
}

/// Name of the all-pages stream method of a paged endpoint.
pub fn stream_method(endpoint: &str) -> String {
    format!("{endpoint}_stream")
}

/// Name of the contract test that walks the pages of a paged endpoint.
pub fn walk_test(endpoint: &str) -> String {
    format!("{endpoint}_walks_pages")
}

/// Name of the contract test that decodes every value of an enum.
pub fn enum_test(ty: &str) -> String {
    format!("{}_values_decode", ty.to_snake_case())
}

/// Variant of the runtime's `Method` for an HTTP method (`GET` -> `Get`).
pub fn runtime_method(http: &str) -> String {
    http.to_upper_camel_case()
}

/// Variant of the fake PortOne's `Operation` enum for an endpoint (`get_payment` ->
/// `GetPayment`).
pub fn operation_variant(endpoint: &str) -> String {
    endpoint.to_upper_camel_case()
}

/// The fake's struct holding the optional fields of a shape (`Payment` -> `PaymentOptional`).
pub fn shape_optional(shape: &str) -> String {
    format!("{shape}Optional")
}

/// Name of the constant describing an endpoint.
pub fn endpoint_const(endpoint: &str) -> String {
    endpoint.to_uppercase()
}

/// Key under which two names collide after case conversion.
pub fn collision_key(name: &str) -> String {
    name.to_snake_case()
}

/// The closest candidate to a misspelt name, if one is close enough to suggest.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Whether `name` can name the generated crate: ASCII letters, digits, `-` and `_`, starting
/// with a letter, and not a keyword once cargo turns it into an identifier.
pub fn is_crate_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !is_keyword(&crate_ident(name))
}

/// How Rust code names a crate (`portone-v1` -> `portone_v1`): cargo turns dashes into
/// underscores.
pub fn crate_ident(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// The fake PortOne's crate as Rust code names it (`portone-v1` -> `portone_v1_fake`).
pub fn fake_crate_ident(crate_name: &str) -> String {
    crate_ident(&format!("{crate_name}-fake"))
}

/// Name of the runtime crate the generated crate depends on (`portone-v1` ->
/// `portone-v1-runtime`).
pub fn runtime_crate(crate_name: &str) -> String {
    format!("{crate_name}-runtime")
}

/// The command-line tool's crate (`portone-v1` -> `portone-v1-cli`).
pub fn cli_crate(crate_name: &str) -> String {
    format!("{crate_name}-cli")
}

/// The command-line tool's binary: the client crate's name (`portone-v1`), which cannot be
/// mistaken for PortOne's own tool for its V2 API (`portone`).
pub fn cli_binary(crate_name: &str) -> String {
    crate_name.to_owned()
}

/// Top-level commands the command-line tool writes by hand (`cli/src/`); no command group
/// may take their names.
pub const CLI_COMMANDS: [&str; 6] = ["api", "completions", "fake", "help", "verify", "webhook"];

/// The hand-written command added to the group of the `flows:` category: every payment of a
/// period, page after page.
pub const SWEEP_COMMAND: &str = "sweep";

/// The flag that answers yes to every confirmation question.
pub const YES_FLAG: &str = "yes";

/// Flags every command of the command-line tool has, or may have (`--json` on commands with
/// a body), written by hand; no parameter or field may take them.
pub const CLI_GLOBAL_FLAGS: [&str; 8] = [
    "base-url", "dry-run", "help", "json", "profile", "tier", "version", YES_FLAG,
];

/// The command group of a category without `command:`: its key in kebab-case (`kcp_quick` ->
/// `kcp-quick`).
pub fn command_group(category: &str) -> Vec<String> {
    vec![category.to_kebab_case()]
}

/// The command of an endpoint without `command:`: the words of its key that do not repeat
/// the category or its group, in kebab-case, so that `get_payment` in the group `payments`
/// is `get` and `list_schedules_by_range` in `subscription schedule` is `list-by-range`. A
/// word repeats another when they are equal but for a plural `s`. When every word repeats
/// one, the whole key (`coupons` in the group `coupon` stays `coupons`).
pub fn command(endpoint: &str, category: &str, group: &[String]) -> String {
    let repeated: Vec<&str> = category
        .split('_')
        .chain(group.iter().flat_map(|g| g.split('-')))
        .collect();
    let same = |a: &str, b: &str| {
        a == b || a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a)
    };
    let words: Vec<&str> = endpoint
        .split('_')
        .filter(|word| !repeated.iter().any(|r| same(word, r)))
        .collect();
    if words.is_empty() {
        endpoint.to_kebab_case()
    } else {
        words.join("-")
    }
}

/// Whether `word` can be a command or group word: lower-case ASCII letters and digits in
/// parts joined by single dashes, starting with a letter.
pub fn is_command_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase())
        && word.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The flag of a query parameter or body field (`merchant_uid` -> `merchant-uid`). A list is
/// given by repeating the flag, so its name is singular (`imp_uids` -> `imp-uid`). A secret
/// never goes on the command line, where shell history and the process list would keep it:
/// its flag names a file holding the value (`card_number` -> `card-number-file`).
pub fn flag(name: &str, list: bool, secret: bool) -> String {
    let mut flag = name.to_kebab_case();
    if list && flag.ends_with('s') && !flag.ends_with("ss") {
        flag.pop();
    }
    if secret {
        flag.push_str("-file");
    }
    flag
}

/// The static of the command table listing an enum's values, shared by every argument of
/// that enum (`PgProvider` -> `PG_PROVIDER_VALUES`).
pub fn choices_static(enum_name: &str) -> String {
    format!("{}_VALUES", enum_name.to_shouty_snake_case())
}

/// The placeholder of a value in help texts (`imp_uid` -> `IMP_UID`).
pub fn value_name(name: &str) -> String {
    name.to_shouty_snake_case()
}

/// Name of the generated test that runs one command against the fake PortOne (`payments`,
/// `get` -> `payments_get`).
pub fn command_test(group: &[String], command: &str) -> String {
    group
        .iter()
        .map(String::as_str)
        .chain([command])
        .collect::<Vec<_>>()
        .join("_")
        .to_snake_case()
}

/// Method name for an official operationId (`getPaymentByImpUid` -> `get_payment_by_imp_uid`),
/// for `xtask import`.
pub fn method_from_official(operation_id: &str) -> String {
    operation_id.to_snake_case()
}

/// Field or parameter key for a wire name (`channelKey` -> `channel_key`, `imp_uid[]` ->
/// `imp_uid`), for `xtask import`. `type` becomes `kind`, as everywhere in `spec/`; another
/// keyword gets `_value`.
pub fn key_from_wire(wire: &str) -> String {
    let key = wire.to_snake_case();
    match key.as_str() {
        "type" => "kind".to_owned(),
        k if is_keyword(k) => format!("{k}_value"),
        _ => key,
    }
}

/// Type name for an official definition (`PaymentAnnotation` -> `Payment`), for `xtask import`.
pub fn type_from_official(definition: &str) -> String {
    let name = definition.to_upper_camel_case();
    match name.strip_suffix("Annotation") {
        Some(stem) if !stem.is_empty() => stem.to_owned(),
        _ => name,
    }
}

/// Name of the body type `xtask import` gives an endpoint (`issue_receipt` ->
/// `IssueReceiptRequest`).
pub fn body_type(endpoint: &str) -> String {
    format!("{}Request", endpoint.to_upper_camel_case())
}

/// Name of a type `xtask import` makes for an object described inline in a field of `owner`:
/// `owner` followed by the field in UpperCamelCase.
pub fn inline_type(owner: &str, field: &str) -> String {
    format!("{owner}{}", field.to_upper_camel_case())
}

/// Category key for an official category id or tag (`pg.naverpay` -> `naverpay`).
pub fn category_from_official(id: &str) -> String {
    id.rsplit('.').next().unwrap_or(id).to_snake_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_checks() {
        assert!(is_snake("get_payment"));
        assert!(!is_snake("getPayment"));
        assert!(is_upper_camel("PaymentStatus"));
        assert!(!is_upper_camel("Payment_status"));
        assert_eq!(variant("payment.scheduled"), "PaymentScheduled");
        assert_eq!(variant("1"), "V1");
        assert!(is_keyword("type"));
        assert_eq!(runtime_method("DELETE"), "Delete");
        assert_eq!(crate_ident("portone-v1"), "portone_v1");
        assert!(is_crate_name("portone-v1"));
        assert!(!is_crate_name("0-v1"));
        assert!(!is_crate_name("port one"));
        assert!(!is_crate_name("self"));
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            suggest("PaymentStatsu", ["PaymentStatus", "Payment"]),
            Some("PaymentStatus")
        );
        assert_eq!(suggest("Zebra", ["PaymentStatus"]), None);
    }

    #[test]
    fn import_names() {
        assert_eq!(
            method_from_official("getPaymentByImpUid"),
            "get_payment_by_imp_uid"
        );
        assert_eq!(key_from_wire("channelGroupId"), "channel_group_id");
        assert_eq!(key_from_wire("imp_uid[]"), "imp_uid");
        assert_eq!(key_from_wire("schedule-status"), "schedule_status");
        assert_eq!(key_from_wire("type"), "kind");
        assert_eq!(key_from_wire("match"), "match_value");
        assert_eq!(type_from_official("PaymentAnnotation"), "Payment");
        assert_eq!(type_from_official("Annotation"), "Annotation");
        assert_eq!(body_type("issue_receipt"), "IssueReceiptRequest");
        assert_eq!(inline_type("Payment", "promotion"), "PaymentPromotion");
        assert_eq!(category_from_official("pg.naverpay"), "naverpay");
        assert_eq!(category_from_official("nonAuthPayment"), "non_auth_payment");
    }

    #[test]
    fn command_line_names() {
        let group = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(
            command("get_payment", "payment", &group(&["payments"])),
            "get"
        );
        assert_eq!(
            command(
                "find_all_payments_by_status",
                "payment",
                &group(&["payments"])
            ),
            "find-all-by-status"
        );
        assert_eq!(
            command(
                "list_schedules_by_range",
                "subscription",
                &group(&["subscription", "schedule"])
            ),
            "list-by-range"
        );
        assert_eq!(
            command(
                "kcp_quick_pay_money",
                "kcp_quick",
                &command_group("kcp_quick")
            ),
            "pay-money"
        );
        assert_eq!(command("get_tier", "tier", &group(&["tier"])), "get");
        assert_eq!(
            command("tier_tiers", "tier", &group(&["tier"])),
            "tier-tiers"
        );
        assert_eq!(command_group("kcp_quick"), ["kcp-quick"]);
        assert!(is_command_word("get-many"));
        assert!(is_command_word("v2"));
        for bad in ["", "Get", "get--many", "-get", "get-", "2fa", "get_many"] {
            assert!(!is_command_word(bad), "{bad}");
        }
        assert_eq!(flag("imp_uids", true, false), "imp-uid");
        assert_eq!(flag("address", true, false), "address");
        assert_eq!(flag("status", false, false), "status");
        assert_eq!(flag("card_number", false, true), "card-number-file");
        assert_eq!(value_name("imp_uid"), "IMP_UID");
        assert_eq!(
            command_test(&group(&["subscription", "schedule"]), "list-by-range"),
            "subscription_schedule_list_by_range"
        );
    }
}
