//! Step 3's output: the resolved model. Every Rust name, type, signature, doc, cfg and derive
//! decision is made here (by `resolve`), so `emit` only spells it out as tokens. It is
//! `Serialize` so snapshot tests can pin it apart from the formatting of the emitted code.

use serde::Serialize;

/// The whole API, ready to emit.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// Crate name (`portone-v1`).
    pub crate_name: String,
    /// The crate as Rust code outside it names it (`portone_v1`), for examples and tests.
    pub crate_ident: String,
    /// Name of the runtime crate (`portone-v1-runtime`).
    pub runtime_crate: String,
    /// The runtime crate as Rust code names it (`portone_v1_runtime`).
    pub runtime_crate_ident: String,
    /// Version of the generated crate and of its runtime crate.
    pub crate_version: String,
    /// Human title of the API.
    pub title: String,
    /// Production base URL.
    pub base_url: String,
    /// Crate-level documentation.
    pub doc: String,
    /// Categories (= modules = cargo features), sorted by key.
    pub categories: Vec<Category>,
    /// Types grouped by the category file that declares them, sorted by module.
    pub modules: Vec<TypeModule>,
    /// One contract test per enum, in module order.
    pub enum_samples: Vec<EnumSample>,
    /// The sample answer of every response type an endpoint returns, sorted by name; the
    /// contract tests of all endpoints returning the type share it.
    pub response_samples: Vec<ResponseSample>,
    /// Internal cargo features, one per set of categories that share items, sorted by name.
    pub internal_features: Vec<InternalFeature>,
    /// The runtime modules whose items the crate root re-exports, in order.
    pub runtime_exports: Vec<RuntimeExports>,
    /// The `webhook` module, when the spec describes the notification.
    pub webhook: Option<Webhook>,
    /// The verification and reconciliation helpers, when the spec has `flows:`.
    pub flows: Option<Flows>,
    /// The fake PortOne's crate as Rust code names it (`portone_v1_fake`), for its tests.
    pub fake_crate_ident: String,
    /// What the fake PortOne is generated with besides its routing table.
    pub fake: Fake,
    /// The command-line tool.
    pub cli: Cli,
}

/// The generated parts of the fake PortOne (`fake/`) besides its routing table: the wire
/// shapes of the types its ledger writes (and reads from a seed file), the enums they hold
/// or it reads, what a seed file holds, and the clock its walk runs at. Empty but for the
/// clock without `fake:` in the spec.
#[derive(Debug, Clone, Serialize)]
pub struct Fake {
    /// The enums the shapes hold and those `fake.reads` lists, in declaration order.
    pub enums: Vec<FakeEnum>,
    /// The shapes of `fake:`'s types and of every struct their fields hold, in declaration
    /// order.
    pub shapes: Vec<Shape>,
    /// The kinds of state a seed file holds, in spec order.
    pub seeds: Vec<SeedKind>,
    /// The fake's clock during the walk (UNIX seconds): the time samples use when the spec
    /// gives none, so that the samples' planned times lie ahead of it.
    pub walk_now: i64,
}

/// An enum of the spec as the fake reads and writes it: closed (a value the spec does not
/// list is refused where the fake reads one).
#[derive(Debug, Clone, Serialize)]
pub struct FakeEnum {
    /// Rust name (the spec's).
    pub name: String,
    /// Doc comment.
    pub doc: String,
    /// Its values in spec order.
    pub values: Vec<Variant>,
}

/// The wire shape of a struct the fake writes: the required fields its ledger must give, the
/// optional ones in a `Default` part of their own, so that a field the ledger does not model
/// is written unset.
#[derive(Debug, Clone, Serialize)]
pub struct Shape {
    /// Rust name (the spec's).
    pub name: String,
    /// Doc comment.
    pub doc: String,
    /// Fields in spec order, the order they are written in.
    pub fields: Vec<ShapeField>,
    /// Name of the struct holding the optional fields, when there are any.
    pub optional: Option<String>,
    /// Also read from JSON: a seed's type or a struct one holds.
    pub read: bool,
}

/// A field of a [`Shape`].
#[derive(Debug, Clone, Serialize)]
pub struct ShapeField {
    /// Rust name.
    pub name: String,
    /// Key on the wire.
    pub wire: String,
    /// Doc comment.
    pub doc: String,
    /// How it is held and written.
    pub ty: ShapeTy,
    /// The ledger must give it; an optional field is written unset when not given: `null`,
    /// `0` for a time, `[]` for a list.
    pub required: bool,
}

