//! `improve serve`: the dashboard over SSH, with nothing to install.
//!
//! The server is its own SSH server (russh). Each session runs its own
//! `improve` dashboard as a child process on a pty (see `child`); one
//! watcher notices changes to the register and tells every dashboard to
//! refresh (see `watcher`).

mod child;
pub mod host_key;
mod input;
pub mod keys;
pub mod limits;
mod output;
mod session;
mod stall;
mod watcher;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::server::Handle;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

pub use limits::parse_duration;

use crate::cli::{Failure, ServeArgs, code};
use child::Program;
use keys::Access;
use session::Connection;

/// A session whose dashboard is running.
pub(crate) struct Live {
    pid: u32,
}

/// What all connections share.
pub(crate) struct Shared {
    access: Access,
    program: Program,
    max_sessions: usize,
    idle_timeout: Option<Duration>,
    unauthenticated: AtomicUsize,
    sessions: AtomicUsize,
    /// Running dashboards, by connection id: the watcher signals them, the
    /// shutdown ends them.
    live: Mutex<HashMap<u64, Live>>,
    /// Every open connection, to end them all on shutdown.
    connections: Mutex<HashMap<u64, Handle>>,
    stopping: AtomicBool,
}

impl Shared {
    /// The process ids of the running dashboards.
    pub(crate) fn dashboard_pids(&self) -> Vec<u32> {
        let live = self.live.lock().expect("live");
        live.values().map(|l| l.pid).collect()
    }
}

/// One line on standard error, for the host's log.
pub(crate) fn log(args: std::fmt::Arguments<'_>) {
    eprintln!(
        "{} improve serve: {args}",
        chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%z")
    );
}

/// Runs the server until SIGTERM or Ctrl-c.
pub fn run(args: ServeArgs, db: &Path, config: Option<PathBuf>) -> Result<(), Failure> {
    let access = Access::load(args.editors.as_deref(), args.viewers.as_deref(), args.open)?;
    let host_key_path = match &args.host_key {
        Some(p) => p.clone(),
        None => host_key::default_path().ok_or_else(|| {
            Failure::new(
                code::CANNOT_OPEN,
                "no data directory found for the host key; pass --host-key FILE",
            )
        })?,
    };
    let (host_key, made) = host_key::load_or_create(&host_key_path)?;
    // The register must open (and be ours) before anyone connects; this
    // also creates a new one.
    drop(crate::store::open_for(db, false).map_err(Failure::from)?);
    let exe = std::env::current_exe()
        .map_err(|e| Failure::new(code::FAILURE, format!("finding the improve binary: {e}")))?;
    let shared = Arc::new(Shared {
        access,
        program: Program {
            exe,
            db: std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf()),
            config,
        },
        max_sessions: args.max_sessions,
        idle_timeout: (!args.idle_timeout.is_zero()).then_some(args.idle_timeout),
        unauthenticated: AtomicUsize::new(0),
        sessions: AtomicUsize::new(0),
        live: Mutex::new(HashMap::new()),
        connections: Mutex::new(HashMap::new()),
        stopping: AtomicBool::new(false),
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(code::FAILURE, format!("starting the server: {e}")))?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(args.listen).await.map_err(|e| {
            Failure::new(
                code::CANNOT_OPEN,
                format!("cannot listen on {}: {e}", args.listen),
            )
        })?;
        let fingerprint = host_key::fingerprint(&host_key);
        let (editors, viewers) = shared.access.counts();
        log(format_args!(
            "listening on {} for {} ({}, {}{}); host key {} {fingerprint}{}",
            listener.local_addr().unwrap_or(args.listen),
            shared.program.db.display(),
            crate::domain::text::count(editors as u64, "editor"),
            crate::domain::text::count(viewers as u64, "viewer"),
            if args.open {
                ", open to anyone as a viewer"
            } else {
                ""
            },
            host_key_path.display(),
            if made { " (new)" } else { "" },
        ));
        let config = Arc::new(server_config(host_key));
        let watcher = watcher::start(Arc::clone(&shared));
        serve(listener, config, Arc::clone(&shared)).await;
        watcher.stop();
        Ok(())
    })
}

