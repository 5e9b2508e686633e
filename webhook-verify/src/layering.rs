//! The module graph is a stack (see the table in `lib.rs`): this test reads every source
//! file of the crate, collects the modules each one names through `crate::…` (in `use`
//! lines and in code; comments and `#[cfg(test)]` modules aside, `super::` is internal to a
//! scheme), and checks the edges against [`LAYERS`]:
//!
//! - every module is in [`LAYERS`], and every module of [`LAYERS`] exists;
//! - a module names only modules of a lower layer, except that primitives (layer 0) may
//!   name other primitives: so no scheme names another scheme, no preset another preset;
//! - the graph has no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every top-level module of the crate and its layer.
const LAYERS: &[(&str, u8)] = &[
    // 0: primitives.
    ("error", 0),
    ("clock", 0),
    ("encoding", 0),
    ("header", 0),
    ("decimal", 0),
    ("ct", 0),
    ("mac", 0),
    ("secret", 0),
    ("matching", 0),
    // 1: what a verification concludes.
    ("verified", 1),
    // 2: schemes.
    ("hmac_hex", 2),
    ("heilo", 2),
    ("healthie", 2),
    // 3: vendor presets of `hmac_hex`.
    ("hedy", 3),
    ("speakr", 3),
    ("generic", 3),
    // 4: the façade.
    ("verify", 4),
    ("sign", 4),
    // 5: receiver helpers on top of it.
    ("dedup", 5),
    ("axum", 5),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, layer)| *layer)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without `#[cfg(test)]` modules.
fn library_code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]" {
            let next = lines.peek().map(|l| l.trim_start()).unwrap_or("");
            if next.starts_with("mod ") || next.starts_with("pub(crate) mod ") {
                // Skip the module: to its closing brace (or just the line for `mod x;`).
                let mut depth = 0i32;
                for line in lines.by_ref() {
                    depth += line.matches('{').count() as i32;
                    depth -= line.matches('}').count() as i32;
                    if depth <= 0 && (line.contains('}') || line.trim_end().ends_with(';')) {
                        break;
                    }
                }
                continue;
            }
        }
        let code = match trimmed.find("//") {
            Some(0) => "",
            // A `//` after code: keep what precedes it unless it may be inside a string.
            Some(at) if !trimmed[..at].contains('"') => &trimmed[..at],
            _ => trimmed,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The first path segment of every item named after `crate::` in `code`, groups
/// (`crate::{a, b::c}`) included.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        // `$crate::` and `some_crate::` are not ours.
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group, up to its closing brace.
            let mut depth = 1;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    out.push(first_segment(&item));
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                } else {
                    item.push(c);
                }
            }
        } else {
            out.push(first_segment(rest));
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// `name -> module` for the names `lib.rs` re-exports (`pub use clock::{Clock, …};`).
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = first_segment(name);
            if !name.is_empty() {
                out.insert(name, module.to_owned());
            }
        }
    }
    out
}

/// The module a source file belongs to: its stem, or its top directory under `src/`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    Path::new(first)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// `module -> modules it names`, for the library code of the crate.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = fs::read_to_string(src.join("lib.rs")).unwrap();
    let reexports = root_reexports(&lib);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        // The crate root wires the stack together; this test and the unit-test files are
        // not library code.
        let name = file.file_name().unwrap().to_string_lossy();
        if module == "lib" || module == "layering" || name == "tests.rs" {
            continue;
        }
        let code = library_code(&fs::read_to_string(&file).unwrap());
        let targets = graph.entry(module.clone()).or_default();
        for segment in crate_paths(&code) {
            let target = if layer(&segment).is_some() {
                segment
            } else if let Some(module) = reexports.get(&segment) {
                module.clone()
            } else {
                panic!(
                    "{}: `crate::{segment}` is neither a module nor a re-export",
                    file.display()
                );
            };
            if target != module {
                targets.insert(target);
            }
        }
    }
    graph
}

#[test]
fn every_module_has_a_layer() {
    let graph = graph();
    for module in graph.keys() {
        assert!(
            layer(module).is_some(),
            "module `{module}` is missing from LAYERS"
        );
    }
    for (module, _) in LAYERS {
        assert!(
            graph.contains_key(*module),
            "LAYERS names `{module}`, which has no file"
        );
    }
}

#[test]
fn modules_import_only_from_lower_layers() {
    let mut wrong = Vec::new();
    for (from, targets) in graph() {
        let from_layer = layer(&from).unwrap_or(u8::MAX);
        for to in targets {
            let to_layer = layer(&to).unwrap_or(u8::MAX);
            let allowed = to_layer < from_layer || (from_layer == 0 && to_layer == 0);
            if !allowed {
                wrong.push(format!(
                    "{from} (layer {from_layer}) -> {to} (layer {to_layer})"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layering: {wrong:#?}");
}

#[test]
fn no_scheme_imports_another_scheme() {
    let schemes: Vec<&str> = LAYERS
        .iter()
        .filter(|(_, layer)| *layer == 2)
        .map(|(name, _)| *name)
        .collect();
    for (from, targets) in graph() {
        if schemes.contains(&from.as_str()) {
            for to in &targets {
                assert!(
                    !schemes.contains(&to.as_str()),
                    "scheme {from} imports scheme {to}"
                );
            }
        }
    }
}

#[test]
fn the_module_graph_has_no_cycle() {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(node) {
            return;
        }
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("cycle: {} -> {node}", path[at..].join(" -> "));
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node.to_owned());
    }
    let graph = graph();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
}

/// The scanner reads `use` lines, groups and paths in code, and skips comments, `$crate`
/// and `#[cfg(test)]` modules.
#[test]
fn the_scanner_reads_use_lines_and_groups() {
    let code = library_code(
        "use crate::error::Error;\n\
         use crate::{header::first_line, mac::{keyed, sha256}, Verified};\n\
         // use crate::heilo::Decimal;\n\
         let x = crate::hmac_hex::sign(c, s, b); // crate::sign\n\
         macro_rules! m { () => { $crate::x } }\n\
         #[cfg(test)]\n\
         mod tests {\n    use crate::healthie::Verifier;\n}\n",
    );
    assert_eq!(
        crate_paths(&code),
        ["error", "header", "mac", "Verified", "hmac_hex"]
    );
}