/// The Rust type of a [`ShapeField`] (without the `Option` of an optional one).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapeTy {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Bool,
    /// The fake's amount, written as an integer when whole.
    Amount,
    /// UNIX seconds (`i64`); an unset one is written as `0`.
    Time,
    /// Any JSON value; also a union, which the fake never builds.
    Json,
    /// One of [`Fake::enums`].
    Enum(String),
    /// Another [`Shape`].
    Shape(String),
    /// `Vec<T>`.
    List(Box<ShapeTy>),
    /// `BTreeMap<String, T>`.
    Map(Box<ShapeTy>),
}

/// A kind of state in a seed file.
#[derive(Debug, Clone, Serialize)]
pub struct SeedKind {
    /// Key in the seed file, and the field of the generated seed struct.
    pub key: String,
    /// Its entries' shape.
    pub shape: String,
    /// Doc of the field.
    pub doc: String,
}

/// An endpoint as the fake PortOne knows it: its operation, and the state its walk test
/// starts from.
#[derive(Debug, Clone, Serialize)]
pub struct FakeEndpoint {
    /// Variant of the fake's `Operation` enum.
    pub operation: String,
    /// Doc of the variant.
    pub doc: String,
    /// The seed file (JSON) the walk starts the fake from: the entities the sample request
    /// names, built from their types' samples; `None` for an empty ledger.
    pub seed: Option<serde_json::Value>,
    /// The states the walk tries the seeded entities in, one attempt each, until the call
    /// succeeds.
    pub states: Vec<SeedState>,
}

/// The values the walk gives a seeded kind's state field, the sample's own first.
#[derive(Debug, Clone, Serialize)]
pub struct SeedState {
    /// Seed-file key of the kind.
    pub kind: String,
    /// Wire name of its state field.
    pub field: String,
    /// Wire values, one per attempt.
    pub values: Vec<String>,
}

/// The command-line tool (`cli/`): every endpoint a command, in groups, and what its
/// hand-written commands read from the spec.
#[derive(Debug, Clone, Serialize)]
pub struct Cli {
    /// Crate name (`portone-v1-cli`).
    pub crate_name: String,
    /// Name of the binary (`portone-v1`).
    pub binary: String,
    /// The top-level command groups, sorted by name.
    pub groups: Vec<CommandGroup>,
    /// How many commands the groups hold: one per endpoint.
    pub command_count: usize,
    /// The hand-written flows' anchors, when the spec has `flows:`.
    pub flows: Option<CliFlows>,
    /// The notification `webhook send` builds, when the spec describes one.
    pub webhook: Option<CliWebhook>,
}

/// A command group: commands and groups below one word.
#[derive(Debug, Clone, Serialize)]
pub struct CommandGroup {
    /// Its word.
    pub name: String,
    /// Every word from the top (`["subscription", "schedule"]`).
    pub path: Vec<String>,
    /// One line for the list of groups.
    pub about: String,
    /// Its `--help` text.
    pub long_about: String,
    /// Its Korean label, for the Korean command reference only.
    pub ko: String,
    /// Its commands, in spec order.
    pub commands: Vec<CliCommand>,
    /// The groups below it, sorted by name.
    pub groups: Vec<CommandGroup>,
}

/// One endpoint as a command.
#[derive(Debug, Clone, Serialize)]
pub struct CliCommand {
    /// Its word in its group.
    pub name: String,
    /// The endpoint's key in the spec (the client's method name).
    pub endpoint: String,
    /// One line for the list of commands.
    pub about: String,
    /// Its `--help` text: the endpoint's doc, its deprecation, the HTTP call and whether it
    /// asks for confirmation.
    pub long_about: String,
    /// The endpoint's doc alone, for the Korean command reference, which says the rest of
    /// `long_about` in Korean.
    pub doc: String,
    /// Its Korean label, for the Korean command reference only.
    pub ko: String,
    /// HTTP method as on the wire (`GET`).
    pub method: String,
    /// Variant of `runtime::Method` (`Get`).
    pub runtime_method: String,
    /// Path template.
    pub path: String,
    /// Safe to repeat.
    pub idempotent: bool,
    /// Needs an access token.
    pub auth: bool,
    /// Never retried (it may move money or change state), so it shows what it will send and
    /// asks before sending unless `--yes`.
    pub confirm: bool,
    /// Set when PortOne dropped the operation.
    pub deprecation: Option<CliDeprecation>,
    /// Path parameters (positional, in path order), then query parameters, then body fields.
    pub args: Vec<CliArg>,
    /// Takes a JSON body, so also `--json`.
    pub body: bool,
    /// Its generated run against the fake PortOne.
    pub test: CommandTest,
}

