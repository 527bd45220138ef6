//! Bulk import of users into a pool from NDJSON or CSV, for moving consumers from old
//! stores. Streaming and batched: memory stays bounded by one batch whatever the file size.
//! A bad row is reported and skipped; running the same file twice changes nothing.
//!
//! A row (NDJSON: one JSON object per line; CSV: a header line names the columns):
//!
//! | field | meaning |
//! |---|---|
//! | `username`, `email`, `phone` | identifiers (the pool's identifier is required) |
//! | `password` | plaintext, hashed with argon2id on import |
//! | `password_hash` | argon2 PHC, bcrypt `$2b$…`, or `$pbkdf2-sha256$i=…,l=32$salt$hash` (see `identity::hashes`), upgraded at first sign-in |
//! | `status` | `active` (default; addresses verified) or `inactive` |
//! | `groups` | group ids (CSV: separated by `;`) |
//! | `payload`, `metadata` | objects (CSV: columns `payload.<key>` / `metadata.<key>`; a cell starting with `[` or `{` is JSON) |
//!
//! Users are matched by their identifier: an existing user is updated (or left unchanged
//! when nothing differs), never duplicated.
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use crate::error::AppError;
use crate::identity::lifecycle;
use crate::identity::users::{self, Draft, FieldError, Rules, Writer, fe};
use crate::state::AppState;
use crate::storage::identity::{ImportView, Lookup, NewUser, Pool};
use crate::storage::{User, UserStatus};

pub const BATCH: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ndjson,
    Csv,
}

impl Format {
    pub fn from_name(name: &str) -> Option<Format> {
        match name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase().as_str() {
            "ndjson" | "jsonl" | "json" | "application/x-ndjson" | "application/jsonl" => Some(Format::Ndjson),
            "csv" | "text/csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// One input row as written: a user draft (`identity::users`), checked as the import's.
pub type Row = Draft;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    Rejected,
}

/// What happened to one row (line numbers count from 1, the CSV header included).
#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    pub line: u64,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

impl Summary {
    fn count(&mut self, r: &RowReport) {
        self.rows += 1;
        match r.outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Rejected => self.rejected += 1,
        }
    }
}

/// Parsed rows of a file, one at a time: (line, row or why it cannot be read).
pub struct Reader<R: BufRead> {
    inner: Inner<R>,
}

enum Inner<R: BufRead> {
    Ndjson { lines: std::io::Lines<R>, line: u64 },
    Csv { records: csv::StringRecordsIntoIter<R>, headers: Vec<String> },
}

const CSV_COLUMNS: &[&str] = &["username", "email", "phone", "password", "password_hash", "status", "groups"];

impl<R: BufRead> Reader<R> {
    /// Fails only when the file as a whole is unusable (a CSV header naming an unknown column).
    pub fn new(input: R, format: Format) -> Result<Self, String> {
        Ok(Reader {
            inner: match format {
                Format::Ndjson => Inner::Ndjson { lines: input.lines(), line: 0 },
                Format::Csv => {
                    let mut r = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(input);
                    let headers: Vec<String> = r.headers().map_err(|e| format!("CSV header: {e}"))?.iter().map(str::to_owned).collect();
                    for h in &headers {
                        let known = CSV_COLUMNS.contains(&h.as_str()) || h.strip_prefix("payload.").or_else(|| h.strip_prefix("metadata.")).is_some_and(|k| !k.is_empty());
                        if !known {
                            return Err(format!("CSV header: unknown column {h:?} (known: {}, payload.<key>, metadata.<key>)", CSV_COLUMNS.join(", ")));
                        }
                    }
                    Inner::Csv { records: r.into_records(), headers }
                }
            },
        })
    }
}

fn csv_row(headers: &[String], rec: &csv::StringRecord) -> Result<Row, String> {
    let mut obj = Map::new();
    let mut payload = Map::new();
    let mut metadata = Map::new();
    for (h, cell) in headers.iter().zip(rec.iter()) {
        if cell.is_empty() {
            continue;
        }
        let value = || -> Result<Value, String> {
            if cell.starts_with('[') || cell.starts_with('{') { serde_json::from_str(cell).map_err(|e| format!("{h}: {e}")) } else { Ok(Value::String(cell.to_owned())) }
        };
        if let Some(k) = h.strip_prefix("payload.") {
            payload.insert(k.to_owned(), value()?);
        } else if let Some(k) = h.strip_prefix("metadata.") {
            metadata.insert(k.to_owned(), value()?);
        } else if h == "groups" {
            obj.insert(h.clone(), cell.split(';').map(str::trim).filter(|g| !g.is_empty()).map(|g| Value::String(g.into())).collect());
        } else {
            obj.insert(h.clone(), Value::String(cell.to_owned()));
        }
    }
    obj.insert("payload".into(), Value::Object(payload));
    obj.insert("metadata".into(), Value::Object(metadata));
    serde_json::from_value(Value::Object(obj)).map_err(|e| e.to_string())
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = (u64, Result<Row, String>);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Ndjson { lines, line } => loop {
                *line += 1;
                match lines.next()? {
                    Err(e) => return Some((*line, Err(format!("unreadable line: {e}")))),
                    Ok(l) if l.trim().is_empty() => continue,
                    Ok(l) => return Some((*line, serde_json::from_str::<Row>(&l).map_err(|e| format!("not a row: {e}")))),
                }
            },
            Inner::Csv { records, headers } => {
                let rec = records.next()?;
                Some(match rec {
                    Ok(r) => (r.position().map(|p| p.line()).unwrap_or(0), csv_row(headers, &r)),
                    Err(e) => (e.position().map(|p| p.line()).unwrap_or(0), Err(format!("CSV: {e}"))),
                })
            }
        }
    }
}

