//! Office Open XML workbooks (`.xlsx`) written by hand: one worksheet per [`Table`], with
//! inline strings (no shared-strings part), a bold title and header row, a frozen pane below
//! the header, column widths from the contents and the notes below the data.
//!
//! The parts are packed by [`crate::zip`] as stored entries with a fixed date, so the same
//! tables always give the same bytes.

use std::borrow::Cow;

use crate::{Cell, Table, number_text, zip};

/// Excel's limit on the length of a sheet name, in UTF-16 code units.
const MAX_SHEET_NAME: usize = 31;
/// Excel's limit on the length of a cell's text, in UTF-16 code units.
const MAX_CELL_TEXT: usize = 32_767;
/// Column widths, in characters of the default font.
const MIN_COL_WIDTH: usize = 8;
const MAX_COL_WIDTH: usize = 60;

/// Style indices into `cellXfs` of [`STYLES`].
const STYLE_HEADER: u8 = 1;
const STYLE_TITLE: u8 = 2;

/// The sheet row of the title, the header and the first data row (1-based, row 2 stays empty).
const TITLE_ROW: usize = 1;
const HEADER_ROW: usize = 3;
const FIRST_DATA_ROW: usize = 4;

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";
const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// The workbook as `.xlsx` bytes: one worksheet per table, in order.
///
/// Each worksheet has the title in row 1 (bold), an empty row 2, the column headers in row 3
/// (bold, with the pane frozen below it), the data rows from row 4, then an empty row and the
/// notes, one per row in column A. Numbers are numeric cells (NaN and infinities are left
/// empty); text is always an inline string, never a formula, so `<5` stays text. Text longer
/// than Excel's limit of 32 767 characters is cut off there.
///
/// Sheet names come from the titles, made valid for Excel: at most 31 characters, `[` `]`
/// become `(` `)`, `:` `*` `?` `/` `\` become `-`, no leading or trailing apostrophe, not the
/// reserved name `History`, and unique regardless of case by a suffix ` (2)`, ` (3)`, …
/// An empty title gives `Blad1`, `Blad2`, … by position. An empty slice gives a workbook with
/// one empty sheet `Blad1`, since a workbook needs at least one sheet.
///
/// The result is deterministic (no timestamps). Excel's own limits of 1 048 576 rows and
/// 16 384 columns are not checked.
///
/// # Panics
/// If the workbook would reach 4 GiB (the ZIP container is written without ZIP64).
pub fn to_xlsx(sheets: &[Table]) -> Vec<u8> {
    let placeholder = [Table::default()];
    let sheets = if sheets.is_empty() {
        &placeholder[..]
    } else {
        sheets
    };
    let names = sheet_names(sheets);

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types(sheets.len())),
        ("_rels/.rels".into(), ROOT_RELS.into()),
        ("docProps/app.xml".into(), APP.into()),
        ("docProps/core.xml".into(), CORE.into()),
        ("xl/workbook.xml".into(), workbook(&names)),
        (
            "xl/_rels/workbook.xml.rels".into(),
            workbook_rels(sheets.len()),
        ),
        ("xl/styles.xml".into(), STYLES.into()),
    ];
    for (i, table) in sheets.iter().enumerate() {
        parts.push((
            format!("xl/worksheets/sheet{}.xml", i + 1),
            worksheet(table, i == 0).into_bytes(),
        ));
    }
    zip::stored_zip(&parts)
}

/// `[Content_Types].xml`: the content type of every part.
fn content_types(sheet_count: usize) -> Vec<u8> {
    let mut x = String::from(XML_DECL);
    x.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
    );
    for i in 1..=sheet_count {
        x.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
    }
    x.push_str("</Types>");
    x.into_bytes()
}

/// `_rels/.rels`: the package's relationships to the workbook and the document properties.
const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

/// `docProps/app.xml`: the extended properties (the producing application).
const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
<Application>Vangnet</Application></Properties>";

/// `docProps/core.xml`: the core properties. No creation date, so the output is deterministic.
const CORE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:creator>Vangnet</dc:creator></cp:coreProperties>";

