//! Emits one `src/endpoints/<category>.rs` file: an `impl Client` block whose methods only
//! describe their request and hand it to the runtime.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::rust::{doc, ident, readable_sample, ty};
use crate::model::{Category, Endpoint, Pass, PathArg, Stream, Ty};

/// Tokens of an endpoint module: one `impl Client` block under the category's feature (which
/// rustdoc then shows on every method); `krate` names the crate in the doc examples.
pub fn module(c: &Category, krate: &str) -> TokenStream {
    let krate = ident(krate);
    let methods = c.endpoints.iter().map(|e| method(e, &krate));
    let docs = doc(&c.impl_doc);
    let feature = &c.key;
    quote! {
        #docs
        #[cfg(feature = #feature)]
        impl Client { #(#methods)* }
    }
}

/// Endpoints of dropped operations carry `legacy` in their cfg; the impl block already has the
/// category feature, so only that part needs repeating on the item.
fn legacy_cfg(e: &Endpoint) -> TokenStream {
    if e.cfg.test.iter().any(|term| term.legacy) {
        quote!(#[cfg(feature = "legacy")])
    } else {
        quote!()
    }
}

/// The method's description of its endpoint, a constant local to it.
fn constant(e: &Endpoint) -> TokenStream {
    let name = ident(&e.const_name);
    let method = ident(&e.runtime_method);
    let path = &e.path;
    let idempotent = e.idempotent;
    let auth = e.auth;
    quote! {
        const #name: Endpoint = Endpoint {
            method: Method::#method,
            path: #path,
            idempotent: #idempotent,
            auth: #auth,
        };
    }
}

/// The parameter's type in a method signature.
fn param_type(p: &PathArg) -> TokenStream {
    match &p.pass {
        Pass::Str => quote!(&str),
        Pass::Integer => quote!(i64),
        Pass::Enum(name) => ty(&Ty::Enum(name.clone())),
    }
}

/// The parameter as the `&str` path segment the runtime takes.
fn segment(p: &PathArg, n: &Ident) -> TokenStream {
    match p.pass {
        Pass::Str => quote!(#n),
        Pass::Integer => quote!(#n.to_string().as_str()),
        Pass::Enum(_) => quote!(#n.as_str()),
    }
}

fn method(e: &Endpoint, krate: &Ident) -> TokenStream {
    let docs = doc(&format!("{}{}", e.doc, example(e, krate)));
    let deprecated = e.deprecated.as_ref().map(|d| {
        let since = &d.crate_since;
        let note = &d.note;
        quote!(#[deprecated(since = #since, note = #note)])
    });
    let legacy = legacy_cfg(e);
    let name = ident(&e.name);
    let konst = ident(&e.const_name);
    let endpoint = constant(e);
    let mut params = Vec::new();
    let mut args = Vec::new();
    for p in &e.path_params {
        let n = ident(&p.name);
        let t = param_type(p);
        params.push(quote!(#n: #t));
        args.push(segment(p, &n));
    }
    let mut body = Vec::new();
    if let Some(q) = &e.query {
        let qt = ident(&q.type_name);
        params.push(quote!(query: &#qt));
        for (field, wire) in &q.fields {
            let f = ident(field);
            body.push(quote!(request.query(#wire, &query.#f);));
        }
    }
    if let Some(b) = &e.body {
        let bt = ident(b);
        params.push(quote!(body: &#bt));
        body.push(quote!(request.json(body);));
    }
    let response = ty(&e.response);
    let mutable = (!body.is_empty()).then(|| quote!(mut));
    // `inline`: the method, and the request body's serializer it pulls in, are compiled in the
    // crate that calls it, so a build of this crate compiles none of the 87 and a user's build
    // only those it uses.
    let mut out = quote! {
        #docs
        #deprecated
        #legacy
        #[inline]
        pub fn #name(&self, #(#params),*) -> Call<'_, #response> {
            #endpoint
            let #mutable request = Request::new(&#konst, &[#(#args),*]);
            #(#body)*
            Call::new(&self.core, request)
        }
    };
    if let Some(s) = &e.stream {
        out.extend(stream(e, s));
    }
    out
}

fn stream(e: &Endpoint, s: &Stream) -> TokenStream {
    let name = ident(&s.name);
    let call = ident(&e.name);
    let page_type = ty(&e.response);
    let qt = ident(&s.query);
    let page = ident(&s.page_param);
    let legacy = legacy_cfg(e);
    let docs = doc(&s.doc);
    let mut params = Vec::new();
    let mut owned = Vec::new();
    let mut args = Vec::new();
    for p in &e.path_params {
        let n = ident(&p.name);
        let t = param_type(p);
        params.push(quote!(#n: #t));
        // The closure outlives the call, so it keeps its own copy of every argument.
        match p.pass {
            Pass::Str => {
                owned.push(quote!(let #n = #n.to_owned();));
                args.push(quote!(&#n));
            }
            Pass::Integer => args.push(quote!(#n)),
            Pass::Enum(_) => args.push(quote!(#n.clone())),
        }
    }
    quote! {
        #docs
        #legacy
        pub fn #name(&self, #(#params,)* query: &#qt) -> PageStream<'_, #page_type> {
            let query = query.clone();
            #(#owned)*
            let first = query.#page.and_then(|p| u32::try_from(p).ok()).unwrap_or(1);
            paginate(first, move |page| {
                self.#call(#(#args,)* &query.clone().#page(i64::from(page)))
            })
        }
    }
}

/// A `# Example` section built from the endpoint's sample values, formatted by prettyplease.
fn example(e: &Endpoint, krate: &Ident) -> String {
    let krate = quote!(#krate);
    let s = &e.sample;
    let name = ident(&e.name);
    let mut lets = Vec::new();
    let mut args: Vec<TokenStream> = s
        .path_args
        .iter()
        .map(|a| readable_sample(a, &krate))
        .collect();
    if let Some(q) = &s.query {
        let q = readable_sample(q, &krate);
        lets.push(quote!(let query = #q;));
        args.push(quote!(&query));
    }
    if let Some(b) = &s.body {
        let b = readable_sample(b, &krate);
        lets.push(quote!(let request = #b;));
        args.push(quote!(&request));
    }
    let call = if e.response == Ty::Unit {
        quote!(client.#name(#(#args),*).await?;)
    } else {
        quote!(let response = client.#name(#(#args),*).await?;)
    };
    let tokens = quote! {
        async fn example(client: &#krate::Client) -> Result<(), #krate::Error> {
            #(#lets)*
            #call
            Ok(())
        }
    };
    let Ok(file) = syn::parse2::<syn::File>(tokens) else {
        return String::new();
    };
    let code = prettyplease::unparse(&file);
    let mut out = String::from("\n\n# Example\n\n```no_run\n");
    for line in code.lines() {
        let hidden = line.starts_with("async fn") || line == "}" || line.trim() == "Ok(())";
        let line = line.strip_prefix("    ").unwrap_or(line);
        if hidden {
            out.push_str(&format!("# {line}\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("```");
    out
}
