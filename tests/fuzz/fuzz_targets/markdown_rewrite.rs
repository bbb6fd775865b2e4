//! Markdown rendering in each raw HTML mode, then the rewrite stage (see skaidra::fuzzing::markdown_rewrite).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    skaidra::fuzzing::markdown_rewrite(data);
});
