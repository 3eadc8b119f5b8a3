//! The workbook read back by an independent reader (`calamine`): every sheet holds the same
//! numbers and texts as the CSV of the same table, at the documented places; sheet names,
//! Excel's limits and determinism.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use super::*;
use crate::to_csv;

/// The workbook as calamine opens it.
fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("a workbook calamine can read")
}

/// The CSV of a table parsed back into fields (RFC 4180 with `;`, the BOM removed).
fn csv_fields(table: &Table) -> Vec<Vec<String>> {
    let csv = to_csv(table);
    let csv = csv.strip_prefix('\u{FEFF}').expect("BOM");
    let mut lines = Vec::new();
    let mut line = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ';') => line.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CRLF");
                line.push(std::mem::take(&mut field));
                lines.push(std::mem::take(&mut line));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && line.is_empty(), "CSV ends with CRLF");
    lines
}

/// Whether a CSV field shows the workbook's cell: the same number (decimal comma), the same
/// text (the CSV defuses formula-like text with a leading `'`, the workbook keeps it as text),
/// or both empty.
fn same(csv: &str, cell: &Data) -> bool {
    match cell {
        Data::Empty => csv.is_empty(),
        Data::Float(x) => csv.replace(',', ".").parse::<f64>().ok() == Some(*x),
        Data::Int(n) => csv.parse::<i64>().ok() == Some(*n),
        Data::String(s) => {
            csv == s || (s.starts_with(['=', '+', '-', '@', '\t', '\r']) && csv == format!("'{s}"))
        }
        _ => false,
    }
}

/// Tables like the exports': suppressed cells, negative and decimal numbers, long titles,
/// formula-like and escape-like texts, ragged rows, empty and non-finite cells.
fn sample() -> Vec<Table> {
    vec![
        Table {
            title: "Wachtlijst per gemeente".into(),
            columns: vec![
                "Gemeente".into(),
                "Wachtend".into(),
                "Gem. wachttijd (weken)".into(),
            ],
            rows: vec![
                vec!["Arnhem".into(), 12i64.into(), 12.5.into()],
                vec!["Duiven".into(), "<5".into(), Cell::Empty],
                vec![
                    "A & B <c> \"d\" 'e'".into(),
                    (-3i64).into(),
                    f64::NAN.into(),
                ],
                vec!["=SOM(A1)".into(), " spatie ".into(), "_x0041_".into()],
                vec![
                    "+31 30 123".into(),
                    "-1+1".into(),
                    "@SUM(A1)".into(),
                    "regel 1\nregel 2".into(),
                ],
                vec![(-0.25).into(), 1234567.5.into(), 0.1.into()],
                vec![],
                vec![Cell::Int(i64::from(i32::MAX) * 4), (-1e-7).into()],
            ],
            notes: vec![
                "Filter: gemeente Arnhem, Duiven; 2024-01 t/m 2024-12.".into(),
                "Aantallen onder de 5 zijn afgeschermd.".into(),
                "Bron: Vangnet".into(),
            ],
            ..Table::default()
        },
        Table {
            title: "Gemiddelde verblijfsduur per product en gemeente".into(),
            columns: vec!["Product".into(), "Dagen".into()],
            rows: vec![
                vec!["bw-beschermd-wonen".into(), 412.25.into()],
                vec!["mo-nachtopvang".into(), "<5".into()],
            ],
            notes: vec![],
            ..Table::default()
        },
        Table {
            title: "Gemiddelde verblijfsduur per product en gemeente".into(),
            columns: vec!["Product".into(), "Dagen (afgerond)".into()],
            rows: vec![vec!["bw-beschermd-wonen".into(), 412i64.into()]],
            notes: vec!["Tweede tabel met dezelfde titel.".into()],
            ..Table::default()
        },
        Table {
            title: "Bezetting: MO/VO [2025]".into(),
            columns: vec!["Maand".into(), "Bezet".into()],
            rows: vec![vec!["januari 2025".into(), 40i64.into()]],
            notes: vec![],
            ..Table::default()
        },
    ]
}

