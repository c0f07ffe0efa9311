//! `flows:` of `service.yaml`: the payment type the verification and reconciliation helpers
//! read, and the endpoints they call. The generated glue names fixed fields and calls the
//! endpoints in a fixed way, so everything it relies on is checked here.

use super::Validator;
use crate::checked::{
    CancelFields, CancellationFields, Category, CheckedType, Endpoint, Field, FlowField,
    FlowLookup, Flows, PaymentFields, Struct, TypeDef, TypeId, TypeKind,
};
use crate::naming;
use crate::types_expr::Scalar;

/// What a field the helpers read must be.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    Scalar(Scalar),
    Enum,
    ListOfStruct,
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::Scalar(Scalar::String) => "of type `string`",
            Want::Scalar(Scalar::Amount) => "of type `amount`",
            Want::Scalar(_) => "of a scalar type",
            Want::Enum => "of an enum type",
            Want::ListOfStruct => "of type `[T]`, `T` a struct",
        }
    }
}

/// The fields of the payment type the helpers read: (name, type, required), in the order of
/// [`PaymentFields`].
const PAYMENT_FIELDS: [(&str, Want, bool); 7] = [
    ("merchant_uid", Want::Scalar(Scalar::String), true),
    ("amount", Want::Scalar(Scalar::Amount), true),
    ("cancel_amount", Want::Scalar(Scalar::Amount), true),
    ("currency", Want::Enum, true),
    ("status", Want::Enum, true),
    ("vbank_num", Want::Scalar(Scalar::String), false),
    ("cancel_history", Want::ListOfStruct, false),
];

/// The fields of one `cancel_history` entry the helpers read, in the order of
/// [`CancellationFields`].
const CANCELLATION_FIELDS: [(&str, Want, bool); 2] = [
    ("amount", Want::Scalar(Scalar::Amount), true),
    ("cancellation_id", Want::Scalar(Scalar::String), false),
];

/// The fields of the refund body `reconcile_cancel` reads, all optional, in the order of
/// [`CancelFields`].
const CANCEL_FIELDS: [(&str, Scalar); 4] = [
    ("imp_uid", Scalar::String),
    ("merchant_uid", Scalar::String),
    ("amount", Scalar::Amount),
    ("checksum", Scalar::Amount),
];

/// The payment struct and its refund entry struct as [`Flows`] records them.
struct PaymentShape {
    payment: TypeId,
    payment_fields: PaymentFields,
    cancellation: TypeId,
    cancellation_fields: CancellationFields,
}

