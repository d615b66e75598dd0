//! A small SMTP sink that speaks real SMTP on loopback and keeps what it receives, so mail
//! tests go through lettre's real client. It can also misbehave as relays do: refuse an
//! address for good (5xx), refuse messages for a while (4xx), or drop the connection in the
//! middle of DATA.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Default)]
pub struct Sink {
    pub messages: Arc<Mutex<Vec<Received>>>,
    pub port: u16,
    pub behaviour: Arc<Mutex<Behaviour>>,
    /// Open unless holding (see `hold_after`).
    gate: Arc<tokio::sync::watch::Sender<bool>>,
    /// Told when the message that starts the hold arrived.
    held: Arc<tokio::sync::Notify>,
}

#[derive(Default, Debug)]
pub struct Behaviour {
    /// RCPT TO address → the reply (e.g. "550 5.1.1 no such user").
    pub refuse: HashMap<String, String>,
    /// This many DATA transactions are answered "451" after the data.
    pub tempfail: usize,
    /// This many DATA transactions end with the connection dropped before the reply.
    pub drop: usize,
    /// This many DATA transactions are never answered: the relay hangs, the connection stays.
    pub hang: usize,
    /// From the message with this number on (1-based), replies wait until `release`.
    pub hold_after: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The message as it came, with CRLF line ends (for signature checks).
    pub fn raw(&self) -> String {
        self.data.replace('\n', "\r\n")
    }

    /// A header's value (unfolded), case-insensitively.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\n\n").next().unwrap_or("");
        let mut out: Option<String> = None;
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(o) = out.as_mut() {
                    o.push(' ');
                    o.push_str(line.trim());
                }
                continue;
            }
            if out.is_some() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case(name)
            {
                out = Some(v.trim().to_string());
            }
        }
        out
    }
}

impl Sink {
    pub async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let behaviour = Arc::new(Mutex::new(Behaviour::default()));
        let store = messages.clone();
        let how = behaviour.clone();
        let gate = Arc::new(tokio::sync::watch::channel(true).0);
        let held = Arc::new(tokio::sync::Notify::new());
        let (gate2, held2) = (gate.clone(), held.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                let how = how.clone();
                let gate = gate2.clone();
                let held = held2.clone();
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut lines = BufReader::new(r).lines();
                    let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                    let (mut from, mut to, mut data, mut in_data) =
                        (String::new(), Vec::new(), String::new(), false);
                    while let Ok(Some(line)) = lines.next_line().await {
                        if in_data {
                            if line == "." {
                                in_data = false;
                                let verdict = {
                                    let mut b = how.lock().unwrap();
                                    if b.drop > 0 {
                                        b.drop -= 1;
                                        "drop"
                                    } else if b.hang > 0 {
                                        b.hang -= 1;
                                        "hang"
                                    } else if b.tempfail > 0 {
                                        b.tempfail -= 1;
                                        "tempfail"
                                    } else {
                                        "ok"
                                    }
                                };
                                match verdict {
                                    "drop" => return,
                                    "hang" => {
                                        // Silent until the client gives up and goes.
                                        while let Ok(Some(_)) = lines.next_line().await {}
                                        return;
                                    }
                                    "tempfail" => {
                                        let _ = w.write_all(b"451 4.3.0 try again later\r\n").await;
                                    }
                                    _ => {
                                        let n = {
                                            let mut m = store.lock().unwrap();
                                            m.push(Received {
                                                from: from.clone(),
                                                to: to.clone(),
                                                data: data.clone(),
                                            });
                                            m.len()
                                        };
                                        let hold = how.lock().unwrap().hold_after;
                                        if let Some(h) = hold.filter(|h| n >= *h) {
                                            if n == h {
                                                gate.send_replace(false);
                                                held.notify_one();
                                            }
                                            let mut rx = gate.subscribe();
                                            let _ = rx.wait_for(|open| *open).await;
                                        }
                                        let _ = w.write_all(b"250 OK queued\r\n").await;
                                    }
                                }
                                data.clear();
                                to.clear();
                            } else {
                                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                                data.push('\n');
                            }
                            continue;
                        }
                        let upper = line.to_ascii_uppercase();
                        let reply: String =
                            if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                                "250-sink\r\n250 8BITMIME\r\n".into()
                            } else if upper.starts_with("MAIL FROM:") {
                                from = line[10..].trim().to_string();
                                to.clear();
                                "250 OK\r\n".into()
                            } else if upper.starts_with("RCPT TO:") {
                                let rcpt = line[8..].trim().to_string();
                                let bare = rcpt.trim_matches(['<', '>']).to_string();
                                let refused = how.lock().unwrap().refuse.get(&bare).cloned();
                                match refused {
                                    Some(r) => format!("{r}\r\n"),
                                    None => {
                                        to.push(rcpt);
                                        "250 OK\r\n".into()
                                    }
                                }
                            } else if upper == "DATA" {
                                in_data = true;
                                "354 go ahead\r\n".into()
                            } else if upper == "RSET" {
                                from.clear();
                                to.clear();
                                "250 OK\r\n".into()
                            } else if upper == "QUIT" {
                                let _ = w.write_all(b"221 bye\r\n").await;
                                break;
                            } else {
                                "250 OK\r\n".into()
                            };
                        let _ = w.write_all(reply.as_bytes()).await;
                    }
                });
            }
        });
        Sink {
            messages,
            port,
            behaviour,
            gate,
            held,
        }
    }

    /// Holds every reply from the `n`th message on (the messages are kept, as a relay that
    /// took them but has not said so yet).
    pub fn hold_after(&self, n: usize) {
        self.behaviour.lock().unwrap().hold_after = Some(n);
    }

    /// Waits until the hold began.
    pub async fn wait_held(&self) {
        self.held.notified().await;
    }

    /// Answers what was held, and holds no more.
    pub fn release(&self) {
        self.behaviour.lock().unwrap().hold_after = None;
        self.gate.send_replace(true);
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn all(&self) -> Vec<Received> {
        self.messages.lock().unwrap().clone()
    }

    /// Forgets what was received so far.
    pub fn clear(&self) {
        self.messages.lock().unwrap().clear();
    }
}