#[test]
fn the_workbook_holds_the_same_numbers_and_texts_as_the_csv() {
    let tables = sample();
    let mut book = open(to_xlsx(&tables));
    assert_eq!(
        book.sheet_names(),
        [
            "Wachtlijst per gemeente",
            "Gemiddelde verblijfsduur per…",
            "Gemiddelde verblijfsduur… (2)",
            "Bezetting- MO-VO (2025)",
        ]
    );
    for (table, name) in tables.iter().zip(book.sheet_names()) {
        let range = book.worksheet_range(&name).unwrap();
        let at = |r: usize, c: usize| {
            range
                .get_value((r as u32, c as u32))
                .cloned()
                .unwrap_or(Data::Empty)
        };
        // Title in A1, row 2 empty, header in row 3.
        assert_eq!(at(0, 0), Data::String(table.title.clone()), "{name}");
        let csv = csv_fields(table);
        let width = range.width().max(csv[0].len()) + 1;
        for c in 0..width {
            assert_eq!(at(1, c), Data::Empty, "{name}: row 2");
            let field = csv[0].get(c).map_or("", String::as_str);
            assert!(same(field, &at(2, c)), "{name} header {c}: {field:?}");
        }
        // Every data row, every column: the CSV's field.
        for (i, fields) in csv[1..].iter().enumerate() {
            for c in 0..width {
                let field = fields.get(c).map_or("", String::as_str);
                let cell = at(FIRST_DATA_ROW + i, c);
                assert!(
                    same(field, &cell),
                    "{name} row {i} col {c}: {field:?} {cell:?}"
                );
                // Numbers are numbers in both, texts are texts.
                match table.rows[i].get(c) {
                    Some(Cell::Int(_) | Cell::Number(_)) if !field.is_empty() => {
                        assert!(matches!(cell, Data::Float(_) | Data::Int(_)), "{name}")
                    }
                    Some(Cell::Text(_)) => assert!(matches!(cell, Data::String(_)), "{name}"),
                    _ => {}
                }
            }
        }
        // An empty row, then the notes in column A, then nothing.
        let first_note = FIRST_DATA_ROW + table.rows.len() + 1;
        assert_eq!(at(first_note - 1, 0), Data::Empty);
        for (i, note) in table.notes.iter().enumerate() {
            assert_eq!(at(first_note + i, 0), Data::String(note.clone()), "{name}");
        }
        let last = first_note + table.notes.len();
        assert!(range.end().is_none_or(|(r, _)| (r as usize) < last));
        // Text is never a formula.
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name}"
        );
    }

    // The values themselves, not only their agreement with the CSV.
    let range = book.worksheet_range("Wachtlijst per gemeente").unwrap();
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(3, 1), Data::Float(12.0));
    assert_eq!(at(3, 2), Data::Float(12.5));
    assert_eq!(at(4, 1), Data::String("<5".into()));
    assert_eq!(at(5, 1), Data::Float(-3.0));
    assert_eq!(at(5, 2), Data::Empty, "NaN is left empty");
    assert_eq!(at(6, 0), Data::String("=SOM(A1)".into()));
    assert_eq!(at(6, 1), Data::String(" spatie ".into()));
    assert_eq!(at(6, 2), Data::String("_x0041_".into()), "not read as 'A'");
    assert_eq!(at(7, 3), Data::String("regel 1\nregel 2".into()));
    assert_eq!(at(8, 0), Data::Float(-0.25));
    assert_eq!(at(10, 0), Data::Float(8_589_934_588.0));
    assert_eq!(at(10, 1), Data::Float(-1e-7));
}

#[test]
fn deterministic() {
    assert_eq!(to_xlsx(&sample()), to_xlsx(&sample()));
    assert_eq!(to_xlsx(&[]), to_xlsx(&[]));
}

