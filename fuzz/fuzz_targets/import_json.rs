//! Arbitrary bytes as a JSON register export, imported into a register.
#![no_main]

use improve::exchange::Format;
use libfuzzer_sys::fuzz_target;

mod import;

fuzz_target!(|data: &[u8]| import::import(data, Format::Json));
