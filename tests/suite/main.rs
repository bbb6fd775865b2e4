//! Skaidra's integration tests, in one test binary (so typst and the rest are linked once).
//!
//! Each module drives one part of Skaidra: most run the real `skaidra` binary on fixture sites in
//! `tests/fixtures/` or on fresh `skaidra init` sites; `common` holds what they share. Run one
//! module with `cargo test --release --test suite -- cli::`.

mod common;

mod bad_input;
mod check;
mod check_online;
mod cli;
mod commands;
mod editor;
mod finder;
mod fuzz_regressions;
mod hardening;
mod hsds;
mod incremental;
mod languages;
mod leaflets;
mod outputs;
mod pagination;
mod serve;
mod sources;
