//! Generation over the real `spec/` and `templates/`, in process and without writing anything.
//!
//! - `generate/full`: `generator::generate` (load -> validate -> resolve -> emit to memory),
//!   the work `cargo xtask gen` does before comparing with `generated/`.
//! - `generate/{load,validate,resolve,templates,emit,parts}`: each stage alone, on the output of
//!   the previous ones (prepared outside the timing loop), to see which stage dominates
//!   (`emit` is the generated crate, `parts` the generated files of the fake and the command
//!   line).
//! - `generate/unparse`: only the `prettyplease::unparse` calls of one generation: the emitted
//!   Rust files are parsed back once (checked to round-trip to the same text but for the blank
//!   lines between items), then unparsed.
//!
//! `cargo bench -p generator --bench generate` prints each stage's share of `full`, computed
//! from criterion's medians in `target/criterion/generate/*/new/estimates.json`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use criterion::Criterion;

/// Budget for one full generation (median wall time).
const TARGET_SECONDS: f64 = 0.10;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The Rust files that `emit` formats with prettyplease (template copies are not formatted):
/// their header names no template source. Those of the generated crate and of the parts.
fn formatted_files(generated: &generator::Generated) -> Vec<(&str, &str)> {
    let parts = generated.parts.iter().flat_map(|(_, files)| files);
    generated
        .files
        .iter()
        .chain(parts)
        .filter(|(path, text)| {
            path.ends_with(".rs") && !text.lines().next().unwrap_or("").contains("Source:")
        })
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect()
}

fn benches(c: &mut Criterion) {
    let spec = root().join("spec");
    let templates_dir = root().join("templates");
    let reference = generator::generate(&spec, &templates_dir).unwrap_or_else(|r| panic!("{r}"));

    // Parse the formatted files back once; unparsing them must give the emitted text again
    // but for the blank lines emit adds between items, so `unparse` below formats exactly what
    // one generation formats.
    let parsed: Vec<syn::File> = formatted_files(&reference)
        .into_iter()
        .map(|(path, text)| {
            let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            let body = text.split_once('\n').map_or("", |(_, rest)| rest);
            let dense: String = body
                .lines()
                .filter(|l| !l.is_empty())
                .flat_map(|l| [l, "\n"])
                .collect();
            assert_eq!(
                prettyplease::unparse(&file),
                dense,
                "{path} does not round-trip"
            );
            file
        })
        .collect();

    let mut g = c.benchmark_group("generate");
    g.sample_size(10);
    g.bench_function("full", |b| {
        b.iter(|| generator::generate(black_box(&spec), black_box(&templates_dir)))
    });

    let loaded = generator::load::load_dir(&spec).unwrap_or_else(|r| panic!("{r}"));
    let templates = generator::emit::Templates::load(&templates_dir).expect("templates");
    g.bench_function("load", |b| {
        b.iter(|| generator::load::load_dir(black_box(&spec)))
    });
    g.bench_function("validate", |b| {
        b.iter(|| generator::validate::validate(black_box(&loaded)))
    });
    let validated = generator::validate::validate(&loaded).unwrap_or_else(|r| panic!("{r}"));
    g.bench_function("resolve", |b| {
        b.iter(|| generator::resolve::resolve(black_box(&validated.spec)))
    });
    g.bench_function("templates", |b| {
        b.iter(|| generator::emit::Templates::load(black_box(&templates_dir)))
    });
    g.bench_function("emit", |b| {
        b.iter(|| generator::emit::emit(black_box(&reference.model), black_box(&templates)))
    });
    g.bench_function("parts", |b| {
        b.iter(|| generator::emit::parts(black_box(&reference.model), black_box(&templates)))
    });
    g.bench_function("unparse", |b| {
        b.iter(|| {
            parsed
                .iter()
                .map(|f| prettyplease::unparse(black_box(f)).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

fn main() {
    let started = SystemTime::now();
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    report(started);
}

/// Prints the stage shares and the budget check from this run's medians.
fn report(started: SystemTime) {
    let Some(full) = median("generate/full", started) else {
        return; // test mode, a filter that skipped it, or no estimates written
    };
    println!("\n== generate: medians of this run (criterion estimates.json)");
    println!(
        "full generation    {:>9.2} ms   target {:.0} ms: {}",
        full * 1e3,
        TARGET_SECONDS * 1e3,
        if full <= TARGET_SECONDS {
            "met"
        } else {
            "MISSED"
        }
    );
    for stage in [
        "load",
        "validate",
        "resolve",
        "templates",
        "emit",
        "parts",
        "unparse",
    ] {
        if let Some(m) = median(&format!("generate/{stage}"), started) {
            println!(
                "  {stage:<16} {:>9.2} ms   {:>5.1}% of full",
                m * 1e3,
                100.0 * m / full
            );
        }
    }
}

/// The median (seconds) of benchmark `id` (`group/function`) if this process measured it.
fn median(id: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_home().join(id).join("new/estimates.json");
    let fresh = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t >= since);
    if !fresh {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(json["median"]["point_estimate"].as_f64()? * 1e-9)
}

/// Where criterion writes its results, found the way criterion finds it.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    let metadata = std::env::var_os("CARGO").and_then(|cargo| {
        std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .output()
            .ok()
    });
    metadata
        .and_then(|out| serde_json::from_slice::<serde_json::Value>(&out.stdout).ok())
        .and_then(|m| m["target_directory"].as_str().map(PathBuf::from))
        .map_or_else(
            || PathBuf::from("target/criterion"),
            |t| t.join("criterion"),
        )
}
