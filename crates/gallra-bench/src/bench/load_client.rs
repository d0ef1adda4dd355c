//! The mixed client of `gallra bench load`: each operation in turn, against either replica,
//! tallied by status and latency.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// What a client does, in turn.
pub(super) const OPS: [&str; 12] = [
    "GET services",
    "GET rules",
    "GET runs",
    "GET campaigns",
    "GET checkpoint",
    "GET entries",
    "POST decision",
    "POST dry run",
    "POST run",
    "POST+DELETE hold",
    "POST+DELETE token",
    "GET service",
];

#[derive(Default)]
pub(super) struct Tally {
    /// (operation, status) → count; status 0: no answer (connection error or timeout).
    pub(super) by_status: BTreeMap<(&'static str, u16), u64>,
    pub(super) latencies: BTreeMap<&'static str, Vec<Duration>>,
}

pub(super) struct Client {
    pub(super) http: reqwest::Client,
    pub(super) bases: [String; 2],
    pub(super) tokens: Tokens,
    pub(super) items: Vec<i64>,
    pub(super) tally: Mutex<Tally>,
    pub(super) counter: AtomicU64,
}

pub(super) struct Tokens {
    pub(super) admin: String,
    pub(super) dpo: String,
    pub(super) operator: String,
    pub(super) auditor: String,
}

impl Client {
    pub(super) async fn one(&self, k: usize, replica: usize) {
        let op = OPS[k % OPS.len()];
        let base = &self.bases[replica];
        let t = &self.tokens;
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let status = match op {
            "GET services" => {
                self.get(base, "/api/v1/services?limit=50", &t.auditor)
                    .await
            }
            "GET service" => {
                self.get(base, "/api/v1/services/digitalt-mote", &t.auditor)
                    .await
            }
            "GET rules" => self.get(base, "/api/v1/retention/rules", &t.auditor).await,
            "GET runs" => {
                self.get(base, "/api/v1/retention/runs?limit=20", &t.auditor)
                    .await
            }
            "GET campaigns" => {
                self.get(base, "/api/v1/reviews/campaigns", &t.auditor)
                    .await
            }
            "GET checkpoint" => {
                self.get(base, "/api/v1/evidence/checkpoint", &t.auditor)
                    .await
            }
            "GET entries" => {
                self.get(base, "/api/v1/evidence/entries?limit=50", &t.auditor)
                    .await
            }
            "POST decision" => {
                let item = self.items[n as usize % self.items.len().max(1)];
                let d = if n.is_multiple_of(2) {
                    "keep"
                } else {
                    "unsure"
                };
                let path = format!("/api/v1/reviews/items/{item}/decision");
                let body = json!({"decision": d, "justification": "load test"});
                self.post(base, &path, &t.dpo, body).await.0
            }
            "POST dry run" => {
                let path = "/api/v1/retention/rules/meeting-participants/runs";
                self.post(base, path, &t.operator, json!({"dry_run": true}))
                    .await
                    .0
            }
            "POST run" => {
                let path = "/api/v1/retention/rules/meeting-participants/runs";
                self.post(base, path, &t.operator, json!({"dry_run": false}))
                    .await
                    .0
            }
            "POST+DELETE hold" => {
                let path = "/api/v1/retention/rules/meeting-participants/holds";
                let body = json!({"keys": [format!("{}", 1 + n % 12_000)], "reason": "load test"});
                match self.post(base, path, &t.dpo, body).await {
                    (201, Some(v)) => match v["id"].as_i64() {
                        Some(id) => {
                            self.delete(base, &format!("/api/v1/retention/holds/{id}"), &t.dpo)
                                .await
                        }
                        None => 201,
                    },
                    (s, _) => s,
                }
            }
            _ => {
                let body = json!({"name": format!("load-{n}"), "role": "auditor"});
                match self.post(base, "/api/v1/tokens", &t.admin, body).await {
                    (201, Some(v)) => match v["id"].as_i64() {
                        Some(id) => {
                            self.delete(base, &format!("/api/v1/tokens/{id}"), &t.admin)
                                .await
                        }
                        None => 201,
                    },
                    (s, _) => s,
                }
            }
        };
        let took = started.elapsed();
        let mut tally = self.tally.lock().expect("tally");
        *tally.by_status.entry((op, status)).or_default() += 1;
        tally.latencies.entry(op).or_default().push(took);
    }

    async fn get(&self, base: &str, path: &str, token: &str) -> u16 {
        self.status(self.http.get(format!("{base}{path}")), token)
            .await
    }

    async fn delete(&self, base: &str, path: &str, token: &str) -> u16 {
        self.status(self.http.delete(format!("{base}{path}")), token)
            .await
    }

    /// The status of `request` sent with `token`, its body read to the end; 0 if it failed.
    async fn status(&self, request: reqwest::RequestBuilder, token: &str) -> u16 {
        match request.bearer_auth(token).send().await {
            Ok(r) => {
                let s = r.status().as_u16();
                let _ = r.bytes().await;
                s
            }
            Err(_) => 0,
        }
    }

    async fn post(&self, base: &str, path: &str, token: &str, body: Value) -> (u16, Option<Value>) {
        match self
            .http
            .post(format!("{base}{path}"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
        {
            Ok(r) => {
                let s = r.status().as_u16();
                (s, r.json().await.ok())
            }
            Err(_) => (0, None),
        }
    }
}
