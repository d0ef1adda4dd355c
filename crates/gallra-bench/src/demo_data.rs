//! Synthetic datasources for `gallra demo`: made-up people, never real ones.

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement,
    Value,
};

const FIRST: &[&str] = &[
    "Astrid", "Björn", "Cecilia", "David", "Elin", "Fredrik", "Greta", "Hugo", "Ingrid", "Jonas",
    "Karin", "Lars",
];
const LAST: &[&str] = &[
    "Andersson",
    "Berg",
    "Carlsson",
    "Dahl",
    "Ek",
    "Forsberg",
    "Gustafsson",
    "Holm",
    "Isaksson",
    "Jansson",
];

/// A connection that does not log its statements: the fill's hundreds of INSERTs would bury
/// what the demo prints.
async fn connect(url: &str) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let mut opts = ConnectOptions::new(url);
    opts.sqlx_logging(false);
    Database::connect(opts).await
}

/// The demo's participants: this many days of registrations, this many a day.
pub const MEETING_DAYS: i64 = 30;
pub const MEETINGS_PER_DAY: i64 = 40;

/// Digitalt möte's participant database: `per_day` registrations a day over `days` days.
/// Returns the datasource URL.
pub async fn meetings(
    dir: &Path,
    now: DateTime<Utc>,
    days: i64,
    per_day: i64,
) -> anyhow::Result<String> {
    std::fs::create_dir_all(dir)?;
    let url = format!("sqlite://{}/meetings.db?mode=rwc", dir.display());
    let db = connect(&url).await?;
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS participants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, personnummer TEXT NOT NULL, \
         session_id TEXT NOT NULL, registered_at TEXT NOT NULL); \
         CREATE INDEX IF NOT EXISTS ix_participants_registered_at ON participants (registered_at);",
    )
    .await?;
    let mut id: i64 = 0;
    for d in 0..days {
        let mut tuples = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        for j in 0..per_day {
            id += 1;
            let at = now - TimeDelta::days(d) - TimeDelta::minutes(17 * j + 3);
            let name = format!(
                "{} {}",
                FIRST[(id as usize * 7) % FIRST.len()],
                LAST[(id as usize * 3) % LAST.len()]
            );
            // Personnummer-shaped, but day 60+ is never a real date of birth: synthetic by construction.
            let pnr = format!(
                "19{:02}{:02}{:02}-{:04}",
                50 + id % 40,
                1 + id % 12,
                61 + id % 28,
                (id * 37) % 10_000
            );
            tuples.push("(?, ?, ?, ?, ?)");
            values.extend([
                id.into(),
                name.into(),
                pnr.into(),
                format!("sess-{:08x}", id * 2_654_435_761 % 4_294_967_296).into(),
                at.format("%Y-%m-%d %H:%M:%S").to_string().into(),
            ]);
        }
        let sql = format!("INSERT INTO participants (id, name, personnummer, session_id, registered_at) VALUES {}", tuples.join(", "));
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            sql,
            values,
        ))
        .await?;
    }
    db.close().await?;
    Ok(url)
}

/// An accounts table for a review source.
pub struct AccountsTable<'a> {
    pub file: &'a str,
    pub table: &'a str,
    pub role_col: &'a str,
    pub activity_col: &'a str,
    pub roles: &'a [&'a str],
    pub rows: i64,
    /// More columns, e.g. `, disabled INTEGER DEFAULT 0` for a revoke action to set.
    pub extra: &'a str,
}

/// `t.rows` made-up people with roles from `t.roles` and an activity date. Returns the URL.
pub async fn accounts(dir: &Path, t: AccountsTable<'_>) -> anyhow::Result<String> {
    let AccountsTable {
        file,
        table,
        role_col,
        activity_col,
        roles,
        rows,
        extra,
    } = t;
    std::fs::create_dir_all(dir)?;
    let url = format!("sqlite://{}/{file}?mode=rwc", dir.display());
    let db = connect(&url).await?;
    db.execute_unprepared(&format!("CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, {role_col} TEXT, {activity_col} TEXT{extra})")).await?;
    for id in 1..=rows {
        let name = format!(
            "{} {}",
            FIRST[(id as usize * 5) % FIRST.len()],
            LAST[(id as usize * 7) % LAST.len()]
        );
        let sql = format!(
            "INSERT INTO {table} (id, name, {role_col}, {activity_col}) VALUES (?, ?, ?, ?)"
        );
        let values: Vec<Value> = vec![
            id.into(),
            name.into(),
            roles[id as usize % roles.len()].into(),
            format!("2026-{:02}-{:02}", 1 + id % 11, 1 + id % 28).into(),
        ];
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            sql,
            values,
        ))
        .await?;
    }
    db.close().await?;
    Ok(url)
}
