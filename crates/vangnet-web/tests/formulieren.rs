//! What a clerk reads when a form is refused (issue 12, "What people read"): every error of
//! the form at once in an error summary at the top (the NL Design System / GOV.UK pattern),
//! each linked to its field and shown at the field, in plain Dutch — no echo of empty input,
//! no "BSN ongeldig:" chains, no CBS codes to type (a gemeente is picked by name).

mod support;
use support::{Reply, TestApp};

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use tempfile::TempDir;
use vangnet_domain::{Bsn, Regions};
use vangnet_store::Store;
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

const CLERK: &str = "toegang-centraal-gelderland";

fn app() -> (TempDir, Arc<dyn Store>, TestApp) {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("v.sqlite"), Regions::builtin()).unwrap());
    let today = vangnet_domain::Date::parse("2026-06-30").unwrap();
    let app = TestApp::new(AppState::new(Arc::clone(&store)).with_today(today));
    (dir, store, app)
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn post(app: &TestApp, path: &str, pairs: &[(&str, &str)], content: &str) -> Reply {
    let body = if content == "json" {
        let map: serde_json::Map<_, _> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect();
        serde_json::Value::Object(map).to_string()
    } else {
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&")
    };
    let kind = if content == "json" {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    support::send(
        app,
        app.as_user(Request::post(path), CLERK)
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn synthetic_bsn(n: u32) -> String {
    (0..100_000u32)
        .map(|i| format!("9{:08}", 1_000 + n * 100_000 + i))
        .find(|b| Bsn::parse(b).is_ok())
        .unwrap()
}

/// The inner text of the error summary box.
fn summary(body: &str) -> &str {
    let start = body
        .find("class=\"fout foutoverzicht\"")
        .unwrap_or_else(|| panic!("no error summary in\n{body}"));
    let end = body[start..].find("</div>").unwrap() + start;
    &body[start..end]
}

const REST: [(&str, &str); 5] = [
    ("regio", "centraal-gelderland"),
    ("melder", "huisarts"),
    ("woonsituatie", "thuis"),
    ("urgentie", "urgent"),
    ("sleutel", "f1"),
];

#[tokio::test]
async fn an_empty_person_lists_every_missing_field_in_plain_dutch() {
    let (_d, store, app) = app();
    let mut pairs = REST.to_vec();
    pairs.extend([
        ("bsn", ""),
        ("voornaam", ""),
        ("achternaam", ""),
        ("geboortedatum", ""),
    ]);
    let r = post(&app, "/aanmelden", &pairs, "form").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let s = summary(&r.body);
    assert!(s.contains("Er is een probleem"), "{s}");
    for (field, text) in [
        ("bsn", "Vul het BSN in."),
        ("voornaam", "Vul de voornaam in."),
        ("achternaam", "Vul de achternaam in."),
        ("geboortedatum", "Vul de geboortedatum in."),
    ] {
        assert!(
            s.contains(&format!("<a href=\"#aanm-{field}\">{text}</a>")),
            "{field} in\n{s}"
        );
        assert!(
            r.body.contains(&format!("id=\"fout-{field}\"")),
            "{field} at its field"
        );
        assert!(
            r.body.contains(&format!("id=\"aanm-{field}\"")),
            "the link target exists"
        );
    }
    assert!(r.body.contains("autofocus"), "the summary takes the focus");
    for jargon in ["BSN ''", "ongeldig:", "JJJJ-MM-DD", "niet geldig:"] {
        assert!(!r.body.contains(jargon), "{jargon}");
    }
    assert_eq!(store.event_count().unwrap(), 0);
}

#[tokio::test]
async fn a_bad_bsn_says_what_is_wrong_and_keeps_the_other_errors() {
    let (_d, _s, app) = app();
    for (bsn, text) in [
        ("12345", "Een BSN heeft precies 9 cijfers."),
        ("90000000a", "Een BSN bestaat alleen uit cijfers."),
        (
            "900000001",
            "Dit BSN bestaat niet (de elfproef klopt niet). Controleer de cijfers.",
        ),
    ] {
        let mut pairs = REST.to_vec();
        pairs.extend([
            ("bsn", bsn),
            ("voornaam", "Sam"),
            ("achternaam", ""),
            ("geboortedatum", "1990-02-30"),
        ]);
        let r = post(&app, "/aanmelden", &pairs, "form").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let s = summary(&r.body);
        assert!(s.contains(text), "{bsn}: {s}");
        assert!(s.contains("Vul de achternaam in."), "{s}");
        assert!(
            s.contains("De geboortedatum is geen bestaande datum."),
            "{s}"
        );
        assert!(!s.contains(bsn), "the input is not echoed: {s}");
    }
    // The JSON API lists them too (`fouten`), the first also as `veld`/`fout`.
    let body = json!({
        "regio": "centraal-gelderland", "melder": "huisarts", "woonsituatie": "thuis",
        "urgentie": "urgent", "datum": "2026-06-30",
        "persoon": {"bsn": "", "voornaam": "", "achternaam": "X", "geboortedatum": "1990-01-01"}
    });
    let r = support::send(
        &app,
        app.as_user(Request::post("/api/clienten"), CLERK)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let v = r.json();
    assert_eq!(v["veld"], "bsn");
    let fouten: Vec<&str> = v["fouten"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["veld"].as_str().unwrap())
        .collect();
    assert_eq!(fouten, ["bsn", "voornaam"]);
}

#[tokio::test]
async fn a_gemeente_is_picked_by_name_not_by_cbs_code() {
    let (_d, store, app) = app();
    let form = support::send(
        &app,
        app.as_user(Request::get("/aanmelden"), CLERK)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<datalist id=\"gemeenten-lijst\">"));
    assert!(form.body.contains("<option value=\"Amsterdam\">"));
    assert!(form.body.contains("list=\"gemeenten-lijst\""));
    assert!(!form.body.contains("CBS-code"), "no codes to type");
    assert!(!form.body.contains("(GM0"), "options by name, not code");

    // An unknown name: the error at the field, in words.
    let bsn = synthetic_bsn(1);
    let mut pairs = REST.to_vec();
    pairs.extend([
        ("bsn", bsn.as_str()),
        ("voornaam", "Sam"),
        ("achternaam", "de Vries"),
        ("geboortedatum", "1990-02-03"),
        ("herkomst_anders", "Amsterdamm"),
    ]);
    let r = post(&app, "/aanmelden", &pairs, "form").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        summary(&r.body).contains("Er is geen gemeente &quot;Amsterdamm&quot;"),
        "{}",
        r.body
    );
    assert_eq!(store.event_count().unwrap(), 0);

    // A name, in any case: registered with that gemeente's code.
    let pairs: Vec<_> = pairs
        .into_iter()
        .map(|(k, v)| {
            if k == "herkomst_anders" {
                (k, "amsterdam")
            } else {
                (k, v)
            }
        })
        .collect();
    let r = post(&app, "/aanmelden", &pairs, "form").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().to_owned();
    let client = &loc["/clienten/".len()..loc.find('?').unwrap()];
    let page = support::send(
        &app,
        app.as_user(Request::get(format!("/clienten/{client}")), CLERK)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.body.contains("Amsterdam"), "{}", page.body);
}

#[tokio::test]
async fn a_save_confirmation_is_in_view_and_takes_the_focus() {
    let (_d, _s, app) = app();
    let bsn = synthetic_bsn(2);
    let mut pairs = REST.to_vec();
    pairs.extend([
        ("bsn", bsn.as_str()),
        ("voornaam", "Sam"),
        ("achternaam", "de Vries"),
        ("geboortedatum", "1990-02-03"),
    ]);
    let r = post(&app, "/aanmelden", &pairs, "form").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().to_owned();
    let client = loc["/clienten/".len()..loc.find('?').unwrap()].to_owned();
    let r = post(
        &app,
        &format!("/clienten/{client}/gebeurtenis"),
        &[
            ("soort", "brp_inschrijving"),
            ("versie", "1"),
            ("sleutel", "brp-1"),
            ("vanaf", "2020-01-01"),
            ("gemeente", "GM0202"),
        ],
        "form",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().to_owned();
    assert!(loc.ends_with("&verder=besluit#melding"), "{loc}");
    let page = support::send(
        &app,
        app.as_user(Request::get(&loc[..loc.find('#').unwrap()]), CLERK)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        page.body.contains(
            "id=\"melding\" role=\"status\" tabindex=\"-1\" autofocus><p>De gegevens zijn opgeslagen.</p><p><a href=\"#besluit\">Verder naar het besluit</a>"
        ),
        "{}",
        page.body
    );
    // The history names the clerk, not a login id.
    let history = &page.body[page.body.find("id=\"historie\"").unwrap()..];
    let name = app.state.user(CLERK).unwrap().naam.clone();
    assert!(history.contains(&format!("<td>{name}<br>")), "{history}");
    assert!(!history.contains(CLERK), "{history}");
}