impl Validator<'_> {
    /// Checks `flows:`. `Some(None)` when the spec has none; `None` after reporting a
    /// problem, or when the categories or types it names did not check (reported there).
    pub(super) fn flows(
        &mut self,
        categories: Option<&[Category]>,
        types: &[Option<TypeDef>],
    ) -> Option<Option<Flows>> {
        let Some(flows) = &self.loaded.spec.service.flows.clone() else {
            return Some(None);
        };
        let file = self.loaded.service_file;
        let categories = categories?;
        let loaded = self.loaded;
        let mut ok = true;
        for cat in &loaded.spec.categories {
            for name in cat.endpoints.keys() {
                if naming::FLOW_METHODS.contains(&name.as_str()) {
                    self.err(
                        cat.file,
                        &["endpoints", name],
                        true,
                        format!("`{name}` is the name of a method `flows:` generates"),
                    )
                    .hint("rename the endpoint");
                    ok = false;
                }
            }
        }
        let payment = self.flow_payment(&flows.payment, types);
        let roles = [
            ("lookup", &flows.lookup),
            ("lookup_by_order", &flows.lookup_by_order),
            ("cancel", &flows.cancel),
            ("charge", &flows.charge),
        ];
        let mut found: Vec<Option<(&Category, &Endpoint)>> = Vec::new();
        for (role, name) in roles {
            let hit = categories
                .iter()
                .find_map(|c| c.endpoints.iter().find(|e| &e.name == name).map(|e| (c, e)));
            if hit.is_none() {
                let all = categories
                    .iter()
                    .flat_map(|c| &c.endpoints)
                    .map(|e| e.name.as_str());
                let hint = naming::suggest(name, all).map(|s| format!("did you mean `{s}`?"));
                let d = self.err(
                    file,
                    &["flows", role],
                    false,
                    format!("`flows.{role}`: no endpoint is called `{name}`"),
                );
                if let Some(hint) = hint {
                    d.hint(hint);
                }
            }
            found.push(hit);
        }
        let [Some(lookup), Some(by_order), Some(cancel), Some(charge)] = found[..] else {
            return None;
        };
        let payment = payment?;
        let payment_ty = CheckedType::Named(payment.payment);
        let flow_lookup = self.flow_lookup("lookup", lookup.1, &payment_ty);
        let lookup_by_order = self.flow_lookup("lookup_by_order", by_order.1, &payment_ty);
        let cancel_body = self.flow_cancel(cancel.1, &payment_ty, types);
        let charge_order_id = self.flow_charge(charge.1, &payment_ty, types);
        for (role, (category, _)) in [("lookup_by_order", by_order), ("cancel", cancel)] {
            if category.key != lookup.0.key {
                self.err(
                    file,
                    &["flows", role],
                    false,
                    format!(
                        "`flows.{role}` is in category `{}`, `flows.lookup` in `{}`",
                        category.key, lookup.0.key
                    ),
                )
                .hint("the helpers compile with one category's feature: keep the lookups and the refund endpoint in one category");
                ok = false;
            }
        }
        let (flow_lookup, lookup_by_order, cancel_body, charge_order_id) = (
            flow_lookup?,
            lookup_by_order?,
            cancel_body?,
            charge_order_id?,
        );
        ok.then(|| {
            Some(Flows {
                payment: payment.payment,
                payment_fields: payment.payment_fields,
                cancellation: payment.cancellation,
                cancellation_fields: payment.cancellation_fields,
                category: lookup.0.key.clone(),
                command: lookup.0.command.clone(),
                lookup: flow_lookup,
                lookup_by_order,
                cancel: cancel.1.name.clone(),
                cancel_body: cancel_body.0,
                cancel_fields: cancel_body.1,
                charge: charge.1.name.clone(),
                charge_order_id,
            })
        })
    }

    /// The payment struct and its `cancel_history` entry struct, with the fields the helpers
    /// read. The entry struct is checked whenever `cancel_history` fits, whatever the payment's
    /// other fields do.
    fn flow_payment(&mut self, name: &str, types: &[Option<TypeDef>]) -> Option<PaymentShape> {
        let file = self.loaded.service_file;
        let Some(&id) = self.names.get(name) else {
            let hint = naming::suggest(name, self.names.keys().copied())
                .map(|s| format!("did you mean `{s}`?"));
            let d = self.err(
                file,
                &["flows", "payment"],
                false,
                format!("`flows.payment`: no type is called `{name}`"),
            );
            if let Some(hint) = hint {
                d.hint(hint);
            }
            return None;
        };
        let fields = self.flow_fields(id, types, &PAYMENT_FIELDS, "payment")?;
        let entry = fields[6]
            .as_ref()
            .and_then(|(ty, _)| ty.named())
            .and_then(|c| {
                Some((
                    c,
                    self.flow_fields(c, types, &CANCELLATION_FIELDS, "refund")?,
                ))
            });
        let (cancellation, entry) = entry?;
        let [
            order_id,
            amount,
            cancel_amount,
            currency,
            status,
            virtual_account,
            cancellations,
        ] = found(fields)?;
        let [entry_amount, cancellation_id] = found(entry)?;
        Some(PaymentShape {
            payment: id,
            payment_fields: PaymentFields {
                order_id,
                amount,
                cancel_amount,
                currency,
                status,
                virtual_account,
                cancellations,
            },
            cancellation,
            cancellation_fields: CancellationFields {
                amount: entry_amount,
                cancellation_id,
            },
        })
    }

    /// Checks that struct `id` has each wanted field: its type and whether it is optional,
    /// `None` for a field that is missing (reported at `flows.payment`) or does not fit
    /// (reported at the field). `None` for a type that is not a struct.
    fn flow_fields(
        &mut self,
        id: TypeId,
        types: &[Option<TypeDef>],
        wanted: &[(&str, Want, bool)],
        what: &str,
    ) -> Option<Vec<Option<(CheckedType, FlowField)>>> {
        let decl = self.decls[id.index()];
        let def = types[id.index()].as_ref()?;
        let TypeKind::Struct(Struct { fields, .. }) = &def.kind else {
            self.err(
                self.loaded.service_file,
                &["flows", "payment"],
                false,
                format!(
                    "`flows.payment`: the {what} type `{}` is not a struct",
                    decl.name
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        for &(field, want, required) in wanted {
            let must = format!(
                "a {}field `{field}` {}",
                if required { "required " } else { "" },
                want.describe()
            );
            let Some(f) = fields.iter().find(|f| f.name == field) else {
                self.err(
                    self.loaded.service_file,
                    &["flows", "payment"],
                    false,
                    format!(
                        "`flows.payment`: the {what} type `{}` needs {must}",
                        decl.name
                    ),
                );
                out.push(None);
                continue;
            };
            let fits = match (&f.ty, want) {
                (CheckedType::Scalar(s), Want::Scalar(w)) => *s == w,
                (CheckedType::Named(t), Want::Enum) => matches!(
                    types[t.index()].as_ref().map(|d| &d.kind),
                    Some(TypeKind::Enum(_))
                ),
                (CheckedType::List(item), Want::ListOfStruct) => match **item {
                    CheckedType::Named(t) => matches!(
                        types[t.index()].as_ref().map(|d| &d.kind),
                        Some(TypeKind::Struct(_))
                    ),
                    _ => false,
                },
                _ => false,
            };
            if !fits || (required && f.optional) {
                self.err(
                    decl.file,
                    &["types", decl.name, "fields", field],
                    true,
                    format!(
                        "`flows:` reads `{}.{field}`, which must be {must}",
                        decl.name
                    ),
                );
                out.push(None);
                continue;
            }
            out.push(Some((f.ty.clone(), FlowField::of(f))));
        }
        Some(out)
    }

    /// A lookup: one string path parameter, optional query parameters only, no body, the
    /// payment as its response.
    fn flow_lookup(
        &mut self,
        role: &str,
        e: &Endpoint,
        payment: &CheckedType,
    ) -> Option<FlowLookup> {
        let id = match &e.path_params[..] {
            [p] if p.ty == CheckedType::Scalar(Scalar::String) => Some(&p.name),
            _ => None,
        };
        let fits = e.query_params.iter().all(|p| p.optional)
            && e.body.is_none()
            && e.response.as_ref() == Some(payment)
            && e.deprecated.is_none();
        let (Some(id), true) = (id, fits) else {
            self.flow_shape(
                role,
                &e.name,
                "take the id as its only path parameter (a string), have only optional query \
                 parameters and no body, return the payment type and not be deprecated",
            );
            return None;
        };
        Some(FlowLookup {
            name: e.name.clone(),
            id: id.clone(),
            query: !e.query_params.is_empty(),
        })
    }

    /// The refund endpoint: no parameters, a body struct with optional `imp_uid` and
    /// `merchant_uid` strings and optional `amount` and `checksum` amounts, the payment as
    /// its response. Returns the body struct and those fields.
    fn flow_cancel(
        &mut self,
        e: &Endpoint,
        payment: &CheckedType,
        types: &[Option<TypeDef>],
    ) -> Option<(TypeId, CancelFields)> {
        let body = e
            .body
            .and_then(|id| match &types[id.index()].as_ref()?.kind {
                TypeKind::Struct(s) => Some((id, s)),
                _ => None,
            });
        // The body's fields by role, each if it fits.
        let [payment_id, order_id, amount, checksum] = CANCEL_FIELDS.map(|(name, scalar)| {
            let (_, s) = body?;
            let f = s.fields.iter().find(|f| f.name == name)?;
            (f.optional && f.ty == CheckedType::Scalar(scalar)).then(|| FlowField::of(f))
        });
        let fits = e.path_params.is_empty()
            && e.query_params.is_empty()
            && e.response.as_ref() == Some(payment)
            && e.deprecated.is_none();
        let (Some((id, _)), Some(payment_id), Some(order_id), Some(amount), Some(checksum), true) =
            (body, payment_id, order_id, amount, checksum, fits)
        else {
            self.flow_shape(
                "cancel",
                &e.name,
                "take no parameters and a body struct with optional `imp_uid` and \
                 `merchant_uid` strings and optional `amount` and `checksum` amounts, return the \
                 payment type and not be deprecated",
            );
            return None;
        };
        Some((
            id,
            CancelFields {
                payment_id,
                order_id,
                amount,
                checksum,
            },
        ))
    }

    /// The billing-key charge: a body struct with a required `merchant_uid` string, the
    /// payment as its response. Returns that field.
    fn flow_charge(
        &mut self,
        e: &Endpoint,
        payment: &CheckedType,
        types: &[Option<TypeDef>],
    ) -> Option<FlowField> {
        let order_id = e
            .body
            .and_then(|id| match &types[id.index()].as_ref()?.kind {
                TypeKind::Struct(s) => s.fields.iter().find(|f| {
                    f.name == "merchant_uid"
                        && !f.optional
                        && f.ty == CheckedType::Scalar(Scalar::String)
                }),
                _ => None,
            });
        let fits = e.response.as_ref() == Some(payment) && e.deprecated.is_none();
        let (Some(order_id), true) = (order_id, fits) else {
            self.flow_shape(
                "charge",
                &e.name,
                "take a body struct with a required `merchant_uid` string (the order id \
                 `reconcile_charge` looks up), return the payment type and not be deprecated",
            );
            return None;
        };
        Some(FlowField::of(order_id))
    }

    fn flow_shape(&mut self, role: &str, name: &str, must: &str) {
        self.err(
            self.loaded.service_file,
            &["flows", role],
            false,
            format!("`flows.{role}`: `{name}` does not fit: it must {must}"),
        );
    }
}

/// The fields of a `flow_fields` result, when every one was found and fits.
fn found<const N: usize>(fields: Vec<Option<(CheckedType, FlowField)>>) -> Option<[FlowField; N]> {
    let fields: Option<Vec<FlowField>> = fields.into_iter().map(|f| Some(f?.1)).collect();
    fields?.try_into().ok()
}

impl FlowField {
    fn of(f: &Field) -> FlowField {
        FlowField {
            name: f.name.clone(),
            wire: f.wire.clone(),
            optional: f.optional,
        }
    }
}
