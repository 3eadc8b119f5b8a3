//! CSV in the dialect Dutch Excel opens correctly with a double click: UTF-8 with a byte-order
//! mark, `;` as separator, CRLF line ends, RFC 4180 quoting and a decimal comma. Text cells
//! that a spreadsheet would read as a formula are defused with a leading `'`.

use crate::{Cell, Table, number_text};

/// The byte-order mark that makes Excel read the file as UTF-8 instead of Windows-1252.
const BOM: char = '\u{FEFF}';
/// The field separator of Excel with Dutch regional settings (the comma is the decimal sign).
const SEPARATOR: char = ';';
/// Line end (RFC 4180).
const CRLF: &str = "\r\n";

/// The table as CSV: a UTF-8 byte-order mark, the header row (`table.columns`) and the data
/// rows, each line ended by CRLF; fields separated by `;`.
///
/// Exactly the table: the title and the notes are not written. Numbers use a decimal comma
/// (`12,5`) and no thousands separators; NaN and infinities become empty fields. Rows shorter
/// than the header are padded with empty fields. A field is quoted (`"…"`, inner quotes
/// doubled) when it contains `;`, `"`, CR or LF, or starts or ends with white space.
///
/// Formula injection: a text cell (or header) starting with `=`, `+`, `-`, `@`, tab or CR is
/// prefixed with `'`, so a spreadsheet shows it as text instead of evaluating it. Numbers in
/// `Int`/`Number` cells (also negative ones) and texts like `<5` are written unchanged.
pub fn to_csv(table: &Table) -> String {
    let mut out = String::new();
    out.push(BOM);
    let width = table.columns.len();
    write_line(&mut out, table.columns.iter().map(|c| text_field(c)), width);
    for row in &table.rows {
        write_line(&mut out, row.iter().map(cell_field), width);
    }
    out
}

/// Writes one line: the fields separated by `;`, padded with empty fields to `width`.
fn write_line(out: &mut String, fields: impl Iterator<Item = String>, width: usize) {
    let mut n = 0;
    for field in fields {
        if n > 0 {
            out.push(SEPARATOR);
        }
        out.push_str(&field);
        n += 1;
    }
    while n < width {
        if n > 0 {
            out.push(SEPARATOR);
        }
        n += 1;
    }
    out.push_str(CRLF);
}

/// One cell as a finished CSV field.
fn cell_field(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Withheld { shown: s, .. } => text_field(s),
        Cell::Int(n) => n.to_string(),
        Cell::Number(x) => number_text(*x)
            .map(|s| s.replace('.', ","))
            .unwrap_or_default(),
    }
}

/// A text as a finished CSV field: defused against formula injection, then quoted if needed.
fn text_field(s: &str) -> String {
    let defused = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    let needs_quotes = defused.contains([SEPARATOR, '"', '\r', '\n'])
        || defused.starts_with(char::is_whitespace)
        || defused.ends_with(char::is_whitespace);
    if needs_quotes {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(columns: &[&str], rows: Vec<Vec<Cell>>) -> Table {
        Table {
            title: "Titel komt niet in de CSV".into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows,
            notes: vec!["Noot komt niet in de CSV".into()],
            ..Table::default()
        }
    }

    /// The CSV without its byte-order mark.
    fn body(t: &Table) -> String {
        let csv = to_csv(t);
        csv.strip_prefix('\u{FEFF}').expect("BOM first").to_owned()
    }

    #[test]
    fn bom_separator_crlf_and_exactly_the_table() {
        let t = table(
            &["Gemeente", "Aantal"],
            vec![
                vec!["Utrecht".into(), 12i64.into()],
                vec!["Zeist".into(), "<5".into()],
            ],
        );
        let csv = to_csv(&t);
        assert!(csv.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]));
        assert_eq!(
            body(&t),
            "Gemeente;Aantal\r\nUtrecht;12\r\nZeist;<5\r\n",
            "title and notes are not in the CSV"
        );
    }

    #[test]
    fn decimal_comma_without_thousands_separators() {
        let t = table(
            &["x"],
            vec![
                vec![12.5.into()],
                vec![(-3.25).into()],
                vec![1234567.5.into()],
                vec![2.0.into()],
                vec![(-0.0).into()],
                vec![1234567i64.into()],
                vec![(-4i64).into()],
                vec![f64::NAN.into()],
            ],
        );
        assert_eq!(
            body(&t),
            "x\r\n12,5\r\n-3,25\r\n1234567,5\r\n2\r\n0\r\n1234567\r\n-4\r\n\r\n"
        );
    }

    #[test]
    fn rfc4180_quoting() {
        let t = table(
            &["a;b", "c"],
            vec![
                vec!["zei \"ja\"".into(), "één;twee".into()],
                vec!["regel 1\r\nregel 2".into(), "lf\nalleen".into()],
                vec![" voor".into(), "achter ".into()],
                vec!["gewoon".into(), "in het midden ok".into()],
                vec!["\"".into(), Cell::Empty],
            ],
        );
        assert_eq!(
            body(&t),
            "\"a;b\";c\r\n\
             \"zei \"\"ja\"\"\";\"één;twee\"\r\n\
             \"regel 1\r\nregel 2\";\"lf\nalleen\"\r\n\
             \" voor\";\"achter \"\r\n\
             gewoon;in het midden ok\r\n\
             \"\"\"\";\r\n"
        );
    }

    #[test]
    fn formula_injection_is_defused() {
        let t = table(
            &["-kop"],
            vec![
                vec!["=HYPERLINK(\"http://x\")".into()],
                vec!["+31 30 123".into()],
                vec!["-1+1".into()],
                vec!["@SUM(A1)".into()],
                vec!["\tx".into()],
                vec!["\rx".into()],
                vec!["=1;2".into()],
                vec!["<5".into()],
                vec![(-5i64).into()],
                vec![(-2.5).into()],
                vec!["a=b".into()],
            ],
        );
        assert_eq!(
            body(&t),
            "'-kop\r\n\
             \"'=HYPERLINK(\"\"http://x\"\")\"\r\n\
             '+31 30 123\r\n\
             '-1+1\r\n\
             '@SUM(A1)\r\n\
             '\tx\r\n\
             \"'\rx\"\r\n\
             \"'=1;2\"\r\n\
             <5\r\n\
             -5\r\n\
             -2,5\r\n\
             a=b\r\n"
        );
    }

    #[test]
    fn ragged_rows() {
        let t = table(
            &["a", "b", "c"],
            vec![
                vec![1i64.into()],
                vec![],
                vec![1i64.into(), 2i64.into(), 3i64.into(), 4i64.into()],
            ],
        );
        assert_eq!(body(&t), "a;b;c\r\n1;;\r\n;;\r\n1;2;3;4\r\n");
    }

    #[test]
    fn empty_table() {
        assert_eq!(to_csv(&Table::default()), "\u{FEFF}\r\n");
    }
}