#[test]
fn empty_workbook_has_one_sheet() {
    let mut book = open(to_xlsx(&[]));
    assert_eq!(book.sheet_names(), ["Blad1"]);
    assert!(book.worksheet_range("Blad1").unwrap().is_empty());
}

fn names_of(titles: &[&str]) -> Vec<String> {
    let tables: Vec<Table> = titles
        .iter()
        .map(|t| Table {
            title: (*t).to_owned(),
            ..Table::default()
        })
        .collect();
    sheet_names(&tables)
}

#[test]
fn sheet_names_are_made_valid() {
    assert_eq!(
        names_of(&[
            "Wachtlijst [MO]: a/b\\c*d?e",
            "  'Bezetting'  ",
            "regel\neen"
        ]),
        ["Wachtlijst (MO)- a-b-c-d-e", "Bezetting", "regel een"]
    );
    // Exactly 31 fits whole; longer is cut at a word with an ellipsis.
    let fits = "Instroom per gemeente en maand.";
    assert_eq!(fits.chars().count(), 31);
    assert_eq!(names_of(&[fits]), [fits]);
    assert_eq!(
        names_of(&["Gemiddelde verblijfsduur per product en gemeente"]),
        ["Gemiddelde verblijfsduur per…"]
    );
    // No word boundary in the second half: cut inside the word, at 30 UTF-16 units, never
    // inside a character.
    let emoji = format!("{}\u{1F600}x", "a".repeat(29));
    assert_eq!(names_of(&[&emoji]), [format!("{}…", "a".repeat(29))]);
    assert_eq!(
        names_of(&["Wachttijdverdelingsoverzichtstabel"]),
        ["Wachttijdverdelingsoverzichtst…"]
    );
    for name in names_of(&["a:b", "[]", "?", "''", "", &"x'".repeat(40)]) {
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        assert!(!name.is_empty() && !name.starts_with('\'') && !name.ends_with('\''));
        assert!(name.encode_utf16().count() <= 31);
    }
}

#[test]
fn sheet_names_are_unique() {
    assert_eq!(
        names_of(&["Bezetting", "bezetting", "Bezetting", "Bezetting (2)"]),
        [
            "Bezetting",
            "bezetting (2)",
            "Bezetting (3)",
            "Bezetting (2) (2)"
        ]
    );
    assert_eq!(names_of(&["", "x", ""]), ["Blad1", "x", "Blad3"]);
    assert_eq!(names_of(&["Blad2", ""]), ["Blad2", "Blad2 (2)"]);
    assert_eq!(names_of(&["History"]), ["History (2)"]);
    let long = "Gemiddelde verblijfsduur per product";
    let names = names_of(&[long, long, "?"]);
    assert_eq!(
        names,
        [
            "Gemiddelde verblijfsduur per…",
            "Gemiddelde verblijfsduur… (2)",
            "-"
        ]
    );
    assert!(names.iter().all(|n| n.encode_utf16().count() <= 31));
    // And the library accepts all of them in one workbook.
    let tables: Vec<Table> = names_of(&[long, long, "a:b", "", "History", "''x''"])
        .into_iter()
        .map(|title| Table {
            title,
            ..Table::default()
        })
        .collect();
    assert_eq!(open(to_xlsx(&tables)).sheet_names().len(), 6);
}

#[test]
fn long_texts_are_cut_at_excels_limit() {
    let tables = [Table {
        title: "x".repeat(40_000),
        columns: vec!["y".repeat(100)],
        ..Table::default()
    }];
    let mut book = open(to_xlsx(&tables));
    let name = book.sheet_names()[0].clone();
    assert_eq!(name, format!("{}…", "x".repeat(30)));
    let range = book.worksheet_range(&name).unwrap();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("x".repeat(MAX_CELL_TEXT)))
    );
    assert_eq!(column_widths(&tables[0]), [MAX_COL_WIDTH]);
}

