//! Paging: page structs, unions of pages and lists, and paged endpoints. What a type pages
//! over is decided here once; `resolve` reads the result from the checked spec.

use indexmap::IndexMap;

use super::{PageItem, Validator};
use crate::checked::{CheckedType, Page, Paging, TypeId};
use crate::spec::{self, ParamIn};
use crate::types_expr::Scalar;

impl Validator<'_> {
    /// Checks `page:` of a struct (`items` names a list field, `next` an integer field) and
    /// records what the struct pages over.
    pub(super) fn page(
        &mut self,
        id: TypeId,
        page: &spec::PageSpec,
        fields: &IndexMap<String, spec::Field>,
        types: &[Option<CheckedType>],
    ) -> Option<Page> {
        let items = fields.get_index_of(&page.items);
        let next = fields.get_index_of(&page.next);
        let item = match items.map(|i| &types[i]) {
            Some(Some(CheckedType::List(item))) => PageItem::Item((**item).clone()),
            Some(None) => PageItem::Unchecked,
            _ => PageItem::NotPaged,
        };
        self.page_items[id.index()] = item.clone();
        // `None`: the field's type did not check, which is reported already.
        let next_ok = match next.map(|i| &types[i]) {
            None => Some(false),
            Some(ty) => ty
                .as_ref()
                .map(|t| *t == CheckedType::Scalar(Scalar::Integer)),
        };
        if item == PageItem::NotPaged || next_ok == Some(false) {
            let name = self.decls[id.index()].name;
            self.err(
                self.decls[id.index()].file,
                &["types", name, "page"],
                false,
                "`page.items` must name a list field and `page.next` an integer field".into(),
            );
        }
        match (item, items, next) {
            (PageItem::Item(item), Some(items), Some(next)) if next_ok == Some(true) => {
                Some(Page { items, next, item })
            }
            _ => None,
        }
    }

    /// What a union pages over: the common item type when every variant is a plain list of
    /// it or a page of it.
    pub(super) fn union_page_item(&self, variants: &[Option<CheckedType>]) -> PageItem {
        let items: Vec<PageItem> = variants
            .iter()
            .map(|ty| match ty {
                None => PageItem::Unchecked,
                Some(CheckedType::List(item)) => PageItem::Item((**item).clone()),
                Some(CheckedType::Named(held)) if !self.is_union(*held) => {
                    self.page_items[held.index()].clone()
                }
                Some(_) => PageItem::NotPaged,
            })
            .collect();
        if items.contains(&PageItem::Unchecked) {
            return PageItem::Unchecked;
        }
        match items.split_first() {
            Some((first @ PageItem::Item(_), rest)) if rest.iter().all(|i| i == first) => {
                first.clone()
            }
            _ => PageItem::NotPaged,
        }
    }

    /// Checks `paginate:` of an endpoint: it names an optional integer query parameter, and
    /// the response pages. `None` after reporting a problem; `Some(None)` without `paginate:`.
    pub(super) fn paging(
        &mut self,
        file: usize,
        name: &str,
        ep: &spec::Endpoint,
        param_types: &[Option<CheckedType>],
        response: Option<&CheckedType>,
    ) -> Option<Option<Paging>> {
        let Some(page) = &ep.paginate else {
            return Some(None);
        };
        let at = ["endpoints", name, "paginate"];
        // `None`: the parameter's type did not check, which is reported already.
        let param_ok = match ep.params.get_full(page) {
            Some((i, _, p)) if p.location == ParamIn::Query && p.optional => param_types[i]
                .as_ref()
                .map(|t| *t == CheckedType::Scalar(Scalar::Integer)),
            _ => Some(false),
        };
        if param_ok == Some(false) {
            self.err(
                file,
                &at,
                false,
                format!("`paginate: {page}` must name an optional integer query parameter"),
            );
        }
        let item = match (&ep.response, response) {
            (Some(_), None) => PageItem::Unchecked,
            (_, Some(CheckedType::Named(id))) => self.page_items[id.index()].clone(),
            _ => PageItem::NotPaged,
        };
        if item == PageItem::NotPaged {
            self.err(
                file,
                &at,
                false,
                "a paged endpoint's response type needs a `page:` description (or must be a \
                 union of such pages and plain lists of the same items)"
                    .into(),
            );
        }
        match item {
            PageItem::Item(item) if param_ok == Some(true) => Some(Some(Paging {
                param: page.clone(),
                item,
            })),
            _ => None,
        }
    }
}
