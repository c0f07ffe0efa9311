//! Emits `src/webhook.rs`: the notification type and its `parse`, which takes each field the
//! spec names from the runtime's `NotificationBody` and keeps the rest.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident, inner_doc, ty};
use crate::model::{Ty, Webhook};

/// Tokens of the webhook module.
pub fn module(w: &Webhook, krate: &str) -> TokenStream {
    let module_doc = inner_doc(&w.doc);
    let name = ident(&w.type_name);
    let type_doc = doc(&w.type_doc);
    let parse_doc = doc(&format!("{}{}", w.parse_doc, example(w, krate)));
    let fields = w.fields.iter().map(|f| {
        let d = doc(&f.doc);
        let n = ident(&f.name);
        let t = ty(&f.ty);
        let t = if f.optional { quote!(Option<#t>) } else { t };
        quote!(#d pub #n: #t,)
    });
    // The spec types the fields name, imported once each.
    let mut spec_types: Vec<&str> = w
        .fields
        .iter()
        .filter_map(|f| match &f.ty {
            Ty::Enum(n) | Ty::Named(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    spec_types.sort_unstable();
    spec_types.dedup();
    let spec_types = (!spec_types.is_empty()).then(|| {
        let names = spec_types.iter().map(|n| ident(n));
        quote!(use crate::types::{#(#names),*};)
    });
    let reads = w.fields.iter().map(|f| {
        let n = ident(&f.name);
        let key = &f.wire;
        let read = match (&f.ty, f.optional) {
            (Ty::Enum(_), false) => {
                let t = ty(&f.ty);
                quote!(#t::from(body.required(#key)?.as_str()))
            }
            (Ty::Enum(_), true) => {
                let t = ty(&f.ty);
                quote!(body.optional(#key)?.map(|value| #t::from(value.as_str())))
            }
            (_, false) => quote!(body.required(#key)?),
            (_, true) => quote!(body.optional(#key)?),
        };
        quote!(#n: #read,)
    });
    let formats = w.formats.iter().map(|f| {
        let f = ident(f);
        quote!(BodyFormat::#f)
    });
    let extra = ident(&w.extra);
    let extra_doc = doc(&w.extra_doc);
    quote! {
        #module_doc

        use std::collections::BTreeMap;

        use crate::runtime::NotificationBody;
        pub use crate::runtime::{BodyFormat, MAX_NOTIFICATION_SIZE, WebhookError};
        #spec_types

        #type_doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra_doc
            pub #extra: BTreeMap<String, serde_json::Value>,
        }

        impl #name {
            #parse_doc
            pub fn parse(body: &[u8], content_type: &str) -> Result<Self, WebhookError> {
                const ACCEPTED: &[BodyFormat] = &[#(#formats),*];
                let mut body = NotificationBody::parse(body, content_type, ACCEPTED)?;
                Ok(Self {
                    #(#reads)*
                    #extra: body.rest(),
                })
            }
        }
    }
}

/// A `# Example` section parsing the model's example body, when JSON is accepted.
fn example(w: &Webhook, krate: &str) -> String {
    let Some(body) = &w.example_body else {
        return String::new();
    };
    let mut hashes = String::from("#");
    while body.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let check = w
        .example_check
        .as_ref()
        .map(|(field, value)| format!("assert_eq!(notification.{field}, {value:?});\n"))
        .unwrap_or_default();
    format!(
        "\n\n# Example\n\n```\nuse {krate}::{module}::{name};\n\nlet body = br{hashes}\"{body}\"{hashes};\n\
         let notification = {name}::parse(body, \"application/json\")?;\n{check}\
         # Ok::<(), {krate}::{module}::WebhookError>(())\n```",
        module = w.module,
        name = w.type_name,
    )
}
