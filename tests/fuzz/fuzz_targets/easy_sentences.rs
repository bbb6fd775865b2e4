//! The easy-read sentence splitter and lint (see skaidra::fuzzing::easy_sentences).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    skaidra::fuzzing::easy_sentences(data);
});