fn server_config(host_key: russh::keys::PrivateKey) -> russh::server::Config {
    russh::server::Config {
        methods: russh::MethodSet::from(&[russh::MethodKind::PublicKey][..]),
        keys: vec![host_key],
        // Failed attempts are slowed; the client's first "none" probe is not.
        auth_rejection_time: Duration::from_secs(1),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        // Keepalives, not an inactivity timeout: a healthy idle viewer
        // sends nothing for hours and must stay.
        inactivity_timeout: None,
        keepalive_interval: Some(limits::KEEPALIVE_EVERY),
        keepalive_max: limits::KEEPALIVE_MAX,
        nodelay: true,
        ..Default::default()
    }
}

/// Accepts connections until a stop signal, then ends every session.
async fn serve(listener: TcpListener, config: Arc<russh::server::Config>, shared: Arc<Shared>) {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            log(format_args!("cannot watch SIGTERM: {e}"));
            return;
        }
    };
    let next_id = AtomicU64::new(1);
    let mut rate = limits::RateLimit::default();
    loop {
        let (socket, peer) = tokio::select! {
            _ = term.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors and the like: wait, do not spin.
                    log(format_args!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let id = next_id.fetch_add(1, Ordering::SeqCst);
        if !rate.allow(peer.ip(), Instant::now()) {
            log(format_args!(
                "#{id} refused {peer}: too many connections from this address"
            ));
            turn_away(
                socket,
                "too many connections from your address; wait a few seconds",
            );
            continue;
        }
        if shared.unauthenticated.load(Ordering::SeqCst) >= limits::MAX_UNAUTHENTICATED {
            log(format_args!(
                "#{id} refused {peer}: too many connections still authenticating"
            ));
            turn_away(socket, "the server is busy; try again in a moment");
            continue;
        }
        shared.unauthenticated.fetch_add(1, Ordering::SeqCst);
        log(format_args!("#{id} connect {peer}"));
        let handler = Connection::new(id, Some(peer), Arc::clone(&shared));
        let authenticated = Arc::clone(&handler.authenticated);
        let config = Arc::clone(&config);
        let shared2 = Arc::clone(&shared);
        tokio::spawn(async move {
            let _ = socket.set_nodelay(true);
            let setup = tokio::time::timeout(
                limits::AUTH_TIMEOUT,
                russh::server::run_stream(
                    config,
                    stall::StallGuard::new(socket, limits::STALLED_SOCKET),
                    handler,
                ),
            )
            .await;
            let running = match setup {
                Ok(Ok(running)) => running,
                Ok(Err(_)) => return,
                Err(_) => {
                    log(format_args!("#{id} authentication timed out"));
                    return;
                }
            };
            let handle = running.handle();
            shared2
                .connections
                .lock()
                .expect("connections")
                .insert(id, handle.clone());
            let timer = {
                let handle = handle.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(limits::AUTH_TIMEOUT).await;
                    if !authenticated.load(Ordering::SeqCst) {
                        log(format_args!("#{id} authentication timed out"));
                        let _ = handle
                            .disconnect(
                                russh::Disconnect::ByApplication,
                                "authentication timed out".into(),
                                String::new(),
                            )
                            .await;
                    }
                })
            };
            match running.await {
                Err(russh::Error::KeepaliveTimeout) => {
                    log(format_args!(
                        "#{id} dropped: the client stopped answering keepalives"
                    ));
                }
                Err(russh::Error::IO(e)) if e.kind() == std::io::ErrorKind::TimedOut => {
                    log(format_args!("#{id} dropped: the client stopped reading"));
                }
                _ => {}
            }
            timer.abort();
        });
    }
    drop(listener);
    shutdown(&shared).await;
}

