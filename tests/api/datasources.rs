//! Datasource fixtures: a participants table with synthetic rows, on SQLite always, and on
//! PostgreSQL (TEST_DATABASE_URL) and MariaDB (TEST_MARIADB_URL) when their URLs are set.

use chrono::{DateTime, TimeDelta, Utc};
use gallra::datasource::sql::instant;
use gallra::policy::spec::TimestampFormat;
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement, Value};
use tempfile::TempDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
    MariaDb,
}

/// Every datasource kind this run can reach.
pub fn kinds() -> Vec<Kind> {
    let mut k = vec![Kind::Sqlite];
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        k.push(Kind::Postgres);
    }
    if std::env::var("TEST_MARIADB_URL").is_ok_and(|u| !u.is_empty()) {
        k.push(Kind::MariaDb);
    }
    k
}

pub struct Fixture {
    pub url: String,
    pub db: DatabaseConnection,
    pub format: TimestampFormat,
    _dir: TempDir,
}

/// `now - d days - m minutes` for 10 rows a day over 14 days: ids 1..=140, ids 71..=140 older than 7 days.
pub fn fourteen_days(now: DateTime<Utc>) -> Vec<(i64, DateTime<Utc>)> {
    (0..14)
        .flat_map(|d| {
            (0..10).map(move |j| {
                (
                    d * 10 + j + 1,
                    now - TimeDelta::days(d) - TimeDelta::minutes(j + 1),
                )
            })
        })
        .collect()
}

