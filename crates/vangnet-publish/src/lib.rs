//! What Vangnet **publishes**, as pure rules: figures with small-number suppression
//! ([`figures`]), the monitor's sections, quantiles, definitions and quarterly report
//! ([`monitor`]), the forecast's scenario from the page's knobs and its published tables
//! ([`forecast`]), and the names of gemeenten and products ([`names`]).
//!
//! No I/O (checked by `crates/vangnet/tests/architecture.rs`): the web crate reads the store,
//! turns rows into this crate's input types and renders what comes out; the CLI writes the
//! same forecast tables to files.

pub mod complementary;
pub mod figures;
pub mod forecast;
pub mod letter;
pub mod letter_pdf;
pub mod monitor;
pub mod names;
