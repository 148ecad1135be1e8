#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| handout::fuzzing::yaml_subset(data));
