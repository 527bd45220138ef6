//! WebAuthn assertion verifications per second per core, beside raw ES256 signature
//! verifications. One thread, so the rates are per core.
//!
//! ```sh
//! cargo run --release --example webauthn_bench
//! WEBAUTHN_BENCH_N=5000 cargo run --release --example webauthn_bench
//! ```
//!
//! A soft passkey (P-256, ES256) registers with a workspace's relying party
//! (`auth::passkeys::RelyingParties`, the one the server uses) and answers `N` fresh
//! authentication ceremonies. Timed, each on its own:
//! - `assertion`: `Webauthn::finish_passkey_authentication` on the parsed answer (client
//!   data JSON parsed and checked: type, challenge, origin; RP ID hash, flags, user
//!   verification, counter; SHA-256 of the client data; the ES256 signature over
//!   authenticator data and that hash);
//! - `assertion+json`: the same from the answer's JSON as the browser posts it;
//! - `raw ES256`: only the signature check of a message of the same length
//!   (authenticator data + SHA-256 hash, 69 bytes) with OpenSSL through `josekit`,
//!   the library our tokens use. (`webauthn-rs` verifies with RustCrypto's `p256`, so the
//!   gap is part implementation, part the ceremony's own checks.)
//!
//! The session-store round trips of a real sign-in (taking the ceremony, the credential
//! list, the compare-and-set of the counter) are not part of these numbers.
#![allow(clippy::disallowed_methods, reason = "a benchmark measures elapsed time on the machine's clock")]
use std::time::Instant;

use josekit::jws::ES256;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{PasskeyAuthentication, PublicKeyCredential, Url, Uuid};

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() {
    if let Err(e) = run() {
        eprintln!("webauthn_bench: {e}");
        std::process::exit(1);
    }
}

fn rate(label: &str, n: usize, f: impl FnMut(usize) -> Result<(), Error>) -> Result<f64, Error> {
    let mut f = f;
    let start = Instant::now();
    for i in 0..n {
        f(i)?;
    }
    let secs = start.elapsed().as_secs_f64();
    let per_sec = n as f64 / secs;
    println!("{label:<16} {n:>6} in {secs:>7.3} s  {per_sec:>9.0} /s per core  {:>7.1} µs each", secs * 1e6 / n as f64);
    Ok(per_sec)
}

fn run() -> Result<(), Error> {
    let n: usize = std::env::var("WEBAUTHN_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let origin = Url::parse("http://localhost:8080")?;
    let rps = portcullis::auth::passkeys::RelyingParties::new(&origin);
    let rp = rps.of(&portcullis::model::TenantId::new("bench"), "bench", "Bench")?;

    let mut soft = SoftPasskey::new(true);
    let (ccr, reg) = rp.start_passkey_registration(Uuid::new_v4(), "carol", "Carol", None)?;
    let answer = soft.do_registration(origin.clone(), ccr).map_err(|e| format!("registration: {e:?}"))?;
    let passkey = rp.finish_passkey_registration(&answer, &reg)?;

    // N ceremonies, answered ahead of the timing.
    let mut ceremonies: Vec<(PasskeyAuthentication, PublicKeyCredential, String)> = Vec::with_capacity(n);
    for _ in 0..n {
        let (rcr, state) = rp.start_passkey_authentication(std::slice::from_ref(&passkey))?;
        let answer = soft.do_authentication(origin.clone(), rcr).map_err(|e| format!("authentication: {e:?}"))?;
        let json = serde_json::to_string(&answer)?;
        ceremonies.push((state, answer, json));
    }

    // The same number of raw ES256 signatures over 69-byte messages.
    let keys = ES256.generate_key_pair()?;
    let signer = ES256.signer_from_der(keys.to_der_private_key())?;
    let verifier = ES256.verifier_from_der(keys.to_der_public_key())?;
    let mut signed = Vec::with_capacity(n);
    for i in 0..n {
        let mut msg = vec![0u8; 69];
        msg[..8].copy_from_slice(&(i as u64).to_be_bytes());
        let sig = josekit::jws::JwsSigner::sign(&signer, &msg)?;
        signed.push((msg, sig));
    }

    println!("{n} verifications each, one thread");
    let assertion = rate("assertion", n, |i| {
        let (state, answer, _) = &ceremonies[i];
        rp.finish_passkey_authentication(answer, state)?;
        Ok(())
    })?;
    rate("assertion+json", n, |i| {
        let (state, _, json) = &ceremonies[i];
        let answer: PublicKeyCredential = serde_json::from_str(json)?;
        rp.finish_passkey_authentication(&answer, state)?;
        Ok(())
    })?;
    let raw = rate("raw ES256", n, |i| {
        let (msg, sig) = &signed[i];
        josekit::jws::JwsVerifier::verify(&verifier, msg, sig)?;
        Ok(())
    })?;
    println!("assertion / raw ES256: {:.2}", assertion / raw);
    Ok(())
}
