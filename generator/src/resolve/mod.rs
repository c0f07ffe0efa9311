//! Step 3: lower the checked spec into the [`Model`]: final names, Rust types, which cargo
//! features compile each item, what each type derives and how users build it, the docs of
//! generated items, and sample values for the generated contract tests. `emit` makes no
//! decisions of its own.
//!
//! The input is validate's [`CheckedSpec`]: every reference is a
//! [`TypeId`](crate::checked::TypeId), so nothing here looks a name up or falls back when a
//! lookup fails.

mod cli;
mod endpoints;
mod fake;
mod features;
mod flows;
mod resolver;
mod samples;
mod types;
mod webhook;

use crate::checked::CheckedSpec;
use crate::model::Model;
use crate::naming;

use features::internal_features;
use resolver::Resolver;
use samples::enum_samples;

/// Lowers a checked spec.
pub fn resolve(spec: &CheckedSpec) -> Model {
    let r = Resolver { spec };
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
        internal_features,
        webhook,
        flows,
        fake_crate_ident: naming::fake_crate_ident(&service.crate_name),
        fake: r.fake(),
        cli: r.cli(),
    }
}