/// Refuses a connection before any key exchange, cheaply, in words the
/// client shows: OpenSSH keeps lines sent before the server's version to
/// its debug log, but prints a disconnect's reason ("Received disconnect
/// from ...: <reason>") at any level. A disconnect may be sent before keys
/// are exchanged, as a plain packet (RFC 4253, 11.1).
fn turn_away(mut socket: tokio::net::TcpStream, text: &str) {
    let mut out = format!("improve: {text}\r\nSSH-2.0-improve\r\n").into_bytes();
    out.extend(disconnect_packet(TOO_MANY_CONNECTIONS, text));
    tokio::spawn(async move {
        let said = async {
            socket.write_all(&out).await?;
            socket.shutdown().await?;
            // Read what the client sends until it hangs up: closing with
            // its version unread would reset the connection, and a reset
            // can discard the reason before the client reads it.
            let mut sink = [0u8; 1024];
            while tokio::io::AsyncReadExt::read(&mut socket, &mut sink).await? > 0 {}
            Ok::<_, std::io::Error>(())
        };
        let _ = tokio::time::timeout(Duration::from_secs(2), said).await;
    });
}

/// SSH_DISCONNECT_TOO_MANY_CONNECTIONS.
const TOO_MANY_CONNECTIONS: u32 = 12;

/// An unencrypted SSH_MSG_DISCONNECT packet: length, padding length,
/// payload, and at least 4 bytes of padding up to a multiple of 8.
fn disconnect_packet(reason: u32, text: &str) -> Vec<u8> {
    const SSH_MSG_DISCONNECT: u8 = 1;
    let mut payload = vec![SSH_MSG_DISCONNECT];
    payload.extend(reason.to_be_bytes());
    payload.extend((text.len() as u32).to_be_bytes());
    payload.extend(text.as_bytes());
    // An empty language tag.
    payload.extend(0u32.to_be_bytes());
    let mut padding = 8 - (4 + 1 + payload.len()) % 8;
    if padding < 4 {
        padding += 8;
    }
    let mut packet = ((1 + payload.len() + padding) as u32)
        .to_be_bytes()
        .to_vec();
    packet.push(padding as u8);
    packet.extend(payload);
    packet.extend(std::iter::repeat_n(0u8, padding));
    packet
}

/// Tells every dashboard to leave (each restores its client's terminal),
/// says the server is stopping, and closes every connection; returns within
/// `SHUTDOWN_GRACE` whatever the clients do.
async fn shutdown(shared: &Shared) {
    shared.stopping.store(true, Ordering::SeqCst);
    let live = shared.dashboard_pids();
    log(format_args!(
        "stopping: {}",
        crate::domain::text::count(live.len() as u64, "session")
    ));
    for pid in &live {
        child::signal(*pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + limits::SHUTDOWN_GRACE;
    while Instant::now() < deadline && !shared.live.lock().expect("live").is_empty() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Let the last "stopping" lines and exit statuses go out.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let rest: Vec<Handle> = shared
        .connections
        .lock()
        .expect("connections")
        .values()
        .cloned()
        .collect();
    for handle in rest {
        let _ = tokio::time::timeout(
            Duration::from_millis(200),
            handle.disconnect(
                russh::Disconnect::ByApplication,
                "the server is stopping".into(),
                String::new(),
            ),
        )
        .await;
    }
    for live in shared.live.lock().expect("live").values() {
        child::signal(live.pid, libc::SIGKILL);
    }
    log(format_args!("stopped"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disconnect_packet_is_padded_to_whole_blocks() {
        for text in ["", "busy", "too many connections from your address"] {
            let packet = disconnect_packet(TOO_MANY_CONNECTIONS, text);
            assert_eq!(packet.len() % 8, 0, "{text:?}");
            let length = u32::from_be_bytes(packet[..4].try_into().unwrap()) as usize;
            assert_eq!(length + 4, packet.len());
            let padding = packet[4] as usize;
            assert!(padding >= 4);
            let payload = &packet[5..packet.len() - padding];
            assert_eq!(payload[0], 1);
            assert_eq!(&payload[1..5], &12u32.to_be_bytes());
            assert_eq!(&payload[9..9 + text.len()], text.as_bytes());
        }
    }
}
