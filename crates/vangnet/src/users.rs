//! `vangnet user …` and `vangnet token …`: accounts and API tokens at the command line (issue
//! 11) — for the first administrator, and for whoever manages the server.
//!
//! - `user add <id> --rol R --organisatie O [--naam N] [--wachtwoord-stdin]`: without
//!   `--wachtwoord-stdin` a one-time password is generated, printed once and must be changed
//!   at the first login; with it the first line of standard input is the password (checked
//!   by `vangnet_auth::password::check_new`).
//! - `user list` (never a hash or secret), `user disable|enable <id>`,
//!   `user reset <id> [--tweede-factor]` (new one-time password, the lock-out lifted; with
//!   the flag the second factor is cleared too, to be enrolled again).
//! - `token add <naam> --rol R --organisatie O --feiten a,b --dagen N` prints the token once
//!   (only its hash is stored); `token list`, `token revoke <id>`.
//!
//! Every change runs as [`gate`]: a job in the name of `--door` — as that beheerder's actor
//! when `--door` names a beheerder account, else as the system (there is no beheerder yet
//! before the first one is made) — and the store writes the access-log row.

use std::io::BufRead;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use vangnet_auth::{password, secret};
use vangnet_domain::clock::{Timestamp, amsterdam_label};
use vangnet_domain::{Actor, Organisation, Role};
use vangnet_store::accounts::{AccountChange, ApiToken, NewAccount};
use vangnet_store::secret::random_bytes;
use vangnet_store::{AccessGate, Store};

/// The longest validity of an API token, in days.
pub const MAX_TOKEN_DAYS: u32 = 730;

/// `vangnet user …`.
#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account (prints a one-time password unless --wachtwoord-stdin).
    Add {
        /// Login name: 2 to 64 of a-z, 0-9, '.', '_', '-'.
        id: String,
        /// Display name (default: the login name).
        #[arg(long)]
        naam: Option<String>,
        /// Role: toegangsmedewerker, wijkteam, zorgaanbieder, woningcorporatie,
        /// beleidsmedewerker, analist, auditor, beheerder.
        #[arg(long)]
        rol: String,
        /// Organisation: vangnet, regio:<id>, gemeente:GM…, aanbieder:<AGB>, corporatie:<naam>.
        #[arg(long)]
        organisatie: String,
        /// Read the password from the first line of standard input instead.
        #[arg(long)]
        wachtwoord_stdin: bool,
    },
    /// List the accounts (never a password hash or second-factor secret).
    List,
    /// Disable an account (ends its sessions).
    Disable {
        /// Login name.
        id: String,
    },
    /// Enable a disabled account.
    Enable {
        /// Login name.
        id: String,
    },
    /// New one-time password (printed once); lifts a lock-out.
    Reset {
        /// Login name.
        id: String,
        /// Also clear the second factor (to be enrolled again at the next login).
        #[arg(long)]
        tweede_factor: bool,
    },
}

/// `vangnet token …`.
#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token (printed once; only its hash is stored).
    Add {
        /// What the token is for.
        naam: String,
        /// Role the token acts in.
        #[arg(long)]
        rol: String,
        /// Organisation the token acts for.
        #[arg(long)]
        organisatie: String,
        /// Fact kinds it may record, comma-separated (e.g. start_zorg,mo_overnachting).
        #[arg(long, value_delimiter = ',', required = true)]
        feiten: Vec<String>,
        /// Days valid (1 to 730).
        #[arg(long)]
        dagen: u32,
    },
    /// List the tokens (never the token or its hash).
    List,
    /// Revoke a token.
    Revoke {
        /// Token id (from `token list`).
        id: String,
    },
}

/// The gate of account management run by `door`: as that beheerder when `door` names an
/// enabled beheerder account, else as the system in `door`'s name ([`crate::audit::job`]).
pub fn gate(store: &dyn Store, door: Option<&str>) -> Result<AccessGate> {
    if let Some(name) = door.map(str::trim)
        && let Some(account) = store.accounts().user(name)?
        && account.actor.role == Role::Beheerder
        && !account.disabled
    {
        return Ok(AccessGate::job(account.actor, "beheer"));
    }
    crate::audit::job(door, "beheer")
}