#[test]
fn a_table_wider_than_a_worksheet_is_cut_with_a_note() {
    let tables = [Table {
        title: "Breed".into(),
        columns: vec!["a".into()],
        rows: vec![(0..MAX_COLS as i64 + 2).map(Cell::Int).collect()],
        notes: vec!["noot".into()],
        ..Table::default()
    }];
    let mut book = open(to_xlsx(&tables));
    let range = book.worksheet_range("Breed").unwrap();
    assert_eq!(range.get_value((3, 0)), Some(&Data::Float(0.0)));
    assert_eq!(
        range.get_value((3, MAX_COLS as u32 - 1)),
        Some(&Data::Float((MAX_COLS - 1) as f64))
    );
    assert_eq!(range.get_value((5, 0)), Some(&Data::String("noot".into())));
    let Some(Data::String(cut)) = range.get_value((6, 0)) else {
        panic!("a note on the cut");
    };
    assert!(cut.contains("2 kolommen zijn weggelaten"), "{cut}");
    assert_eq!(cut_note(0, 0), None);
    assert!(cut_note(3, 0).unwrap().contains("3 rijen zijn"));
}

#[test]
fn withheld_cells_are_empty_with_a_note_and_the_preamble_is_on_top() {
    let tables = [Table {
        title: "Mensen in zorg, Drechtsteden, 2024".into(),
        sheet: "Mensen in zorg".into(),
        preamble: vec!["Filter: gemeente Dordrecht; periode 2024-01 t/m 2024-12.".into()],
        columns: vec!["Gemeente".into(), "BW".into(), "Totaal".into()],
        rows: vec![
            vec!["Dordrecht".into(), 12i64.into(), 12i64.into()],
            vec![
                "Zwijndrecht".into(),
                Cell::Withheld {
                    shown: "<5".into(),
                    note: "onderdrukt, kleiner dan 5".into(),
                },
                Cell::Withheld {
                    shown: "≥129".into(),
                    note: "ten minste 129".into(),
                },
            ],
        ],
        notes: vec!["Bron: Vangnet".into()],
    }];
    let mut book = open(to_xlsx(&tables));
    assert_eq!(book.sheet_names(), ["Mensen in zorg"]);
    let range = book.worksheet_range("Mensen in zorg").unwrap();
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(0, 0), Data::String(tables[0].title.clone()));
    assert_eq!(at(1, 0), Data::String(tables[0].preamble[0].clone()));
    assert_eq!(at(2, 0), Data::Empty);
    assert_eq!(at(3, 0), Data::String("Gemeente".into()));
    assert_eq!(at(3, 3), Data::String(NOTE_COLUMN.into()));
    assert_eq!(at(4, 1), Data::Float(12.0));
    assert_eq!(at(4, 3), Data::Empty, "nothing withheld in this row");
    assert_eq!(at(5, 1), Data::Empty, "withheld: empty");
    assert_eq!(at(5, 2), Data::Empty, "withheld: empty");
    assert_eq!(
        at(5, 3),
        Data::String("BW: onderdrukt, kleiner dan 5; Totaal: ten minste 129".into())
    );
    assert_eq!(at(7, 0), Data::String("Bron: Vangnet".into()));
    // The short forms are nowhere in the workbook.
    assert!(range.used_cells().all(|(_, _, c)| !matches!(c,
        Data::String(s) if s.contains("<5") || s.contains('≥'))));
    // The CSV keeps the short forms, and no note column.
    let csv = crate::to_csv(&tables[0]);
    assert!(csv.contains("Zwijndrecht;<5;≥129\r\n"), "{csv}");
    assert!(!csv.contains(NOTE_COLUMN));
    // Without withheld cells there is no note column.
    assert_eq!(note_column(&Table::default()), None);
}
