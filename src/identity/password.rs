//! Password hashing with argon2id. Hashing is CPU- and memory-heavy (each hash holds
//! ~19 MiB), so it runs on a fixed set of `concurrency` worker threads: a burst of
//! sign-ins (or a bulk import) queues instead of exhausting memory. Fixed threads matter:
//! on tokio's blocking pool every new thread would keep its own allocator arena with a
//! freed 19 MiB block in it, and resident memory grew to hundreds of MiB.
use argon2::password_hash::{self, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use crate::error::AppError;

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct Hasher {
    /// The workers stop when the last clone of the hasher is dropped.
    jobs: mpsc::Sender<Job>,
    params: Params,
    /// Verified when the user does not exist, so that the response time does not tell.
    dummy: Arc<String>,
    /// argon2 (or imported-hash) computations handed to the workers, shared by the clones:
    /// tests compare it across paths that must cost the same (see [`Hasher::runs`]).
    runs: Arc<AtomicU64>,
}

impl Hasher {
    /// OWASP's argon2id baseline: m = 19 MiB, t = 2, p = 1.
    pub fn new(concurrency: usize) -> Result<Self, AppError> {
        let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| AppError::internal("argon2 parameters").because(e))?;
        let dummy = hash_with(&params, "portcullis-no-such-user")?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..concurrency.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only to take the next job, not to run it.
                        let next = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        match next {
                            // A panicking job must not take the worker with it.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            Err(_) => return,
                        }
                    }
                })
                .map_err(|e| AppError::internal("argon2 worker").because(e))?;
        }
        Ok(Self { jobs, params, dummy: Arc::new(dummy), runs: Arc::new(AtomicU64::new(0)) })
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let (params, pw) = (self.params.clone(), password.to_owned());
        self.run(move || hash_with(&params, &pw)).await
    }

    /// Constant-time verification of `password` against a stored hash: argon2 or an
    /// imported bcrypt / PBKDF2-SHA256 hash (see `identity::hashes`), within the cost
    /// bounds there. A stored hash that is malformed or beyond them never runs: it fails
    /// like a wrong password, after the work of a normal verification (so the time says
    /// nothing), and a warning is logged; the user can reset the password.
    pub async fn verify(&self, password: &str, phc: &str) -> Result<bool, AppError> {
        if let Err(why) = super::hashes::parse(phc) {
            tracing::warn!(reason = %why, "stored password hash refused");
            return self.verify_nobody(password).await;
        }
        let (pw, phc) = (password.to_owned(), phc.to_owned());
        self.run(move || {
            if phc.starts_with("$argon2") {
                return verify_argon2(&pw, &phc);
            }
            super::hashes::verify(&pw, &phc).map_err(|e| AppError::corrupt("stored password hash").because(e))
        })
        .await
    }

    /// Whether a stored hash already uses this hasher's argon2id parameters; if not, it is
    /// replaced after the next successful sign-in.
    pub fn is_current(&self, phc: &str) -> bool {
        super::hashes::is_current(phc, &self.params)
    }

    /// Spends the same work as a real verification and answers false.
    pub async fn verify_nobody(&self, password: &str) -> Result<bool, AppError> {
        let (pw, dummy) = (password.to_owned(), self.dummy.clone());
        self.run(move || verify_argon2(&pw, &dummy)).await.map(|_| false)
    }

    /// How many hashes and verifications this hasher (and its clones) has run so far. A
    /// path that must not reveal whether an account exists (registration, sign-in) makes
    /// the same number of runs either way: tests check that work, not the time it takes.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::SeqCst)
    }

    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> Result<T, AppError> + Send + 'static) -> Result<T, AppError> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(f());
        });
        self.jobs.send(job).map_err(|_| AppError::internal("argon2 workers stopped"))?;
        result.await.map_err(|_| AppError::internal("argon2 worker failed"))?
    }
}