/// `xl/styles.xml`: cell format 0 is the default, 1 bold (header), 2 bold and larger (title).
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"3\">\
<font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
<font><b/><sz val=\"14\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
</fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"3\">\
<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
</cellXfs>\
<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
</styleSheet>";

/// `xl/workbook.xml`: the sheets with their (escaped) names.
fn workbook(names: &[String]) -> Vec<u8> {
    let mut x = String::from(XML_DECL);
    x.push_str(&format!(
        "<workbook xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_REL}\">\
         <bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
    ));
    for (i, name) in names.iter().enumerate() {
        let n = i + 1;
        x.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>",
            escape(name)
        ));
    }
    x.push_str("</sheets></workbook>");
    x.into_bytes()
}

/// `xl/_rels/workbook.xml.rels`: `rId1`…`rIdN` the worksheets, `rIdN+1` the styles.
fn workbook_rels(sheet_count: usize) -> Vec<u8> {
    let mut x = String::from(XML_DECL);
    x.push_str(&format!("<Relationships xmlns=\"{NS_PKG_REL}\">"));
    for n in 1..=sheet_count {
        x.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"{NS_REL}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
    }
    x.push_str(&format!(
        "<Relationship Id=\"rId{}\" Type=\"{NS_REL}/styles\" Target=\"styles.xml\"/>",
        sheet_count + 1
    ));
    x.push_str("</Relationships>");
    x.into_bytes()
}

/// `xl/worksheets/sheetN.xml` for one table; `selected` marks the tab shown on opening.
fn worksheet(table: &Table, selected: bool) -> String {
    let mut x = String::from(XML_DECL);
    x.push_str(&format!(
        "<worksheet xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_REL}\">"
    ));

    let first_data = cell_ref(0, FIRST_DATA_ROW);
    x.push_str(&format!(
        "<sheetViews><sheetView{} workbookViewId=\"0\">\
         <pane ySplit=\"{HEADER_ROW}\" topLeftCell=\"{first_data}\" activePane=\"bottomLeft\" state=\"frozen\"/>\
         <selection pane=\"bottomLeft\" activeCell=\"{first_data}\" sqref=\"{first_data}\"/>\
         </sheetView></sheetViews>",
        if selected { " tabSelected=\"1\"" } else { "" }
    ));
    x.push_str("<sheetFormatPr defaultRowHeight=\"15\"/>");

    let widths = column_widths(table);
    if !widths.is_empty() {
        x.push_str("<cols>");
        for (i, w) in widths.iter().enumerate() {
            let n = i + 1;
            x.push_str(&format!(
                "<col min=\"{n}\" max=\"{n}\" width=\"{w}\" customWidth=\"1\"/>"
            ));
        }
        x.push_str("</cols>");
    }

    x.push_str("<sheetData>");
    if !table.title.is_empty() {
        row(
            &mut x,
            TITLE_ROW,
            [(&Cell::Text(table.title.clone()), STYLE_TITLE)],
        );
    }
    if !table.columns.is_empty() {
        let headers: Vec<Cell> = table
            .columns
            .iter()
            .map(|c| Cell::Text(c.clone()))
            .collect();
        row(
            &mut x,
            HEADER_ROW,
            headers.iter().map(|c| (c, STYLE_HEADER)),
        );
    }
    for (i, cells) in table.rows.iter().enumerate() {
        row(&mut x, FIRST_DATA_ROW + i, cells.iter().map(|c| (c, 0)));
    }
    let first_note = FIRST_DATA_ROW + table.rows.len() + 1;
    for (i, note) in table.notes.iter().enumerate() {
        row(&mut x, first_note + i, [(&Cell::Text(note.clone()), 0)]);
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// Writes `<row r="…">` with its non-empty cells from column A on; nothing if all are empty.
fn row<'a>(x: &mut String, r: usize, cells: impl IntoIterator<Item = (&'a Cell, u8)>) {
    let mut body = String::new();
    for (col, (cell, style)) in cells.into_iter().enumerate() {
        write_cell(&mut body, col, r, cell, style);
    }
    if !body.is_empty() {
        x.push_str(&format!("<row r=\"{r}\">{body}</row>"));
    }
}