async fn server_database(base_var: &str) -> String {
    let base = std::env::var(base_var).unwrap();
    let name = format!("gallra_ds_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("{base_var} unreachable: {e}"));
    let quoted = if base.starts_with("mysql") {
        format!("`{name}`")
    } else {
        format!("\"{name}\"")
    };
    admin
        .execute_unprepared(&format!("CREATE DATABASE {quoted}"))
        .await
        .unwrap();
    admin.close().await.ok();
    format!("{}/{name}", base.rsplit_once('/').unwrap().0)
}

impl Fixture {
    /// An app with `policies` applied and this fixture as the `meetings` datasource.
    pub async fn meetings_app(&self, policies: &std::path::Path) -> crate::helpers::TestApp {
        crate::helpers::TestApp::spawn_full(
            Some(policies),
            std::collections::HashMap::from([("meetings".to_string(), self.url.clone())]),
        )
        .await
    }

    pub async fn participants(
        kind: Kind,
        format: TimestampFormat,
        rows: &[(i64, DateTime<Utc>)],
    ) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let url = match kind {
            Kind::Sqlite => format!("sqlite://{}/meetings.db?mode=rwc", dir.path().display()),
            Kind::Postgres => server_database("TEST_DATABASE_URL").await,
            Kind::MariaDb => server_database("TEST_MARIADB_URL").await,
        };
        let db = Database::connect(&url).await.unwrap();
        let backend = db.get_database_backend();
        let ts_type = match (format, backend) {
            (TimestampFormat::UnixSeconds | TimestampFormat::UnixMillis, _) => "BIGINT",
            (TimestampFormat::Iso8601, _) => "VARCHAR(40)",
            (TimestampFormat::Sql, DatabaseBackend::Postgres) => "TIMESTAMPTZ",
            (TimestampFormat::Sql, DatabaseBackend::MySql) => "DATETIME",
            (TimestampFormat::Sql, _) => "TEXT",
        };
        db.execute_unprepared(&format!(
            "CREATE TABLE participants (id BIGINT PRIMARY KEY, name VARCHAR(100), personnummer VARCHAR(100), session_id VARCHAR(64), registered_at {ts_type})"
        ))
        .await
        .unwrap();
        db.execute_unprepared(
            "CREATE INDEX ix_participants_registered_at ON participants (registered_at)",
        )
        .await
        .unwrap();
        let f = Fixture {
            url,
            db,
            format,
            _dir: dir,
        };
        f.insert(rows).await;
        f
    }

    pub async fn insert(&self, rows: &[(i64, DateTime<Utc>)]) {
        let backend = self.db.get_database_backend();
        for chunk in rows.chunks(200) {
            let mut values: Vec<Value> = Vec::new();
            let mut tuples = Vec::new();
            for (id, at) in chunk {
                let n = values.len();
                let p = |i: usize| {
                    if backend == DatabaseBackend::Postgres {
                        format!("${}", n + i)
                    } else {
                        "?".into()
                    }
                };
                tuples.push(format!(
                    "({}, {}, {}, {}, {})",
                    p(1),
                    p(2),
                    p(3),
                    p(4),
                    p(5)
                ));
                values.push((*id).into());
                values.push(format!("Deltagare {id}").into());
                values.push(format!("19{:02}0101-{:04}", id % 100, id).into());
                values.push(format!("session-{id}").into());
                values.push(instant(backend, self.format, *at));
            }
            let sql = format!("INSERT INTO participants (id, name, personnummer, session_id, registered_at) VALUES {}", tuples.join(", "));
            self.db
                .execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await
                .unwrap();
        }
    }

    /// Delete these participants, as another process's batch would.
    pub async fn delete_ids(&self, ids: &[i64]) {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        self.db
            .execute_unprepared(&format!(
                "DELETE FROM participants WHERE id IN ({})",
                list.join(", ")
            ))
            .await
            .unwrap();
    }

    pub async fn ids(&self) -> Vec<i64> {
        let rows = self
            .db
            .query_all_raw(Statement::from_string(
                self.db.get_database_backend(),
                "SELECT id FROM participants ORDER BY id",
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| r.try_get_by_index::<i64>(0).unwrap())
            .collect()
    }
}

impl Fixture {
    /// An accounts table `table` (id, name, role, last_login, disabled) and a roster of `roster` ids.
    pub async fn accounts(
        kind: Kind,
        table: &str,
        rows: &[(i64, &str, &str)],
        roster: &[i64],
    ) -> Fixture {
        let f = Fixture::participants(kind, TimestampFormat::Sql, &[]).await;
        let b = f.db.get_database_backend();
        f.db.execute_unprepared(&format!("CREATE TABLE {table} (id BIGINT PRIMARY KEY, name VARCHAR(100), role VARCHAR(50), last_login VARCHAR(40), disabled INTEGER DEFAULT 0)")).await.unwrap();
        f.db.execute_unprepared("CREATE TABLE staff_roster (person_id BIGINT PRIMARY KEY)")
            .await
            .unwrap();
        for (id, name, role) in rows {
            let p = |i: usize| {
                if b == DatabaseBackend::Postgres {
                    format!("${i}")
                } else {
                    "?".into()
                }
            };
            let sql = format!(
                "INSERT INTO {table} (id, name, role, last_login) VALUES ({}, {}, {}, {})",
                p(1),
                p(2),
                p(3),
                p(4)
            );
            let values: Vec<Value> = vec![
                (*id).into(),
                (*name).into(),
                (*role).into(),
                "2026-11-01".into(),
            ];
            f.db.execute_raw(Statement::from_sql_and_values(b, sql, values))
                .await
                .unwrap();
        }
        for id in roster {
            f.db.execute_unprepared(&format!(
                "INSERT INTO staff_roster (person_id) VALUES ({id})"
            ))
            .await
            .unwrap();
        }
        f
    }

    /// `(id, disabled)` of every row of `table`.
    pub async fn disabled(&self, table: &str) -> Vec<(i64, i32)> {
        let rows = self
            .db
            .query_all_raw(Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT id, disabled FROM {table} ORDER BY id"),
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| {
                (
                    r.try_get_by_index::<i64>(0).unwrap(),
                    r.try_get_by_index::<i32>(1).unwrap(),
                )
            })
            .collect()
    }
}
