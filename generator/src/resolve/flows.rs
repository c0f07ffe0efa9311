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
    Flows {
        payment: spec[f.payment].name.clone(),
        payment_cfg: type_cfg(f.payment),
        cancellation: spec[f.cancellation].name.clone(),
        cancellation_cfg: type_cfg(f.cancellation),
        history_optional: f.history_optional,
        vbank_optional: f.vbank_optional,
        cancellation_id_optional: f.cancellation_id_optional,
        cfg: cfg(vec![CfgTerm {
            feature: f.category.clone(),
            legacy: false,
        }]),
        methods: naming::FLOW_METHODS.map(str::to_owned).to_vec(),
        lookup: lookup(&f.lookup),
        lookup_by_order: lookup(&f.lookup_by_order),
        cancel: f.cancel.clone(),
        cancel_body: spec[f.cancel_body].name.clone(),
        charge: f.charge.clone(),
    }
}
