//! What keeps one client, or many, from taking the server: a cap on
//! sessions, on connections still authenticating, and on how often one
//! address may connect.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Connections that have not authenticated yet, at most; more are refused
/// at once (a scan or a flood must not starve the real sessions).
pub const MAX_UNAUTHENTICATED: usize = 16;
/// How long a connection may take to authenticate.
pub const AUTH_TIMEOUT: Duration = Duration::from_secs(20);
/// One address may open this many connections per `RATE_WINDOW`: enough
/// for an audience behind one NAT arriving together, not for a flood.
pub const RATE_BURST: usize = 20;
pub const RATE_WINDOW: Duration = Duration::from_secs(10);
/// Keepalives every 5 s: the third tick with two still unanswered ends the
/// connection, so a frozen or vanished client is found 15 s after it last
/// answered, while a healthy idle viewer answers and stays.
pub const KEEPALIVE_EVERY: Duration = Duration::from_secs(5);
pub const KEEPALIVE_MAX: usize = 2;
/// A session whose client takes longer than this to accept one send of
/// output (at most `OUTPUT_CHUNK`) is dropped: it has stopped reading.
pub const STALLED_OUTPUT: Duration = Duration::from_secs(30);
/// A connection whose socket accepts nothing for this long is cut: its
/// client stopped reading (while the server waits on a full socket it
/// cannot send keepalives, so this is how such a client is found).
pub const STALLED_SOCKET: Duration = Duration::from_secs(15);
/// Output is read from a session's dashboard in chunks of this size.
pub const OUTPUT_CHUNK: usize = 32 * 1024;
/// Output held for a client that is behind, at most: several whole frames
/// of a large terminal. Past it the held output is dropped and the screen
/// repainted whole when the client catches up (besides this, at most the
/// client's SSH window is in flight).
pub const OUTPUT_LIMIT: usize = 256 * 1024;
/// After SIGTERM, sessions get this long to close before the server exits.
pub const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);

/// Connections per address over a sliding window.
#[derive(Debug, Default)]
pub struct RateLimit {
    seen: HashMap<IpAddr, Vec<Instant>>,
}

impl RateLimit {
    /// Records a connection from `ip` at `now`; false when the address is
    /// over its limit (the refused attempt is not counted, so a client that
    /// waits gets in).
    pub fn allow(&mut self, ip: IpAddr, now: Instant) -> bool {
        // Forget quiet addresses so the map cannot grow without bound.
        self.seen.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < RATE_WINDOW);
            !times.is_empty()
        });
        let times = self.seen.entry(ip).or_default();
        if times.len() >= RATE_BURST {
            return false;
        }
        times.push(now);
        true
    }
}

/// `90s`, `30m`, `2h`, `1d`, or a bare number of seconds; `0` means never.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (e.g. 90s, 30m, 2h)"))?;
    let secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => return Err(format!("{text:?} is not a duration (e.g. 90s, 30m, 2h)")),
    };
    Ok(Duration::from_secs(n.saturating_mul(secs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("15"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5w").is_err());
    }

    #[test]
    fn an_address_over_its_burst_is_refused_until_the_window_passes() {
        let mut limit = RateLimit::default();
        let ip: IpAddr = "10.0.0.7".parse().unwrap();
        let other: IpAddr = "10.0.0.8".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..RATE_BURST {
            assert!(limit.allow(ip, t0));
        }
        assert!(!limit.allow(ip, t0));
        assert!(limit.allow(other, t0), "another address is not slowed");
        assert!(limit.allow(ip, t0 + RATE_WINDOW));
    }
}