/// When and why PortOne dropped a command's operation, as the spec says it.
#[derive(Debug, Clone, Serialize)]
pub struct CliDeprecation {
    /// Date it left the official schema.
    pub since: String,
    /// What happened and what to use instead.
    pub note: String,
}

/// A positional argument or flag of a command.
#[derive(Debug, Clone, Serialize)]
pub struct CliArg {
    /// Its name in the spec (clap's id).
    pub name: String,
    /// The flag without `--`; `None` for a positional argument (a path parameter).
    pub flag: Option<String>,
    /// Placeholder of the value in help texts.
    pub value_name: String,
    /// Name on the wire (query parameter or body key).
    pub wire: String,
    /// Where the value goes.
    pub place: ArgPlace,
    /// What the value must be.
    pub value: ArgValue,
    /// A list: the flag is repeated, once per item.
    pub list: bool,
    /// The request must carry it (a body field may come from `--json` instead of its flag).
    pub required: bool,
    /// A secret: the flag names a file holding the value, never the value.
    pub secret: bool,
    /// Help text: the spec's doc.
    pub help: String,
}

/// Where a command's argument goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgPlace {
    /// A path segment.
    Path,
    /// A query parameter.
    Query,
    /// A key of the JSON body.
    Body,
}

/// What an argument's value (each item, for a list) must be, as the command line reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgValue {
    /// Any text.
    Text,
    /// A whole number.
    Integer,
    /// A number (amounts too).
    Number,
    /// A time, sent as UNIX seconds.
    Timestamp,
    /// `true` or `false`.
    Boolean,
    /// A JSON value (objects, unions, maps, nested lists, `json`).
    Json,
    /// One of an enum's wire values, with their docs.
    Choice(Choices),
}

/// An enum's values as arguments take them: the table lists them once, in a static that
/// every argument of the enum names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choices {
    /// The enum's name in the spec, for the static's doc.
    pub of: String,
    /// Name of the static in the command table.
    pub name: String,
    /// The values, in the spec's order.
    pub values: Vec<Choice>,
}

/// One value of an enum argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// Wire value.
    pub value: String,
    /// Its doc.
    pub help: String,
}

/// The generated test running a command against the fake PortOne.
#[derive(Debug, Clone, Serialize)]
pub struct CommandTest {
    /// Test function name.
    pub name: String,
    /// The command line after the binary: the command, its sample path arguments and every
    /// flag with a sample value.
    pub args: Vec<String>,
    /// (flag, value) of each secret: the test writes the value to a file and passes the flag
    /// that file.
    pub secrets: Vec<(String, String)>,
    /// For an endpoint needing no token: the sample body, whose credentials the fake must
    /// accept.
    pub token_body: Option<String>,
}

/// Where the hand-written `payments sweep` and the refund and charge safety nets hook in.
#[derive(Debug, Clone, Serialize)]
pub struct CliFlows {
    /// The group of the `flows:` category, which gets the hand-written `sweep`.
    pub group: Vec<String>,
    /// The refund endpoint: without a checksum the command looks up the refundable balance,
    /// and an unknown outcome is reconciled.
    pub cancel: String,
    /// Wire keys of the fields of its body the command reads and writes.
    pub cancel_keys: CancelKeys,
    /// The billing-key charge endpoint, whose unknown outcome is reconciled.
    pub charge: String,
    /// Wire key of the order id in its body.
    pub charge_order_key: String,
}

/// Wire keys of the refund body's fields that `flows:` requires.
#[derive(Debug, Clone, Serialize)]
pub struct CancelKeys {
    /// PortOne's id of the payment.
    pub imp_uid: String,
    /// The order id, when the payment is named by it.
    pub merchant_uid: String,
    /// The amount to refund (all that is left when unset).
    pub amount: String,
    /// The refundable balance the request believes in.
    pub checksum: String,
}

