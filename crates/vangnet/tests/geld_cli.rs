//! `vangnet geld` end to end: on a demo history imported into SQLite (and into PostgreSQL
//! when `VANGNET_TEST_DATABASE_URL` is set, which must print exactly the same report) the
//! year overview, cost table and settlement are printed and written as CSV and XLSX; the
//! settlement sums to zero, the cost table to the region's total; another objective model or
//! ingroeipad with an error is refused with the model's Dutch message naming the line, with
//! a non-zero exit code and no report.

mod common;

use std::path::{Path, PathBuf};

use common::{text, vangnet, vangnet_at};
use vangnet_money::Cents;

/// Every product of this region has a tariff in its finance profile.
const REGIO: &str = "meierij-bommelerwaard";

/// A demo history (2023–2025) as JSON Lines in `dir`.
fn events(dir: &Path) -> PathBuf {
    let file = dir.join("events.jsonl");
    let o = vangnet(&[
        "demo-data",
        "--seed",
        "13",
        "--scale",
        "0.25",
        "--from",
        "2023-01-01",
        "--until",
        "2026-01-01",
        &file.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    file
}

fn geld(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["geld", "--regio", REGIO, "--jaar", "2025"];
    args.extend_from_slice(extra);
    vangnet_at(url, &args)
}

/// The Dutch CSV's column `name` as cents (`-523937,81`), over all rows.
fn column_cents(csv: &str, name: &str) -> Vec<Cents> {
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().expect("header").split(';').collect();
    let i = header
        .iter()
        .position(|h| *h == name)
        .unwrap_or_else(|| panic!("column {name} in {header:?}"));
    lines
        .map(|l| {
            let cell = l.split(';').nth(i).expect("cell");
            Cents::parse(cell).unwrap_or_else(|e| panic!("{cell}: {e}"))
        })
        .collect()
}

fn sum(v: &[Cents]) -> i64 {
    v.iter().map(|c| c.0).sum()
}

/// The report on `url`: printed, written, consistent. Returns what it printed.
fn report_on(url: &str, dir: &Path) -> String {
    let csv = dir.join("geld.csv");
    let xlsx = dir.join("geld.xlsx");
    let o = geld(
        url,
        &[
            "--csv",
            &csv.display().to_string(),
            "--xlsx",
            &xlsx.display().to_string(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8(o.stdout.clone()).expect("utf-8");
    for part in [
        "Geld — regio meierij-bommelerwaard, jaar 2025",
        "Jaaroverzicht meierij-bommelerwaard 2025",
        "Kosten meierij-bommelerwaard 2025 — besluitende gemeente (huidige wet)",
        "Afrekening meierij-bommelerwaard 2025",
        "'s-Hertogenbosch | GM0796",
        "Aanname: Objectief verdeelmodel: VOORBEELDBESTAND",
    ] {
        assert!(out.contains(part), "{part} missing in:\n{out}");
    }
    // The settlement sums to zero over the region; every gemeente has a line.
    let afrekening = std::fs::read_to_string(dir.join("geld-afrekening.csv")).expect("csv");
    let te_verrekenen = column_cents(&afrekening, "Te verrekenen (€)");
    assert_eq!(te_verrekenen.len(), 7, "{afrekening}");
    assert_eq!(sum(&te_verrekenen), 0, "{afrekening}");
    let solidariteit = column_cents(&afrekening, "Solidariteit (ontvangen + / bijdrage −) (€)");
    assert_eq!(sum(&solidariteit), 0, "{afrekening}");
    // The cost table (today's law) sums to the region's total printed above it.
    let total_line = out
        .lines()
        .find(|l| l.starts_with("Totale kosten (gerealiseerd): "))
        .expect("total");
    let total = Cents::parse(
        total_line
            .trim_start_matches("Totale kosten (gerealiseerd): ")
            .split(';')
            .next()
            .expect("amount"),
    )
    .expect("amount parses");
    assert!(total.0 > 0, "{total_line}");
    let kosten = std::fs::read_to_string(dir.join("geld-kosten.csv")).expect("csv");
    assert_eq!(sum(&column_cents(&kosten, "Gerealiseerd (€)")), total.0);
    let overzicht = std::fs::read_to_string(dir.join("geld-overzicht.csv")).expect("csv");
    assert_eq!(column_cents(&overzicht, "Historisch budget (€)").len(), 7);
    let book = std::fs::read(&xlsx).expect("xlsx");
    assert!(book.starts_with(b"PK"), "a workbook (zip)");
    out
}

fn bad_input(url: &str, dir: &Path) {
    // Another objective model with an unknown characteristic: the model's error with line.
    let model = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../regions/geld/objectief-voorbeeld-2027.csv"),
    )
    .expect("example model");
    let broken = model.replacen("bedrag;bijstand;", "bedrag;zonnepanelen;", 1);
    assert_ne!(broken, model, "the example names bijstand");
    let file = dir.join("objectief.csv");
    std::fs::write(&file, broken).expect("write");
    let o = geld(url, &["--objectief", &file.display().to_string()]);
    assert!(!o.status.success());
    let err = text(&o);
    assert!(err.contains("regel"), "{err}");
    assert!(err.contains("onbekend kenmerk"), "{err}");
    assert!(o.stdout.is_empty(), "no partial report: {err}");
    // An ingroeipad that goes down.
    let file = dir.join("pad.csv");
    std::fs::write(
        &file,
        "# aanname: een test\njaar;aandeel\n1;50,00\n2;40,00\n3;100,00\n",
    )
    .expect("write");
    let o = geld(url, &["--ingroeipad", &file.display().to_string()]);
    assert!(!o.status.success());
    let err = text(&o);
    assert!(err.contains("ingroeipad, regel 4"), "{err}");
    assert!(o.stdout.is_empty(), "no partial report: {err}");
    // A file that is not there, an unknown region, a bad scenario, a bad attribution.
    for (args, word) in [
        (vec!["--objectief", "/bestaat/niet.csv"], "lezen"),
        (vec!["--scenario", "kleur=rood"], "onbekende sleutel"),
        (vec!["--toerekening", "buurgemeente"], "kies besluit"),
    ] {
        let o = geld(url, &args);
        assert!(!o.status.success(), "{args:?}");
        assert!(text(&o).contains(word), "{args:?}: {}", text(&o));
    }
    let o = vangnet_at(url, &["geld", "--regio", "nergens", "--jaar", "2025"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("onbekende regio"), "{}", text(&o));
    // A scenario and another attribution change what is shown, and say so.
    let o = geld(
        url,
        &[
            "--scenario",
            "wpb=2025",
            "--scenario",
            "ambulant=20/4/2024/bw-thuis",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Scenario: woonplaatsbeginsel (wetsvoorstel 36 288) vanaf 2025"),
        "{out}"
    );
    assert!(
        out.contains("— woonplaatsbeginsel (wetsvoorstel 36 288)"),
        "the cost table follows the scenario's regime: {out}"
    );
}

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vangnet-geld-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

#[test]
fn geld_on_sqlite_and_postgresql() {
    let dir = tempdir("sqlite");
    let file = events(&dir);
    let db = dir.join("geld.sqlite").display().to_string();
    let o = vangnet_at(&db, &["import", &file.display().to_string()]);
    assert!(o.status.success(), "{}", text(&o));
    let sqlite = report_on(&db, &dir);
    bad_input(&db, &dir);

    if let Some(base) = vangnet_store_postgres::testing::test_database_url() {
        let schema = format!("t_geld_cli_{}", std::process::id());
        let url = vangnet_store_postgres::testing::reset_schema(&base, &schema).expect("schema");
        let o = vangnet_at(&url, &["import", &file.display().to_string()]);
        assert!(o.status.success(), "{}", text(&o));
        let pg_dir = tempdir("pg");
        let pg = report_on(&url, &pg_dir);
        assert_eq!(pg, sqlite, "both engines print the same report");
        let _ = vangnet_store_postgres::testing::drop_schema(&base, &schema);
        let _ = std::fs::remove_dir_all(&pg_dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
