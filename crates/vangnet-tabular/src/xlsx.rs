//! Office Open XML workbooks (`.xlsx`) written with `rust_xlsxwriter` into a buffer: one
//! worksheet per [`Table`], a bold title and header row, a frozen pane below the header,
//! column widths from the contents and the notes below the data.
//!
//! What is ours is only the layout and the names: valid, unique, readable sheet names from the
//! titles (Excel's 31-character limit cut at a word with `…`), Excel's limits on text length,
//! rows and columns respected. The container, the XML and its escaping are the library's.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::{Cell, Table, number_text};

/// Excel's limit on the length of a sheet name, in UTF-16 code units.
const MAX_SHEET_NAME: usize = 31;
/// Excel's limit on the length of a cell's text, in UTF-16 code units.
const MAX_CELL_TEXT: usize = 32_767;
/// Excel's number of rows and columns in a worksheet.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLS: usize = 16_384;
/// Column widths, in characters of the default font.
const MIN_COL_WIDTH: usize = 8;
const MAX_COL_WIDTH: usize = 60;

/// The sheet row (0-based) of the title, the header and the first data row of a table
/// without preamble: row 2 (Excel's row 2) stays empty. Each preamble line moves the header
/// and the data one row down ([`header_row`]).
const TITLE_ROW: usize = 0;
const HEADER_ROW: usize = 2;
#[cfg(test)]
const FIRST_DATA_ROW: usize = 3;
/// At most this many preamble lines are written.
const MAX_PREAMBLE: usize = 100;
/// The header of the column that explains the withheld cells of a row.
pub const NOTE_COLUMN: &str = "Toelichting";

/// The sheet row (0-based) of the column headers of `table`: below the title, the preamble
/// and an empty row.
fn header_row(table: &Table) -> usize {
    HEADER_ROW + table.preamble.len().min(MAX_PREAMBLE)
}

/// The column (0-based) of the `Toelichting` column, if some cell of the table is withheld:
/// right of the widest row and of the headers.
fn note_column(table: &Table) -> Option<usize> {
    let any = table
        .rows
        .iter()
        .any(|r| r.iter().any(|c| matches!(c, Cell::Withheld { .. })));
    any.then(|| {
        table
            .rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(table.columns.len())
    })
    .filter(|&c| c < MAX_COLS)
}

