//! One SSH connection: who it is, its pty request, and its dashboard. Every
//! request that could reach the host beyond the dashboard is refused.

use std::net::SocketAddr;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use russh::keys::HashAlg;
use russh::server::{Auth, Msg, Session};
use russh::{Channel, ChannelId, ChannelOpenFailure, ChannelWriteHalf, Pty};
use tokio::io::unix::AsyncFd;

use super::Shared;
use super::child::{self, Launch};
use super::input::Input;
use super::keys::{Identity, Role};

/// The client's terminal, from its pty request.
struct PtyRequest {
    term: String,
    cols: u16,
    rows: u16,
}

/// A running dashboard as the connection sees it.
struct Running {
    pid: u32,
    master: Arc<AsyncFd<OwnedFd>>,
    input: Input,
}

pub struct Connection {
    pub(super) id: u64,
    peer: Option<SocketAddr>,
    shared: Arc<Shared>,
    started: Instant,
    /// Set once authenticated; read by the authentication timer.
    pub(super) authenticated: Arc<AtomicBool>,
    who: Option<Identity>,
    pty: Option<PtyRequest>,
    env: Vec<(String, String)>,
    channel: Option<ChannelWriteHalf<Msg>>,
    running: Option<Running>,
    counted_session: bool,
    /// When the client last sent anything (for `--idle-timeout`).
    last_input: Arc<std::sync::Mutex<Instant>>,
}

impl Connection {
    pub(super) fn new(id: u64, peer: Option<SocketAddr>, shared: Arc<Shared>) -> Connection {
        Connection {
            id,
            peer,
            shared,
            started: Instant::now(),
            authenticated: Arc::new(AtomicBool::new(false)),
            who: None,
            pty: None,
            env: Vec::new(),
            channel: None,
            running: None,
            counted_session: false,
            last_input: Arc::new(std::sync::Mutex::new(Instant::now())),
        }
    }

    fn name(&self) -> &str {
        self.who.as_ref().map_or("-", |w| w.name.as_str())
    }

    /// Says `text` to the client on its error stream, ends the channel with
    /// `status`, and closes it.
    async fn refuse(&self, channel: ChannelId, session: &mut Session, text: &str, status: u32) {
        let handle = session.handle();
        let line = format!("improve: {text}\r\n");
        let _ = handle.extended_data(channel, 1, line.into_bytes()).await;
        let _ = handle.exit_status_request(channel, status).await;
        let _ = handle.eof(channel).await;
        let _ = handle.close(channel).await;
    }

    async fn start_dashboard(&mut self, channel: ChannelId, session: &mut Session) {
        let Some(pty) = &self.pty else {
            self.refuse(
                channel,
                session,
                "the dashboard needs a terminal: connect with ssh -t",
                1,
            )
            .await;
            return;
        };
        let Some(who) = self.who.clone() else { return };
        if self.running.is_some() {
            return;
        }
        let sessions = self.shared.sessions.fetch_add(1, Ordering::SeqCst);
        self.counted_session = true;
        if sessions >= self.shared.max_sessions {
            self.refuse(
                channel,
                session,
                &format!(
                    "the server is full ({} sessions); try again later",
                    self.shared.max_sessions
                ),
                1,
            )
            .await;
            return;
        }
        let launch = Launch {
            read_only: who.role == Role::Viewer,
            user: who.name.clone(),
            term: pty.term.clone(),
            client_env: std::mem::take(&mut self.env),
            cols: pty.cols,
            rows: pty.rows,
        };
        let spawned = match child::spawn(&self.shared.program, &launch) {
            Ok(s) => s,
            Err(e) => {
                super::log(format_args!("#{} cannot start the dashboard: {e}", self.id));
                self.refuse(channel, session, "cannot start the dashboard", 1)
                    .await;
                return;
            }
        };
        // SAFETY: an OwnedFd's descriptor stays open and the same for as
        // long as the AsyncFd owns it.
        let master = match unsafe { AsyncFd::register(spawned.master) } {
            Ok(m) => Arc::new(m),
            Err(e) => {
                super::log(format_args!("#{} cannot watch the pty: {e}", self.id));
                self.refuse(channel, session, "cannot start the dashboard", 1)
                    .await;
                return;
            }
        };
        let pid = spawned.process.id();
        let input = Input::start(Arc::clone(&master));
        let Some(writer) = self.channel.take() else {
            return;
        };
        self.shared
            .live
            .lock()
            .expect("live sessions")
            .insert(self.id, super::Live { pid });
        tokio::spawn(super::output::pump(
            Arc::clone(&self.shared),
            self.id,
            Arc::clone(&master),
            writer,
            spawned.process,
        ));
        if let Some(limit) = self.shared.idle_timeout {
            tokio::spawn(idle_watch(
                Arc::clone(&self.last_input),
                limit,
                session.handle(),
                channel,
                pid,
            ));
        }
        self.running = Some(Running { pid, master, input });
    }
}