/// Everything an import of one pool needs, loaded once.
/// What an import may not touch, for an importer who lacks privileges (the admin API's
/// caller): groups whose privileges it does not hold (joining one grants them), and users
/// who hold such privileges (changing one is taking it over). The command line has none.
#[derive(Debug, Default, Clone)]
pub struct Limits {
    pub groups: HashSet<String>,
    pub users: HashSet<String>,
}

pub struct Importer<'a> {
    state: &'a AppState,
    pool: Pool,
    limits: Limits,
    rules: Rules,
    /// Identifiers met so far in this file (hashed, 8 bytes each): the first row with an
    /// identifier wins, in whichever batch a later one comes.
    seen: HashMap<u64, u64>,
    hash_keys: std::collections::hash_map::RandomState,
    pub summary: Summary,
}

/// A row that passed the checks, ready to be written.
struct Checked {
    line: u64,
    user: NewUser,
    /// The plaintext, when the row gave one (compared with the stored hash on re-import).
    plaintext: Option<String>,
}

fn reject(line: u64, username: Option<String>, errors: Vec<FieldError>) -> RowReport {
    RowReport { line, outcome: Outcome::Rejected, username, user_id: None, errors }
}

impl<'a> Importer<'a> {
    pub async fn new(state: &'a AppState, tenant: &crate::model::TenantId, pool: &str, limits: Limits) -> Result<Importer<'a>, AppError> {
        let pool = state.pools.pool(tenant, pool).await?.ok_or_else(|| AppError::invalid("/pool", format!("no pool {pool:?} in tenant {tenant:?}")))?;
        let rules = Rules::load(state.schemas.as_ref(), state.groups.as_ref(), &pool).await?;
        Ok(Importer { state, pool, limits, rules, seen: HashMap::new(), hash_keys: Default::default(), summary: Summary::default() })
    }

    /// Checks one row without touching the database: the pool's rules (`identity::users`),
    /// then the importer's limits.
    fn check(&self, line: u64, row: Row) -> Result<Checked, RowReport> {
        let checked = self.rules.check(Writer::Import, &row);
        let limited = row.groups.iter().enumerate().filter(|(_, g)| self.limits.groups.contains(*g));
        let mut errors: Vec<FieldError> = limited.map(|(i, _)| fe(&format!("/groups/{i}"), "this group gives privileges the importer does not hold")).collect();
        match checked {
            Ok(user) if errors.is_empty() => Ok(Checked { line, plaintext: row.password, user }),
            Ok(user) => Err(reject(line, Some(user.username), errors)),
            Err(mut e) => {
                e.append(&mut errors);
                Err(reject(line, self.rules.username(&row).or(row.username), e))
            }
        }
    }

    /// Imports one batch of parsed rows; reports go to `out` in line order.
    pub async fn batch(&mut self, rows: Vec<(u64, Result<Row, String>)>, out: &Reports) -> Result<(), AppError> {
        let mut reports: Vec<RowReport> = vec![];
        let mut checked = vec![];
        for (line, row) in rows {
            match row {
                Err(e) => reports.push(reject(line, None, vec![fe("", &e)])),
                Ok(row) => match self.check(line, row) {
                    Ok(c) => checked.push(c),
                    Err(r) => reports.push(r),
                },
            }
        }
        // Within the file, the first row with an identifier wins; later ones are rejected.
        let mut unique = vec![];
        for c in checked {
            use std::hash::BuildHasher;
            let keys: Vec<(Lookup, u64)> = [(Lookup::Email, c.user.email.as_deref()), (Lookup::Phone, c.user.phone.as_deref()), (Lookup::Username, Some(c.user.username.as_str()))]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, self.hash_keys.hash_one((k as u8, v)))))
                .collect();
            let dup = keys.iter().find_map(|(k, h)| self.seen.get(h).map(|l| (*k, *l)));
            if let Some((k, first)) = dup {
                let field = match k {
                    Lookup::Username => "/username",
                    Lookup::Email => "/email",
                    Lookup::Phone => "/phone",
                };
                reports.push(reject(c.line, Some(c.user.username.clone()), vec![fe(field, &format!("same as line {first}"))]));
                continue;
            }
            for (_, h) in keys {
                self.seen.insert(h, c.line);
            }
            unique.push(c);
        }
        let usernames: Vec<String> = unique.iter().map(|c| c.user.username.clone()).collect();
        let emails: Vec<String> = unique.iter().filter_map(|c| c.user.email.clone()).collect();
        let phones: Vec<String> = unique.iter().filter_map(|c| c.user.phone.clone()).collect();
        let taken = self.state.users.taken(&self.pool.tenant_id, &self.pool.id, &usernames, &emails, &phones).await?;
        let owner: HashMap<(Lookup, String), String> = taken.into_iter().map(|(k, v, id)| ((k, v), id)).collect();
        // Everything a re-import compares, in a few queries for the whole batch.
        let existing: Vec<String> = unique.iter().filter_map(|c| owner.get(&(Lookup::Username, c.user.username.clone())).cloned()).collect();
        let mut stored = self.state.users.import_view(&self.pool.tenant_id, &existing).await?;
        let mut fresh = vec![];
        for c in unique {
            let by_name = owner.get(&(Lookup::Username, c.user.username.clone())).cloned();
            let clash = [(Lookup::Email, c.user.email.clone(), "/email"), (Lookup::Phone, c.user.phone.clone(), "/phone")]
                .into_iter()
                .find_map(|(k, v, f)| v.and_then(|v| owner.get(&(k, v)).filter(|id| Some(*id) != by_name.as_ref()).map(|_| f)));
            if let Some(field) = clash {
                reports.push(reject(c.line, Some(c.user.username.clone()), vec![fe(field, "belongs to another user of the pool")]));
                continue;
            }
            match by_name {
                Some(id) => {
                    let view = stored.remove(&id);
                    reports.push(self.update(c, &id, view).await?)
                }
                None => fresh.push(c),
            }
        }
        // Plaintext passwords are hashed concurrently, as many at a time as the hasher allows.
        let mut hashing = tokio::task::JoinSet::new();
        for (i, c) in fresh.iter().enumerate() {
            if let Some(pw) = c.plaintext.clone() {
                let hasher = self.state.hasher.clone();
                hashing.spawn(async move { (i, hasher.hash(&pw).await) });
            }
        }
        while let Some(done) = hashing.join_next().await {
            let (i, hash) = done.map_err(|e| AppError::internal("import hashing task").because(e))?;
            fresh[i].user.password_hash = Some(hash?);
        }
        reports.extend(self.create(fresh).await?);
        reports.sort_by_key(|r| r.line);
        for r in reports {
            self.summary.count(&r);
            // A slow reader of the reports slows the import down; memory does not grow.
            if out.send(r).await.is_err() {
                return Err(AppError::internal("import report reader went away"));
            }
        }
        Ok(())
    }

    async fn create(&self, fresh: Vec<Checked>) -> Result<Vec<RowReport>, AppError> {
        if fresh.is_empty() {
            return Ok(vec![]);
        }
        let now = self.state.now();
        let users: Vec<NewUser> = fresh.iter().map(|c| c.user.clone()).collect();
        let report = |c: &Checked, u: &User| RowReport { line: c.line, outcome: Outcome::Created, username: Some(u.username.clone()), user_id: Some(u.id.clone()), errors: vec![] };
        match self.state.users.create_users(&self.pool.tenant_id, &users, now).await {
            Ok(created) => Ok(fresh.iter().zip(&created).map(|(c, u)| report(c, u)).collect()),
            // Someone else took an identifier meanwhile: row by row, so only that row fails.
            Err(AppError::Unavailable { .. } | AppError::Conflict(_)) => {
                let mut out = vec![];
                for c in &fresh {
                    out.push(match self.state.users.create_user(&self.pool.tenant_id, &c.user, now).await {
                        Ok(u) => report(c, &u),
                        Err(AppError::Conflict(f)) => reject(c.line, Some(c.user.username.clone()), vec![users::taken(&f)]),
                        Err(e) => return Err(e),
                    });
                }
                Ok(out)
            }
            Err(e) => Err(e),
        }
    }

    /// Brings an existing user in line with the row; unchanged when nothing differs.
    async fn update(&self, c: Checked, id: &str, stored: Option<ImportView>) -> Result<RowReport, AppError> {
        let state = self.state;
        let Some(ImportView { mut user, groups, password_source }) = stored else {
            return Ok(reject(c.line, Some(c.user.username), vec![fe("/username", "vanished during the import")]));
        };
        if user.status == UserStatus::Deleted {
            return Ok(reject(c.line, Some(c.user.username), vec![fe("/username", "belongs to a deleted user")]));
        }
        if self.limits.users.contains(id) {
            return Ok(reject(c.line, Some(c.user.username), vec![fe("/username", "belongs to a user with privileges the importer does not hold")]));
        }
        let mut wanted_groups = c.user.groups.clone();
        wanted_groups.sort();
        wanted_groups.dedup();
        let n = &c.user;
        let same_profile = user.email == n.email && user.phone == n.phone && user.claims == n.payload && user.metadata == n.metadata && user.status == n.status;
        let same_password = match (&c.plaintext, &n.password_source) {
            (None, None) => true,
            (None, Some(src)) => password_source.is_some_and(|s| crate::crypto::ct_eq(&s, src)),
            (Some(pw), _) => match state.credentials.password_hashes(&self.pool.tenant_id, id).await?.first() {
                Some(h) => state.hasher.verify(pw, h).await?,
                None => false,
            },
        };
        let report = |outcome| RowReport { line: c.line, outcome, username: Some(n.username.clone()), user_id: Some(id.to_owned()), errors: vec![] };
        if same_profile && same_password && groups == wanted_groups {
            return Ok(report(Outcome::Unchanged));
        }
        let now = state.now();
        if !same_profile {
            let was_active = user.status == UserStatus::Active;
            user.email_verified = (user.email == n.email && user.email_verified) || (n.status == UserStatus::Active && n.email.is_some());
            user.phone_verified = (user.phone == n.phone && user.phone_verified) || (n.status == UserStatus::Active && n.phone.is_some());
            user.email = n.email.clone();
            user.phone = n.phone.clone();
            user.claims = n.payload.clone();
            user.metadata = n.metadata.clone();
            user.status = n.status;
            state.users.update_user(&user.tenant_id, &user, now).await?;
            if was_active && user.status != UserStatus::Active {
                lifecycle::revoke_everything(&state.lifecycle(), &user).await?;
            }
        }
        if !same_password {
            let hash = match (&c.plaintext, &n.password_hash) {
                (Some(pw), _) => Some(state.hasher.hash(pw).await?),
                (None, h) => h.clone(),
            };
            if let Some(h) = hash {
                state.credentials.import_password(&self.pool.tenant_id, id, &h, n.password_source, now).await?;
            }
        }
        if groups != wanted_groups {
            state.groups.set_groups(&self.pool.tenant_id, &self.pool.id, id, &wanted_groups).await?;
        }
        Ok(report(Outcome::Updated))
    }
}

