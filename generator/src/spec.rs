//! Plain structs mirroring the YAML files of `spec/` (see `spec/README.md`).
//!
//! Everything that can be missing by mistake (docs above all) is an `Option` here so that
//! `validate` can report it with a location instead of serde stopping at the first gap.

use indexmap::IndexMap;
use serde::Deserialize;

/// The whole spec: the service file and every category file, in file-name order.
#[derive(Debug, Clone)]
pub struct Spec {
    /// `service.yaml`.
    pub service: Service,
    /// One entry per category file.
    pub categories: Vec<CategoryFile>,
}

/// `service.yaml`: facts about the service as a whole.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Name of the generated crate.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// Version of the generated crate and of its runtime crate, which it pins exactly.
    pub version: String,
    /// Human title of the API.
    pub title: String,
    /// Production base URL.
    pub base_url: String,
    /// Crate-level documentation.
    pub doc: Option<String>,
    /// The response envelope.
    pub envelope: Envelope,
    /// What the verification and reconciliation helpers are built on.
    pub flows: Option<Flows>,
    /// What the fake PortOne's ledger keeps and answers with.
    pub fake: Option<Fake>,
}

/// `fake:` of `service.yaml`: the kinds of state the fake PortOne (`fake/`) keeps and can be
/// seeded with, and the other types its ledger answers with. Their wire shapes are generated
/// for the fake, so that its answers always have the spec's fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fake {
    /// Seed-file key (`payments`) -> the kind of state it holds.
    #[serde(default)]
    pub seeds: IndexMap<String, FakeSeed>,
    /// The other struct types its ledger writes (pages, balances).
    #[serde(default)]
    pub answers: Vec<String>,
    /// The enum types its ledger reads from requests besides those its shapes hold.
    #[serde(default)]
    pub reads: Vec<String>,
}

/// One kind of state of `fake.seeds`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FakeSeed {
    /// The struct type one entry has (`Payment`).
    #[serde(rename = "type")]
    pub ty: String,
    /// Its required string fields that requests name one by (`imp_uid`, `merchant_uid`).
    #[serde(default)]
    pub ids: Vec<String>,
    /// Its required enum field that says which state it is in (`status`).
    pub state: Option<String>,
}

/// `flows:` of `service.yaml`: the payment type and the endpoints that `verify_payment`,
/// `reconcile_cancel` and `reconcile_charge` are built on. Values are names from the
/// category files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flows {
    /// The payment struct the helpers read.
    pub payment: String,
    /// The endpoint fetching a payment by PortOne's id.
    pub lookup: String,
    /// The endpoint fetching a payment by the merchant's order id.
    pub lookup_by_order: String,
    /// The refund endpoint, whose body `reconcile_cancel` takes.
    pub cancel: String,
    /// The billing-key charge that `reconcile_charge` settles.
    pub charge: String,
}

/// The `{code, message, response}` wrapper every response comes in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Official definition name of the envelope.
    pub official: Option<String>,
}

/// One `spec/<category>.yaml` file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    /// Path of the file relative to the spec directory's parent, e.g. `spec/payment.yaml`.
    #[serde(skip)]
    pub file: usize,
    /// Category key: module and cargo feature name.
    pub category: String,
    /// One-line summary.
    pub doc: Option<String>,
    /// Short Korean label of the category's command group, for the Korean command reference.
    pub ko: Option<String>,
    /// The command group of the command-line tool, words separated by spaces (`payments`,
    /// `subscription schedule`); default: the key in kebab-case.
    pub command: Option<String>,
    /// Official `x-portone-category` ids covered.
    #[serde(default)]
    pub official: Vec<String>,
    /// Endpoints keyed by Rust method name.
    #[serde(default)]
    pub endpoints: IndexMap<String, Endpoint>,
    /// Types keyed by Rust type name.
    #[serde(default)]
    pub types: IndexMap<String, TypeDef>,
    /// The webhook notification, in at most one category file (whose feature compiles it).
    pub webhook: Option<Webhook>,
}

/// `webhook:`: the notification PortOne POSTs to the merchant's `notice_url`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// Doc of the generated `webhook` module.
    pub doc: Option<String>,
    /// Media types the body may come in.
    #[serde(default)]
    pub content_types: Vec<String>,
    /// The notification's fields, keyed by Rust name.
    #[serde(default)]
    pub fields: IndexMap<String, WebhookField>,
}

/// A field of the webhook notification: text, or an enum read from text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookField {
    /// Type expression.
    #[serde(rename = "type")]
    pub ty: String,
    /// What it means.
    pub doc: Option<String>,
    /// Whether the notification may leave it out.
    #[serde(default)]
    pub optional: bool,
    /// Key in the body when it differs from the field name.
    pub wire: Option<String>,
    /// Example value, for the generated doc example.
    pub example: Option<String>,
}

