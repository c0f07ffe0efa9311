//! The spec as `validate` hands it to `resolve`: every type expression parsed, every reference
//! to a named type a [`TypeId`], every default filled in and every rule already applied.
//!
//! `validate` builds a [`CheckedSpec`] only from a spec without errors, and the types are shaped
//! so that what the checks exclude (an unknown type, an empty enum, a paged endpoint without
//! pages) cannot be represented here: `resolve` has nothing to fall back on.

use std::ops::Index;

pub use crate::spec::HttpMethod;
use crate::types_expr::Scalar;

/// A spec that passed validation.
#[derive(Debug, Clone)]
pub struct CheckedSpec {
    /// `service.yaml`.
    pub service: Service,
    /// Category files in file-name order; their keys are unique.
    pub categories: Vec<Category>,
    /// Every named type, in declaration order; a [`TypeId`] indexes it.
    pub types: Vec<TypeDef>,
    /// The webhook notification, if the spec describes one.
    pub webhook: Option<Webhook>,
    /// What the verification and reconciliation helpers are built on, if the spec says.
    pub flows: Option<Flows>,
    /// What the fake PortOne's ledger keeps and answers with, if the spec says.
    pub fake: Option<Fake>,
}

impl Index<TypeId> for CheckedSpec {
    type Output = TypeDef;
    fn index(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// A named type of a [`CheckedSpec`]. Only `validate` makes one, for a name it found defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub(crate) usize);

impl TypeId {
    /// Position in [`CheckedSpec::types`] (for tables indexed by type).
    pub fn index(self) -> usize {
        self.0
    }
}

/// A type expression whose names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckedType {
    /// A built-in scalar.
    Scalar(Scalar),
    /// A named spec type.
    Named(TypeId),
    /// `[T]`.
    List(Box<CheckedType>),
    /// `{T}`: an object with string keys.
    Map(Box<CheckedType>),
}

impl CheckedType {
    /// The named type the expression ends in, through lists and maps.
    pub fn named(&self) -> Option<TypeId> {
        match self {
            CheckedType::Scalar(_) => None,
            CheckedType::Named(id) => Some(*id),
            CheckedType::List(t) | CheckedType::Map(t) => t.named(),
        }
    }
}

/// A list with at least one element (enum values, union variants).
#[derive(Debug, Clone)]
pub struct NonEmpty<T> {
    /// The first element.
    pub first: T,
    /// The others, in order.
    pub rest: Vec<T>,
}

impl<T> NonEmpty<T> {
    /// Every element, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        std::iter::once(&self.first).chain(&self.rest)
    }
}

/// Facts about the service.
#[derive(Debug, Clone)]
pub struct Service {
    /// Name of the generated crate.
    pub crate_name: String,
    /// MAJOR.MINOR.PATCH of the crate and its runtime.
    pub version: String,
    /// Human title of the API.
    pub title: String,
    /// Production base URL (https).
    pub base_url: String,
    /// Crate-level documentation, trimmed, never empty.
    pub doc: String,
}

/// One category file.
#[derive(Debug, Clone)]
pub struct Category {
    /// Module and feature name.
    pub key: String,
    /// One-line summary, trimmed.
    pub doc: String,
    /// Short Korean label of its command group, trimmed, one line.
    pub ko: String,
    /// Official category ids covered.
    pub official: Vec<String>,
    /// The words of its command group in the command-line tool (`["subscription",
    /// "schedule"]`), unique among categories.
    pub command: Vec<String>,
    /// Endpoints in spec order; names are unique across the spec.
    pub endpoints: Vec<Endpoint>,
    /// The types it declares, in spec order.
    pub types: Vec<TypeId>,
}