/// Where row reports go: a bounded channel, so reporting applies back-pressure.
pub type Reports = tokio::sync::mpsc::Sender<RowReport>;

/// Imports a whole file: parsing on a blocking thread, batches through a small channel
/// (so at most a few batches are in memory), reports to `out`.
pub async fn run<R: BufRead + Send + 'static>(state: &AppState, tenant: &crate::model::TenantId, pool: &str, input: R, format: Format, out: Reports, limits: Limits) -> Result<Summary, AppError> {
    let mut importer = Importer::new(state, tenant, pool, limits).await?;
    let reader = Reader::new(input, format).map_err(|e| AppError::invalid("", e))?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<(u64, Result<Row, String>)>>(2);
    let parser = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(BATCH);
        for item in reader {
            batch.push(item);
            if batch.len() == BATCH && tx.blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                return;
            }
        }
        if !batch.is_empty() {
            let _ = tx.blocking_send(batch);
        }
    });
    let mut batches = 0u64;
    while let Some(batch) = rx.recv().await {
        importer.batch(batch, &out).await?;
        batches += 1;
        // Statistics after the first batch and then every 20: a large import keeps its
        // lookups on the indexes as the tables grow.
        if batches % 20 == 1 {
            state.users.refresh_statistics().await?;
        }
    }
    parser.await.map_err(|e| AppError::internal("import parser task").because(e))?;
    lifecycle::audit(&state.lifecycle(), tenant, "import", "users.imported", pool, serde_json::to_value(&importer.summary)?).await;
    Ok(importer.summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_map_columns_groups_and_json_cells() {
        let csv = "username,email,groups,payload.given_name,metadata.roles\nann,ann@example.com,trial; basic,Ann,\"[\"\"a\"\",\"\"b\"\"]\"\n";
        let mut r = Reader::new(std::io::Cursor::new(csv), Format::Csv).unwrap();
        let (line, row) = r.next().unwrap();
        let row = row.unwrap();
        assert_eq!(line, 2);
        assert_eq!(row.groups, vec!["trial", "basic"]);
        assert_eq!(row.payload["given_name"], "Ann");
        assert_eq!(row.metadata["roles"], serde_json::json!(["a", "b"]));
        assert!(Reader::new(std::io::Cursor::new("username,colour\n"), Format::Csv).is_err());
    }

    #[test]
    fn ndjson_lines_are_numbered_and_bad_ones_reported() {
        let text = "{\"username\":\"a\"}\n\nnot json\n{\"username\":\"b\",\"extra\":1}\n";
        let rows: Vec<_> = Reader::new(std::io::Cursor::new(text), Format::Ndjson).unwrap().collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].1.is_ok());
        assert_eq!(rows[1].0, 3);
        assert!(rows[1].1.is_err());
        assert!(rows[2].1.as_ref().unwrap_err().contains("extra"));
    }
}
