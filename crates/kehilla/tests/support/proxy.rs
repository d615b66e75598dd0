//! A TCP proxy in front of a server (PostgreSQL), for fault tests: `cut` resets every
//! connection and refuses new ones, as a database that went away does; `restore` lets
//! connections through again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};

pub struct Proxy {
    pub port: u16,
    up: Arc<AtomicBool>,
    live: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Proxy {
    /// Starts a proxy to `target` (`host:port`).
    pub async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let live: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (up2, live2) = (up.clone(), live.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound); // refused: closed at once
                    continue;
                }
                let target = target.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                live2.lock().unwrap().push(task.abort_handle());
            }
        });
        Proxy { port, up, live }
    }

    /// The database goes away: every open connection is dropped, new ones are closed at once.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for t in self.live.lock().unwrap().drain(..) {
            t.abort();
        }
    }

    /// The database is back.
    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }

    /// `url` with its `host:port` replaced by this proxy's.
    pub fn route(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").unwrap();
        let (auth, after) = rest.split_once('@').map_or(("", rest), |(a, b)| (a, b));
        let host_end = after.find(['/', '?']).unwrap_or(after.len());
        let at = if auth.is_empty() { "" } else { "@" };
        format!(
            "{scheme}://{auth}{at}127.0.0.1:{}{}",
            self.port,
            &after[host_end..]
        )
    }

    /// The `host:port` of a URL.
    pub fn target_of(url: &str) -> String {
        let rest = url.split_once("://").unwrap().1;
        let after = rest.split_once('@').map_or(rest, |(_, b)| b);
        after[..after.find(['/', '?']).unwrap_or(after.len())].to_string()
    }
}
