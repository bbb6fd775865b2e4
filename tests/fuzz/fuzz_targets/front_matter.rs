//! Front matter splitting, TOML and typed validation of one content item (see skaidra::fuzzing::front_matter).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    skaidra::fuzzing::front_matter(data);
});
