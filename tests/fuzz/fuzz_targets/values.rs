//! The phone, date, review-period and opening-hours parsers (see skaidra::fuzzing::values).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    skaidra::fuzzing::values(data);
});
