//! Bulk writes with `COPY … FROM STDIN` in PostgreSQL's text format: rows are collected in
//! a buffer with proper escaping and sent in one go. Used where the rows cannot conflict
//! with stored ones (new events, projection rows after their old versions were deleted).

use std::io::Write;

use postgres::Transaction;
use vangnet_store::{StoreError, StoreResult};

use crate::db;

/// One field of a row.
pub(crate) enum Field<'a> {
    /// A number.
    Int(i64),
    /// A text value.
    Text(&'a str),
    /// A text value or NULL.
    OptText(Option<&'a str>),
    /// A number or NULL.
    OptInt(Option<i64>),
    /// A boolean.
    Bool(bool),
}

/// Rows waiting to be copied into one table.
pub(crate) struct CopyBuf {
    statement: &'static str,
    buf: Vec<u8>,
    rows: usize,
}

impl CopyBuf {
    /// A buffer for `statement` (`COPY table (columns…) FROM STDIN`).
    pub(crate) fn new(statement: &'static str) -> CopyBuf {
        CopyBuf {
            statement,
            buf: Vec::with_capacity(1 << 20),
            rows: 0,
        }
    }

    /// Bytes buffered.
    pub(crate) fn bytes(&self) -> usize {
        self.buf.len()
    }

    /// Add one row.
    pub(crate) fn row(&mut self, fields: &[Field<'_>]) {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.push(b'\t');
            }
            match f {
                Field::Int(n) | Field::OptInt(Some(n)) => {
                    let _ = write!(self.buf, "{n}");
                }
                Field::Text(s) | Field::OptText(Some(s)) => push_escaped(&mut self.buf, s),
                Field::OptText(None) | Field::OptInt(None) => self.buf.extend_from_slice(b"\\N"),
                Field::Bool(b) => self.buf.push(if *b { b't' } else { b'f' }),
            }
        }
        self.buf.push(b'\n');
        self.rows += 1;
    }

    /// Send the buffered rows (if any) within `tx` and empty the buffer.
    pub(crate) fn flush(&mut self, tx: &mut Transaction<'_>) -> StoreResult<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut w = tx.copy_in(self.statement).map_err(db)?;
        w.write_all(&self.buf)
            .map_err(|e| StoreError::Backend(format!("COPY: {e}")))?;
        w.finish().map_err(db)?;
        self.buf.clear();
        self.rows = 0;
        Ok(())
    }
}

/// Text-format escaping: backslash, newline, carriage return and tab (the delimiter) are
/// written as backslash sequences; everything else (UTF-8 included) goes as it is.
fn push_escaped(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            _ => continue,
        };
        buf.extend_from_slice(&bytes[start..i]);
        buf.extend_from_slice(esc);
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_text_format_needs() {
        let mut b = Vec::new();
        push_escaped(&mut b, "a\\b\tc\nd\re \"é\" \\N \\.");
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "a\\\\b\\tc\\nd\\re \"é\" \\\\N \\\\."
        );
        let mut c = CopyBuf::new("COPY t FROM STDIN");
        c.row(&[
            Field::Int(-3),
            Field::OptText(None),
            Field::Bool(true),
            Field::OptInt(Some(7)),
            Field::Text("x"),
        ]);
        assert_eq!(
            String::from_utf8(c.buf.clone()).unwrap(),
            "-3\t\\N\tt\t7\tx\n"
        );
        assert_eq!(c.rows, 1);
    }
}
