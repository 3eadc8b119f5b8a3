//! A minimal ZIP writer for the XLSX container: stored (uncompressed) entries, a table-driven
//! CRC-32, local headers, the central directory and the end-of-central-directory record.
//!
//! Every entry carries the fixed DOS date 1980-01-01 00:00, so the same entries always give
//! the same bytes. No ZIP64: an archive must stay below 4 GiB and 65 535 entries, far beyond
//! any table export.

/// Version needed to extract / made by: 2.0 (the upper byte 0 of "made by" means MS-DOS
/// attributes).
const VERSION: u16 = 20;
/// Compression method 0: stored.
const STORED: u16 = 0;
/// DOS time 00:00:00.
const DOS_TIME: u16 = 0;
/// DOS date 1980-01-01: `(year - 1980) << 9 | month << 5 | day`.
const DOS_DATE: u16 = (1 << 5) | 1;

const LOCAL_HEADER_SIG: u32 = 0x0403_4b50;
const CENTRAL_HEADER_SIG: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIR_SIG: u32 = 0x0605_4b50;

/// The CRC-32 lookup table (IEEE 802.3, reflected polynomial 0xEDB88320), built at compile
/// time.
const CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// The CRC-32 of `data` as ZIP (and gzip, PNG) use it.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

/// A ZIP archive of stored entries, in the given order. Entry names are written as given and
/// must be ASCII (the XLSX part names are).
///
/// # Panics
/// If the archive would need ZIP64 (an entry or the archive at 4 GiB or more, or more than
/// 65 535 entries).
pub(crate) fn stored_zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        debug_assert!(name.is_ascii(), "ZIP entry names are ASCII here");
        let offset = u32_of(out.len(), "archive offset");
        let crc = crc32(data);
        let size = u32_of(data.len(), "entry size");
        let name_len = u16_of(name.len(), "entry name length");

        put_u32(&mut out, LOCAL_HEADER_SIG);
        put_u16(&mut out, VERSION); // version needed to extract
        put_u16(&mut out, 0); // general-purpose flags
        put_u16(&mut out, STORED);
        put_u16(&mut out, DOS_TIME);
        put_u16(&mut out, DOS_DATE);
        put_u32(&mut out, crc);
        put_u32(&mut out, size); // compressed size
        put_u32(&mut out, size); // uncompressed size
        put_u16(&mut out, name_len);
        put_u16(&mut out, 0); // extra field length
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        put_u32(&mut central, CENTRAL_HEADER_SIG);
        put_u16(&mut central, VERSION); // version made by
        put_u16(&mut central, VERSION); // version needed to extract
        put_u16(&mut central, 0); // general-purpose flags
        put_u16(&mut central, STORED);
        put_u16(&mut central, DOS_TIME);
        put_u16(&mut central, DOS_DATE);
        put_u32(&mut central, crc);
        put_u32(&mut central, size);
        put_u32(&mut central, size);
        put_u16(&mut central, name_len);
        put_u16(&mut central, 0); // extra field length
        put_u16(&mut central, 0); // file comment length
        put_u16(&mut central, 0); // disk number start
        put_u16(&mut central, 0); // internal file attributes
        put_u32(&mut central, 0); // external file attributes
        put_u32(&mut central, offset); // relative offset of local header
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = u32_of(out.len(), "central directory offset");
    let central_size = u32_of(central.len(), "central directory size");
    let count = u16_of(entries.len(), "entry count");
    out.extend_from_slice(&central);

    put_u32(&mut out, END_OF_CENTRAL_DIR_SIG);
    put_u16(&mut out, 0); // number of this disk
    put_u16(&mut out, 0); // disk where the central directory starts
    put_u16(&mut out, count); // entries on this disk
    put_u16(&mut out, count); // entries in total
    put_u32(&mut out, central_size);
    put_u32(&mut out, central_offset);
    put_u16(&mut out, 0); // comment length
    u32_of(out.len(), "archive size");
    out
}

fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32_of(n: usize, what: &str) -> u32 {
    u32::try_from(n).unwrap_or_else(|_| panic!("{what} {n} needs ZIP64, which is not supported"))
}

fn u16_of(n: usize, what: &str) -> u16 {
    u16::try_from(n).unwrap_or_else(|_| panic!("{what} {n} needs ZIP64, which is not supported"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_vectors() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"a"), 0xE8B7_BE43);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn crc32_matches_bitwise_definition() {
        fn bitwise(data: &[u8]) -> u32 {
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
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for len in [0, 1, 2, 7, 255, 256, 1000] {
            assert_eq!(crc32(&data[..len]), bitwise(&data[..len]));
        }
    }

    #[test]
    fn empty_archive_is_just_the_end_record() {
        let z = stored_zip(&[]);
        assert_eq!(z.len(), 22);
        assert_eq!(&z[..4], &[0x50, 0x4b, 0x05, 0x06]);
        assert!(z[4..].iter().all(|&b| b == 0));
    }

    #[test]
    fn one_entry_layout() {
        let z = stored_zip(&[("a.txt".to_owned(), b"hoi".to_vec())]);
        // local header (30) + name (5) + data (3) + central header (46) + name (5) + end (22)
        assert_eq!(z.len(), 30 + 5 + 3 + 46 + 5 + 22);
        assert_eq!(&z[..4], b"PK\x03\x04");
        assert_eq!(&z[10..14], &[0, 0, 0x21, 0], "time 00:00, date 1980-01-01");
        assert_eq!(&z[14..18], &crc32(b"hoi").to_le_bytes());
        assert_eq!(&z[30..35], b"a.txt");
        assert_eq!(&z[35..38], b"hoi");
        assert_eq!(&z[38..42], b"PK\x01\x02");
        let end = &z[z.len() - 22..];
        assert_eq!(&end[..4], b"PK\x05\x06");
        assert_eq!(&end[10..12], &1u16.to_le_bytes());
        assert_eq!(&end[12..16], &51u32.to_le_bytes(), "central directory size");
        assert_eq!(
            &end[16..20],
            &38u32.to_le_bytes(),
            "central directory offset"
        );
    }
}