/// The notification `webhook send` posts.
#[derive(Debug, Clone, Serialize)]
pub struct CliWebhook {
    /// Its fields, each a flag of `webhook send`.
    pub fields: Vec<CliWebhookField>,
}

/// A field of the notification `webhook send` posts.
#[derive(Debug, Clone, Serialize)]
pub struct CliWebhookField {
    /// Its flag (`place` is the body: the key is `wire`).
    pub arg: CliArg,
    /// It names the payment (PortOne's id): its flag is required, and the payment is looked
    /// up by it.
    pub names_payment: bool,
    /// Wire key of the looked-up payment's field it is copied from when its flag is not
    /// given; `None`: sent only when given.
    pub from_payment: Option<String>,
}

/// A module of the runtime whose items the crate root re-exports with a glob.
#[derive(Debug, Clone, Serialize)]
pub struct RuntimeExports {
    /// Its path under the runtime crate (`["exports", "root"]`).
    pub module: Vec<String>,
    /// The names it brings, for the API listing.
    pub names: Vec<String>,
}

/// The `webhook` module: the notification type, read from a body by the runtime's
/// `NotificationBody`.
#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    /// Module name.
    pub module: String,
    /// Module doc.
    pub doc: String,
    /// When the module is compiled: the feature of the category that declares it.
    pub cfg: Cfg,
    /// Name of the notification type.
    pub type_name: String,
    /// Doc of the notification type.
    pub type_doc: String,
    /// Doc of its `parse`, but for the `# Example` section, which `emit` renders from
    /// `example_body`.
    pub parse_doc: String,
    /// Variants of the runtime's `BodyFormat` it accepts (`Json`, `Form`), in spec order.
    pub formats: Vec<String>,
    /// Its fields in spec order.
    pub fields: Vec<WebhookField>,
    /// Name of the field keeping every other key.
    pub extra: String,
    /// Doc of that field.
    pub extra_doc: String,
    /// A JSON body with every required field, from the spec's examples, for the doc example
    /// (which is left out when JSON is not accepted).
    pub example_body: Option<String>,
    /// A string field of `example_body` and its value, which the doc example asserts.
    pub example_check: Option<(String, String)>,
}

/// A field of the webhook notification.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookField {
    /// Rust name.
    pub name: String,
    /// Key in the body.
    pub wire: String,
    /// `String` or an enum.
    pub ty: Ty,
    /// An `Option`: the notification may leave it out.
    pub optional: bool,
    /// Doc comment.
    pub doc: String,
}

/// What `src/flows.rs` is made of: the runtime's `PaymentFacts` for the payment type and the
/// `Client` methods that look a payment up and decide over it. The fields the glue reads are
/// named here as the spec names them (validate checked their types), so emit spells out no
/// field name of its own.
#[derive(Debug, Clone, Serialize)]
pub struct Flows {
    /// The payment struct.
    pub payment: String,
    /// When it is compiled (its `PaymentFacts` impl with it).
    pub payment_cfg: Cfg,
    /// The payment's fields that `PaymentFacts` reads.
    pub payment_fields: PaymentFields,
    /// The struct of one refund in the payment's refund history.
    pub cancellation: String,
    /// When that is compiled.
    pub cancellation_cfg: Cfg,
    /// The refund's fields that `CancellationFacts` reads.
    pub cancellation_fields: CancellationFields,
    /// When the methods are compiled: the feature of the category with the lookups.
    pub cfg: Cfg,
    /// `verify_payment`, `reconcile_cancel`, `reconcile_charge`.
    pub methods: Vec<String>,
    /// The lookup by PortOne's id.
    pub lookup: FlowLookup,
    /// The lookup by order id.
    pub lookup_by_order: FlowLookup,
    /// The refund method, for the docs.
    pub cancel: String,
    /// Its body struct, which `reconcile_cancel` takes.
    pub cancel_body: String,
    /// The body's fields `reconcile_cancel` reads (all optional).
    pub cancel_fields: CancelFields,
    /// The billing-key charge method, for the docs.
    pub charge: String,
}

/// A struct field the flow helpers read.
#[derive(Debug, Clone, Serialize)]
pub struct FlowField {
    /// Rust name.
    pub name: String,
    /// The Rust field is an `Option`.
    pub optional: bool,
}

