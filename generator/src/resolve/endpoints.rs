//! Categories and endpoint methods: signatures, docs, streams, and the wire shape the fake
//! PortOne decodes.

use super::features::cfg;
use super::resolver::Resolver;
use crate::checked::{self, CheckedType, TypeKind};
use crate::model::*;
use crate::naming;
use crate::types_expr::Scalar;

impl Resolver<'_> {
    pub(super) fn category(&self, cat: &checked::Category) -> Category {
        Category {
            key: cat.key.clone(),
            doc: cat.doc.clone(),
            impl_doc: format!(
                "Category `{}`, behind the cargo feature `{}` (on by default): {}",
                cat.key,
                cat.key,
                cat.doc.trim_end()
            ),
            official: cat.official.clone(),
            enables: Vec::new(),
            endpoints: cat
                .endpoints
                .iter()
                .map(|ep| self.endpoint(cat, ep))
                .collect(),
        }
    }

    fn endpoint(&self, cat: &checked::Category, ep: &checked::Endpoint) -> Endpoint {
        let name = &ep.name;
        let path_params: Vec<PathArg> = ep
            .path_params
            .iter()
            .map(|p| PathArg {
                name: p.name.clone(),
                pass: match self.ty(&p.ty) {
                    Ty::Enum(n) => Pass::Enum(n),
                    Ty::Integer => Pass::Integer,
                    _ => Pass::Str,
                },
                doc: p.doc.clone(),
            })
            .collect();
        let query = (!ep.query_params.is_empty()).then(|| QueryArg {
            type_name: naming::query_struct(name),
            fields: ep
                .query_params
                .iter()
                .map(|p| (p.name.clone(), p.wire.clone()))
                .collect(),
        });
        let response = ep.response.as_ref().map_or(Ty::Unit, |r| self.ty(r));
        let stream = ep.paging.as_ref().map(|paging| {
            let item = self.ty(&paging.item);
            let shown = match &item {
                Ty::Named(n) | Ty::Enum(n) => format!("[`{n}`](crate::types::{n})"),
                _ => "item".to_owned(),
            };
            Stream {
                name: naming::stream_method(name),
                doc: format!(
                    "Every {shown} of [`{name}`](Self::{name}), page after page, as a stream. It \
                     starts at the query's page (or 1), stops after the last page, and ends \
                     early on the first error."
                ),
                item,
                query: naming::query_struct(name),
                page_param: paging.param.clone(),
                test: naming::walk_test(name),
            }
        });
        let deprecated = ep.deprecated.as_ref().map(|d| Deprecation {
            since: d.since.clone(),
            crate_since: d.crate_since.clone(),
            note: format!(
                "PortOne removed this operation from its published schema on {}. {}",
                d.since, d.note
            ),
        });
        let method = ep.method.as_str();
        Endpoint {
            name: name.clone(),
            doc: method_doc(ep, deprecated.as_ref(), &path_params),
            method: method.to_owned(),
            runtime_method: naming::runtime_method(method),
            path: ep.path.clone(),
            const_name: naming::endpoint_const(name),
            idempotent: ep.idempotent,
            auth: ep.auth,
            path_params,
            query,
            body: ep.body.map(|id| self.spec[id].name.clone()),
            response,
            cfg: cfg(vec![CfgTerm {
                feature: cat.key.clone(),
                legacy: ep.deprecated.is_some(),
            }]),
            deprecated,
            stream,
            official: ep.official.clone(),
            official_response: ep.official_response.clone(),
            sample: self.endpoint_sample(ep),
            wire: self.wire_shape(ep),
            fake: self.fake_endpoint(cat, ep),
        }
    }

    fn wire_shape(&self, ep: &checked::Endpoint) -> WireShape {
        let param = |p: &checked::Param| WireParam {
            name: p.name.clone(),
            wire: p.wire.clone(),
            ty: self.wire_ty(&p.ty),
            required: !p.optional,
        };
        let body = match ep.body.map(|id| &self.spec[id].kind) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .map(|f| WireParam {
                    name: f.name.clone(),
                    wire: f.wire.clone(),
                    ty: self.wire_ty(&f.ty),
                    required: !f.optional,
                })
                .collect(),
            _ => Vec::new(),
        };
        WireShape {
            path: ep.path_params.iter().map(param).collect(),
            query: ep.query_params.iter().map(param).collect(),
            body,
        }
    }

    fn wire_ty(&self, t: &CheckedType) -> WireTy {
        match t {
            CheckedType::Scalar(s) => match s {
                Scalar::String => WireTy::String,
                Scalar::Integer | Scalar::Timestamp => WireTy::Integer,
                Scalar::Number | Scalar::Amount => WireTy::Number,
                Scalar::Boolean => WireTy::Boolean,
                Scalar::Json => WireTy::Json,
            },
            CheckedType::Named(id) => match self.spec[*id].kind {
                TypeKind::Enum(_) => WireTy::String,
                TypeKind::Struct(_) => WireTy::Object,
                TypeKind::Union(_) => WireTy::Json,
            },
            CheckedType::List(inner) => WireTy::List(Box::new(self.wire_ty(inner))),
            CheckedType::Map(_) => WireTy::Object,
        }
    }
}

/// The method's doc: what the spec says, the deprecation note, the HTTP call and whether it
/// is retried, and the arguments.
fn method_doc(
    ep: &checked::Endpoint,
    deprecated: Option<&Deprecation>,
    path_params: &[PathArg],
) -> String {
    let mut text = ep.doc.clone();
    if let Some(d) = deprecated {
        text.push_str(&format!("\n\n{}", d.note));
    }
    let retry_note = if ep.idempotent {
        "Safe to repeat: retried automatically on transient failures."
    } else {
        "Never repeated automatically once it may have reached the server."
    };
    text.push_str(&format!(
        "\n\n`{} {}`. {retry_note}",
        ep.method.as_str(),
        ep.path
    ));
    if !path_params.is_empty() {
        text.push_str("\n\n# Arguments\n");
        for p in path_params {
            text.push_str(&format!("\n* `{}`: {}", p.name, p.doc));
        }
    }
    text
}
