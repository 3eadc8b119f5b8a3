//! `vangnet audit`: the access log (NEN 7513) at the command line — `verify` checks the
//! hash chain and names the first broken or missing row (exit code 1 when broken),
//! `anchor` writes an anchor at the head and prints its hash (to be kept outside Vangnet),
//! `retention` shows the retention periods per data kind and what is past its period, and
//! with `--uitvoeren` deletes access-log rows up to an anchor. `vangnet clienten
//! bewaartermijn` ([`ClientenCommand`]) lists the client records past their period and, with
//! `--uitvoeren`, deletes them one by one (`Store::delete_client_data`). Also [`job`]: the
//! gate of a system job in the name of the person who runs the command (`--door`, default
//! `$USER`).

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use vangnet_domain::retention::{ACCESS_LOG, RETENTION, client_record, retention};
use vangnet_domain::{Actor, Date, Organisation, Role};
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
                let period = match r.years() {
                    Some(_) => format!("{} na {}", r.period.label(), r.from),
                    None => r.period.label(),
                };
                println!(
                    "  {}: {period}{}\n      tabellen: {}\n      bron: {}",
                    r.label,
                    if r.assumption { " (aanname)" } else { "" },
                    r.tables,
                    r.source
                );
            }
            let log = retention(ACCESS_LOG).expect("defined");
            let cutoff = format!("{}T00:00:00.000Z", log.cutoff(on).expect("in years"));
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
            let client = client_record();
            let before = client.cutoff(on).expect("in years");
            let (n, due) = store.clients_past_retention(
                &job(door, "bewaartermijn_clienten")?,
                before,
                toon,
            )?;
            println!(
                "\nCliëntgegevens: afgewezen of uitgestroomd, laatste gebeurtenis vóór {before} ({}{}): {n} cliënten.",
                client.period.label(),
                if client.assumption { ", aanname" } else { "" }
            );
            for (c, phase, last) in &due {
                println!("  {c}  {phase:<13} laatste gebeurtenis {last}");
            }
            if n as usize > due.len() {
                println!("  … en {} meer (--toon N)", n as usize - due.len());
            }
            println!(
                "  Verwijderen (gebeurtenissen, persoon, projecties; de monitortellingen en het toegangslog blijven): vangnet clienten bewaartermijn --uitvoeren --door NAAM"
            );
            Ok(())
        }
    }
}

/// `vangnet clienten …`.
#[derive(Subcommand, Debug)]
pub enum ClientenCommand {
    /// Client records past their retention period (closed, last fact before the cutoff):
    /// lists them; with `--uitvoeren` deletes them one by one, each in one transaction, and
    /// reports each. Requires `--door NAAM` (or `$USER`): the deletion is logged in that name.
    Bewaartermijn {
        /// Only clients whose last fact lies before this day, `JJJJ-MM-DD` (default: today
        /// minus the client record's period). The store refuses any client still within its
        /// period, whatever this says.
        #[arg(long, value_name = "DATUM")]
        voor: Option<String>,
        /// Delete them (default: only list what would go).
        #[arg(long)]
        uitvoeren: bool,
        /// The reason recorded in the access log with every deletion.
        #[arg(long, value_name = "TEKST", default_value = "bewaartermijn verstreken")]
        reden: String,
    },
}

/// Run `command` on `store` in the name of `door`.
pub fn run_clienten(command: ClientenCommand, store: &dyn Store, door: Option<&str>) -> Result<()> {
    let ClientenCommand::Bewaartermijn {
        voor,
        uitvoeren,
        reden,
    } = command;
    if door.is_none_or(|d| d.trim().is_empty()) {
        bail!(
            "--door NAAM is verplicht: cliëntgegevens worden verwijderd op naam van de persoon die het start"
        );
    }
    let gate = job(door, "bewaartermijn_clienten")?;
    let rule = client_record();
    let cutoff = rule.cutoff(vangnet_store::time::today()).expect("in years");
    let before = match voor {
        Some(v) => Date::parse(&v).context("--voor")?,
        None => cutoff,
    };
    let (n, due) = store.clients_past_retention(&gate, before, usize::MAX)?;
    println!(
        "Cliëntgegevens over de bewaartermijn ({} na {}{}): afgewezen of uitgestroomd, laatste gebeurtenis vóór {before}: {n} cliënten.",
        rule.period.label(),
        rule.from,
        if rule.assumption { "; aanname" } else { "" }
    );
    if before > cutoff {
        println!(
            "  Let op: {before} ligt na de grens van de bewaartermijn ({cutoff}); Vangnet weigert wie nog binnen de termijn valt."
        );
    }
    if !uitvoeren {
        for (c, phase, last) in &due {
            println!("  {c}  {phase:<13} laatste gebeurtenis {last}");
        }
        println!(
            "Proefdraai: er is niets verwijderd. Verwijder met --uitvoeren (gebeurtenissen, idempotentiebewijzen, persoon en projecties; het toegangslog en de monitortellingen blijven)."
        );
        return Ok(());
    }
    let mut failed = 0;
    for (c, phase, last) in &due {
        match store.delete_client_data(&gate, *c, &reden) {
            Ok(r) => println!("  {c}  {phase:<13} laatste gebeurtenis {last}: verwijderd ({r})"),
            Err(e) => {
                failed += 1;
                println!(
                    "  {c}  {phase:<13} laatste gebeurtenis {last}: NIET verwijderd: {}",
                    e.detail()
                );
            }
        }
    }
    println!(
        "{} cliënten verwijderd, {failed} niet. Elke verwijdering staat als één rij in het toegangslog (actie {}).",
        due.len() - failed,
        vangnet_store::deletion::DELETION_ACTION
    );
    if failed > 0 {
        bail!("{failed} cliënten zijn niet verwijderd");
    }
    Ok(())
}
