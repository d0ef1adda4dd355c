//! Logging setup: `RUST_LOG` filters, `GALLRA_LOG_FORMAT` picks text or JSON.

use tracing_subscriber::EnvFilter;

/// Log at `RUST_LOG`'s filter, else at `default` (`info` for a server; the demo passes `warn`,
/// so what a new user must read is not lost among start-up lines).
pub fn init(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let json = std::env::var("GALLRA_LOG_FORMAT").is_ok_and(|f| f == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // try_init: tests and the demo may call this more than once.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