/// The payment's fields, by what `PaymentFacts` takes from each.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentFields {
    /// The order id (`merchant_uid`), a required string.
    pub order_id: FlowField,
    /// The amount paid, a required amount.
    pub amount: FlowField,
    /// The amount refunded so far, a required amount.
    pub cancel_amount: FlowField,
    /// The currency, a required enum.
    pub currency: FlowField,
    /// The status, a required enum.
    pub status: FlowField,
    /// The virtual account number (`vbank_num`), a string.
    pub virtual_account: FlowField,
    /// The refund history (`cancel_history`), a list of the cancellation struct.
    pub cancellations: FlowField,
}

/// A refund's fields, by what `CancellationFacts` takes from each.
#[derive(Debug, Clone, Serialize)]
pub struct CancellationFields {
    /// The amount refunded, a required amount.
    pub amount: FlowField,
    /// The refund's id, a string.
    pub cancellation_id: FlowField,
}

/// The refund body's fields `reconcile_cancel` reads, all optional.
#[derive(Debug, Clone, Serialize)]
pub struct CancelFields {
    /// PortOne's payment id (`imp_uid`), a string.
    pub payment_id: FlowField,
    /// The order id (`merchant_uid`), a string.
    pub order_id: FlowField,
    /// The amount to refund, an amount.
    pub amount: FlowField,
    /// The refundable balance the caller saw (`checksum`), an amount.
    pub checksum: FlowField,
}

/// A lookup method the helpers call, and the query struct it takes (passed empty).
#[derive(Debug, Clone, Serialize)]
pub struct FlowLookup {
    /// Method name.
    pub method: String,
    /// Its query struct, if it has query parameters.
    pub query: Option<String>,
}

/// A contract test that decodes every value of an enum, so that each one is exercised even
/// when no endpoint sample carries it.
#[derive(Debug, Clone, Serialize)]
pub struct EnumSample {
    /// The enum's Rust name.
    pub ty: String,
    /// Name of the test.
    pub test: String,
    /// When the enum is compiled.
    pub cfg: Cfg,
    /// (wire value, variant) of every known value.
    pub values: Vec<(String, String)>,
    /// A wire value the enum does not list, which must decode as `Unknown`.
    pub unknown: String,
}

/// An internal cargo feature (`_payment`): every category of its set switches it on, so a
/// shared item's `#[cfg]` names one feature instead of listing the categories.
#[derive(Debug, Clone, Serialize)]
pub struct InternalFeature {
    /// Feature name, underscore-prefixed: named after the first type (in module order) or,
    /// for a category file's set that no type has, the module that needs it, so adding an
    /// unrelated type renames nothing.
    pub name: String,
    /// What first needed it (a type, or the types of a category file), for the manifest.
    pub first_needed_by: String,
    /// The category features that switch it on, sorted.
    pub categories: Vec<String>,
}

/// One category: a module of endpoint methods and a cargo feature.
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    /// Module and feature name.
    pub key: String,
    /// One-line summary.
    pub doc: String,
    /// Doc line of its `impl Client` block, naming the category and its cargo feature.
    pub impl_doc: String,
    /// Official category ids it covers.
    pub official: Vec<String>,
    /// The internal features its feature switches on, sorted.
    pub enables: Vec<String>,
    /// Its endpoints, in spec order.
    pub endpoints: Vec<Endpoint>,
}

/// When an item is compiled, said twice: by category (for readers) and as `#[cfg]` tests it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cfg {
    /// Any of these category terms compiles it; empty means always compiled. What the docs
    /// (`doc(cfg)`) and the public API listing show.
    pub categories: Vec<CfgTerm>,
    /// What `#[cfg]` tests, any of these terms: the same condition, with two or more category
    /// features replaced by their [`InternalFeature`] and a `legacy` term dropped when its
    /// category is there without it.
    pub test: Vec<CfgTerm>,
    /// What a `doc(cfg)` attribute shows, any of these terms: the categories, when `test` names
    /// an internal feature (which the docs hide, so rustdoc's `auto_cfg` would show nothing);
    /// empty when `auto_cfg` shows `test` as it is.
    pub doc: Vec<CfgTerm>,
}

