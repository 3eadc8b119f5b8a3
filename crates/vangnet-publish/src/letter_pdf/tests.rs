//! The PDF: structure (header, xref offsets, trailer), WinAnsi text, widths, wrapping, pages.

use super::*;
use crate::letter::Section;

fn sample(paragraphs: usize) -> Letter {
    Letter {
        kenmerk: "SDD-BW-2026-P00000042-3".into(),
        datum: "2026-03-20".into(),
        datum_voluit: "20 maart 2026".into(),
        afzender: vec!["Sociale Dienst Drechtsteden".into(), "Postbus 1000".into()],
        contact: vec!["Telefoon 078 000 1000".into(), "E-mail toegang@x.example".into()],
        geadresseerde: vec!["Noëlle Hoëvenaar".into(), "per adres van de toegang".into()],
        onderwerp: "Besluit op uw aanvraag: u krijgt beschermd wonen".into(),
        aanhef: "Beste Noëlle Hoëvenaar,".into(),
        secties: vec![Section {
            kop: Some("Ons besluit".into()),
            alineas: (0..paragraphs)
                .map(|i| format!("• Alinea {i}: een café, een reünie en een ruïne — € 12,50 per dag; dit is een lange zin die over meer dan één regel moet worden afgebroken om de breedte te testen."))
                .collect(),
        }],
        afsluiting: vec!["Met vriendelijke groet,".into(), "M. de Vries".into()],
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Every `n 0 obj` offset the xref table names, checked against the bytes; returns the
/// number of objects.
fn check_xref(pdf: &[u8]) -> usize {
    let sx = rfind(pdf, b"startxref").expect("startxref");
    let tail = std::str::from_utf8(&pdf[sx..]).expect("the trailer is ASCII");
    let off: usize = tail[9..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        pdf[off..].starts_with(b"xref"),
        "startxref points at the xref table"
    );
    let table = std::str::from_utf8(&pdf[off..]).expect("xref and trailer are ASCII");
    let mut lines = table.lines().skip(1);
    let header: Vec<usize> = lines
        .next()
        .unwrap()
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    let (first, count) = (header[0], header[1]);
    assert_eq!(first, 0);
    for i in 0..count {
        let entry = lines.next().unwrap();
        let parts: Vec<&str> = entry.split_whitespace().collect();
        if parts[2] == "n" {
            let at: usize = parts[0].parse().unwrap();
            let expect = format!("{i} 0 obj");
            assert!(
                pdf[at..].starts_with(expect.as_bytes()),
                "xref entry {i} points at {at}, not at '{expect}'"
            );
        }
    }
    assert!(table.contains(&format!("/Size {count}")));
    count
}

/// `text` as pdf-writer writes a string holding bytes above 0x7F: upper-case hex.
fn hex(text: &str) -> Vec<u8> {
    encode(text)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<String>()
        .into_bytes()
}

#[test]
fn the_pdf_is_structurally_sound_and_deterministic() {
    let pdf = render(&sample(3));
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
    assert!(check_xref(&pdf) >= 8);
    assert_eq!(pdf, render(&sample(3)), "same letter, same bytes");
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/BaseFont /Helvetica\n"));
    assert!(text.contains("/BaseFont /Helvetica-Bold"));
    assert!(text.contains("/Encoding /WinAnsiEncoding"));
    assert!(text.contains("/MediaBox [0 0 595.28 841.89]"));
    assert!(text.contains("/Count 1"));
}

#[test]
fn text_is_winansi_encoded() {
    let pdf = render(&sample(1));
    // "Noëlle" in WinAnsi: ë is one byte 0xEB; "€" is 0x80; "—" is 0x97.
    let has = |t: &str| find(&pdf, &hex(t)).is_some();
    assert!(has("Beste Noëlle Hoëvenaar,"));
    assert!(has("€ 12,50"));
    assert!(has("ruïne —"));
    assert!(has("Pagina 1 van 1"));
    assert_eq!(encode("éïë€–"), vec![0xE9, 0xEF, 0xEB, 0x80, 0x96]);
    assert_eq!(encode("≤ ✓"), b"? ?");
}

#[test]
fn widths_follow_the_helvetica_metrics() {
    // H 722, e 556, l 222, v 500, e 556, t 278, i 222, c 500, a 556 = 4112.
    assert_eq!(width("Helvetica", Face::Regular, 1000.0), 4112.0);
    // Bold: H 722, e 556, l 278, v 556, e 556, t 333, i 278, c 556, a 556 = 4391.
    assert_eq!(width("Helvetica", Face::Bold, 1000.0), 4391.0);
    assert_eq!(width("ë", Face::Regular, 1000.0), 556.0);
    assert_eq!(width("€", Face::Regular, 1000.0), 556.0);
}

#[test]
fn wrapping_respects_the_measure_and_keeps_every_word() {
    let text = "Dan kunt u bezwaar maken. Dat moet binnen zes weken na de datum van deze brief, dus uiterlijk op 1 mei 2026. Dit staat in de Algemene wet bestuursrecht, artikel 6:7. Eenheelerglangwoordzonderspatiesdatnietoponeregelpast.";
    for max in [80.0, 200.0, 451.0] {
        let lines = wrap(text, Face::Regular, 10.5, max);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(width(l, Face::Regular, 10.5) <= max, "{l:?} > {max}");
        }
        assert_eq!(
            lines.concat().replace(' ', ""),
            text.replace(' ', ""),
            "nothing lost at {max}"
        );
    }
}

#[test]
fn a_long_letter_runs_over_pages_with_page_numbers() {
    let pdf = render(&sample(60));
    check_xref(&pdf);
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.matches("/Type /Page\n").count();
    assert!(pages >= 3, "{pages} pages");
    assert!(text.contains(&format!("/Count {pages}")));
    let footer = |i: usize| format!("Kenmerk SDD-BW-2026-P00000042-3  ·  Pagina {i} van {pages}");
    for i in 1..=pages {
        assert!(
            find(&pdf, &hex(&footer(i))).is_some(),
            "page {i} has its number"
        );
    }
}
