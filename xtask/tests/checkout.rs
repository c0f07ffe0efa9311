//! xtask works on the checkout it is run in, whichever checkout built the binary: a target
//! directory shared between two checkouts must not make one regenerate the other.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A second checkout with its own spec and templates (and no generated crate yet).
fn second_checkout() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("portone-checkout-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repo().join("spec"), &dir.join("spec"));
    copy_dir(&repo().join("templates"), &dir.join("templates"));
    std::fs::copy(repo().join("Cargo.toml"), dir.join("Cargo.toml")).unwrap();
    std::fs::copy(repo().join("CHANGELOG.md"), dir.join("CHANGELOG.md")).unwrap();
    dir
}

fn xtask(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .env_remove("PORTONE_SPEC_DIR")
        .output()
        .unwrap()
}

#[test]
fn gen_regenerates_the_checkout_it_runs_in() {
    let other = second_checkout();
    let spec = other.join("spec/payment.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &spec,
        text.replacen(
            "      paid: Paid in full.\n",
            "      paid: Paid in full.\n      pending: Waiting for the PG's approval.\n",
            1,
        ),
    )
    .unwrap();
    // Run from a subdirectory: the checkout is found by walking up.
    let output = xtask(&other.join("spec"), &["gen"]);
    assert!(output.status.success(), "{output:?}");
    let listing = std::fs::read_to_string(other.join("generated/public-api.txt")).unwrap();
    assert!(
        listing.contains("value PaymentStatus::Pending"),
        "{listing}"
    );
    let ours = std::fs::read_to_string(repo().join("generated/public-api.txt")).unwrap();
    assert!(!ours.contains("value PaymentStatus::Pending"));
    std::fs::remove_dir_all(&other).unwrap();
}

#[test]
fn outside_a_checkout_it_says_so() {
    let dir = std::env::temp_dir().join(format!("portone-no-checkout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = xtask(&dir, &["gen", "--check"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not inside a portone-v1 checkout"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_prints_usage_and_succeeds() {
    let output = xtask(&repo(), &["--help"]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("cargo xtask gen"));
}
