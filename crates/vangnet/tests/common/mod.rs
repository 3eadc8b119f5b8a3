//! Shared by the tests of the `vangnet` binary: running it (plain, or on a database with
//! no `$USER`/`$LOGNAME` and optional input) and reading what it printed.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Run `vangnet args…`.
pub fn vangnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vangnet"))
        .args(args)
        .output()
        .expect("vangnet runs")
}

/// Run `vangnet --database-url url args…` without `$USER` and `$LOGNAME` (so a job names
/// `--door` or the user id), with `stdin` as its input (none: an empty one).
pub fn vangnet_on(url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vangnet"))
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env_remove("USER")
        .env_remove("LOGNAME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vangnet runs");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("vangnet ends")
}

/// [`vangnet_on`] without input.
pub fn vangnet_at(url: &str, args: &[&str]) -> Output {
    vangnet_on(url, args, None)
}

/// [`vangnet_at`], which must succeed.
pub fn succeeds(url: &str, args: &[&str]) -> Output {
    let o = vangnet_at(url, args);
    assert!(o.status.success(), "{args:?}: {}", text(&o));
    o
}

/// What it printed: standard output, then standard error.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// What it printed on standard output.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A path as an argument.
pub fn s(p: &Path) -> String {
    p.display().to_string()
}
