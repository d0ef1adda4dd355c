//! Serving HTTP/1.1 connections within bounds: a client has `header_timeout` to send its
//! request's headers and as long to start its next one on a kept-alive connection, at most
//! `max_connections` are open at once (one more is answered 503 and closed, so those already
//! served are not harmed), and every request carries its client's address for the sign-in
//! throttle. `axum::serve` offers none of these bounds: its timeout starts only once a
//! request has reached the router, so trickled or idle connections were held for ever.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::auth::throttle::{client_addr, ClientAddr};
use crate::settings::HttpLimits;

/// How long a stopping server waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(30);

/// The answer to a connection past the limit, written without reading its request.
const OVER_LIMIT: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\ncache-control: no-store\r\nconnection: close\r\ncontent-length: 82\r\n\r\n{\"error\":{\"code\":\"unavailable\",\"message\":\"too many open connections; try again\"}}\n";

/// Serve `router` on `listener` until `shutdown` resolves, then drain requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &HttpLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let trusted: Arc<[IpAddr]> = limits.trusted_proxies.clone().into();
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_headers(100);
    let refusals = Arc::new(AtomicU64::new(0));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors, mostly: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream, refusals.clone()));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = service(router.clone(), peer, trusted.clone());
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that hangs up or times out ends its connection; nothing to report.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after {DRAIN:?}: stopping anyway");
    }
    Ok(())
}

/// One connection's service: the router, each request told its client's address.
fn service(
    router: Router,
    peer: SocketAddr,
    trusted: Arc<[IpAddr]>,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Future + Send,
> + Clone {
    hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        let client = client_addr(Some(peer.ip()), forwarded, &trusted);
        req.extensions_mut().insert(ClientAddr(client));
        req.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(req.map(axum::body::Body::new))
    })
}

/// Answer a connection past the limit and close it, giving its writer one second at most.
async fn refuse(mut stream: TcpStream, refusals: Arc<AtomicU64>) {
    // Logged on the first refusal and every thousandth after: once per burst, not per client.
    if refusals
        .fetch_add(1, Ordering::Relaxed)
        .is_multiple_of(1000)
    {
        tracing::warn!("open connections at the limit (GALLRA_MAX_CONNECTIONS): refusing more");
    }
    let write = async {
        stream.write_all(OVER_LIMIT).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_over_limit_answer_declares_its_length() {
        let text = std::str::from_utf8(super::OVER_LIMIT).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let declared: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(declared, body.len());
        assert!(serde_json::from_str::<serde_json::Value>(body).is_ok());
    }
}