/// Writes one `<c>` element; empty cells, empty texts and non-finite numbers are omitted.
fn write_cell(x: &mut String, col: usize, r: usize, cell: &Cell, style: u8) {
    let reference = cell_ref(col, r);
    let s = if style == 0 {
        String::new()
    } else {
        format!(" s=\"{style}\"")
    };
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            let text = truncate_utf16(text, MAX_CELL_TEXT);
            if text.is_empty() {
                return;
            }
            let preserve = if text.trim() != text || text.contains(['\n', '\r', '\t']) {
                " xml:space=\"preserve\""
            } else {
                ""
            };
            x.push_str(&format!(
                "<c r=\"{reference}\"{s} t=\"inlineStr\"><is><t{preserve}>{}</t></is></c>",
                escape(&escape_ooxml_underscores(text))
            ));
        }
        Cell::Int(n) => x.push_str(&format!("<c r=\"{reference}\"{s}><v>{n}</v></c>")),
        Cell::Number(v) => {
            if let Some(v) = number_text(*v) {
                x.push_str(&format!("<c r=\"{reference}\"{s}><v>{v}</v></c>"));
            }
        }
    }
}

/// A cell reference like `A1`, `AB12` from a 0-based column and a 1-based row.
fn cell_ref(col: usize, row: usize) -> String {
    format!("{}{row}", column_letters(col))
}

/// The column name of a 0-based column index: `A`…`Z`, `AA`…`ZZ`, `AAA`…
fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
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
    let mut longest = vec![0usize; count];
    for (i, header) in table.columns.iter().enumerate() {
        longest[i] = longest[i].max(text_width(header));
    }
    for cells in &table.rows {
        for (i, cell) in cells.iter().enumerate() {
            let w = match cell {
                Cell::Empty => 0,
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
        let mut base = clean_sheet_name(&table.title);
        if base.is_empty() {
            base = format!("Blad{}", i + 1);
        }
        let mut name = base.clone();
        let mut n = 2;
        while used.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            let room = MAX_SHEET_NAME - suffix.len();
            name = format!("{}{suffix}", truncate_utf16(&base, room).trim_end());
            n += 1;
        }
        used.push(name.to_lowercase());
        names.push(name);
    }
    names
}

/// A title made into a valid sheet name (possibly empty): forbidden characters replaced,
/// control characters as spaces, at most [`MAX_SHEET_NAME`] UTF-16 units, trimmed of white
/// space and apostrophes.
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
    let trim = |s: &str| {
        s.trim_matches(|c: char| c.is_whitespace() || c == '\'')
            .to_owned()
    };
    trim(truncate_utf16(&trim(&mapped), MAX_SHEET_NAME))
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