/// The explanation of a row's withheld cells: `column: note` for each, joined by `; `.
fn row_note(table: &Table, cells: &[Cell]) -> String {
    cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Cell::Withheld { note, .. } => Some(match table.columns.get(i) {
                Some(h) if !h.is_empty() => format!("{h}: {note}"),
                _ => note.clone(),
            }),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The workbook as `.xlsx` bytes: one worksheet per table, in order.
///
/// Each worksheet has the title in row 1 (bold, larger), the preamble lines below it (callers
/// put the filter of an export there, so it is read before the figures), an empty row, the
/// column headers (bold, with the pane frozen below them), the data rows, then an empty row and
/// the notes, one per row in column A. Numbers are numeric cells (NaN and infinities are left
/// empty); text is always a string, never a formula, so `=SOM(A1)` stays text. A withheld cell
/// ([`Cell::Withheld`]) is left empty: its short form is not written at all, and its note,
/// headed by the column (`Beschermd wonen: kleiner dan 5`), goes into a last column
/// `Toelichting` of the row (present only when some cell is withheld). Text longer than Excel's
/// limit of 32 767 characters is cut off there.
///
/// Sheet names come from [`Table::sheet`], or the title when that is empty, made valid for
/// Excel: `[` `]` become `(` `)`, `:` `*` `?`
/// `/` `\` become `-`, no leading or trailing apostrophe, not the reserved name `History`, and
/// unique regardless of case by a suffix ` (2)`, ` (3)`, … A title longer than Excel's 31
/// characters is cut at the last word that fits and ends in `…` (cut inside a word only when
/// no word boundary is in the second half). An empty title gives `Blad1`, `Blad2`, … by
/// position. An empty slice gives a workbook with one empty sheet `Blad1`, since a workbook
/// needs at least one sheet.
///
/// A table larger than a worksheet (1 048 576 rows, 16 384 columns) is cut to fit, and a
/// note row says so (the CSV has the whole table).
///
/// The result is deterministic: the document's creation date is fixed (2000-01-01), the ZIP
/// entries carry a fixed date.
pub fn to_xlsx(sheets: &[Table]) -> Vec<u8> {
    build(sheets).expect("valid by construction: names, text lengths and limits are checked")
}

/// [`to_xlsx`] with the library's errors, which the checks above make unreachable.
fn build(sheets: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let placeholder = [Table::default()];
    let sheets = if sheets.is_empty() {
        &placeholder[..]
    } else {
        sheets
    };
    let names = sheet_names(sheets);

    let mut book = Workbook::new();
    // A fixed creation date, so the same tables always give the same bytes.
    book.set_properties(
        &DocProperties::new()
            .set_author("Vangnet")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new().set_bold();
    for (table, name) in sheets.iter().zip(&names) {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        worksheet(sheet, table, &title, &header)?;
    }
    book.save_to_buffer()
}

/// Writes one table into its worksheet.
fn worksheet(
    sheet: &mut Worksheet,
    table: &Table,
    title: &Format,
    header: &Format,
) -> Result<(), XlsxError> {
    let header_row = header_row(table);
    let first_data_row = header_row + 1;
    let note_col = note_column(table);
    sheet.set_freeze_panes(first_data_row as u32, 0)?;
    for (col, width) in column_widths(table).into_iter().enumerate().take(MAX_COLS) {
        sheet.set_column_width(col as u16, width as f64)?;
    }

    if let Some(text) = cell_text(&table.title) {
        sheet.write_string_with_format(TITLE_ROW as u32, 0, text, title)?;
    }
    for (i, line) in table.preamble.iter().take(MAX_PREAMBLE).enumerate() {
        if let Some(text) = cell_text(line) {
            sheet.write_string((TITLE_ROW + 1 + i) as u32, 0, text)?;
        }
    }
    for (col, name) in table.columns.iter().enumerate().take(MAX_COLS) {
        if let Some(text) = cell_text(name) {
            sheet.write_string_with_format(header_row as u32, col as u16, text, header)?;
        }
    }
    if let Some(c) = note_col {
        sheet.write_string_with_format(header_row as u32, c as u16, NOTE_COLUMN, header)?;
    }

    // Room for the data: below it an empty row, the notes and possibly the note on the cut.
    let room = MAX_ROWS - first_data_row - 1 - table.notes.len().min(MAX_ROWS / 2) - 1;
    let rows = table.rows.len().min(room);
    let widest = table.rows.iter().map(Vec::len).max().unwrap_or(0);
    for (i, cells) in table.rows[..rows].iter().enumerate() {
        let r = (first_data_row + i) as u32;
        if let Some(c) = note_col {
            let note = row_note(table, cells);
            if let Some(text) = cell_text(&note) {
                sheet.write_string(r, c as u16, text)?;
            }
        }
        for (col, cell) in cells.iter().enumerate().take(MAX_COLS) {
            let col = col as u16;
            match cell {
                Cell::Empty | Cell::Withheld { .. } => {}
                Cell::Text(s) => {
                    if let Some(text) = cell_text(s) {
                        sheet.write_string(r, col, text)?;
                    }
                }
                Cell::Int(n) => {
                    sheet.write_number(r, col, *n as f64)?;
                }
                Cell::Number(x) => {
                    if x.is_finite() {
                        sheet.write_number(r, col, *x)?;
                    }
                }
            }
        }
    }

    let mut notes: Vec<&str> = table.notes.iter().map(String::as_str).collect();
    let cut = cut_note(table.rows.len() - rows, widest.saturating_sub(MAX_COLS));
    if let Some(cut) = &cut {
        notes.push(cut);
    }
    let first_note = first_data_row + rows + 1;
    for (i, note) in notes.iter().enumerate() {
        let r = first_note + i;
        if r >= MAX_ROWS {
            break;
        }
        if let Some(text) = cell_text(note) {
            sheet.write_string(r as u32, 0, text)?;
        }
    }
    Ok(())
}

/// The note on a table cut to fit a worksheet, if it was cut.
fn cut_note(rows_left_out: usize, cols_left_out: usize) -> Option<String> {
    let what = match (rows_left_out, cols_left_out) {
        (0, 0) => return None,
        (r, 0) => format!("{r} rijen"),
        (0, c) => format!("{c} kolommen"),
        (r, c) => format!("{r} rijen en {c} kolommen"),
    };
    Some(format!(
        "Let op: de tabel is groter dan een Excel-werkblad; {what} zijn weggelaten. \
         Het CSV-bestand bevat de hele tabel."
    ))
}

/// A text as it goes into a cell: cut at Excel's limit; `None` if empty.
fn cell_text(s: &str) -> Option<&str> {
    let s = truncate_utf16(s, MAX_CELL_TEXT);
    (!s.is_empty()).then_some(s)
}

/// One width per column (header and data, not title or notes, which may spill over): the
/// longest text line plus a margin, between [`MIN_COL_WIDTH`] and [`MAX_COL_WIDTH`].
fn column_widths(table: &Table) -> Vec<usize> {
    let count = table
        .rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(table.columns.len());
    let note_col = note_column(table);
    let mut longest = vec![0usize; count + usize::from(note_col.is_some())];
    for (i, header) in table.columns.iter().enumerate() {
        longest[i] = longest[i].max(text_width(header));
    }
    if let Some(c) = note_col {
        for cells in &table.rows {
            longest[c] = longest[c].max(text_width(&row_note(table, cells)));
        }
    }
    for cells in &table.rows {
        for (i, cell) in cells.iter().enumerate() {
            let w = match cell {
                Cell::Empty => 0,
                // Empty in the workbook; the header says what the column holds.
                Cell::Withheld { .. } => 0,
                Cell::Text(s) => text_width(s),
                Cell::Int(n) => n.to_string().len(),
                Cell::Number(v) => number_text(*v).map_or(0, |s| s.len()),
            };
            longest[i] = longest[i].max(w);
        }
    }
    longest
        .into_iter()
        .map(|w| (w + 2).clamp(MIN_COL_WIDTH, MAX_COL_WIDTH))
        .collect()
}

/// The display width of a text: the characters in its longest line.
fn text_width(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Valid, unique sheet names for the tables, in order (see [`to_xlsx`] for the rules).
pub(crate) fn sheet_names(tables: &[Table]) -> Vec<String> {
    // Excel compares sheet names case-insensitively and reserves "History".
    let mut used: Vec<String> = vec!["history".to_owned()];
    let mut names = Vec::with_capacity(tables.len());
    for (i, table) in tables.iter().enumerate() {
        let source = if table.sheet.is_empty() {
            &table.title
        } else {
            &table.sheet
        };
        let mut base = clean_sheet_name(source);
        if base.is_empty() {
            base = format!("Blad{}", i + 1);
        }
        let mut name = shorten(&base, MAX_SHEET_NAME);
        let mut n = 2;
        while used.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            name = format!("{}{suffix}", shorten(&base, MAX_SHEET_NAME - suffix.len()));
            n += 1;
        }
        used.push(name.to_lowercase());
        names.push(name);
    }
    names
}

/// A title made into a valid sheet name of any length (possibly empty): forbidden characters
/// replaced, control characters as spaces, trimmed of white space and apostrophes.
fn clean_sheet_name(title: &str) -> String {
    let mapped: String = title
        .chars()
        .filter(|&c| xml_allowed(c))
        .map(|c| match c {
            '[' => '(',
            ']' => ')',
            ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    trim_name(&mapped).to_owned()
}

/// A name without leading and trailing white space and apostrophes (Excel refuses those).
fn trim_name(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\'')
}

/// A cleaned name cut to at most `max` UTF-16 units, readably: at the last word boundary that
/// leaves room for `…`, or inside a word when the last boundary is in the first half.
fn shorten(name: &str, max: usize) -> String {
    if name.encode_utf16().count() <= max {
        return name.to_owned();
    }
    let prefix = truncate_utf16(name, max - 1); // `…` is one unit
    let at_word = prefix
        .rfind(' ')
        .filter(|&i| 2 * i >= prefix.len())
        .map_or(prefix, |i| &prefix[..i]);
    let kept = trim_name(at_word);
    let kept = if kept.is_empty() {
        trim_name(prefix)
    } else {
        kept
    };
    format!("{kept}…")
}

/// The longest prefix of `s` of at most `max` UTF-16 code units (Excel counts in those).
fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
}

/// Whether a character may appear in an XML 1.0 document at all.
fn xml_allowed(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests;
