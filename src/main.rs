//! The `gallra` command.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = gallra::cli::Cli::parse();
    gallra::telemetry::init(cli.command.default_log_level());
    gallra::crash::on_fatal_store_fault();
    match gallra::cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
