//! The command tree, one module per command group, and its dispatch.
//!
//! Adding a command group: a module here with a clap `Subcommand` (or `Args`) type and an
//! `async fn run(self, global: &Global) -> Result<Report>`, one variant in [`Command`] and
//! one arm in [`run`]. The operators' groups (`deploy`, `upgrade`, `scheduler`, `worker`,
//! `demo`) live in `deploy.rs`, `scheduler.rs`, `worker.rs`, `demo.rs`.

mod account;
mod app_run;
mod asset;
mod category;
mod deal;
mod devnet;
mod order;
mod task;
mod wallet;
// Operators' command groups (other modules of this crate): add `mod deploy;` etc. here.
mod demo;
mod deploy;
mod scheduler;
mod worker;

use anyhow::Result;
use clap::Subcommand;

use crate::{cli::Global, output::Report};

/// Every command of `poco`.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The wallet: balances, ETH and RLC transfers.
    #[command(subcommand)]
    Wallet(wallet::WalletCommand),
    /// The iExec account (SRLC in the hub): stake, locked, deposit, withdraw.
    #[command(subcommand)]
    Account(account::AccountCommand),
    /// Apps: deploy, show, count, transfer, run.
    #[command(subcommand)]
    App(asset::AppCommand),
    /// Datasets: deploy, show, count, transfer.
    #[command(subcommand)]
    Dataset(asset::DatasetCommand),
    /// Workerpools: deploy, show, count, transfer.
    #[command(subcommand)]
    Workerpool(asset::WorkerpoolCommand),
    /// Orders as JSON files: init, sign, show, cancel, publish, fill.
    #[command(subcommand)]
    Order(order::OrderCommand),
    /// Deals: show, claim.
    #[command(subcommand)]
    Deal(deal::DealCommand),
    /// Tasks: show, claim.
    #[command(subcommand)]
    Task(task::TaskCommand),
    /// Categories: create (hub owner), show, count.
    #[command(subcommand)]
    Category(category::CategoryCommand),
    /// Starts the embedded devnet (optionally with the protocol deployed) until Ctrl-C.
    Devnet(devnet::DevnetArgs),
    // Operators' commands: `Deploy`, `Upgrade`, `Scheduler`, `Worker`, `Demo` go here.
    /// Deploys the whole protocol, or verifies and finishes a deployment (record
    /// `deploy/<chain>.json`); reports activations that expire soon.
    Deploy(deploy::DeployArgs),
    /// Replaces the hub facets whose code changed, with one diamondCut.
    Upgrade(deploy::UpgradeArgs),
    /// The workerpool's scheduler: `run` until Ctrl-C.
    #[command(subcommand)]
    Scheduler(scheduler::SchedulerCommand),
    /// A workerpool's worker: `run` until Ctrl-C.
    #[command(subcommand)]
    Worker(worker::WorkerCommand),
    /// The whole marketplace on this machine in about a minute: a devnet, the protocol, a
    /// scheduler and workers, and a requester running the example app; prints the result
    /// and who was paid what, and leaves nothing running.
    Demo(demo::DemoArgs),
}

/// Runs `command`.
pub(crate) async fn run(command: Command, global: &Global) -> Result<Report> {
    match command {
        Command::Wallet(c) => c.run(global).await,
        Command::Account(c) => c.run(global).await,
        Command::App(c) => c.run(global).await,
        Command::Dataset(c) => c.run(global).await,
        Command::Workerpool(c) => c.run(global).await,
        Command::Order(c) => c.run(global).await,
        Command::Deal(c) => c.run(global).await,
        Command::Task(c) => c.run(global).await,
        Command::Category(c) => c.run(global).await,
        Command::Devnet(c) => c.run(global).await,
        // Operators' commands: one arm each here.
        Command::Deploy(c) => c.run(global).await,
        Command::Upgrade(c) => c.run(global).await,
        Command::Scheduler(c) => c.run(global).await,
        Command::Worker(c) => c.run(global).await,
        Command::Demo(c) => c.run(global).await,
    }
}
