//! `poco`: the command line of PoCo on Stylus — what iExec's `iexec` CLI is to PoCo, with its
//! command names (`wallet`, `account`, `app`, `dataset`, `workerpool`, `order`, `deal`,
//! `task`, `category`), plus `devnet` (the embedded local chain) and the operators' commands.
//!
//! Every chain call goes through `poco-client`. Human output by default, `--json` for
//! scripts; a failure is one line on stderr saying what failed and what to do, and a
//! non-zero exit code.

mod amount;
mod cli;
mod commands;
mod context;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("POCO_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let json = cli.global.json;
    match commands::run(cli.command, &cli.global).await {
        Ok(report) => {
            report.print(json);
            ExitCode::SUCCESS
        }
        Err(error) => {
            output::print_error(&error, json);
            ExitCode::FAILURE
        }
    }
}
