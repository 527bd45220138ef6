//! Dev delivery: one JSON file a message in a directory, plus one log line.
use super::{Delivery, Message};
use crate::error::AppError;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Writes `<dir>/<unix-millis>-<uuid>.json`, pretty JSON of the message plus `id` and
/// `created_at` (unix seconds). Files appear atomically (written under a hidden temporary
/// name in the same directory, then renamed), so a reader never sees half a message.
pub struct Outbox {
    dir: PathBuf,
    /// The millisecond stamp of the last file written. Stamps are kept strictly increasing
    /// so that file names sort in sending order even within one millisecond.
    last_millis: AtomicI64,
}

/// The file's content: the message with its id and time.
#[derive(Serialize)]
struct Record<'a> {
    id: String,
    created_at: i64,
    #[serde(flatten)]
    message: &'a Message,
}

impl Outbox {
    /// The directory is created at the first message if missing.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Outbox {
            dir: dir.into(),
            last_millis: AtomicI64::new(0),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    #[allow(clippy::disallowed_methods, reason = "file names sort by the machine's time; no rule reads it")]
    fn next_millis(&self) -> i64 {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let previous = self
            .last_millis
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
                Some(now.max(last + 1))
            })
            .unwrap_or_else(|last| last);
        now.max(previous + 1)
    }
}

#[async_trait::async_trait]
impl Delivery for Outbox {
    async fn send(&self, message: &Message) -> Result<(), AppError> {
        let millis = self.next_millis();
        let id = uuid::Uuid::new_v4();
        // Zero-padded so that names sort chronologically as text.
        let name = format!("{millis:013}-{id}.json");
        let record = Record {
            id: id.to_string(),
            created_at: millis / 1000,
            message,
        };
        let mut bytes = serde_json::to_vec_pretty(&record)?;
        bytes.push(b'\n');
        let dir = self.dir.clone();
        let file_name = name.clone();
        tokio::task::spawn_blocking(move || write_atomically(&dir, &file_name, &bytes))
            .await
            .map_err(|e| AppError::internal("outbox: writer task failed").because(e))?
            .map_err(|e| AppError::internal(format!("outbox {}", self.dir.display())).because(e))?;
        // Never the code, the link or the body: they are one-time credentials.
        tracing::info!(
            channel = %message.channel,
            purpose = %message.purpose,
            to = %message.to,
            file = %name,
            "message written to the outbox"
        );
        Ok(())
    }
}

fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.tmp"));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // The files carry one-time codes: readable by the server's user only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, dir.join(name))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// For tests and dev tools: the messages in an outbox dir, oldest first (parsed). A
/// directory that does not exist yet holds no messages. Temporary files of writes in
/// progress are skipped; a file that does not parse is an `InvalidData` error naming it.
pub fn read_outbox(dir: &Path) -> std::io::Result<Vec<Message>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut names = Vec::new();
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    names
        .iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(name))?;
            serde_json::from_slice(&bytes).map_err(|e| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{name}: {e}"))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Channel;
    use super::super::test_support::{TempDir, message};
    use super::*;

    #[tokio::test]
    async fn writes_one_parseable_file_per_message_read_back_in_order() {
        let dir = TempDir::new("outbox");
        // Nested and missing: created at the first message.
        let outbox = Outbox::new(dir.0.join("nested/outbox"));
        assert!(read_outbox(outbox.dir()).unwrap().is_empty());

        let codes = ["100001", "100002", "100003", "100004", "100005"];
        for (i, code) in codes.iter().enumerate() {
            let channel = if i % 2 == 0 {
                Channel::Email
            } else {
                Channel::Sms
            };
            outbox
                .send(&message(channel, "alice@example.com", code))
                .await
                .unwrap();
        }

        let mut files: Vec<_> = std::fs::read_dir(outbox.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files.len(), codes.len(), "{files:?}");
        for name in &files {
            // <13-digit unix millis>-<uuid>.json, no temporary file left behind
            let (millis, rest) = name.split_once('-').unwrap();
            assert_eq!(millis.len(), 13, "{name}");
            assert!(millis.bytes().all(|b| b.is_ascii_digit()), "{name}");
            let id = rest.strip_suffix(".json").unwrap();
            uuid::Uuid::parse_str(id).unwrap();

            let json: serde_json::Value =
                serde_json::from_slice(&std::fs::read(outbox.dir().join(name)).unwrap()).unwrap();
            assert_eq!(json["id"], id);
            let created_at = json["created_at"].as_i64().unwrap();
            assert_eq!(created_at, millis.parse::<i64>().unwrap() / 1000);
            assert_eq!(json["tenant"], "acme");
            assert!(json["channel"] == "email" || json["channel"] == "sms");
        }

        let read = read_outbox(outbox.dir()).unwrap();
        let read_codes: Vec<_> = read.iter().map(|m| m.code.as_deref().unwrap()).collect();
        assert_eq!(read_codes, codes);
        assert_eq!(read[0].channel, Channel::Email);
        assert_eq!(read[1].channel, Channel::Sms);
        assert_eq!(read[0].subject, "Your activation code");
        assert_eq!(read[0].text, "Your code is 100001.");
    }

    #[tokio::test]
    async fn temporary_files_are_skipped_and_garbage_is_named() {
        let dir = TempDir::new("outbox-tmp");
        let outbox = Outbox::new(&dir.0);
        outbox
            .send(&message(Channel::Sms, "+15550100", "424242"))
            .await
            .unwrap();
        std::fs::write(dir.0.join(".0000000000000-x.json.tmp"), b"{").unwrap();
        assert_eq!(read_outbox(&dir.0).unwrap().len(), 1);

        std::fs::write(dir.0.join("9999999999999-broken.json"), b"{").unwrap();
        let err = read_outbox(&dir.0).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert!(
            err.to_string().contains("9999999999999-broken.json"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn files_are_private_to_the_server_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = TempDir::new("outbox-mode");
        Outbox::new(&dir.0)
            .send(&message(Channel::Sms, "+15550100", "1"))
            .await
            .unwrap();
        let entry = std::fs::read_dir(&dir.0).unwrap().next().unwrap().unwrap();
        assert_eq!(
            entry.metadata().unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