/// HTTP methods the service uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[allow(missing_docs)]
pub enum HttpMethod {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "DELETE")]
    Delete,
}

impl HttpMethod {
    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// One endpoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// What it does.
    pub doc: Option<String>,
    /// Short Korean label of its command, for the Korean command reference.
    pub ko: Option<String>,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template as the service spells it.
    pub path: String,
    /// Whether repeating the call is safe.
    pub idempotent: bool,
    /// Whether the call needs an access token (default true).
    #[serde(default = "yes")]
    pub auth: bool,
    /// Official operationId.
    pub official: Option<String>,
    /// Official envelope definitions of the 200 response (usually one; unions may map to several).
    #[serde(default, deserialize_with = "one_or_many")]
    pub official_response: Vec<String>,
    /// Path and query parameters in call order.
    #[serde(default)]
    pub params: IndexMap<String, Param>,
    /// Type sent as the JSON body.
    pub body: Option<String>,
    /// Type expression of the unwrapped payload.
    pub response: Option<String>,
    /// Query parameter selecting the page, for paged endpoints.
    pub paginate: Option<String>,
    /// Set for operations PortOne dropped.
    pub deprecated: Option<Deprecation>,
    /// How the endpoint deliberately differs from its official operation (for `xtask drift`).
    pub official_differs: Option<EndpointNote>,
    /// Its command in the command-line tool, one kebab-case word; default: derived from the
    /// key (see `naming::command`).
    pub command: Option<String>,
}

/// Accepts `name` or `[name, ...]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(de)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

fn yes() -> bool {
    true
}

/// When and why an operation left the official schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// Date (YYYY-MM-DD) the operation left the official schema.
    pub since: String,
    /// What happened and what to use instead.
    pub note: String,
    /// The crate version that first marked it deprecated (rustdoc's `since`).
    #[serde(default = "first_release")]
    pub crate_since: String,
}

fn first_release() -> String {
    "0.1.0".to_owned()
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum ParamIn {
    Path,
    Query,
}

/// A path or query parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Path or query.
    #[serde(rename = "in")]
    pub location: ParamIn,
    /// Type expression.
    #[serde(rename = "type")]
    pub ty: String,
    /// What it means.
    pub doc: Option<String>,
    /// Whether it may be left out.
    #[serde(default)]
    pub optional: bool,
    /// Wire name when it differs from the key.
    pub wire: Option<String>,
    /// Redact in `Debug` output of the query struct (API keys sent in the query).
    #[serde(default)]
    pub secret: bool,
    /// Example value used in generated tests and docs.
    pub example: Option<serde_yaml::Value>,
    /// How the official schema deliberately differs on this parameter (for `xtask drift`).
    pub official: Option<FieldNote>,
}

/// A named type: exactly one of `fields`, `enum` or `one_of`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// What it is.
    pub doc: Option<String>,
    /// Official definition it models.
    pub official: Option<String>,
    /// Struct fields.
    pub fields: Option<IndexMap<String, Field>>,
    /// Enum values: wire value -> doc or `{name, doc}`.
    #[serde(rename = "enum")]
    pub enum_values: Option<IndexMap<String, EnumValue>>,
    /// Untagged union: variant name -> type expression.
    pub one_of: Option<IndexMap<String, String>>,
    /// Extra named constructors of request structs.
    #[serde(default)]
    pub constructors: IndexMap<String, Vec<String>>,
    /// Paging description of a page payload.
    pub page: Option<PageSpec>,
    /// How the type deliberately differs from its official definition (for `xtask drift`).
    pub official_differs: Option<TypeNote>,
}

/// Which fields of a page payload carry the items and the next page number.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    /// Field with the item list.
    pub items: String,
    /// Field with the next page number (0 = none).
    pub next: String,
}

/// A struct field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Type expression.
    #[serde(rename = "type")]
    pub ty: String,
    /// What it means.
    pub doc: Option<String>,
    /// Whether it may be absent (responses) or left out (requests).
    #[serde(default)]
    pub optional: bool,
    /// Wire name when it differs from the key.
    pub wire: Option<String>,
    /// Redact in `Debug` output.
    #[serde(default)]
    pub secret: bool,
    /// Example value used in generated tests and docs.
    pub example: Option<serde_yaml::Value>,
    /// How the official schema deliberately differs on this field (for `xtask drift`).
    pub official: Option<FieldNote>,
}

