//! Authentication primitives for Vangnet, pure (no I/O: randomness comes in as bytes, the
//! time as a number):
//!
//! - [`password`]: argon2id password hashes as PHC strings (OWASP parameters), verification
//!   with a constant-time comparison, and the rules for a new password;
//! - [`totp`]: the second factor, TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30 s), with replay
//!   protection by the last used time step;
//! - [`secret`]: session and API token strings (base64url) and the SHA-256 hash the
//!   database stores instead, generated one-time passwords, constant-time comparison;
//! - [`policy`]: session timeouts and the lock-out after failed logins.

pub mod password;
pub mod policy;
pub mod secret;
pub mod totp;