/// Ends a session that has sent nothing for `limit`.
async fn idle_watch(
    last: Arc<std::sync::Mutex<Instant>>,
    limit: Duration,
    handle: russh::server::Handle,
    channel: ChannelId,
    pid: u32,
) {
    loop {
        let since = last.lock().map(|t| t.elapsed()).unwrap_or_default();
        if since >= limit {
            let _ = handle
                .extended_data(
                    channel,
                    1,
                    format!(
                        "improve: ended after {}s without input\r\n",
                        limit.as_secs()
                    )
                    .into_bytes(),
                )
                .await;
            child::signal(pid, libc::SIGHUP);
            return;
        }
        tokio::time::sleep(limit - since).await;
        // Only this task holds it: the connection is gone.
        if Arc::strong_count(&last) == 1 {
            return;
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if self.authenticated.load(Ordering::SeqCst) {
            if self.counted_session {
                self.shared.sessions.fetch_sub(1, Ordering::SeqCst);
            }
        } else {
            self.shared.unauthenticated.fetch_sub(1, Ordering::SeqCst);
        }
        if let Some(running) = self.running.take() {
            // An abrupt disconnect: the dashboard hangs up at once, and
            // its output pump reaps it.
            child::signal(running.pid, libc::SIGHUP);
            drop(running.master);
        }
        self.shared
            .connections
            .lock()
            .expect("connections")
            .remove(&self.id);
        super::log(format_args!(
            "#{} disconnect {} {} after {:.1}s",
            self.id,
            self.peer.map_or_else(|| "-".to_string(), |p| p.to_string()),
            self.name(),
            self.started.elapsed().as_secs_f64()
        ));
    }
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        // Only keys that would be let in are worth a signature.
        Ok(match self.shared.access.identify(offer.public_key) {
            Some(_) => Auth::Accept,
            None => {
                super::log(format_args!(
                    "#{} auth refused {} (unknown key, user {:?})",
                    self.id,
                    offer.public_key.fingerprint(HashAlg::Sha256),
                    user.escape_debug().to_string()
                ));
                Auth::reject()
            }
        })
    }

    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let fingerprint = key.public_key.fingerprint(HashAlg::Sha256);
        match self.shared.access.identify(key.public_key) {
            Some(who) => {
                super::log(format_args!(
                    "#{} auth accepted {} {} as {}",
                    self.id,
                    fingerprint,
                    who.name.escape_debug(),
                    match who.role {
                        Role::Editor => "editor",
                        Role::Viewer => "viewer",
                    }
                ));
                if !self.authenticated.swap(true, Ordering::SeqCst) {
                    self.shared.unauthenticated.fetch_sub(1, Ordering::SeqCst);
                }
                self.who = Some(who);
                Ok(Auth::Accept)
            }
            None => {
                super::log(format_args!(
                    "#{} auth refused {fingerprint} (unknown key)",
                    self.id
                ));
                Ok(Auth::reject())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One dashboard per connection: a second channel would slip past
        // --max-sessions.
        if self.channel.is_some() || self.running.is_some() {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        // Requests arrive through this handler; the read half is not needed.
        let (_read, write) = channel.split();
        self.channel = Some(write);
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = Some(PtyRequest {
            term: term.to_string(),
            cols: u16::try_from(cols).unwrap_or(u16::MAX),
            rows: u16::try_from(rows).unwrap_or(u16::MAX),
        });
        session.channel_success(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if child::accepted_env(name) && self.env.len() < 32 {
            self.env.push((name.to_string(), value.to_string()));
            session.channel_success(channel)?;
        } else {
            session.channel_failure(channel)?;
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        self.start_dashboard(channel, session).await;
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        super::log(format_args!("#{} exec refused ({})", self.id, self.name()));
        session.channel_failure(channel)?;
        self.refuse(
            channel,
            session,
            "this server runs only the dashboard: commands are refused (connect with ssh -t and no command)",
            1,
        )
        .await;
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        super::log(format_args!(
            "#{} subsystem {:?} refused ({})",
            self.id,
            name.escape_debug().to_string(),
            self.name()
        ));
        session.channel_failure(channel)?;
        self.refuse(
            channel,
            session,
            "subsystems (sftp and others) are refused",
            1,
        )
        .await;
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        super::log(format_args!("#{} port forwarding refused", self.id));
        Ok(false)
    }

    async fn streamlocal_forward(
        &mut self,
        _path: &str,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        _host: &str,
        _port: u32,
        _from: &str,
        _from_port: u32,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        super::log(format_args!("#{} port forwarding refused", self.id));
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn channel_open_direct_streamlocal(
        &mut self,
        _channel: Channel<Msg>,
        _path: &str,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn channel_open_x11(
        &mut self,
        _channel: Channel<Msg>,
        _address: &str,
        _port: u32,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Ok(mut t) = self.last_input.lock() {
            *t = Instant::now();
        }
        if let Some(running) = &mut self.running {
            running.input.offer(self.id, data);
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (cols, rows) = (
            u16::try_from(cols).unwrap_or(u16::MAX),
            u16::try_from(rows).unwrap_or(u16::MAX),
        );
        if let Some(pty) = &mut self.pty {
            pty.cols = cols;
            pty.rows = rows;
        }
        if let Some(running) = &self.running {
            let _ = child::resize(running.master.get_ref().as_raw_fd(), cols, rows);
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(running) = &self.running {
            child::signal(running.pid, libc::SIGHUP);
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(running) = &self.running {
            child::signal(running.pid, libc::SIGHUP);
        }
        Ok(())
    }
}