/// One enum value: a bare doc string, or a Rust name override plus doc.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum EnumValue {
    /// Just the doc.
    Doc(String),
    /// Name override and doc.
    Named {
        /// Rust variant name.
        name: Option<String>,
        /// What the value means.
        doc: Option<String>,
    },
}

impl EnumValue {
    /// The doc, if any.
    pub fn doc(&self) -> Option<&str> {
        match self {
            EnumValue::Doc(d) => Some(d),
            EnumValue::Named { doc, .. } => doc.as_deref(),
        }
    }
    /// The explicit Rust name, if any.
    pub fn name(&self) -> Option<&str> {
        match self {
            EnumValue::Doc(_) => None,
            EnumValue::Named { name, .. } => name.as_deref(),
        }
    }
}

/// The reason recorded with a deliberate difference from the official schema. Deserializing
/// refuses an empty or blank one, so `load` reports it at its place in the spec.
#[derive(Debug, Clone)]
pub struct Why(String);

impl Why {
    /// The reason.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Why {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let why = String::deserialize(de)?;
        if why.trim().is_empty() {
            return Err(serde::de::Error::custom(
                "`why` is empty: say in a few words why the spec differs from the official schema",
            ));
        }
        Ok(Why(why))
    }
}

/// The kinds of type a Swagger schema gives a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum OfficialKind {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}

impl OfficialKind {
    /// The kind as Swagger spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            OfficialKind::String => "string",
            OfficialKind::Integer => "integer",
            OfficialKind::Number => "number",
            OfficialKind::Boolean => "boolean",
            OfficialKind::Array => "array",
            OfficialKind::Object => "object",
        }
    }
}

/// `official:` on a field or parameter: what the official schema says instead, and why ours
/// is right. Exactly one of `type:` (the official schema's kind) and `absent: true` (the
/// official schema lacks it).
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawFieldNote")]
pub struct FieldNote {
    /// What the official schema has.
    pub differs: FieldDiffers,
    /// Why the spec is right.
    pub why: Why,
}

/// The difference a [`FieldNote`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldDiffers {
    /// The official schema gives the field this kind of type.
    Kind(OfficialKind),
    /// The official schema does not have the field.
    Absent,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFieldNote {
    #[serde(rename = "type")]
    ty: Option<OfficialKind>,
    #[serde(default)]
    absent: bool,
    why: Why,
}

impl TryFrom<RawFieldNote> for FieldNote {
    type Error = &'static str;

    fn try_from(raw: RawFieldNote) -> Result<Self, Self::Error> {
        let differs = match (raw.ty, raw.absent) {
            (Some(kind), false) => FieldDiffers::Kind(kind),
            (None, true) => FieldDiffers::Absent,
            _ => {
                return Err(
                    "give exactly one of `type:` (the official schema's type) and \
                     `absent: true` (the official schema lacks it)",
                );
            }
        };
        Ok(FieldNote {
            differs,
            why: raw.why,
        })
    }
}

/// `official_differs:` on an endpoint: the official route it stands for, when its own path is
/// not in the official schema, and/or the official parameters it deliberately leaves out.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawEndpointNote")]
pub struct EndpointNote {
    /// The official path of the operation (same method), when ours differs.
    pub route: Option<String>,
    /// Official parameters (wire names) the endpoint does not send.
    pub omits: Vec<String>,
    /// Why the spec is right.
    pub why: Why,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpointNote {
    route: Option<String>,
    #[serde(default)]
    omits: Vec<String>,
    why: Why,
}

impl TryFrom<RawEndpointNote> for EndpointNote {
    type Error = &'static str;

    fn try_from(raw: RawEndpointNote) -> Result<Self, Self::Error> {
        if raw.route.is_none() && raw.omits.is_empty() {
            return Err(
                "say what differs: `route:` (the official path) and/or `omits:` \
                 (official parameters left out)",
            );
        }
        Ok(EndpointNote {
            route: raw.route,
            omits: raw.omits,
            why: raw.why,
        })
    }
}

/// `official_differs:` on a type: official fields (wire names) it deliberately leaves out.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawTypeNote")]
pub struct TypeNote {
    /// Official fields the type does not model.
    pub omits: Vec<String>,
    /// Why the spec is right.
    pub why: Why,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTypeNote {
    omits: Vec<String>,
    why: Why,
}

impl TryFrom<RawTypeNote> for TypeNote {
    type Error = &'static str;

    fn try_from(raw: RawTypeNote) -> Result<Self, Self::Error> {
        if raw.omits.is_empty() {
            return Err("`omits:` lists the official fields the type leaves out");
        }
        Ok(TypeNote {
            omits: raw.omits,
            why: raw.why,
        })
    }
}