/// One term of a [`Cfg`]: a feature, plus `legacy` for dropped operations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CfgTerm {
    /// Category feature (or, in [`Cfg::test`], an internal one).
    pub feature: String,
    /// Whether the `legacy` feature is needed too.
    pub legacy: bool,
}

/// A resolved Rust type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ty {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Bool,
    /// `runtime::Amount`.
    Amount,
    /// `runtime::Timestamp`.
    Timestamp,
    /// `serde_json::Value`.
    Json,
    /// A generated enum (usable in paths and queries).
    Enum(String),
    /// A generated struct or union.
    Named(String),
    /// `Vec<T>`.
    List(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// No payload.
    Unit,
}

/// One endpoint method.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    /// Method name.
    pub name: String,
    /// Doc comment of the method, but for its `# Example` section, which `emit` renders from
    /// `sample`.
    pub doc: String,
    /// HTTP method as on the wire (`GET`).
    pub method: String,
    /// Variant of `runtime::Method` (`Get`).
    pub runtime_method: String,
    /// Path template as the service spells it.
    pub path: String,
    /// Name of the `runtime::Endpoint` constant.
    pub const_name: String,
    /// Safe to repeat.
    pub idempotent: bool,
    /// Needs an access token.
    pub auth: bool,
    /// Path arguments in path order.
    pub path_params: Vec<PathArg>,
    /// Query struct, when the endpoint has query parameters.
    pub query: Option<QueryArg>,
    /// Body struct name.
    pub body: Option<String>,
    /// Unwrapped payload type.
    pub response: Ty,
    /// When it is compiled.
    pub cfg: Cfg,
    /// Set for dropped operations.
    pub deprecated: Option<Deprecation>,
    /// The all-pages stream method, for paged endpoints.
    pub stream: Option<Stream>,
    /// Official operationId.
    pub official: Option<String>,
    /// Official envelope definitions of the 200 response.
    pub official_response: Vec<String>,
    /// Everything the generated contract test needs.
    pub sample: EndpointSample,
    /// What the fake PortOne checks and decodes in a request to it.
    pub wire: WireShape,
    /// How the fake PortOne names it and what its walk seeds.
    pub fake: FakeEndpoint,
}

/// The parameters and body fields of an endpoint as they travel, for the fake PortOne's
/// request decoding.
#[derive(Debug, Clone, Serialize)]
pub struct WireShape {
    /// Path parameters in path order.
    pub path: Vec<WireParam>,
    /// Query parameters in spec order.
    pub query: Vec<WireParam>,
    /// Fields of the body object in spec order (empty without a body).
    pub body: Vec<WireParam>,
}

/// One parameter or body field on the wire.
#[derive(Debug, Clone, Serialize)]
pub struct WireParam {
    /// Spec (Rust) name.
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// What the value must be.
    pub ty: WireTy,
    /// A request must carry it.
    pub required: bool,
}

/// The JSON shape a wire value must have; enums are strings (they are open), timestamps
/// integers, amounts numbers, unions anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WireTy {
    /// A string.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON value.
    Json,
    /// An object (a struct or a map).
    Object,
    /// An array of the inner shape.
    List(Box<WireTy>),
}

/// A path argument of an endpoint method (and of its stream method).
#[derive(Debug, Clone, Serialize)]
pub struct PathArg {
    /// Rust name.
    pub name: String,
    /// How the methods take it.
    pub pass: Pass,
    /// Doc.
    pub doc: String,
}

/// The Rust type a path argument is taken as, which also fixes how it becomes path text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pass {
    /// `&str`: strings, and the other scalars, which the caller writes as text.
    Str,
    /// `i64` by value, written in decimal.
    Integer,
    /// The named generated enum by value; its wire value goes in the path.
    Enum(String),
}

/// The query struct of an endpoint and how each field goes on the wire.
#[derive(Debug, Clone, Serialize)]
pub struct QueryArg {
    /// Struct name.
    pub type_name: String,
    /// (field name, wire name) pairs in order.
    pub fields: Vec<(String, String)>,
}

/// Deprecation of a dropped operation.
#[derive(Debug, Clone, Serialize)]
pub struct Deprecation {
    /// Date it left the official schema.
    pub since: String,
    /// Crate version that deprecated it.
    pub crate_since: String,
    /// What to do instead.
    pub note: String,
}

