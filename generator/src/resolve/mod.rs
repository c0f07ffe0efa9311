//! Step 3: lower the checked spec into the [`Model`]: final names, Rust types, which cargo
//! features compile each item, what each type derives and how users build it, the docs of
//! generated items, and sample values for the generated contract tests. `emit` makes no
//! decisions of its own.
//!
//! The input is validate's [`CheckedSpec`]: every reference is a
//! [`TypeId`](crate::checked::TypeId), and the fields and endpoints the flows and the
//! command-line tool use are named by role ([`Flows`](crate::checked::Flows)), so nothing here
//! looks a reference up by name or falls back when a lookup fails. What is still matched by
//! name is values, not references, and a miss is an answer rather than an error: a sample
//! value among its enum's values (`samples`), a notification field among the payment's fields
//! (`cli`), and a request value among the ids of the fake's seed kinds (`fake`).

mod cli;
mod endpoints;
mod fake;
mod features;
mod flows;
mod resolver;
mod samples;
mod types;
mod webhook;

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::checked::CheckedSpec;
use crate::model::{Model, ResponseSample, RuntimeExports};
use crate::naming;

use features::internal_features;
use resolver::Resolver;
use samples::enum_samples;

/// Lowers a checked spec.
pub fn resolve(spec: &CheckedSpec) -> Model {
    let r = Resolver {
        spec,
        samples: RefCell::default(),
    };
    let mut categories: Vec<_> = spec.categories.iter().map(|c| r.category(c)).collect();
    categories.sort_by(|a, b| a.key.cmp(&b.key));
    let (mut modules, positions) = r.modules();
    let internal_features = internal_features(&mut modules);
    for c in &mut categories {
        c.enables = internal_features
            .iter()
            .filter(|f| f.categories.contains(&c.key))
            .map(|f| f.name.clone())
            .collect();
    }
    let enum_samples = enum_samples(&modules);
    let webhook = spec.webhook.as_ref().map(|w| r.webhook(w));
    let flows = spec
        .flows
        .as_ref()
        .map(|f| flows::flows(spec, f, &modules, &positions));
    let fake = r.fake();
    let cli = r.cli();
    let service = &spec.service;
    Model {
        crate_name: service.crate_name.clone(),
        crate_ident: naming::crate_ident(&service.crate_name),
        runtime_crate: naming::runtime_crate(&service.crate_name),
        runtime_crate_ident: naming::crate_ident(&naming::runtime_crate(&service.crate_name)),
        crate_version: service.version.clone(),
        title: service.title.clone(),
        base_url: service.base_url.clone(),
        doc: service.doc.clone(),
        categories,
        modules,
        enum_samples,
        response_samples: response_samples(r.samples.into_inner()),
        internal_features,
        runtime_exports: runtime_exports(flows.is_some()),
        webhook,
        flows,
        fake_crate_ident: naming::fake_crate_ident(&service.crate_name),
        fake,
        cli,
    }
}

/// The response samples, sorted by name.
fn response_samples(samples: BTreeMap<String, ResponseSample>) -> Vec<ResponseSample> {
    let mut samples: Vec<ResponseSample> = samples.into_values().collect();
    samples.sort_by(|a, b| a.name.cmp(&b.name));
    samples
}

/// What the crate root re-exports from the runtime: the flows' types only with `flows:`.
fn runtime_exports(flows: bool) -> Vec<RuntimeExports> {
    let mut modules = vec![&naming::ROOT_EXPORTS];
    if flows {
        modules.push(&naming::FLOW_EXPORTS);
    }
    modules
        .into_iter()
        .map(|e| RuntimeExports {
            module: e.module.map(str::to_owned).to_vec(),
            names: e.names.iter().map(|n| (*n).to_owned()).collect(),
        })
        .collect()
}
