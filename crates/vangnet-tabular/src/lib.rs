//! Vangnet's table export: a [`Table`] of figures becomes a CSV file in the dialect Dutch
//! Excel opens with a double click ([`to_csv`]) or an Office Open XML workbook ([`to_xlsx`]),
//! for municipal staff working in Excel or LibreOffice.
//!
//! Architecture invariant: this crate does no I/O. Both writers are functions from a table to
//! bytes; the caller decides where the bytes go (an HTTP response, a file). The CSV is ours
//! (the Dutch dialect and the formula guard are the point); the workbook is written by
//! `rust_xlsxwriter` into a buffer, with a fixed creation date, so the same tables always give
//! the same bytes.
//!
//! Small-number suppression is the caller's job: a suppressed figure is a
//! [`Cell::Withheld`] holding only what may be published (`<5` and the words "kleiner dan 5"),
//! so the writers never see (and can never leak) the real value. The CSV shows the short form;
//! the workbook leaves the cell empty, so every filled cell of a number column is a number,
//! and explains it in a `Toelichting` column.

#![forbid(unsafe_code)]

mod csv;
mod xlsx;

pub use csv::to_csv;
pub use xlsx::to_xlsx;

/// A table of figures: a title, column headers, rows of cells and explanatory notes.
///
/// Rows may be shorter than `columns` (the missing cells are empty) or longer (the extra cells
/// are written under an empty header). The title and the notes appear in the workbook, not in
/// the CSV, which holds exactly the header row and the data rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The title: row 1 of the worksheet and the source of its sheet name.
    pub title: String,
    /// The sheet name, if not derived from the title (made valid and unique the same way).
    pub sheet: String,
    /// Lines below the title in the workbook, one per row (an export's filter); not in the CSV.
    pub preamble: Vec<String>,
    /// The column headers.
    pub columns: Vec<String>,
    /// The data rows, one `Vec<Cell>` per row, in column order.
    pub rows: Vec<Vec<Cell>>,
    /// Explanatory notes (sources, definitions, suppression rules), one per line, written
    /// below the data in the workbook.
    pub notes: Vec<String>,
}

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// No value.
    #[default]
    Empty,
    /// Text, written as text (never as a formula). Also used for suppressed figures (`"<5"`).
    Text(String),
    /// A whole number.
    Int(i64),
    /// A decimal number. Non-finite values (NaN, infinities) are written as empty cells.
    Number(f64),
    /// A figure withheld from publication (small-number suppression): `shown` is its published
    /// short form (`<5`, `≥129`, `—`), written in the CSV; `note` says the same in words
    /// (`kleiner dan 5`). The workbook leaves the cell empty and writes the note, headed by the
    /// column, in the row's `Toelichting` column.
    Withheld {
        /// The short form, as on screen.
        shown: String,
        /// The explanation in words.
        note: String,
    },
}

impl From<&str> for Cell {
    /// A text cell.
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    /// A text cell.
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    /// A whole-number cell.
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

impl From<i32> for Cell {
    /// A whole-number cell.
    fn from(n: i32) -> Self {
        Cell::Int(i64::from(n))
    }
}

impl From<u32> for Cell {
    /// A whole-number cell.
    fn from(n: u32) -> Self {
        Cell::Int(i64::from(n))
    }
}

impl From<f64> for Cell {
    /// A decimal-number cell.
    fn from(x: f64) -> Self {
        Cell::Number(x)
    }
}

impl From<Option<i64>> for Cell {
    /// A whole-number cell, or an empty cell for `None`.
    fn from(n: Option<i64>) -> Self {
        n.map_or(Cell::Empty, Cell::Int)
    }
}

impl From<Option<f64>> for Cell {
    /// A decimal-number cell, or an empty cell for `None`.
    fn from(x: Option<f64>) -> Self {
        x.map_or(Cell::Empty, Cell::Number)
    }
}

/// A finite number in plain decimal notation with a `.` separator (no exponent, no thousands
/// separators, the shortest digits that read back as the same `f64`); `None` for NaN and
/// infinities. Negative zero is written as `0`.
pub(crate) fn number_text(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    if x == 0.0 {
        return Some("0".to_owned());
    }
    Some(x.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(Cell::from("<5"), Cell::Text("<5".into()));
        assert_eq!(Cell::from(String::from("a")), Cell::Text("a".into()));
        assert_eq!(Cell::from(7i64), Cell::Int(7));
        assert_eq!(Cell::from(7i32), Cell::Int(7));
        assert_eq!(Cell::from(7u32), Cell::Int(7));
        assert_eq!(Cell::from(1.5), Cell::Number(1.5));
        assert_eq!(Cell::from(Some(3i64)), Cell::Int(3));
        assert_eq!(Cell::from(None::<i64>), Cell::Empty);
        assert_eq!(Cell::from(None::<f64>), Cell::Empty);
        assert_eq!(Cell::default(), Cell::Empty);
    }

    #[test]
    fn numbers_are_plain_decimals() {
        assert_eq!(number_text(12.5).as_deref(), Some("12.5"));
        assert_eq!(number_text(-0.0).as_deref(), Some("0"));
        assert_eq!(number_text(3.0).as_deref(), Some("3"));
        assert_eq!(number_text(1e20).as_deref(), Some("100000000000000000000"));
        assert_eq!(number_text(1.5e-7).as_deref(), Some("0.00000015"));
        assert_eq!(number_text(f64::NAN), None);
        assert_eq!(number_text(f64::INFINITY), None);
    }
}
