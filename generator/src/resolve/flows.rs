//! The helpers of `flows:` (verification and reconciliation).

use super::features::cfg;
use super::resolver::Positions;
use crate::checked::{self, CheckedSpec, TypeId};
use crate::model::*;
use crate::naming;

/// The helpers of `flows:`; the types' conditions are read from `modules` at the types'
/// `positions`, after [`internal_features`](super::features::internal_features) has rewritten
/// them.
pub(super) fn flows(
    spec: &CheckedSpec,
    f: &checked::Flows,
    modules: &[TypeModule],
    positions: &Positions,
) -> Flows {
    // Every type of the spec has a position: `modules` lowers each one.
    let type_cfg = |id: TypeId| {
        let (module, index) = positions[&id];
        modules[module].types[index].cfg.clone()
    };
    let lookup = |l: &checked::FlowLookup| FlowLookup {
        method: l.name.clone(),
        query: l.query.then(|| naming::query_struct(&l.name)),
    };
    let field = |f: &checked::FlowField| FlowField {
        name: f.name.clone(),
        optional: f.optional,
    };
    let (p, c, b) = (&f.payment_fields, &f.cancellation_fields, &f.cancel_fields);
    Flows {
        payment: spec[f.payment].name.clone(),
        payment_cfg: type_cfg(f.payment),
        payment_fields: PaymentFields {
            order_id: field(&p.order_id),
            amount: field(&p.amount),
            cancel_amount: field(&p.cancel_amount),
            currency: field(&p.currency),
            status: field(&p.status),
            virtual_account: field(&p.virtual_account),
            cancellations: field(&p.cancellations),
        },
        cancellation: spec[f.cancellation].name.clone(),
        cancellation_cfg: type_cfg(f.cancellation),
        cancellation_fields: CancellationFields {
            amount: field(&c.amount),
            cancellation_id: field(&c.cancellation_id),
        },
        cfg: cfg(vec![CfgTerm {
            feature: f.category.clone(),
            legacy: false,
        }]),
        methods: naming::FLOW_METHODS.map(str::to_owned).to_vec(),
        lookup: lookup(&f.lookup),
        lookup_by_order: lookup(&f.lookup_by_order),
        cancel: f.cancel.clone(),
        cancel_body: spec[f.cancel_body].name.clone(),
        cancel_fields: CancelFields {
            payment_id: field(&b.payment_id),
            order_id: field(&b.order_id),
            amount: field(&b.amount),
            checksum: field(&b.checksum),
        },
        charge: f.charge.clone(),
    }
}
