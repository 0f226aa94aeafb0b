//! The SSH side (russh, on a tokio runtime of its own): the listener, authentication, and one
//! terminal session per connection, passed to the hub. A connection gets a screen and nothing
//! else: no shell, no command, no subsystem, no forwarding, no file.

use super::hub::{Inbound, OUTLET, Outbound, ViewerId, Waker};
use super::keys::Access;
use crate::widgets::palette::ColorMode;
use russh::keys::PublicKey;
use russh::server::{Auth, ChannelOpenHandle, Msg, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// What every connection shares.
pub struct Shared {
    pub access: Access,
    /// Keys that connect as the presenter (user `presenter`): their keys drive the lecture.
    pub presenters: Vec<PublicKey>,
    pub max_viewers: usize,
    pub inbox: mpsc::SyncSender<Inbound>,
    pub wake: Waker,
    /// Connections open (authenticated or not).
    pub connections: AtomicUsize,
    /// Terminal sessions open.
    pub viewers: AtomicUsize,
    next_id: AtomicU64,
}

impl Shared {
    pub fn new(
        access: Access,
        presenters: Vec<PublicKey>,
        max_viewers: usize,
        inbox: mpsc::SyncSender<Inbound>,
        wake: Waker,
    ) -> Self {
        Shared {
            access,
            presenters,
            max_viewers,
            inbox,
            wake,
            connections: AtomicUsize::new(0),
            viewers: AtomicUsize::new(0),
            next_id: AtomicU64::new(1),
        }
    }
}

/// The user name a presenter connects as (`ssh -t presenter@HOST`), with a presenter's key.
pub const PRESENTER: &str = "presenter";

/// A connection that has not authenticated in this time is closed.
const AUTH_WITHIN: Duration = Duration::from_secs(30);
/// Connections beyond the viewer cap still being set up (or refused with a message).
const SPARE_CONNECTIONS: usize = 8;
/// Input a viewer may send: a burst, then this many bytes a second (a key is a few bytes;
/// more is garbage or a paste, and is dropped rather than let crowd the others out).
const INPUT_BURST: f64 = 64.0 * 1024.0;
const INPUT_RATE: f64 = 16.0 * 1024.0;

/// The server's settings for russh.
pub fn config(
    host_key: russh::keys::PrivateKey,
    access: &Access,
    idle: Duration,
) -> russh::server::Config {
    let methods: &[MethodKind] = match access {
        // Open: no authentication, and keys for the presenter.
        Access::Open => &[MethodKind::None, MethodKind::PublicKey],
        Access::Keys(_) => &[MethodKind::PublicKey],
    };
    russh::server::Config {
        methods: MethodSet::from(methods),
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![host_key],
        // Every byte received counts as life; a quiet client is asked, and let go when it
        // does not answer.
        inactivity_timeout: Some(idle),
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 4,
        max_auth_attempts: 6,
        nodelay: true,
        ..Default::default()
    }
}

/// Accepts connections until the runtime stops.
pub async fn listen(
    listener: TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
) {
    loop {
        let (socket, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(_) => {
                // Out of file descriptors or similar: wait, then go on.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        if shared.connections.load(Ordering::SeqCst) >= shared.max_viewers + SPARE_CONNECTIONS {
            drop(socket);
            continue;
        }
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
        let authenticated = Arc::new(AtomicBool::new(false));
        let conn = Conn {
            id,
            peer: peer.to_string(),
            shared: shared.clone(),
            authenticated: authenticated.clone(),
            channel: None,
            pty: None,
            colorterm: None,
            no_color: false,
            presenter: false,
            opened: false,
            input_budget: INPUT_BURST,
            input_at: Instant::now(),
        };
        let config = config.clone();
        tokio::spawn(async move {
            let Ok(session) = russh::server::run_stream(config, socket, conn).await else {
                return;
            };
            let handle = session.handle();
            tokio::spawn(async move {
                tokio::time::sleep(AUTH_WITHIN).await;
                if !authenticated.load(Ordering::SeqCst) {
                    let _ = handle
                        .disconnect(
                            russh::Disconnect::ByApplication,
                            "authentication took too long".into(),
                            String::new(),
                        )
                        .await;
                }
            });
            let _ = session.await;
        });
    }
}

/// One connection.
struct Conn {
    id: ViewerId,
    peer: String,
    shared: Arc<Shared>,
    authenticated: Arc<AtomicBool>,
    /// The one session channel a connection may have.
    channel: Option<ChannelId>,
    /// `TERM`, columns, rows from the `pty-req`.
    pty: Option<(String, u16, u16)>,
    colorterm: Option<String>,
    no_color: bool,
    /// Authenticated with a presenter's key.
    presenter: bool,
    /// The hub knows this viewer.
    opened: bool,
    input_budget: f64,
    input_at: Instant,
}

impl Conn {
    fn tell(&self, msg: Inbound) {
        // The inbox is bounded: when the lecturer's thread is that far behind, input is
        // dropped (a viewer's keys do little), but never the news that a viewer left
        // (its writer also ends, which the hub sees).
        if self.shared.inbox.try_send(msg).is_ok() {
            (self.shared.wake)();
        }
    }

    fn is_presenter(&self, key: &PublicKey) -> bool {
        self.shared
            .presenters
            .iter()
            .any(|k| k.key_data() == key.key_data())
    }

    /// Whether `key` gets in as `user`: the presenter's name only with a presenter's key.
    fn allows(&self, user: &str, key: &PublicKey) -> Auth {
        let presenter = self.is_presenter(key);
        let ok = if user == PRESENTER && !self.shared.presenters.is_empty() {
            presenter
        } else {
            presenter || self.shared.access.allows(key)
        };
        if ok { Auth::Accept } else { Auth::reject() }
    }

    /// Says `text` on the channel and closes it (a refused request).
    fn refuse(&self, channel: ChannelId, text: &str, session: &mut Session) {
        let _ = session.data(channel, format!("nnbook serve: {text}\r\n").into_bytes());
        let _ = session.exit_status_request(channel, 1);
        let _ = session.eof(channel);
        let _ = session.close(channel);
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.shared.connections.fetch_sub(1, Ordering::SeqCst);
        if self.opened {
            self.shared.viewers.fetch_sub(1, Ordering::SeqCst);
            self.tell(Inbound::Closed { id: self.id });
        }
    }
}

/// Columns or rows as the hub takes them.
fn cells(n: u32) -> u16 {
    n.clamp(1, u16::MAX as u32) as u16
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        let presenter = user == PRESENTER && !self.shared.presenters.is_empty();
        Ok(match self.shared.access {
            Access::Open if !presenter => Auth::Accept,
            _ => Auth::Reject {
                proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
                partial_success: false,
            },
        })
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(self.allows(user, offer.public_key))
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let auth = self.allows(user, key.public_key);
        if matches!(auth, Auth::Accept) {
            self.presenter = self.is_presenter(key.public_key);
        }
        Ok(auth)
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        self.authenticated.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            // One screen per connection: further channels are refused.
            return Ok(());
        }
        self.channel = Some(channel.id());
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.opened {
            session.channel_failure(channel)?;
            return Ok(());
        }
        let term: String = term.chars().take(64).collect();
        self.pty = Some((term, cells(col_width), cells(row_height)));
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
        match name {
            "COLORTERM" => self.colorterm = Some(value.chars().take(32).collect()),
            "NO_COLOR" => self.no_color = !value.is_empty(),
            _ => {
                session.channel_failure(channel)?;
                return Ok(());
            }
        }
        session.channel_success(channel)?;
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.opened {
            session.channel_failure(channel)?;
            return Ok(());
        }
        let Some((term, cols, rows)) = self.pty.clone() else {
            session.channel_success(channel)?;
            self.refuse(
                channel,
                "this is a screen, it needs a terminal: ssh -t (and no command)",
                session,
            );
            return Ok(());
        };
        let n = self.shared.viewers.fetch_add(1, Ordering::SeqCst);
        if n >= self.shared.max_viewers {
            self.shared.viewers.fetch_sub(1, Ordering::SeqCst);
            session.channel_success(channel)?;
            self.refuse(
                channel,
                &format!("the class is full ({} viewers); try again later", n),
                session,
            );
            return Ok(());
        }
        let mode = ColorMode::detect(
            self.no_color.then_some("1"),
            self.colorterm.as_deref(),
            Some(&term),
        );
        let (out, mut rx) = tokio::sync::mpsc::channel::<Outbound>(OUTLET);
        let handle = session.handle();
        tokio::spawn(async move {
            while let Some(o) = rx.recv().await {
                match o {
                    Outbound::Bytes(b) => {
                        if handle.data(channel, b).await.is_err() {
                            break;
                        }
                    }
                    Outbound::Close => {
                        let _ = handle.exit_status_request(channel, 0).await;
                        let _ = handle.eof(channel).await;
                        let _ = handle.close(channel).await;
                        break;
                    }
                }
            }
        });
        self.opened = true;
        session.channel_success(channel)?;
        self.tell(Inbound::Open {
            id: self.id,
            cols,
            rows,
            mode,
            peer: self.peer.clone(),
            presenter: self.presenter,
            out,
        });
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        self.refuse(channel, "no commands here: ssh -t, and no command", session);
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        self.refuse(channel, "no subsystems here (no sftp, no scp)", session);
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) == self.channel && self.opened {
            self.tell(Inbound::Resize {
                id: self.id,
                cols: cells(col_width),
                rows: cells(row_height),
            });
        } else if let Some(p) = &mut self.pty {
            p.1 = cells(col_width);
            p.2 = cells(row_height);
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || !self.opened {
            return Ok(());
        }
        let now = Instant::now();
        let dt = now.duration_since(self.input_at).as_secs_f64();
        self.input_at = now;
        self.input_budget = (self.input_budget + dt * INPUT_RATE).min(INPUT_BURST);
        if (data.len() as f64) > self.input_budget {
            return Ok(());
        }
        self.input_budget -= data.len() as f64;
        self.tell(Inbound::Input {
            id: self.id,
            bytes: data.to_vec(),
        });
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let _ = session.close(channel);
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) == self.channel && self.opened {
            self.opened = false;
            self.shared.viewers.fetch_sub(1, Ordering::SeqCst);
            self.tell(Inbound::Closed { id: self.id });
        }
        Ok(())
    }
}