fn actor(store: &dyn Store, user: &str, rol: &str, organisatie: &str) -> Result<Actor> {
    let role = Role::parse(rol.trim())
        .filter(|r| *r != Role::Systeem)
        .with_context(|| {
            format!(
                "--rol: onbekende rol '{rol}'; kies uit {}",
                Role::ALL
                    .iter()
                    .filter(|r| **r != Role::Systeem)
                    .map(|r| r.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
    let organisation = Organisation::parse(organisatie.trim()).with_context(|| {
        format!(
            "--organisatie: '{organisatie}' is onleesbaar; bijv. vangnet, regio:drechtsteden, gemeente:GM0505, aanbieder:98000401, corporatie:Naam"
        )
    })?;
    if let Organisation::Regio(r) = &organisation
        && store.regions().get(r).is_none()
    {
        bail!("--organisatie: regio '{r}' is niet geladen");
    }
    Ok(Actor {
        user: user.to_owned(),
        role,
        organisation,
    })
}

fn new_password_hash(pw: &str) -> String {
    password::hash(pw, &random_bytes::<16>())
}

fn one_time_password(id: &str) -> String {
    loop {
        let pw = secret::generated_password(&random_bytes::<20>());
        if password::check_new(&pw, id).is_ok() {
            return pw;
        }
    }
}

fn read_password(id: &str) -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("wachtwoord van standaardinvoer lezen")?;
    let pw = line.trim_end_matches(['\r', '\n']).to_owned();
    if let Err(m) = password::check_new(&pw, id) {
        bail!("--wachtwoord-stdin: {m}");
    }
    Ok(pw)
}

fn label(t: Timestamp) -> String {
    amsterdam_label(t)
}

/// Run `vangnet user …`.
pub fn run_user(command: UserCommand, store: &dyn Store, door: Option<&str>) -> Result<()> {
    let accounts = store.accounts();
    match command {
        UserCommand::Add {
            id,
            naam,
            rol,
            organisatie,
            wachtwoord_stdin,
        } => {
            let actor = actor(store, &id, &rol, &organisatie)?;
            let gate = gate(store, door)?;
            let (pw, generated) = if wachtwoord_stdin {
                (read_password(&id)?, false)
            } else {
                (one_time_password(&id), true)
            };
            accounts.create_user(
                &gate,
                NewAccount {
                    naam: naam.unwrap_or_else(|| id.clone()),
                    id: id.clone(),
                    actor,
                    password_hash: new_password_hash(&pw),
                    must_change_password: generated,
                },
            )?;
            println!("Gebruiker {id} aangemaakt.");
            if generated {
                println!("Eenmalig wachtwoord (wordt niet opnieuw getoond): {pw}");
                println!("Bij de eerste aanmelding kiest {id} een eigen wachtwoord.");
            }
            Ok(())
        }
        UserCommand::List => {
            let users = accounts.users()?;
            if users.is_empty() {
                println!(
                    "Nog geen gebruikers. Maak de eerste beheerder met: vangnet user add beheer --rol beheerder --organisatie vangnet"
                );
                return Ok(());
            }
            let now = vangnet_store::time::now();
            println!(
                "{:<24} {:<28} {:<20} {:<28} {:<15} {:<10} status",
                "id", "naam", "rol", "organisatie", "2e factor", "wachtwoord"
            );
            for u in users {
                let status = if u.disabled {
                    "geblokkeerd".to_owned()
                } else if u.locked_at(now) {
                    format!("vergrendeld tot {}", label(u.locked_until.unwrap_or(now)))
                } else {
                    "actief".to_owned()
                };
                println!(
                    "{:<24} {:<28} {:<20} {:<28} {:<15} {:<10} {status}",
                    u.id,
                    u.naam,
                    u.actor.role.key(),
                    u.actor.organisation.to_string(),
                    if u.totp_secret.is_some() {
                        "ingesteld"
                    } else {
                        "niet ingesteld"
                    },
                    if u.password_hash.is_none() {
                        "geen"
                    } else if u.must_change_password {
                        "eenmalig"
                    } else {
                        "eigen"
                    },
                );
            }
            Ok(())
        }
        UserCommand::Disable { id } => {
            accounts.update_user(&gate(store, door)?, &id, AccountChange::Disabled(true))?;
            println!("Gebruiker {id} geblokkeerd; alle sessies zijn beëindigd.");
            Ok(())
        }
        UserCommand::Enable { id } => {
            accounts.update_user(&gate(store, door)?, &id, AccountChange::Disabled(false))?;
            println!("Gebruiker {id} gedeblokkeerd.");
            Ok(())
        }
        UserCommand::Reset { id, tweede_factor } => {
            let gate = gate(store, door)?;
            let pw = one_time_password(&id);
            accounts.update_user(
                &gate,
                &id,
                AccountChange::Password {
                    hash: new_password_hash(&pw),
                    must_change: true,
                },
            )?;
            accounts.update_user(&gate, &id, AccountChange::Unlock)?;
            if tweede_factor {
                accounts.update_user(&gate, &id, AccountChange::Totp(None))?;
            }
            println!("Nieuw eenmalig wachtwoord voor {id} (wordt niet opnieuw getoond): {pw}");
            if tweede_factor {
                println!(
                    "De tweede factor is gewist; {id} stelt die opnieuw in bij de volgende aanmelding."
                );
            }
            Ok(())
        }
    }
}

/// Run `vangnet token …`.
pub fn run_token(command: TokenCommand, store: &dyn Store, door: Option<&str>) -> Result<()> {
    let accounts = store.accounts();
    match command {
        TokenCommand::Add {
            naam,
            rol,
            organisatie,
            feiten,
            dagen,
        } => {
            if !(1..=MAX_TOKEN_DAYS).contains(&dagen) {
                bail!("--dagen: 1 tot en met {MAX_TOKEN_DAYS}");
            }
            let id = format!("t-{}", &secret::hex(&random_bytes::<4>()));
            let actor = actor(store, &ApiToken::actor_user(&id), &rol, &organisatie)?;
            let gate = gate(store, door)?;
            let token = secret::token_string(&random_bytes::<32>());
            let now = vangnet_store::time::now();
            let expires = now
                .checked_add(jiff_days(dagen))
                .context("--dagen: buiten het bereik")?;
            let record = ApiToken {
                id: id.clone(),
                naam,
                actor,
                facts: feiten.into_iter().map(|f| f.trim().to_owned()).collect(),
                created_by: gate.logged_actor().user.clone(),
                created_at: now,
                expires_at: expires,
                revoked_at: None,
            };
            accounts.create_token(&gate, &id, &secret::token_hash(&token), &record)?;
            println!("API-token {id} aangemaakt, geldig tot {}.", label(expires));
            println!(
                "Token (wordt niet opnieuw getoond; stuur het als 'Authorization: Bearer <token>'):"
            );
            println!("{token}");
            Ok(())
        }
        TokenCommand::List => {
            let tokens = accounts.tokens()?;
            if tokens.is_empty() {
                println!("Geen API-tokens.");
                return Ok(());
            }
            let now = vangnet_store::time::now();
            println!(
                "{:<12} {:<28} {:<18} {:<28} {:<32} {:<18} {:<17} status",
                "id", "naam", "rol", "organisatie", "feiten", "door", "geldig tot"
            );
            for t in tokens {
                let status = match t.revoked_at {
                    Some(r) => format!("ingetrokken {}", label(r)),
                    None if t.valid_at(now) => "geldig".to_owned(),
                    None => "verlopen".to_owned(),
                };
                println!(
                    "{:<12} {:<28} {:<18} {:<28} {:<32} {:<18} {:<17} {status}",
                    t.id,
                    t.naam,
                    t.actor.role.key(),
                    t.actor.organisation.to_string(),
                    t.facts.join(","),
                    t.created_by,
                    label(t.expires_at),
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { id } => {
            accounts.revoke_token(&gate(store, door)?, &id, vangnet_store::time::now())?;
            println!("API-token {id} ingetrokken.");
            Ok(())
        }
    }
}

fn jiff_days(days: u32) -> std::time::Duration {
    std::time::Duration::from_secs(u64::from(days) * 24 * 60 * 60)
}
