//! Docs: every item has one, and no two endpoints or types share one; every category and
//! endpoint has a one-line Korean label too.

use std::collections::HashMap;

use super::Validator;

impl Validator<'_> {
    /// The trimmed doc, or `None` after reporting that it is missing.
    pub(super) fn doc(
        &mut self,
        file: usize,
        path: &[&str],
        doc: Option<&str>,
        what: &str,
    ) -> Option<String> {
        let doc = doc.map(str::trim).filter(|d| !d.is_empty());
        if doc.is_none() {
            self.err(file, path, true, format!("{what} has no doc"))
                .label("add `doc:` here")
                .hint("every endpoint, parameter, type, field and enum value is documented in our own words");
        }
        doc.map(str::to_owned)
    }

    /// The trimmed Korean label (`ko:`) of a category or an endpoint, or `None` after reporting
    /// that it is missing (at the key `item`) or longer than a line (at the key `ko`): it heads
    /// its command group or command in the Korean command reference.
    pub(super) fn label(
        &mut self,
        file: usize,
        item: &[&str],
        ko: &[&str],
        label: Option<&str>,
        what: &str,
    ) -> Option<String> {
        let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) else {
            self.err(file, item, true, format!("{what} has no Korean label"))
                .label("add `ko:` here")
                .hint(
                    "every category and endpoint has a short Korean label in our own words, for \
                     the Korean command reference, e.g. `ko: 결제 단건 조회`",
                );
            return None;
        };
        if label.contains('\n') {
            self.err(
                file,
                ko,
                true,
                format!("the Korean label of {what} is more than one line"),
            )
            .hint("a label is a short summary; the details belong in `doc:`");
            return None;
        }
        Some(label.to_owned())
    }

    /// Docs pasted from one endpoint or type to another usually mean one of them is wrong.
    pub(super) fn duplicate_docs(&mut self) {
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut items: Vec<(usize, Vec<String>, String, String)> = Vec::new();
        for cat in &self.loaded.spec.categories {
            for (name, ep) in &cat.endpoints {
                if let Some(d) = &ep.doc {
                    items.push((
                        cat.file,
                        vec!["endpoints".into(), name.clone()],
                        format!("endpoint `{name}`"),
                        d.trim().to_owned(),
                    ));
                }
            }
            for (name, ty) in &cat.types {
                if let Some(d) = &ty.doc {
                    items.push((
                        cat.file,
                        vec!["types".into(), name.clone()],
                        format!("type `{name}`"),
                        d.trim().to_owned(),
                    ));
                }
            }
        }
        for (file, path, what, doc) in items {
            if let Some(first) = seen.get(&doc) {
                let first = first.clone();
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                self.warn(
                    file,
                    &p,
                    true,
                    format!("{what} has the same doc as {first}"),
                )
                .hint("say what is specific to this one");
            } else {
                seen.insert(doc, what);
            }
        }
    }
}