/// The all-pages helper of a paged endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct Stream {
    /// Method name.
    pub name: String,
    /// Doc comment.
    pub doc: String,
    /// Item type.
    pub item: Ty,
    /// The endpoint's query struct, which the stream takes and copies for every page.
    pub query: String,
    /// The query parameter (field and setter of the query struct) holding the page number.
    pub page_param: String,
    /// Name of the contract test that walks the sample pages.
    pub test: String,
}

/// Types declared by one category file.
#[derive(Debug, Clone, Serialize)]
pub struct TypeModule {
    /// Module name (the category key).
    pub name: String,
    /// When the module has anything to compile: the union of its types' conditions.
    pub cfg: Cfg,
    /// Its types in spec order, query structs after them.
    pub types: Vec<TypeDef>,
}

/// How a type is used, which decides what it derives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Sent as (part of) a JSON body: `Serialize`, `new` and setters.
    pub request: bool,
    /// Received as (part of) a payload: `Deserialize`, and `Serialize` back to the same shape,
    /// so that users can store and forward what they received.
    pub response: bool,
    /// A query struct: fields are written by the endpoint method, no serde.
    pub query: bool,
}

/// One generated type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Doc comment.
    pub doc: String,
    /// Official definition it models.
    pub official: Option<String>,
    /// When it is compiled.
    pub cfg: Cfg,
    /// How it is used.
    pub usage: Usage,
    /// What `#[derive(...)]` lists, in that order.
    pub derives: Vec<Derive>,
    /// Its shape.
    pub kind: Kind,
}

/// A derived trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub enum Derive {
    Clone,
    Debug,
    Default,
    Serialize,
    Deserialize,
}

/// The shape of a type.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A struct.
    Struct(Struct),
    /// An open enum of wire strings.
    Enum(Vec<Variant>),
    /// An untagged union.
    Union(Union),
}

/// Struct details.
#[derive(Debug, Clone, Serialize)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// An emitted `Serialize` impl: sent in a body, or decoded (written back in the shape it
    /// was read from).
    pub serialize: bool,
    /// An emitted `Deserialize` impl (read from a payload).
    pub deserialize: bool,
    /// Constructors and setters, for types users build (bodies and query structs).
    pub builders: Option<Builders>,
    /// A hand-written `Debug` that hides the secret fields (instead of a derived one).
    pub redacted_debug: bool,
    /// Paging, for page payloads.
    pub page: Option<PageInfo>,
}

/// How users build a struct: constructors taking the required fields, setters for the rest.
#[derive(Debug, Clone, Serialize)]
pub struct Builders {
    /// `new` first, then the spec's named constructors.
    pub constructors: Vec<Constructor>,
    /// Positions in [`Struct::fields`] of the fields with a setter, in order.
    pub setters: Vec<usize>,
}

/// A struct field.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Rust name (also the setter name).
    pub name: String,
    /// Name on the wire (JSON key or query parameter); usually the same as `name`.
    pub wire: String,
    /// Type, without the `Option` of optional fields.
    pub ty: Ty,
    /// The Rust field is an `Option`: `None` when a response leaves it out (or sends null), and
    /// left out of a request body when unset.
    pub optional: bool,
    /// The spec requires it, so a request must send it: `new` (and every named constructor)
    /// takes it as an argument instead of a setter. Usually the opposite of `optional`; both
    /// hold for a required time of a decoded type (see `unset_zero`), whose constructor, when
    /// the type is also sent, stores `Some`.
    pub required: bool,
    /// Decoded through `wire::time`: `0`, `0.0`, `"0"`, `""`, `null` and a missing key all
    /// read as `None`. Set on every `timestamp` field of a decoded type, which is therefore
    /// `optional` whatever the spec says, so that unset has one representation.
    pub unset_zero: bool,
    /// Redacted in `Debug`.
    pub secret: bool,
    /// How constructors and setters take it.
    pub takes: Takes,
    /// Doc comment.
    pub doc: String,
}

/// What a constructor or setter accepts for a field of type `T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Takes {
    /// `T` itself (structs, unions, maps: nothing converts into them).
    Value,
    /// `impl Into<T>` (scalars, enums, lists: a `&str`, a number or an array will do).
    Into,
}

