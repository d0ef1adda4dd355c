//! Guessing slowed per client address. A client that presents wrong credentials — a token on
//! `/login`, a bearer token, a one-time link — more often than its allowance is answered 429
//! with `Retry-After` until the allowance refills. Only failures count, and only the address is
//! limited, never a credential: a token is not locked out by someone else's guessing, and a
//! person whose right token works is never slowed by having signed in often.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};

/// How many wrong credentials a client may present at once, and how often one more is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    pub burst: NonZeroU32,
    pub refill_every: Duration,
}

impl Default for Allowance {
    /// Ten at once, then one every six seconds (ten a minute): a person mistyping is never
    /// stopped, a script is slowed to a crawl.
    fn default() -> Self {
        Allowance {
            burst: NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN),
            refill_every: Duration::from_secs(6),
        }
    }
}

/// The address of the client a request came from, as the server put it in the request's
/// extensions (absent when a request did not come through gallra's own listener).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

/// The client must wait this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

#[derive(Clone)]
pub struct Throttle {
    inner: Arc<Inner>,
}

struct Inner {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    /// Addresses limited now, until when: checked before any credential is looked at.
    limited: Mutex<HashMap<IpAddr, Instant>>,
    /// Makes the logged hash of an address this process's own (an address is personal data).
    salt: [u8; 16],
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Throttle")
    }
}

/// Past this many addresses limited at once, expired ones are dropped before one is added.
const TIDY_ABOVE: usize = 10_000;

impl Throttle {
    pub fn new(allowance: Allowance) -> Self {
        let quota = Quota::with_period(allowance.refill_every)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(allowance.burst);
        Throttle {
            inner: Arc::new(Inner {
                limiter: RateLimiter::keyed(quota),
                limited: Mutex::new(HashMap::new()),
                salt: rand::random(),
            }),
        }
    }

    /// Whether `client` may present a credential now; an unknown client (no address) may.
    pub fn check(&self, client: Option<IpAddr>) -> Result<(), RetryAfter> {
        let Some(key) = client.map(key) else {
            return Ok(());
        };
        let limited = self.inner.limited.lock().unwrap_or_else(|e| e.into_inner());
        match limited.get(&key) {
            Some(until) => match until.checked_duration_since(Instant::now()) {
                Some(left) => Err(RetryAfter(left.as_secs().max(1))),
                None => Ok(()),
            },
            None => Ok(()),
        }
    }

    /// `client` presented a wrong credential. Returns how long it must wait if this one used up
    /// its allowance; the first refusal of a burst is logged, with the address hashed.
    pub fn failed(&self, client: Option<IpAddr>) -> Option<RetryAfter> {
        let key = key(client?);
        let not_until = self.inner.limiter.check_key(&key).err()?;
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        let mut limited = self.inner.limited.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if limited.len() > TIDY_ABOVE {
            limited.retain(|_, until| *until > now);
            self.inner.limiter.retain_recent();
        }
        let was_limited = limited.get(&key).is_some_and(|until| *until > now);
        limited.insert(key, now + wait);
        let retry = RetryAfter(wait.as_secs().max(1));
        if !was_limited {
            tracing::warn!(
                client = %self.hashed(key),
                retry_after_s = retry.0,
                "too many wrong credentials from one client: limited"
            );
        }
        Some(retry)
    }

    fn hashed(&self, key: IpAddr) -> String {
        let mut h = Sha256::new();
        h.update(self.inner.salt);
        h.update(key.to_string().as_bytes());
        hex::encode(&h.finalize()[..6])
    }
}

/// The client's address: the connection's peer, or — when the peer is a proxy the operator
/// trusts (`GALLRA_TRUSTED_PROXIES`) — the last address that proxy added to `X-Forwarded-For`.
/// Anything else in that header is the client's own word and is ignored.
pub fn client_addr(
    peer: Option<IpAddr>,
    forwarded_for: Option<&str>,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let last = forwarded_for
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim);
    Some(last.and_then(|a| a.parse().ok()).unwrap_or(peer))
}

/// One allowance per IPv4 address and per IPv6 /64 (what one subscriber is given, so a client
/// cannot start afresh from each of its 2^64 addresses).
fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tight() -> Throttle {
        Throttle::new(Allowance {
            burst: NonZeroU32::new(3).unwrap(),
            refill_every: Duration::from_secs(3600),
        })
    }

    #[test]
    fn an_address_past_its_allowance_waits_and_others_do_not() {
        let t = tight();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(t.failed(Some(a)), None);
            assert_eq!(t.check(Some(a)), Ok(()));
        }
        let retry = t.failed(Some(a)).expect("the fourth failure is limited");
        assert!(retry.0 >= 1, "{retry:?}");
        assert!(t.check(Some(a)).is_err());
        assert_eq!(t.check(Some(b)), Ok(()));
        assert_eq!(t.check(None), Ok(()));
    }

    #[test]
    fn an_ipv6_subscriber_shares_one_allowance_across_its_64() {
        let t = tight();
        for i in 0..3 {
            let ip: IpAddr = format!("2001:db8:1:2::{i}").parse().unwrap();
            assert_eq!(t.failed(Some(ip)), None);
        }
        assert!(t
            .failed(Some("2001:db8:1:2:ffff::9".parse().unwrap()))
            .is_some());
        assert_eq!(t.check(Some("2001:db8:1:3::1".parse().unwrap())), Ok(()));
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "198.51.100.7".parse().unwrap();
        let header = Some("203.0.113.9, 198.51.100.7");
        assert_eq!(client_addr(Some(proxy), header, &[proxy]), Some(client));
        assert_eq!(client_addr(Some(proxy), header, &[]), Some(proxy));
        assert_eq!(
            client_addr(Some(proxy), Some("junk"), &[proxy]),
            Some(proxy)
        );
        assert_eq!(client_addr(None, header, &[proxy]), None);
    }
}
