//! Lints: findings about accessibility and plain language that do not stop a build by default
//! (warnings; errors with `--strict`).
//!
//! - [`easy`]: the easy-read text lint (sentence and word length, numbers, dates, jargon, symbols,
//!   capitals, phone grouping), per language, configured in site.toml and i18n.
//! - [`contrast`]: colour contrast of the theme's CSS custom properties.
//! - [`placeholders`]: example contacts and `TODO` left in the site's files (errors in `check`).
//! - The HTML accessibility lint runs inside the rewrite stage (see `rewrite`), on every page.

pub mod contrast;
pub mod easy;
pub mod placeholders;
