//! A TCP relay in front of the devnet's JSON-RPC port that a test can take down and bring
//! back on the same port: from the scheduler's side, the node stops answering (connections
//! refused, open ones cut) and later comes back — what a restarting or unreachable node does.

use std::net::SocketAddr;

use anyhow::Result;
use tokio::{
    net::{TcpListener, TcpStream},
    sync::watch,
    task::JoinHandle,
};

/// The relay.
pub struct Relay {
    /// Where clients connect.
    pub addr: SocketAddr,
    target: SocketAddr,
    up: Option<(watch::Sender<bool>, JoinHandle<()>)>,
}

impl Relay {
    /// A relay to `target` on a free port, up.
    pub async fn start(target: SocketAddr) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let mut relay = Self { addr, target, up: None };
        relay.serve(listener);
        Ok(relay)
    }

    fn serve(&mut self, listener: TcpListener) {
        let (down_tx, down_rx) = watch::channel(false);
        let target = self.target;
        let handle = tokio::spawn(async move {
            let mut accept_down = down_rx.clone();
            loop {
                tokio::select! {
                    _ = accept_down.changed() => return,
                    accepted = listener.accept() => {
                        let Ok((mut client, _)) = accepted else { continue };
                        let mut down = down_rx.clone();
                        tokio::spawn(async move {
                            let Ok(mut server) = TcpStream::connect(target).await else { return };
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                                _ = down.changed() => {}
                            }
                        });
                    }
                }
            }
        });
        self.up = Some((down_tx, handle));
    }

    /// Takes the relay down: the listener closes and every open connection is cut.
    pub async fn stop(&mut self) {
        if let Some((down, handle)) = self.up.take() {
            let _ = down.send(true);
            let _ = handle.await;
        }
    }

    /// Brings it back on the same port.
    pub async fn resume(&mut self) -> Result<()> {
        let listener = TcpListener::bind(self.addr).await?;
        self.serve(listener);
        Ok(())
    }
}
