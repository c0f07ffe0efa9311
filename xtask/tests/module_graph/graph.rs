//! Which module uses which, paths followed through re-exports, and the circles among them.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::tree::{Import, Tree};

/// Module → the modules it uses, each with the first path that shows it.
pub(crate) type Graph = BTreeMap<usize, BTreeMap<usize, (PathBuf, String)>>;

impl Tree {
    /// The module a path written in `from` leads to (the one defining the item it names), or
    /// `None` for a path outside the crate (another crate, a local name).
    fn resolve(&self, from: usize, segments: &[String], depth: usize) -> Option<usize> {
        let (first, rest) = segments.split_first()?;
        if depth > 16 {
            return None;
        }
        match first.as_str() {
            "crate" => Some(self.walk(0, rest, depth)),
            "self" => Some(self.walk(from, rest, depth)),
            "super" => Some(self.walk(self.modules[from].parent?, rest, depth)),
            _ if self.modules[from].children.contains_key(first) => {
                Some(self.walk(from, segments, depth))
            }
            _ => {
                let import = self.binding(from, first)?;
                let mut path = import.path.segments.clone();
                path.extend_from_slice(rest);
                self.resolve(from, &path, depth + 1)
            }
        }
    }

    /// Follows `segments` down from module `at`, through child modules and then through
    /// re-exports, to the module defining what they name.
    fn walk(&self, at: usize, segments: &[String], depth: usize) -> usize {
        self.find(at, segments, depth)
            .unwrap_or_else(|stopped| stopped)
    }

    /// `Ok(module)` when the item is found, `Err(module)` with the module where the search
    /// stopped when the name is nowhere to be seen (an item made by a macro, say).
    fn find(&self, mut at: usize, segments: &[String], depth: usize) -> Result<usize, usize> {
        for (i, segment) in segments.iter().enumerate() {
            let module = &self.modules[at];
            if segment == "self" {
                continue;
            }
            if segment == "super" {
                at = module.parent.ok_or(at)?;
                continue;
            }
            if let Some(&child) = module.children.get(segment) {
                at = child;
                continue;
            }
            if module.defined.contains(segment) {
                return Ok(at);
            }
            if at == 0 {
                if let Some(&defining) = self.exported_macros.get(segment) {
                    return Ok(defining);
                }
            }
            if depth > 16 {
                return Err(at);
            }
            if let Some(import) = self.binding(at, segment) {
                let mut path = import.path.segments.clone();
                path.extend_from_slice(&segments[i + 1..]);
                return self.resolve(at, &path, depth + 1).ok_or(at);
            }
            for glob in module.imports.iter().filter(|import| import.glob) {
                if let Some(source) = self.resolve(at, &glob.path.segments, depth + 1) {
                    if let Ok(found) = self.find(source, &segments[i..], depth + 1) {
                        return Ok(found);
                    }
                }
            }
            return Err(at);
        }
        Ok(at)
    }

    /// The import of module `at` that binds `name`.
    fn binding(&self, at: usize, name: &str) -> Option<&Import> {
        self.modules[at]
            .imports
            .iter()
            .find(|import| import.name.as_deref() == Some(name))
    }

    pub(crate) fn graph(&self) -> Graph {
        let mut graph = Graph::new();
        for (id, module) in self.modules.iter().enumerate() {
            let uses = graph.entry(id).or_default();
            let private_imports = module
                .imports
                .iter()
                .filter(|import| !import.public)
                .map(|import| &import.path);
            let code = module.paths.iter().filter(|path| {
                let first = path.segments[0].as_str();
                matches!(first, "crate" | "self" | "super")
                    || (path.segments.len() > 1 && module.children.contains_key(first))
                    || self.binding(id, first).is_some()
            });
            for path in private_imports.chain(code) {
                if let Some(target) = self.resolve(id, &path.segments, 0) {
                    if target != id {
                        uses.entry(target)
                            .or_insert_with(|| (path.file.clone(), path.text()));
                    }
                }
            }
        }
        graph
    }

    /// The circles of modules, with the path by which each module of a circle uses the next;
    /// empty when there is none. For each tangle (strongly connected component), the shortest
    /// circle through its first module, then through each module no circle shown passes
    /// through yet.
    pub(crate) fn cycles(&self, label: &str, root: &Path) -> String {
        let graph = self.graph();
        let mut report = String::new();
        for tangle in tangles(&graph) {
            let mut shown: BTreeSet<usize> = BTreeSet::new();
            for &start in &tangle {
                if shown.contains(&start) {
                    continue;
                }
                let cycle = shortest_cycle(&graph, &tangle, start);
                shown.extend(&cycle);
                if report.is_empty() {
                    let _ = writeln!(report, "{label}:");
                }
                let names: Vec<&str> = cycle.iter().map(|&m| self.name(m)).collect();
                let _ = writeln!(report, "  {}", names.join(" -> "));
                for pair in cycle.windows(2) {
                    let (file, path) = &graph[&pair[0]][&pair[1]];
                    let file = file.strip_prefix(root).unwrap_or(file);
                    let _ = writeln!(
                        report,
                        "    {} ({}) uses {path}",
                        self.name(pair[0]),
                        file.display()
                    );
                }
            }
        }
        report
    }

    pub(crate) fn name(&self, module: usize) -> &str {
        match self.modules[module].name.as_str() {
            "" => "crate",
            name => name,
        }
    }
}

/// The strongly connected components of more than one module (Tarjan's algorithm), each
/// sorted, in the order of their smallest module.
fn tangles(graph: &Graph) -> Vec<Vec<usize>> {
    struct State<'a> {
        graph: &'a Graph,
        index: BTreeMap<usize, usize>,
        low: BTreeMap<usize, usize>,
        stack: Vec<usize>,
        on_stack: BTreeSet<usize>,
        found: Vec<Vec<usize>>,
    }
    pub(crate) fn connect(state: &mut State<'_>, node: usize) {
        let index = state.index.len();
        state.index.insert(node, index);
        state.low.insert(node, index);
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for &next in graph.get(&node).into_iter().flat_map(BTreeMap::keys) {
            if !state.index.contains_key(&next) {
                connect(state, next);
                let low = state.low[&node].min(state.low[&next]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(&next) {
                let low = state.low[&node].min(state.index[&next]);
                state.low.insert(node, low);
            }
        }
        if state.low[&node] == state.index[&node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(&member);
                component.push(member);
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort_unstable();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for &node in graph.keys() {
        if !state.index.contains_key(&node) {
            connect(&mut state, node);
        }
    }
    state.found.sort();
    state.found
}

/// The shortest circle from `start` back to it inside `tangle` (sorted), with `start` at both
/// ends.
fn shortest_cycle(graph: &Graph, tangle: &[usize], start: usize) -> Vec<usize> {
    let mut came_from = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &next in graph[&node].keys() {
            if next == start {
                // Back from `node` to `start` (the only module with no predecessor), reversed.
                let mut cycle = vec![node];
                while let Some(&previous) = cycle.last().and_then(|at| came_from.get(at)) {
                    cycle.push(previous);
                }
                cycle.reverse();
                cycle.push(start);
                return cycle;
            }
            if tangle.binary_search(&next).is_ok() && !came_from.contains_key(&next) {
                came_from.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    unreachable!("a strongly connected component has a circle through each of its modules")
}