thread_local! {
    /// Each worker's argon2 memory, allocated once and reused: a fresh 19 MiB allocation
    /// per hash made glibc's heap grow by about that much per hash (its dynamic mmap
    /// threshold moves such blocks onto the heap, where they fragment).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// The largest memory a worker keeps between hashes (the server's own parameters);
/// imported hashes asking for more get a temporary buffer.
const KEPT_BLOCKS: usize = 19 * 1024;

fn argon2_into(alg: Algorithm, version: Version, params: &Params, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), argon2::Error> {
    let argon = Argon2::new(alg, version, params.clone());
    let need = params.block_count();
    if need > KEPT_BLOCKS {
        return argon.hash_password_into_with_memory(password, salt, out, vec![Block::default(); need]);
    }
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() < need {
            m.resize(need, Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut m[..need])
    })
}

/// Hashes with argon2id under `params` (the raw rate the load example compares against).
pub fn hash_with(params: &Params, password: &str) -> Result<String, AppError> {
    let internal = |e: &dyn std::fmt::Display| AppError::internal("argon2").because(e.to_string());
    // 16 bytes, the length the PHC format recommends (`Salt::RECOMMENDED_LENGTH`).
    let salt = SaltString::encode_b64(&crate::crypto::random_bytes::<16>()).map_err(|e| internal(&e))?;
    let mut buf = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut buf).map_err(|e| internal(&e))?;
    let hash = Output::init_with(params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN), |out| {
        argon2_into(Algorithm::Argon2id, Version::V0x13, params, password.as_bytes(), salt_bytes, out).map_err(|_| password_hash::Error::Crypto)
    })
    .map_err(|e| internal(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(|e| internal(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    };
    Ok(phc.to_string())
}

/// Verifies an argon2 PHC string (any variant and parameters) in constant time.
fn verify_argon2(password: &str, phc: &str) -> Result<bool, AppError> {
    let bad = |e: &dyn std::fmt::Display| AppError::corrupt("stored password hash").because(e.to_string());
    let parsed = PasswordHash::new(phc).map_err(|e| bad(&e))?;
    let alg = Algorithm::try_from(parsed.algorithm).map_err(|e| bad(&e))?;
    let version = parsed.version.map(Version::try_from).transpose().map_err(|e| bad(&e))?.unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(|e| bad(&e))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(bad(&"salt and hash expected"));
    };
    let mut buf = [0u8; 64];
    let salt = salt.decode_b64(&mut buf).map_err(|e| bad(&e))?;
    let mut out = vec![0u8; expected.len()];
    argon2_into(alg, version, &params, password.as_bytes(), salt, &mut out).map_err(|e| bad(&e))?;
    Ok(crate::crypto::ct_eq(&out, expected.as_bytes()))
}

#[cfg(test)]
#[allow(clippy::disallowed_types, reason = "hashes made the way other software makes them")]
mod tests {
    use super::*;
    use argon2::password_hash::rand_core::OsRng;

    #[tokio::test]
    async fn argon2id_round_trip() {
        let h = Hasher::new(2).unwrap();
        let phc = h.hash("correct horse battery").await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(h.verify("correct horse battery", &phc).await.unwrap());
        assert!(!h.verify("wrong", &phc).await.unwrap());
        assert!(!h.verify_nobody("anything").await.unwrap());
        // Hashes made by the argon2 crate's own API verify, and ours verify there.
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let theirs = Argon2::default().hash_password(b"pw one", &SaltString::generate(&mut OsRng)).unwrap().to_string();
        assert!(h.verify("pw one", &theirs).await.unwrap());
        assert!(!h.verify("pw two", &theirs).await.unwrap());
        assert!(Argon2::default().verify_password(b"correct horse battery", &PasswordHash::new(&phc).unwrap()).is_ok());
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x10, Params::new(8, 1, 1, None).unwrap()).hash_password(b"old", &SaltString::generate(&mut OsRng)).unwrap().to_string();
        assert!(h.verify("old", &argon2i).await.unwrap());
    }
}
