//! The decision letter as **PDF** (A4), written with `pdf-writer` (typst): the standard
//! Helvetica and Helvetica-Bold fonts (not embedded; every PDF reader has them) in
//! WinAnsiEncoding, so ë, é, ï and € print; lines are wrapped with the fonts' glyph widths
//! ([`width`]), pages break when the text is long, and every page carries "Pagina n van m"
//! and the kenmerk. The same letter gives the same bytes (no clock, no random file id), so
//! the stored hash of a letter can be checked.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::letter::Letter;

/// Glyph widths (1/1000 em) of WinAnsiEncoding codes 32…255.
///
/// Source: Adobe's Core 14 AFM files `Helvetica.afm` and `Helvetica-Bold.afm` (version
/// 003.001, 1999), as carried by GNU groff's `font/devps/HR` and `HB` (generated from those
/// AFM files by afmtodit; `unitwidth 1000`), mapped to WinAnsiEncoding (PDF 32000-1:2008,
/// annex D.2) by glyph name. Codes WinAnsi leaves undefined (0x7F, 0x81, 0x8D, 0x8F, 0x90,
/// 0x9D) have width 0 and are never written ([`encode`] maps nothing to them).
mod widths {
    pub(crate) const HELVETICA: [u16; 224] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
        278, // 0x20
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
        556, // 0x30
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
        778, // 0x40
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
        556, // 0x50
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
        556, // 0x60
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0, // 0x70
        556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
        0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, // 0x90
        278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737,
        333, // 0xa0
        400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834,
        611, // 0xb0
        667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278,
        278, // 0xc0
        722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
        611, // 0xd0
        556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278,
        278, // 0xe0
        556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556,
        500, // 0xf0
    ];
    pub(crate) const HELVETICA_BOLD: [u16; 224] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278,
        278, // 0x20
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584,
        611, // 0x30
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722,
        778, // 0x40
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584,
        556, // 0x50
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611,
        611, // 0x60
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0, // 0x70
        556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
        0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, // 0x90
        278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737,
        333, // 0xa0
        400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834,
        611, // 0xb0
        722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278,
        278, // 0xc0
        722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
        611, // 0xd0
        556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278,
        278, // 0xe0
        611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611,
        556, // 0xf0
    ];
}

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
}

/// One character in WinAnsiEncoding: ASCII and Latin-1 as themselves, the typographic
/// characters of 0x80–0x9F (€, quotes, dashes, bullet, …) by the table; anything else `?`.
pub fn encode_char(c: char) -> u8 {
    let u = c as u32;
    match u {
        0x20..=0x7E | 0xA0..=0xFF => u as u8,
        _ => match c {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            '≤' | '≥' | '→' => b'?',
            '\t' | '\n' | '\r' => b' ',
            _ => b'?',
        },
    }
}

/// A text in WinAnsiEncoding ([`encode_char`] per character).
pub fn encode(text: &str) -> Vec<u8> {
    text.chars().map(encode_char).collect()
}

/// The width of `text` in points at `size`.
pub fn width(text: &str, face: Face, size: f32) -> f32 {
    let table = match face {
        Face::Regular => &widths::HELVETICA,
        Face::Bold => &widths::HELVETICA_BOLD,
    };
    let units: u32 = encode(text)
        .iter()
        .map(|&b| u32::from(table[usize::from(b.max(32)) - 32]))
        .sum();
    units as f32 * size / 1000.0
}

/// `text` broken into lines no wider than `max` points (at word boundaries; a word longer
/// than a line is broken between characters).
pub fn wrap(text: &str, face: Face, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, face, size) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone; too long for any line: break it.
        let mut part = String::new();
        for ch in word.chars() {
            part.push(ch);
            if width(&part, face, size) > max && part.chars().count() > 1 {
                part.pop();
                lines.push(std::mem::take(&mut part));
                part.push(ch);
            }
        }
        line = part;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 in points.
pub const PAGE_HEIGHT: f32 = 841.89;
const LEFT: f32 = 72.0;
const RIGHT: f32 = 72.0;
const TOP: f32 = 60.0;
const BOTTOM: f32 = 72.0;
const BODY: f32 = 10.5;
const LEADING: f32 = 14.5;

/// One line placed on a page.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    x: f32,
    y: f32,
    face: Face,
    size: f32,
    gray: f32,
    text: String,
}

/// Lays lines out top to bottom, starting a new page when the next block does not fit.
struct Layout {
    pages: Vec<Vec<Placed>>,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            pages: vec![Vec::new()],
            y: PAGE_HEIGHT - TOP,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = PAGE_HEIGHT - TOP;
    }

    /// Place a wrapped paragraph; `keep` more lines must fit after its first line (a heading
    /// stays with the text it heads).
    fn paragraph(&mut self, text: &str, face: Face, size: f32, indent: f32, keep: usize) {
        let (prefix, body, hang) = match text.strip_prefix("• ") {
            Some(rest) => ("•", rest, 12.0),
            None => ("", text, 0.0),
        };
        let max = PAGE_WIDTH - LEFT - RIGHT - indent - hang;
        let lines = wrap(body, face, size, max);
        let leading = size * LEADING / BODY;
        for (i, line) in lines.iter().enumerate() {
            let need = if i == 0 { 1 + keep.min(3) } else { 1 };
            if self.y - leading * (need as f32) < BOTTOM {
                self.new_page();
            }
            let page = self.pages.last_mut().expect("a page");
            if i == 0 && !prefix.is_empty() {
                page.push(Placed {
                    x: LEFT + indent,
                    y: self.y,
                    face,
                    size,
                    gray: 0.0,
                    text: prefix.to_owned(),
                });
            }
            page.push(Placed {
                x: LEFT + indent + hang,
                y: self.y,
                face,
                size,
                gray: 0.0,
                text: line.clone(),
            });
            self.y -= leading;
        }
    }

    fn gap(&mut self, pt: f32) {
        self.y -= pt;
    }

    fn at(&mut self, x: f32, y: f32, face: Face, size: f32, gray: f32, text: &str) {
        self.pages.last_mut().expect("a page").push(Placed {
            x,
            y,
            face,
            size,
            gray,
            text: text.to_owned(),
        });
    }
}

