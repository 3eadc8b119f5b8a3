//! The `vangnet` binary end to end: region check, demo data, import/export round trips and
//! the refusal of bad files (whole, with every error listed, store unchanged).

use std::path::Path;

mod common;

use common::{s, text, vangnet};

/// A fresh temporary directory, removed when the returned guard is dropped.
fn tempdir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("vangnet-cli-{name}-"))
        .tempdir()
        .unwrap()
}

fn event_count(db: &Path, dir: &Path) -> usize {
    let out = dir.join("count.jsonl");
    let o = vangnet(&["--database-url", &s(db), "export", &s(&out)]);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::read_to_string(&out).unwrap().lines().count()
}

#[test]
fn region_check_explains_errors_with_lines() {
    let tmp = tempdir("region");
    let dir = tmp.path().to_path_buf();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../regions");
    let good = vangnet(&["region", "check", &s(&root.join("drechtsteden.toml"))]);
    assert!(good.status.success(), "{}", text(&good));
    assert!(text(&good).contains("in orde"));
    let broken = std::fs::read_to_string(root.join("centraal-gelderland.toml"))
        .unwrap()
        .replacen("code = \"GM0226\"", "code = \"GM0226X\"", 1);
    let line = broken.lines().position(|l| l.contains("GM0226X")).unwrap() + 1;
    let f = dir.join("kapot.toml");
    std::fs::write(&f, broken).unwrap();
    let bad = vangnet(&["region", "check", &s(&f)]);
    assert!(!bad.status.success());
    assert!(
        text(&bad).contains(&format!("regel {line}: gemeentecode 'GM0226X'")),
        "{}",
        text(&bad)
    );
}

#[test]
fn import_export_round_trip_and_bad_files_change_nothing() {
    let tmp = tempdir("import");
    let dir = tmp.path().to_path_buf();
    let data = dir.join("demo.jsonl");
    let o = vangnet(&[
        "demo-data",
        &s(&data),
        "--from",
        "2025-01-01",
        "--until",
        "2025-04-01",
        "--scale",
        "0.3",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let lines: Vec<String> = std::fs::read_to_string(&data)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(lines.len() > 1000, "{} events", lines.len());

    // JSONL in, CSV out, CSV into a second database: same events.
    let db1 = dir.join("a.sqlite");
    let o = vangnet(&["--database-url", &s(&db1), "import", &s(&data)]);
    assert!(o.status.success(), "{}", text(&o));
    let csv = dir.join("export.csv");
    assert!(
        vangnet(&["--database-url", &s(&db1), "export", &s(&csv)])
            .status
            .success()
    );
    let db2 = dir.join("b.sqlite");
    let o = vangnet(&["--database-url", &s(&db2), "import", &s(&csv)]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(event_count(&db2, &dir), lines.len());
    let o = vangnet(&["--database-url", &s(&db2), "rebuild"]);
    assert!(
        o.status.success() && text(&o).contains("Herbouwd"),
        "{}",
        text(&o)
    );

    // A file with a mis-encoded line, an unknown gemeente and a truncated last line: rejected
    // whole, every error listed with its line, nothing written.
    let db3 = dir.join("c.sqlite");
    let mut bytes = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i == 10 {
            bytes.extend_from_slice(b"{\"client\":\"P0\xff\"}\n");
        }
        bytes.extend_from_slice(l.as_bytes());
        bytes.push(b'\n');
    }
    let first_aanmelding = lines
        .iter()
        .position(|l| l.contains("\"herkomst_gemeente\":\"GM"))
        .unwrap();
    let mut text_lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let idx = if first_aanmelding >= 10 {
        first_aanmelding + 1
    } else {
        first_aanmelding
    };
    let l = String::from_utf8(text_lines[idx].clone()).unwrap();
    let gm_at = l.find("\"herkomst_gemeente\":\"GM").unwrap() + "\"herkomst_gemeente\":\"".len();
    text_lines[idx] = format!("{}GM9998{}", &l[..gm_at], &l[gm_at + 6..]).into_bytes();
    let last = text_lines.len() - 2;
    let cut = text_lines[last].len() / 2;
    text_lines[last].truncate(cut);
    text_lines.pop();
    let bad: Vec<u8> = text_lines.join(&b'\n');
    let bad_file = dir.join("kapot.jsonl");
    std::fs::write(&bad_file, &bad).unwrap();
    let o = vangnet(&["--database-url", &s(&db3), "import", &s(&bad_file)]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("regel 11: geen geldige UTF-8"), "{out}");
    assert!(
        out.contains(&format!(
            "regel {}: herkomst_gemeente: gemeentecode GM9998 is onbekend",
            idx + 1
        )),
        "{out}"
    );
    assert!(out.contains("afgebroken"), "{out}");
    assert!(out.contains("er is niets geïmporteerd"), "{out}");
    assert_eq!(event_count(&db3, &dir), 0);

    // With --skip-bad the good rows land and the bad ones are reported (a client whose
    // aanmelding was bad loses its later rows too, each reported).
    let o = vangnet(&[
        "--database-url",
        &s(&db3),
        "import",
        "--skip-bad",
        &s(&bad_file),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let n = event_count(&db3, &dir);
    assert!(
        n > lines.len() - 50 && n < lines.len(),
        "{n} of {}",
        lines.len()
    );
}

/// Issue 11, findings 2 and 9 through the binary: `vangnet import --skip-bad` of a file with
/// an aanmelding dated 9999-12-31, an overnachting dated 9999-12-31 and a line of 1 MB
/// reports each as a row error, imports the good rows and does not panic.
#[test]
fn import_reports_dates_out_of_range_and_overlong_lines() {
    let tmp = tempdir("limits");
    let dir = tmp.path();
    let db = dir.join("v.sqlite");
    let aanmelding = |client: &str, on: &str| {
        format!(
            r#"{{"client":"{client}","effective":"{on}","event":{{"type":"aanmelding","regio":"centraal-gelderland","melder":"zelf","herkomst_gemeente":"GM0202","woonsituatie":"dakloos","urgentie":"regulier"}}}}"#
        )
    };
    let nacht = |on: &str| {
        format!(
            r#"{{"client":"P00000002","effective":"{on}","event":{{"type":"mo_overnachting","product":"mo-nachtopvang","locatie":"opvang-arnhem-nacht","nachten":1}}}}"#
        )
    };
    let long = aanmelding("P00000003", "2024-01-01").replace("zelf", &"x".repeat(1 << 20));
    let lines = [
        aanmelding("P00000001", "9999-12-31"),
        aanmelding("P00000002", "2024-01-01"),
        nacht("9999-12-31"),
        nacht("2024-01-02"),
        long,
    ];
    let file = dir.join("grenzen.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let o = vangnet(&["--database-url", &s(&db), "import", "--skip-bad", &s(&file)]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("regel 1: effective: datum 31-12-9999"),
        "{out}"
    );
    assert!(
        out.contains("regel 3: effective: datum 31-12-9999"),
        "{out}"
    );
    assert!(out.contains("regel 5: regel is 1048"), "{out}");
    assert_eq!(event_count(&db, dir), 2);
}