/// One endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Rust method name.
    pub name: String,
    /// What it does, trimmed.
    pub doc: String,
    /// Short Korean label of its command, trimmed, one line.
    pub ko: String,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template, starting with `/`.
    pub path: String,
    /// Whether repeating the call is safe.
    pub idempotent: bool,
    /// Whether the call needs an access token.
    pub auth: bool,
    /// Official operationId.
    pub official: Option<String>,
    /// Official envelope definitions of the 200 response.
    pub official_response: Vec<String>,
    /// Path parameters, in the order of their placeholders; never optional.
    pub path_params: Vec<Param>,
    /// Query parameters in spec order.
    pub query_params: Vec<Param>,
    /// The struct sent as the JSON body.
    pub body: Option<TypeId>,
    /// The unwrapped payload, if any.
    pub response: Option<CheckedType>,
    /// Paging, for endpoints with `paginate:`.
    pub paging: Option<Paging>,
    /// Set for operations PortOne dropped.
    pub deprecated: Option<Deprecation>,
    /// Its command in the command-line tool, unique in its group.
    pub command: String,
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name.
    pub name: String,
    /// Name on the wire (the key unless `wire:` says otherwise).
    pub wire: String,
    /// A scalar other than `json` or an enum; query parameters may also be lists of those.
    pub ty: CheckedType,
    /// What it means, trimmed.
    pub doc: String,
    /// Whether it may be left out (query parameters only).
    pub optional: bool,
    /// Redacted in `Debug` output.
    pub secret: bool,
    /// Example value for generated tests and docs.
    pub example: Option<serde_yaml::Value>,
}

/// How a paged endpoint walks its pages.
#[derive(Debug, Clone)]
pub struct Paging {
    /// The optional integer query parameter holding the page number.
    pub param: String,
    /// The item type its response pages over.
    pub item: CheckedType,
}

/// When and why an operation left the official schema.
#[derive(Debug, Clone)]
pub struct Deprecation {
    /// Date (YYYY-MM-DD).
    pub since: String,
    /// What happened and what to use instead, trimmed.
    pub note: String,
    /// Crate version that first marked it deprecated.
    pub crate_since: String,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name (UpperCamelCase, unique after case conversion).
    pub name: String,
    /// What it is, trimmed.
    pub doc: String,
    /// Official definition it models.
    pub official: Option<String>,
    /// Its shape.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct.
    Struct(Struct),
    /// An open enum of wire strings.
    Enum(NonEmpty<EnumValue>),
    /// An untagged union.
    Union(Union),
}

/// A struct type.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// Extra named constructors.
    pub constructors: Vec<Constructor>,
    /// Paging, for page payloads.
    pub page: Option<Page>,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name (also the setter name).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Its type.
    pub ty: CheckedType,
    /// What it means, trimmed.
    pub doc: String,
    /// Whether it may be absent (responses) or left out (requests).
    pub optional: bool,
    /// Redacted in `Debug` output.
    pub secret: bool,
    /// Example value for generated tests and docs.
    pub example: Option<serde_yaml::Value>,
}

/// A named constructor of a struct.
#[derive(Debug, Clone)]
pub struct Constructor {
    /// Function name.
    pub name: String,
    /// Positions in [`Struct::fields`] of the fields it takes besides the required ones.
    pub fields: Vec<usize>,
}

/// Where a page struct keeps its items and the next page number.
#[derive(Debug, Clone)]
pub struct Page {
    /// Position of the list field in [`Struct::fields`].
    pub items: usize,
    /// Position of the integer next-page field.
    pub next: usize,
    /// The type of one item.
    pub item: CheckedType,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Value on the wire.
    pub wire: String,
    /// Rust variant name (explicit or derived from the wire value), never `Unknown`.
    pub variant: String,
    /// What it means, trimmed.
    pub doc: String,
}

/// An untagged union.
#[derive(Debug, Clone)]
pub struct Union {
    /// Variants, tried in order when decoding.
    pub variants: NonEmpty<UnionVariant>,
    /// The item type, when every variant is a page or a plain list of the same items.
    pub page_item: Option<CheckedType>,
}

/// A union variant.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// Its payload type.
    pub ty: CheckedType,
}

/// The webhook notification.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Key of the category that declares it, whose feature compiles it.
    pub category: String,
    /// Doc of the `webhook` module, trimmed.
    pub doc: String,
    /// The formats its body may come in, in spec order, without repeats; never empty.
    pub formats: Vec<BodyFormat>,
    /// Its fields in spec order; never empty, none called `extra`.
    pub fields: Vec<WebhookField>,
}

/// An encoding of a webhook body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// A field of the webhook notification.
#[derive(Debug, Clone)]
pub struct WebhookField {
    /// Rust name.
    pub name: String,
    /// Key in the body.
    pub wire: String,
    /// `string` or an enum type.
    pub ty: CheckedType,
    /// What it means, trimmed.
    pub doc: String,
    /// Whether the notification may leave it out.
    pub optional: bool,
    /// Example value.
    pub example: Option<String>,
}

