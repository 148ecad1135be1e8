//! The `handout` command: parse the command line, run, map to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    handout::cli::main()
}
