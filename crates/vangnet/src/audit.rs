//! `vangnet audit`: the access log (NEN 7513) at the command line — `verify` checks the
//! hash chain and names the first broken or missing row (exit code 1 when broken),
//! `anchor` writes an anchor at the head and prints its hash (to be kept outside Vangnet),
//! `retention` shows the retention periods per data kind and what is past its period, and
//! with `--uitvoeren` deletes access-log rows up to an anchor. Also [`job`]: the gate of a
//! system job in the name of the person who runs the command (`--door`, default `$USER`).

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use vangnet_domain::{Actor, Date, Organisation, Role};
use vangnet_store::audit::{RETENTION, retention};
use vangnet_store::{AccessGate, Store};

/// `vangnet audit …`.
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Verify the access log's hash chain; names the first broken or missing row.
    Verify,
    /// Write an anchor at the access log's last row and print its hash.
    Anchor,
    /// Retention periods per data kind, and what is past its period. Deletes nothing unless
    /// `--uitvoeren` is given; then access-log rows up to an anchor are deleted.
    Retention {
        /// Delete the access-log rows past their period (up to the newest anchor before the
        /// first row that is not).
        #[arg(long)]
        uitvoeren: bool,
        /// The day to compute from (default: today), `JJJJ-MM-DD`.
        #[arg(long, value_name = "DATUM")]
        peildatum: Option<String>,
        /// Clients past their period to list at most.
        #[arg(long, default_value_t = 20)]
        toon: usize,
    },
}

/// The gate of system job `job` started by `door` (from `--door` or `$USER`; else
/// `$LOGNAME`; else the process's user id, `uid N`): the person is named in the access log.
/// A given name must be printable and at most 100 characters.
pub fn job(door: Option<&str>, job: &str) -> Result<AccessGate> {
    let name = match door.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => n.to_owned(),
        None => os_user(),
    };
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        bail!("--door: een naam van hoogstens 100 tekens, zonder stuurtekens");
    }
    Ok(AccessGate::job(
        Actor {
            user: name,
            role: Role::Systeem,
            organisation: Organisation::Vangnet,
        },
        job,
    ))
}

/// Who runs this process when `--door` and `$USER` say nothing: `$LOGNAME`, else the real
/// user id from `/proc/self/status` (`uid 1000`), else `onbekend`.
fn os_user() -> String {
    if let Some(n) = std::env::var("LOGNAME")
        .ok()
        .filter(|n| !n.trim().is_empty())
    {
        return n.trim().to_owned();
    }
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|u| format!("uid {u}")))
        })
        .unwrap_or_else(|| "onbekend".to_owned())
}

/// Run `command` on `store`.
pub fn run(command: AuditCommand, store: &dyn Store, door: Option<&str>) -> Result<()> {
    match command {
        AuditCommand::Verify => {
            let report = store.verify_access_log(&job(door, "toegangslog_controleren")?)?;
            println!("Toegangslog ({}): {report}", store.engine());
            if !report.ok() {
                bail!("het toegangslog is niet ongeschonden");
            }
            Ok(())
        }
        AuditCommand::Anchor => {
            match store.anchor_access_log(&job(door, "toegangslog_anker")?)? {
                Some(a) => println!(
                    "Anker op rij {}: hash {} ({}). Bewaar deze hash buiten Vangnet: dan kan later elke wijziging vóór deze rij worden aangetoond.",
                    a.seq, a.hash, a.at
                ),
                None => println!("Het toegangslog is leeg; geen anker geschreven."),
            }
            Ok(())
        }
        AuditCommand::Retention {
            uitvoeren,
            peildatum,
            toon,
        } => {
            let on = match peildatum {
                Some(p) => Date::parse(&p).context("--peildatum")?,
                None => vangnet_store::time::today(),
            };
            println!("Bewaartermijnen per soort gegevens:");
            for r in RETENTION {
                println!(
                    "  {:<50} {:>2} jaar na {}{}\n      bron: {}",
                    r.label,
                    r.years,
                    r.from,
                    if r.assumption { " (aanname)" } else { "" },
                    r.source
                );
            }
            let log = retention("toegangslog").expect("defined");
            let cutoff = format!(
                "{}T00:00:00.000Z",
                on.add_months(-12 * i32::try_from(log.years).unwrap_or(100))
            );
            let gate = job(door, vangnet_store::audit::RETENTION_ACTION)?;
            let r = store.access_log_retention(&gate, &cutoff, uitvoeren)?;
            println!("\nToegangslog: rijen geschreven vóór {cutoff} zijn over hun bewaartermijn.");
            match (r.due_until, r.anchor) {
                (None, _) => println!("  Geen rijen over hun bewaartermijn."),
                (Some(due), None) => println!(
                    "  Rijen {} t/m {due} zijn over hun bewaartermijn, maar er ligt geen anker binnen die rijen: er kan niets worden verwijderd zonder de keten te breken (schrijf een anker met `vangnet audit anchor`).",
                    r.first
                ),
                (Some(due), Some(a)) if uitvoeren => println!(
                    "  Verwijderd: rijen {} t/m {a} ({} rijen, tot het anker op rij {a}); rijen {} t/m {due} volgen na het volgende anker. De keten begint nu bij rij {}.",
                    r.first,
                    r.deleted,
                    a + 1,
                    a + 1
                ),
                (Some(due), Some(a)) => println!(
                    "  Te verwijderen: rijen {} t/m {a} ({} rijen, tot het anker op rij {a}); over hun termijn t/m rij {due}. Voer uit met --uitvoeren.",
                    r.first, r.deletable
                ),
            }
            let client = retention("clientdossier").expect("defined");
            let before = on.add_months(-12 * i32::try_from(client.years).unwrap_or(100));
            let (n, due) = store.clients_past_retention(
                &job(door, "bewaartermijn_clienten")?,
                before,
                toon,
            )?;
            println!(
                "\nCliëntgegevens: afgewezen of uitgestroomd, laatste gebeurtenis vóór {before} ({} jaar{}): {n} cliënten.",
                client.years,
                if client.assumption { ", aanname" } else { "" }
            );
            for (c, phase, last) in &due {
                println!("  {c}  {phase:<13} laatste gebeurtenis {last}");
            }
            if n as usize > due.len() {
                println!("  … en {} meer (--toon N)", n as usize - due.len());
            }
            println!(
                "  Cliëntgegevens worden niet verwijderd: de vernietiging (gebeurtenissen, persoon, projecties en een geanonimiseerde rest voor de monitor) is nog niet gebouwd."
            );
            Ok(())
        }
    }
}
