//! `vangnet forecast` end to end: calibrate a small demo database into a scenario file, then
//! run it with a seed and write the month quantiles as CSV.

use std::path::Path;

mod common;

use common::{s, text, vangnet};

/// A small demo database (2023-01-01 … 2026-06-30, scale 0.3) in `dir`.
fn demo_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.sqlite");
    let o = vangnet(&[
        "demo",
        "--db",
        &s(&db),
        "--no-serve",
        "--from",
        "2023-01-01",
        "--until",
        "2026-06-30",
        "--scale",
        "0.3",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    db
}

#[test]
fn calibrate_a_demo_database_and_run_the_forecast_to_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let db = demo_db(&dir);

    let scenario = dir.join("scenario.toml");
    let o = vangnet(&[
        "--database-url",
        &s(&db),
        "forecast",
        "calibrate",
        "--region",
        "drechtsteden",
        "--on",
        "2026-06-30",
        "--out",
        &s(&scenario),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let report = text(&o);
    assert!(
        report.contains("Kalibratie drechtsteden op 2026-06-30"),
        "{report}"
    );
    assert!(report.contains("bw-instelling"), "{report}");
    let toml = std::fs::read_to_string(&scenario).unwrap();
    assert!(
        toml.contains("[[node]]") && toml.contains("[[initial]]"),
        "{toml}"
    );

    let csv = dir.join("uitkomst.csv");
    let run = |out: &Path| {
        vangnet(&[
            "forecast",
            "run",
            &s(&scenario),
            "--replications",
            "24",
            "--years",
            "2",
            "--seed",
            "7",
            "--out",
            &s(out),
        ])
    };
    let o = run(&csv);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("na 1 jaar"), "{}", text(&o));
    assert!(text(&o).contains("Bezetting"), "{}", text(&o));
    let data = std::fs::read_to_string(&csv).unwrap();
    let mut lines = data.lines();
    assert_eq!(lines.next(), Some("month,node,metric,p5,p25,p50,p75,p95"));
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("24,bw-instelling,bezetting,"))
    );
    for r in &rows {
        let q: Vec<f64> = r.split(',').skip(3).map(|x| x.parse().unwrap()).collect();
        assert!(
            q.windows(2).all(|w| w[0] <= w[1]),
            "quantiles out of order: {r}"
        );
    }
    // Same seed, same numbers.
    let again = dir.join("opnieuw.csv");
    assert!(run(&again).status.success());
    assert_eq!(std::fs::read_to_string(&again).unwrap(), data);

    // The web page's tables as a workbook.
    let xlsx = dir.join("tabellen.xlsx");
    let o = vangnet(&[
        "forecast",
        "run",
        &s(&scenario),
        "--replications",
        "16",
        "--years",
        "2",
        "--xlsx",
        &s(&xlsx),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Dordrecht"), "{}", text(&o));
    let book = std::fs::read(&xlsx).unwrap();
    assert!(book.starts_with(b"PK"));
    let names = String::from_utf8_lossy(&book);
    for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml"] {
        assert!(names.contains(sheet), "{sheet}");
    }

    let bad = dir.join("kapot.toml");
    std::fs::write(&bad, toml.replacen("servers = ", "servers = -", 1)).unwrap();
    let o = vangnet(&["forecast", "run", &s(&bad)]);
    assert!(!o.status.success());
    assert!(text(&o).contains("regel "), "{}", text(&o));
}

/// The same events on SQLite and on PostgreSQL calibrate to the same scenario file (and so,
/// with the same seed, to the same forecast): the forecast does not depend on the backend.
#[test]
fn sqlite_and_postgresql_calibrate_to_the_same_scenario() {
    use vangnet_store_postgres::testing::{drop_schema, reset_schema, test_database_url};
    let Some(url) = test_database_url() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let db = demo_db(&dir);
    let events = dir.join("events.jsonl");
    let o = vangnet(&["--database-url", &s(&db), "export", &s(&events)]);
    assert!(o.status.success(), "{}", text(&o));
    let schema = format!("cli_forecast_{}", std::process::id());
    let pg = reset_schema(&url, &schema).expect("fresh schema");
    let o = vangnet(&["--database-url", &pg, "import", &s(&events)]);
    assert!(o.status.success(), "{}", text(&o));

    let calibrate = |store: &str, out: &Path| {
        let o = vangnet(&[
            "--database-url",
            store,
            "forecast",
            "calibrate",
            "--region",
            "drechtsteden",
            "--on",
            "2026-06-30",
            "--out",
            &s(out),
        ]);
        assert!(o.status.success(), "{}", text(&o));
        std::fs::read_to_string(out).unwrap()
    };
    let on_sqlite = calibrate(&s(&db), &dir.join("sqlite.toml"));
    let on_pg = calibrate(&pg, &dir.join("postgres.toml"));
    assert!(on_sqlite.contains("[[initial]]"));
    assert_eq!(on_sqlite, on_pg, "same events, same calibration");
    drop_schema(&url, &schema).expect("drop schema");
}