/// `flows:`, checked: the payment struct has every field the helpers read, with the right
/// types, and the endpoints have the shapes the helpers call.
#[derive(Debug, Clone)]
pub struct Flows {
    /// The payment struct.
    pub payment: TypeId,
    /// Its fields the helpers read.
    pub payment_fields: PaymentFields,
    /// The struct of one entry of its refund history.
    pub cancellation: TypeId,
    /// The entry's fields the helpers read.
    pub cancellation_fields: CancellationFields,
    /// The category of the lookups and the refund endpoint, whose feature compiles the
    /// helpers.
    pub category: String,
    /// That category's command group.
    pub command: Vec<String>,
    /// The lookup by PortOne's id.
    pub lookup: FlowLookup,
    /// The lookup by order id.
    pub lookup_by_order: FlowLookup,
    /// The refund endpoint.
    pub cancel: String,
    /// Its body struct.
    pub cancel_body: TypeId,
    /// The body's fields `reconcile_cancel` reads.
    pub cancel_fields: CancelFields,
    /// The billing-key charge endpoint.
    pub charge: String,
    /// Its body's order id, a required string.
    pub charge_order_id: FlowField,
}

/// A struct field the flow helpers read: its names, and whether it is optional.
#[derive(Debug, Clone)]
pub struct FlowField {
    /// Field name.
    pub name: String,
    /// Key in the JSON.
    pub wire: String,
    /// Whether it is optional.
    pub optional: bool,
}

/// The payment's fields the helpers read, by their role.
#[derive(Debug, Clone)]
pub struct PaymentFields {
    /// The order id, a required string.
    pub order_id: FlowField,
    /// The amount paid, a required amount.
    pub amount: FlowField,
    /// The amount refunded so far, a required amount.
    pub cancel_amount: FlowField,
    /// The currency, a required enum.
    pub currency: FlowField,
    /// The status, a required enum.
    pub status: FlowField,
    /// The virtual account number, a string.
    pub virtual_account: FlowField,
    /// The refund history, a list of the cancellation struct.
    pub cancellations: FlowField,
}

/// A refund history entry's fields the helpers read, by their role.
#[derive(Debug, Clone)]
pub struct CancellationFields {
    /// The amount refunded, a required amount.
    pub amount: FlowField,
    /// The refund's id, a string.
    pub cancellation_id: FlowField,
}

/// The refund body's fields `reconcile_cancel` reads, all optional.
#[derive(Debug, Clone)]
pub struct CancelFields {
    /// PortOne's payment id, a string.
    pub payment_id: FlowField,
    /// The order id, a string.
    pub order_id: FlowField,
    /// The amount to refund.
    pub amount: FlowField,
    /// The refundable balance the caller saw.
    pub checksum: FlowField,
}

/// A lookup endpoint of [`Flows`]: one string path parameter, only optional query
/// parameters, the payment as its response.
#[derive(Debug, Clone)]
pub struct FlowLookup {
    /// Method name.
    pub name: String,
    /// Its path parameter, the id.
    pub id: String,
    /// Whether it has query parameters (all optional), so a query struct to pass.
    pub query: bool,
}

/// `fake:`, checked: seeds and answers are structs and reads enums, each listed once; ids
/// are required string fields and the state a required enum field of their seed's type.
#[derive(Debug, Clone)]
pub struct Fake {
    /// The kinds of state a seed file holds, in spec order.
    pub seeds: Vec<FakeSeed>,
    /// The other struct types the ledger writes, in spec order.
    pub answers: Vec<TypeId>,
    /// The other enum types the ledger reads, in spec order.
    pub reads: Vec<TypeId>,
}

/// One kind of state of [`Fake`].
#[derive(Debug, Clone)]
pub struct FakeSeed {
    /// Seed-file key, snake_case.
    pub key: String,
    /// Its struct type.
    pub ty: TypeId,
    /// Positions in the struct's fields of the ids; never empty.
    pub ids: Vec<usize>,
    /// Position of the state field.
    pub state: Option<usize>,
}
