//! Architecture checks, run as ordinary tests (in the spirit of rust-analyzer's tidy):
//! the pure crates stay pure, and every module says what it is for.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("readable dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Crates that must do no I/O: no database, network, files, clock, environment or processes.
const PURE: &[&str] = &[
    "vangnet-domain",
    "vangnet-demo",
    "vangnet-sim",
    "vangnet-tabular",
    "vangnet-publish",
    "vangnet-auth",
    "vangnet-money",
];
const FORBIDDEN_DEPS: &[&str] = &[
    "tokio",
    "rusqlite",
    "postgres",
    "axum",
    "sqlx",
    "reqwest",
    "hyper",
    "maud",
    "vangnet-store",
    "vangnet-web",
    "getrandom",
];
const FORBIDDEN_APIS: &[&str] = &[
    "std::fs",
    "std::net",
    "std::env",
    "std::process",
    "SystemTime",
    "Instant::now",
    "std::io::stdin",
    "println!",
    "eprintln!",
];

#[test]
fn pure_crates_do_no_io() {
    let root = workspace();
    for krate in PURE {
        let dir = root.join("crates").join(krate);
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
        let deps = manifest
            .split("[dependencies]")
            .nth(1)
            .unwrap_or("")
            .split("\n[")
            .next()
            .unwrap_or("");
        for d in FORBIDDEN_DEPS {
            assert!(
                !deps.lines().any(|l| l.trim_start().starts_with(d)),
                "{krate} depends on {d}: pure crates do no I/O"
            );
        }
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).expect("source");
            for api in FORBIDDEN_APIS {
                assert!(
                    !text.contains(api),
                    "{} uses {api}: pure crates do no I/O",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn every_module_has_a_doc_comment() {
    let mut files = Vec::new();
    rust_files(&workspace().join("crates"), &mut files);
    assert!(files.len() > 10);
    for f in files {
        let text = std::fs::read_to_string(&f).expect("source");
        assert!(
            text.trim_start().starts_with("//!"),
            "{} has no //! module doc at the top",
            f.display()
        );
    }
}