/// A constructor.
#[derive(Debug, Clone, Serialize)]
pub struct Constructor {
    /// Function name.
    pub name: String,
    /// Doc comment.
    pub doc: String,
    /// Positions in [`Struct::fields`] of its arguments, in order; the other fields start
    /// unset.
    pub args: Vec<usize>,
}

/// Where a page payload keeps its items and next page number.
#[derive(Debug, Clone, Serialize)]
pub struct PageInfo {
    /// List field.
    pub items: String,
    /// Whether the list field is optional.
    pub items_optional: bool,
    /// Item type.
    pub item: Ty,
    /// Next-page field.
    pub next: String,
}

/// An enum variant.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    /// Rust name.
    pub name: String,
    /// Wire value.
    pub wire: String,
    /// Doc comment.
    pub doc: String,
}

/// Union details.
#[derive(Debug, Clone, Serialize)]
pub struct Union {
    /// Variants, tried in order when decoding.
    pub variants: Vec<UnionVariant>,
    /// The item type when every variant is a page or a list of the same items.
    pub page_item: Option<Ty>,
}

/// A union variant.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// Rust name.
    pub name: String,
    /// Doc comment.
    pub doc: String,
    /// Its payload type.
    pub ty: Ty,
    /// What it is to the page walk, when the union pages.
    pub pages: Option<VariantPages>,
}

/// What a variant of a paging union holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantPages {
    /// A plain list of the items: it carries no next page, so the walk ends with it.
    Items,
    /// A page type, which says itself whether another page follows.
    Page,
}

/// Sample values for an endpoint's generated contract test.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointSample {
    /// Path arguments as Rust values.
    pub path_args: Vec<Sample>,
    /// The path the server should see.
    pub path: String,
    /// The query struct with every field set.
    pub query: Option<Sample>,
    /// Query pairs the server should see (first value of each list).
    pub query_pairs: Vec<(String, String)>,
    /// The body struct with every field set.
    pub body: Option<Sample>,
    /// The JSON the server should receive.
    pub body_json: Option<serde_json::Value>,
    /// A realistic payload for the response (`Null` when there is none).
    pub response_json: serde_json::Value,
    /// The constant in the contract tests' `samples` module holding that payload, shared by
    /// every endpoint returning the same type; `None` when there is no payload.
    pub response_sample: Option<String>,
    /// What to assert about the decoded payload beyond its round trip.
    pub checks: Vec<Check>,
}

/// A sample answer of one response type, for the contract tests.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseSample {
    /// Name of its constant (`PAYMENT`, `PAYMENT_LIST`).
    pub name: String,
    /// Doc of the constant.
    pub doc: String,
    /// The payload: every optional field set, from the spec's examples where they fit.
    pub json: serde_json::Value,
    /// JSON pointers of the members the decoded payload leaves out when it is serialized back
    /// (a time sent unset, a `null`), so the round trip expects the payload without them.
    pub unset: Vec<String>,
}

/// An assertion on a field of a contract test's decoded payload that its round trip (decoded,
/// serialized and compared with the sample) does not imply.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A string field holds this value: the key lands in the Rust field of its name.
    Equals {
        /// Field name.
        field: String,
        /// Expected value.
        value: String,
    },
    /// A time field the sample sends unset (`0`, `null`, `""`) decodes as `None`.
    Unset {
        /// Field name.
        field: String,
    },
}

/// A Rust value to construct in generated tests.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sample {
    /// A string literal.
    String(String),
    /// An integer literal.
    Integer(i64),
    /// A float literal.
    Number(f64),
    /// A bool literal.
    Bool(bool),
    /// An amount (JSON number).
    Amount(serde_json::Number),
    /// A timestamp in seconds.
    Timestamp(i64),
    /// Arbitrary JSON.
    Json(serde_json::Value),
    /// An enum value: type, wire string, and the variant it names (if it is a known value).
    Enum(String, String, Option<String>),
    /// A list.
    List(Vec<Sample>),
    /// A map with string keys.
    Map(Vec<(String, Sample)>),
    /// A struct built with `new(required...)` and setters.
    Struct {
        /// Type name.
        ty: String,
        /// Arguments of `new`.
        required: Vec<Sample>,
        /// (setter, value, whether the spec gave this example) for optional fields.
        optional: Vec<(String, Sample, bool)>,
    },
    /// A union variant wrapping a value.
    Union(String, String, Box<Sample>),
}