/// The letter as PDF bytes: A4, letterhead and contact on the first page, the addressee
/// where a window envelope shows it, date, kenmerk and subject, the body, the closing, and
/// "Pagina n van m" with the kenmerk at the foot of every page.
pub fn render(letter: &Letter) -> Vec<u8> {
    let mut l = Layout::new();
    // Letterhead: organisation (bold) and postal address left; contact right-aligned.
    let top = PAGE_HEIGHT - TOP;
    let mut y = top;
    for (i, line) in letter.afzender.iter().enumerate() {
        let (face, size) = if i == 0 {
            (Face::Bold, 12.0)
        } else {
            (Face::Regular, 9.0)
        };
        for part in wrap(line, face, size, 300.0) {
            l.at(LEFT, y, face, size, if i == 0 { 0.0 } else { 0.3 }, &part);
            y -= size + 3.0;
        }
    }
    let mut cy = top;
    for line in &letter.contact {
        let w = width(line, Face::Regular, 9.0);
        l.at(PAGE_WIDTH - RIGHT - w, cy, Face::Regular, 9.0, 0.3, line);
        cy -= 12.0;
    }
    // Addressee: 50 mm from the top (a window envelope, NEN 1026).
    l.y = y.min(cy).min(PAGE_HEIGHT - 50.0 * 72.0 / 25.4);
    for line in &letter.geadresseerde {
        l.paragraph(line, Face::Regular, BODY, 0.0, 0);
    }
    l.gap(28.0);
    for (label, value) in [
        ("Datum", letter.datum_voluit.as_str()),
        ("Kenmerk", letter.kenmerk.as_str()),
    ] {
        l.at(LEFT, l.y, Face::Bold, 9.0, 0.3, label);
        l.at(LEFT + 70.0, l.y, Face::Regular, BODY, 0.0, value);
        l.gap(LEADING);
    }
    l.at(LEFT, l.y, Face::Bold, 9.0, 0.3, "Onderwerp");
    let lines = wrap(
        &letter.onderwerp,
        Face::Regular,
        BODY,
        PAGE_WIDTH - LEFT - RIGHT - 70.0,
    );
    for line in lines {
        l.at(LEFT + 70.0, l.y, Face::Regular, BODY, 0.0, &line);
        l.gap(LEADING);
    }
    l.gap(18.0);
    l.paragraph(&letter.aanhef, Face::Regular, BODY, 0.0, 0);
    l.gap(6.0);
    for s in &letter.secties {
        if let Some(k) = &s.kop {
            l.gap(6.0);
            l.paragraph(k, Face::Bold, 11.0, 0.0, 2);
            l.gap(2.0);
        }
        for a in &s.alineas {
            let indent = if a.starts_with("• ") { 6.0 } else { 0.0 };
            l.paragraph(a, Face::Regular, BODY, indent, 0);
            l.gap(if a.starts_with("• ") { 1.0 } else { 5.0 });
        }
    }
    l.gap(10.0);
    let closing = letter.afsluiting.len();
    for (i, line) in letter.afsluiting.iter().enumerate() {
        l.paragraph(line, Face::Regular, BODY, 0.0, closing - i - 1);
        if i == 0 {
            l.gap(24.0);
        }
    }
    write_pdf(&l.pages, letter)
}

fn write_pdf(pages: &[Vec<Placed>], letter: &Letter) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let n = pages.len();
    let page_ids: Vec<Ref> = (0..n).map(|i| Ref::new(6 + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(n as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(&format!(
            "Besluit op uw aanvraag, kenmerk {}",
            letter.kenmerk
        )))
        .producer(TextStr("Vangnet"));
    for (i, placed) in pages.iter().enumerate() {
        let id = page_ids[i];
        let content_id = Ref::new(id.get() + 1);
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut res = page.resources();
        res.fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
        res.finish();
        page.finish();
        let mut c = Content::new();
        let footer = format!("Kenmerk {}  ·  Pagina {} van {n}", letter.kenmerk, i + 1);
        let fw = width(&footer, Face::Regular, 8.0);
        let footer = Placed {
            x: (PAGE_WIDTH - fw) / 2.0,
            y: BOTTOM - 30.0,
            face: Face::Regular,
            size: 8.0,
            gray: 0.4,
            text: footer,
        };
        for p in placed.iter().chain(std::iter::once(&footer)) {
            c.begin_text();
            c.set_fill_gray(p.gray);
            c.set_font(
                Name(match p.face {
                    Face::Regular => b"F1",
                    Face::Bold => b"F2",
                }),
                p.size,
            );
            c.next_line(p.x, p.y);
            c.show(Str(&encode(&p.text)));
            c.end_text();
        }
        pdf.stream(content_id, &c.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests;