/// Text escaped for XML element content and attribute values: `&`, `<`, `>`, `"` and `'` as
/// entities; characters XML 1.0 does not allow are dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if xml_allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Spreadsheet text reads `_xHHHH_` as an escaped character (ECMA-376 `ST_Xstring`); a
/// literal occurrence is kept literal by escaping its underscore as `_x005F_`.
fn escape_ooxml_underscores(s: &str) -> Cow<'_, str> {
    if !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        let escaped_char = c == '_'
            && b.len() >= i + 7
            && b[i + 1] == b'x'
            && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit)
            && b[i + 6] == b'_';
        if escaped_char {
            out.push_str("_x005F_");
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One entry of a ZIP archive as read back by [`read_zip`].
    struct Entry {
        name: String,
        data: Vec<u8>,
    }

    fn u16_at(z: &[u8], p: usize) -> u16 {
        u16::from_le_bytes([z[p], z[p + 1]])
    }

    fn u32_at(z: &[u8], p: usize) -> u32 {
        u32::from_le_bytes([z[p], z[p + 1], z[p + 2], z[p + 3]])
    }

    /// CRC-32 by its bitwise definition, independent of the table-driven writer.
    fn crc_bitwise(data: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    /// A strict little ZIP reader: walks the central directory from the end record, checks
    /// that each local header agrees with its central entry, that entries are stored, tightly
    /// packed and carry the right CRC, and returns them in order.
    fn read_zip(z: &[u8]) -> Vec<Entry> {
        assert!(z.len() >= 22);
        let eocd = z.len() - 22; // no archive comment
        assert_eq!(u32_at(z, eocd), 0x0605_4b50, "end of central directory");
        assert_eq!(u16_at(z, eocd + 4), 0, "disk number");
        assert_eq!(u16_at(z, eocd + 6), 0, "central directory disk");
        let count = u16_at(z, eocd + 8);
        assert_eq!(u16_at(z, eocd + 10), count, "entries on disk = total");
        let cd_size = u32_at(z, eocd + 12) as usize;
        let cd_offset = u32_at(z, eocd + 16) as usize;
        assert_eq!(u16_at(z, eocd + 20), 0, "comment length");
        assert_eq!(
            cd_offset + cd_size,
            eocd,
            "central directory ends at the end record"
        );

        let mut entries = Vec::new();
        let mut p = cd_offset;
        let mut next_local = 0;
        for _ in 0..count {
            assert_eq!(u32_at(z, p), 0x0201_4b50, "central header signature");
            let needed = u16_at(z, p + 6);
            let flags = u16_at(z, p + 8);
            let method = u16_at(z, p + 10);
            let time = u16_at(z, p + 12);
            let date = u16_at(z, p + 14);
            let crc = u32_at(z, p + 16);
            let csize = u32_at(z, p + 20) as usize;
            let usize_ = u32_at(z, p + 24) as usize;
            let name_len = u16_at(z, p + 28) as usize;
            let extra_len = u16_at(z, p + 30) as usize;
            let comment_len = u16_at(z, p + 32) as usize;
            let local = u32_at(z, p + 42) as usize;
            let name = &z[p + 46..p + 46 + name_len];
            p += 46 + name_len + extra_len + comment_len;

            assert_eq!(method, 0, "stored");
            assert_eq!(csize, usize_, "stored: sizes equal");
            assert_eq!((time, date), (0, 0x21), "1980-01-01 00:00");
            assert_eq!(local, next_local, "entries tightly packed in order");

            assert_eq!(u32_at(z, local), 0x0403_4b50, "local header signature");
            assert_eq!(u16_at(z, local + 4), needed);
            assert_eq!(u16_at(z, local + 6), flags);
            assert_eq!(u16_at(z, local + 8), method);
            assert_eq!(u16_at(z, local + 10), time);
            assert_eq!(u16_at(z, local + 12), date);
            assert_eq!(u32_at(z, local + 14), crc);
            assert_eq!(u32_at(z, local + 18) as usize, csize);
            assert_eq!(u32_at(z, local + 22) as usize, usize_);
            let local_name_len = u16_at(z, local + 26) as usize;
            let local_extra_len = u16_at(z, local + 28) as usize;
            assert_eq!(&z[local + 30..local + 30 + local_name_len], name);
            let start = local + 30 + local_name_len + local_extra_len;
            let data = &z[start..start + csize];
            assert_eq!(
                crc_bitwise(data),
                crc,
                "CRC of {}",
                String::from_utf8_lossy(name)
            );
            next_local = start + csize;

            entries.push(Entry {
                name: String::from_utf8(name.to_vec()).expect("ASCII name"),
                data: data.to_vec(),
            });
        }
        assert_eq!(
            next_local, cd_offset,
            "central directory follows the last entry"
        );
        assert_eq!(p, eocd, "central directory fully walked");
        entries
    }

    /// A small well-formedness check: one XML declaration, then one root element with
    /// balanced tags, quoted attributes, only known entities and only XML 1.0 characters.
    fn check_well_formed(xml: &str) {
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\""));
        assert!(xml.chars().all(xml_allowed), "only XML 1.0 characters");
        let mut stack: Vec<&str> = Vec::new();
        let mut roots = 0;
        let mut rest = xml;
        loop {
            let text_end = rest.find('<').unwrap_or(rest.len());
            check_text(&rest[..text_end]);
            if stack.is_empty() {
                assert!(rest[..text_end].trim().is_empty(), "text outside the root");
            }
            if text_end == rest.len() {
                break;
            }
            let tag_end = text_end + rest[text_end..].find('>').expect("tag closed");
            let tag = &rest[text_end + 1..tag_end];
            rest = &rest[tag_end + 1..];
            if let Some(pi) = tag.strip_prefix('?') {
                assert!(pi.ends_with('?') && stack.is_empty() && roots == 0);
            } else if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "closing tag matches");
            } else {
                let self_closing = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let name = tag.split_whitespace().next().expect("tag name");
                assert!(!name.is_empty() && !tag.contains('<'));
                assert_eq!(tag.matches('"').count() % 2, 0, "attributes quoted: {tag}");
                check_text(tag);
                if stack.is_empty() {
                    roots += 1;
                }
                if !self_closing {
                    stack.push(name);
                }
            }
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        assert_eq!(roots, 1, "one root element");
    }

    /// Every `&` starts a known entity.
    fn check_text(text: &str) {
        assert!(!text.contains('>'), "no stray '>' in text");
        for (i, _) in text.match_indices('&') {
            let rest = &text[i..];
            let known = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| rest.starts_with(e));
            assert!(known, "unknown entity at {rest:.12}");
        }
    }

    /// The `<c r="…">…</c>` element of a cell in a sheet, if written.
    fn cell<'a>(sheet: &'a str, reference: &str) -> Option<&'a str> {
        let start = sheet.find(&format!("<c r=\"{reference}\""))?;
        let end = start + sheet[start..].find("</c>")? + "</c>".len();
        Some(&sheet[start..end])
    }

    /// The text of a named part.
    fn part<'a>(entries: &'a [Entry], name: &str) -> &'a str {
        let e = entries.iter().find(|e| e.name == name).expect(name);
        std::str::from_utf8(&e.data).expect("UTF-8 part")
    }

    fn sample() -> Vec<Table> {
        vec![
            Table {
                title: "Wachtlijst per gemeente".into(),
                columns: vec![
                    "Gemeente".into(),
                    "Wachtenden".into(),
                    "Gem. wachttijd (weken)".into(),
                ],
                rows: vec![
                    vec!["Utrecht".into(), 12i64.into(), 12.5.into()],
                    vec!["Zeist".into(), "<5".into(), Cell::Empty],
                    vec![
                        "A & B <c> \"d\" 'e'\u{1}".into(),
                        (-3i64).into(),
                        f64::NAN.into(),
                    ],
                    vec!["=SOM(A1)".into(), " spatie ".into(), "_x0041_".into()],
                ],
                notes: vec![
                    "Aantallen onder de 5 zijn afgeschermd.".into(),
                    "Bron: Vangnet".into(),
                ],
            },
            Table {
                title: "Bezetting: MO/VO [2025]".into(),
                columns: vec!["Locatie".into(), "Plaatsen".into()],
                rows: vec![vec!["De Haven".into(), 40i64.into()]],
                notes: vec![],
            },
        ]
    }

    #[test]
    fn round_trip_through_a_zip_reader() {
        let bytes = to_xlsx(&sample());
        let entries = read_zip(&bytes);
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "docProps/app.xml",
                "docProps/core.xml",
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                "xl/styles.xml",
                "xl/worksheets/sheet1.xml",
                "xl/worksheets/sheet2.xml",
            ]
        );
        let part = |name: &str| part(&entries, name);
        for e in &entries {
            check_well_formed(part(&e.name));
        }

        let types = part("[Content_Types].xml");
        for p in [
            "/xl/worksheets/sheet1.xml",
            "/xl/worksheets/sheet2.xml",
            "/xl/styles.xml",
        ] {
            assert!(
                types.contains(&format!("PartName=\"{p}\"")),
                "{p} has a content type"
            );
        }
        let rels = part("xl/_rels/workbook.xml.rels");
        assert!(rels.contains("Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet2.xml\""));
        assert!(rels.contains("Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\""));
        let workbook = part("xl/workbook.xml");
        assert!(
            workbook
                .contains("<sheet name=\"Wachtlijst per gemeente\" sheetId=\"1\" r:id=\"rId1\"/>")
        );
        assert!(
            workbook
                .contains("<sheet name=\"Bezetting- MO-VO (2025)\" sheetId=\"2\" r:id=\"rId2\"/>")
        );

        let sheet = part("xl/worksheets/sheet1.xml");
        // Title (bold), empty row 2, header (bold), frozen below the header.
        assert_eq!(
            cell(sheet, "A1"),
            Some("<c r=\"A1\" s=\"2\" t=\"inlineStr\"><is><t>Wachtlijst per gemeente</t></is></c>")
        );
        assert!(!sheet.contains("<row r=\"2\""));
        assert_eq!(
            cell(sheet, "C3"),
            Some("<c r=\"C3\" s=\"1\" t=\"inlineStr\"><is><t>Gem. wachttijd (weken)</t></is></c>")
        );
        assert!(sheet.contains(
            "<pane ySplit=\"3\" topLeftCell=\"A4\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        ));
        // Data: numbers numeric, "<5" text, escaping, empty and NaN cells left out.
        assert_eq!(cell(sheet, "B4"), Some("<c r=\"B4\"><v>12</v></c>"));
        assert_eq!(cell(sheet, "C4"), Some("<c r=\"C4\"><v>12.5</v></c>"));
        assert_eq!(
            cell(sheet, "B5"),
            Some("<c r=\"B5\" t=\"inlineStr\"><is><t>&lt;5</t></is></c>")
        );
        assert_eq!(cell(sheet, "C5"), None);
        assert_eq!(
            cell(sheet, "A6"),
            Some(
                "<c r=\"A6\" t=\"inlineStr\"><is><t>A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;</t></is></c>"
            )
        );
        assert_eq!(cell(sheet, "B6"), Some("<c r=\"B6\"><v>-3</v></c>"));
        assert_eq!(cell(sheet, "C6"), None);
        // Text is never a formula; white space is preserved; literal _xHHHH_ stays literal.
        assert_eq!(
            cell(sheet, "A7"),
            Some("<c r=\"A7\" t=\"inlineStr\"><is><t>=SOM(A1)</t></is></c>")
        );
        assert!(!sheet.contains("<f>"));
        assert_eq!(
            cell(sheet, "B7"),
            Some("<c r=\"B7\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> spatie </t></is></c>")
        );
        assert_eq!(
            cell(sheet, "C7"),
            Some("<c r=\"C7\" t=\"inlineStr\"><is><t>_x005F_x0041_</t></is></c>")
        );
        // Empty row 8, then the notes.
        assert!(!sheet.contains("<row r=\"8\""));
        assert_eq!(
            cell(sheet, "A9"),
            Some(
                "<c r=\"A9\" t=\"inlineStr\"><is><t>Aantallen onder de 5 zijn afgeschermd.</t></is></c>"
            )
        );
        assert!(cell(sheet, "A10").is_some_and(|c| c.contains("Bron: Vangnet")));
        assert!(!sheet.contains("<row r=\"11\""));
        // Widths: longest text + 2, at least 8.
        assert!(sheet.contains(
            "<cols><col min=\"1\" max=\"1\" width=\"20\" customWidth=\"1\"/>\
             <col min=\"2\" max=\"2\" width=\"12\" customWidth=\"1\"/>\
             <col min=\"3\" max=\"3\" width=\"24\" customWidth=\"1\"/></cols>"
        ));
        assert!(sheet.contains("tabSelected=\"1\""));

        let sheet2 = part("xl/worksheets/sheet2.xml");
        assert!(!sheet2.contains("tabSelected"));
        assert_eq!(cell(sheet2, "B4"), Some("<c r=\"B4\"><v>40</v></c>"));
    }

    #[test]
    fn deterministic() {
        assert_eq!(to_xlsx(&sample()), to_xlsx(&sample()));
        assert_eq!(to_xlsx(&[]), to_xlsx(&[]));
    }

    #[test]
    fn empty_workbook_has_one_sheet() {
        let entries = read_zip(&to_xlsx(&[]));
        assert!(entries.iter().any(|e| e.name == "xl/worksheets/sheet1.xml"));
        let workbook = entries
            .iter()
            .find(|e| e.name == "xl/workbook.xml")
            .unwrap();
        let workbook = std::str::from_utf8(&workbook.data).unwrap();
        assert!(workbook.contains("<sheet name=\"Blad1\" sheetId=\"1\" r:id=\"rId1\"/>"));
        for e in &entries {
            check_well_formed(std::str::from_utf8(&e.data).unwrap());
        }
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
        let long = "Gemiddelde verblijfsduur per product en gemeente";
        let names = names_of(&[long]);
        assert_eq!(names[0], "Gemiddelde verblijfsduur per pr");
        assert_eq!(names[0].chars().count(), 31);
        // Cut at 31 UTF-16 units, never inside a character; trailing space trimmed.
        let emoji = format!("{}\u{1F600}x", "a".repeat(30));
        assert_eq!(names_of(&[&emoji])[0], "a".repeat(30));
        assert_eq!(
            names_of(&["Dertig tekens en dan een spati x"])[0],
            "Dertig tekens en dan een spati"
        );
        for name in names_of(&["a:b", "[]", "?", "''", ""]) {
            assert!(
                !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
                "{name}"
            );
            assert!(!name.is_empty() && !name.starts_with('\'') && !name.ends_with('\''));
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
        assert_eq!(names[0], "Gemiddelde verblijfsduur per pr");
        assert_eq!(names[1], "Gemiddelde verblijfsduur pe (2)");
        assert_eq!(names[2], "-");
        assert!(names.iter().all(|n| n.encode_utf16().count() <= 31));
    }

    #[test]
    fn sheet_names_are_escaped_in_the_workbook() {
        let tables = [Table {
            title: "R&D <test> \"x\"".into(),
            ..Table::default()
        }];
        let entries = read_zip(&to_xlsx(&tables));
        let workbook = entries
            .iter()
            .find(|e| e.name == "xl/workbook.xml")
            .unwrap();
        let workbook = std::str::from_utf8(&workbook.data).unwrap();
        assert!(workbook.contains("name=\"R&amp;D &lt;test&gt; &quot;x&quot;\""));
        check_well_formed(workbook);
    }

    #[test]
    fn escaping_and_columns() {
        assert_eq!(
            escape("a&<>\"'\u{0}\u{B}\u{FFFE}\tb\n"),
            "a&amp;&lt;&gt;&quot;&apos;\tb\n"
        );
        assert_eq!(
            escape_ooxml_underscores("_x00e9_ _x12_ _y0000_"),
            "_x005F_x00e9_ _x12_ _y0000_"
        );
        assert_eq!(escape_ooxml_underscores("geen"), "geen");
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16_383), "XFD");
        assert_eq!(cell_ref(2, 10), "C10");
    }

    #[test]
    fn long_texts_are_cut_at_excels_limit() {
        let tables = [Table {
            title: "x".repeat(40_000),
            columns: vec!["y".repeat(100)],
            ..Table::default()
        }];
        let entries = read_zip(&to_xlsx(&tables));
        let sheet = entries
            .iter()
            .find(|e| e.name == "xl/worksheets/sheet1.xml")
            .unwrap();
        let sheet = std::str::from_utf8(&sheet.data).unwrap();
        let a1 = cell(sheet, "A1").unwrap();
        assert_eq!(a1.matches('x').count(), MAX_CELL_TEXT);
        assert!(sheet.contains("width=\"60\""), "width capped");
    }
}
