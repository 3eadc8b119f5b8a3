//! The decision letter through HTTP (feat/brief): a decision is refused while a criterion is
//! unknown; the letter page is plain, links its PDF; the PDF is a real PDF whose text
//! `pdftotext` reads back; it is stored with the decision, listed in the dossier, read back
//! byte for byte after the region's template changed, and every read and write is logged.

mod support;
use support::TestApp;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;
use vangnet_domain::{Bsn, ClientId, RegionId, RegionProfile, Regions};
use vangnet_store::{AccessGate, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

const USER: &str = "toegang-centraal-gelderland";

fn today() -> vangnet_domain::Date {
    vangnet_domain::Date::parse("2026-06-30").unwrap()
}

fn cg() -> RegionProfile {
    Regions::builtin()
        .get(&RegionId::parse("centraal-gelderland").unwrap())
        .unwrap()
        .clone()
}

struct Raw {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Raw {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap()
    }
}

async fn send(app: &TestApp, req: Request<Body>) -> Raw {
    let resp = (**app).clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Raw {
        status,
        headers,
        bytes,
    }
}

async fn get(app: &TestApp, path: &str) -> Raw {
    send(
        app,
        Request::get(path)
            .header(header::COOKIE, app.cookie(USER))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(app: &TestApp, path: &str, content_type: &str, body: String) -> Raw {
    send(
        app,
        Request::post(path)
            .header(header::COOKIE, app.cookie(USER))
            .header("x-csrf-token", app.csrf(USER))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn event(app: &TestApp, client: &str, version: u32, key: &str, ev: Value) -> Raw {
    post(
        app,
        &format!("/api/clienten/{client}/gebeurtenissen"),
        "application/json",
        json!({"expected_version": version, "idempotency_key": key, "gebeurtenis": ev}).to_string(),
    )
    .await
}

fn pdftotext(pdf: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (Debian: poppler-utils; scripts/test.sh installs it)");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext refused the PDF");
    String::from_utf8(out.stdout).unwrap()
}

/// Registers a person with an ë in the name; returns the client id.
async fn register(app: &TestApp, p: &RegionProfile) -> String {
    let bsn = (0..)
        .find_map(|i| Bsn::with_check_digit(91_000_000 + i))
        .unwrap()
        .digits();
    let r = post(
        app,
        "/api/clienten",
        "application/json",
        json!({
            "persoon": {"bsn": bsn, "voornaam": "Noëlle", "achternaam": "Hoëvenaar", "geboortedatum": "1990-04-01"},
            "melder": "wijkteam",
            "herkomst_gemeente": "GM0202",
            "woonsituatie": "thuis",
            "urgentie": "regulier",
            "regio": p.id.to_string(),
            "idempotency_key": "brief-a",
        })
        .to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["client"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_refusal_waits_for_the_facts_and_the_letter_is_a_stored_plain_pdf() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("v.sqlite");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path, Regions::builtin()).unwrap());
    let app = TestApp::new(AppState::new(Arc::clone(&store)).with_today(today()));
    let p = cg();
    let client = register(&app, &p).await;

    // 1. An afwijzing while the criteria are unknown: refused by a stable code, naming them.
    let afw = json!({"type": "afwijzing", "reden": "Wlz gaat voor", "casusregie": "wijkteam Arnhem-Oost"});
    let r = event(&app, &client, 1, "brief-b", afw.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["code"], "besluit.feiten_onbekend");
    assert_eq!(r.json()["veld"], "beoordeling");
    let missing = r.json()["ontbrekend"].as_array().unwrap().clone();
    assert!(!missing.is_empty());
    assert!(
        r.text().contains("een afwijzing kan nog niet"),
        "{}",
        r.text()
    );
    assert_eq!(store.event_count().unwrap(), 1, "nothing written");
    // The same through the form: shown on the page, at the decision form.
    let form = post(
        &app,
        &format!("/clienten/{client}/gebeurtenis"),
        "application/x-www-form-urlencoded",
        "soort=afwijzing&versie=1&sleutel=brief-c&reden=Wlz+gaat+voor&casusregie=wijkteam".into(),
    )
    .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        form.text().contains("Een afwijzing kan nog niet"),
        "{}",
        form.text()
    );
    assert_eq!(store.event_count().unwrap(), 1, "nothing written");
    // No decision, no letter.
    assert_eq!(
        get(&app, &format!("/clienten/{client}/besluitbrief.pdf"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // 2. With every criterion judged the afwijzing is recorded.
    let criteria: Vec<Value> = p
        .criteria
        .iter()
        .filter(|c| vangnet_domain::frontdoor::judged(c.test))
        .map(|c| json!({"criterium": c.key, "voldaan": true}))
        .collect();
    let beo = json!({"type": "beoordeling", "criteria": criteria, "zrm": [2,2,2,2,2,2,2,2,2,2,2,2,2], "doelgroep": null, "advies": "afwijzen"});
    assert_eq!(
        event(&app, &client, 1, "brief-d", beo).await.status,
        StatusCode::CREATED
    );
    let r = event(&app, &client, 2, "brief-e", afw).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // 3. The letter page: plain, complete, links its PDF.
    let page = get(&app, &format!("/clienten/{client}/besluitbrief")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let kenmerk = format!("CG-BW-2026-{client}-3");
    assert!(html.contains(&kenmerk), "{html}");
    assert!(html.contains(&format!("href=\"/clienten/{client}/besluitbrief.pdf\"")));
    for needed in [
        "binnen zes weken",
        "artikel 6:7",
        "Wet langdurige zorg",
        "wijkteam Arnhem-Oost",
        "Noëlle Hoëvenaar",
        "per adres van de toegang",
        "Voor u is Arnhem de verantwoordelijke gemeente",
    ] {
        assert!(html.contains(needed), "'{needed}' ontbreekt:\n{html}");
    }
    let article = &html[html.find("<article").unwrap()..html.find("</article>").unwrap()];
    for internal in [
        "seed",
        "Profielregel",
        "regelmotor",
        "onbekend",
        "GM0",
        "Wlz gaat voor",
    ] {
        assert!(
            !article.contains(internal),
            "'{internal}' in de brief:\n{article}"
        );
    }

    // 4. The PDF: a real one, application/pdf, its text readable, the same bytes every time.
    let pdf = get(&app, &format!("/clienten/{client}/besluitbrief.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let text = pdftotext(&pdf.bytes);
    for needed in [
        "Beste Noëlle Hoëvenaar,",
        "binnen zes weken",
        "artikel 6:7",
        &kenmerk,
        "Pagina 1 van",
    ] {
        assert!(
            text.contains(needed),
            "'{needed}' niet in de pdf-tekst:\n{text}"
        );
    }
    assert!(!text.contains("seed") && !text.contains("GM0"), "{text}");
    let again = get(&app, &format!("/clienten/{client}/besluitbrief.pdf")).await;
    assert_eq!(again.bytes, pdf.bytes);

    // 5. Stored with the decision and listed in the dossier.
    let cid = ClientId::parse(&client).unwrap();
    let stored = store
        .letter(&AccessGate::system("test"), cid, 3)
        .unwrap()
        .expect("stored");
    assert_eq!(stored.letter.pdf, pdf.bytes);
    assert_eq!(stored.letter.kenmerk, kenmerk);
    let dossier = get(&app, &format!("/clienten/{client}")).await.text();
    assert!(dossier.contains("id=\"kop-brieven\""), "{dossier}");
    assert!(dossier.contains(&kenmerk));
    assert!(dossier.contains(&format!(
        "href=\"/clienten/{client}/besluitbrief.pdf?versie=3\""
    )));
    let listed = get(
        &app,
        &format!("/clienten/{client}/besluitbrief.pdf?versie=3"),
    )
    .await;
    assert_eq!(listed.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(listed.bytes, pdf.bytes);
    assert_eq!(
        get(&app, &format!("/clienten/{client}/brieven/9"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // 6. Logged: produced once, read on every later request.
    let rows = store
        .client_access_log(&AccessGate::system("test"), cid)
        .unwrap();
    let n = |purpose: &str| {
        rows.iter()
            .filter(|e| e.purpose == purpose && e.allowed)
            .count()
    };
    assert_eq!(n("besluitbrief opstellen"), 1, "{rows:?}");
    assert!(n("besluitbrief inzien") >= 5, "{rows:?}");

    // 7. Another region's team may not read it.
    let other = get_as(
        &app,
        "toegang-drechtsteden",
        &format!("/clienten/{client}/besluitbrief.pdf"),
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // 8. The template changes (new signatory and prefix): the stored letter stays as sent.
    drop(app);
    let changed: Vec<RegionProfile> = Regions::builtin()
        .all()
        .iter()
        .cloned()
        .map(|mut r| {
            if let Some(b) = r.brief.as_mut() {
                b.ondertekenaar = "Z. Nieuw".into();
                b.kenmerk_prefix = "NIEUW".into();
            }
            r
        })
        .collect();
    let store2: Arc<dyn Store> = Arc::new(SqliteStore::open(&path, Regions::new(changed)).unwrap());
    let app2 = TestApp::new(AppState::new(Arc::clone(&store2)).with_today(today()));
    let later = get(&app2, &format!("/clienten/{client}/besluitbrief.pdf")).await;
    assert_eq!(later.bytes, pdf.bytes, "the stored letter, not a new one");
    let page = get(&app2, &format!("/clienten/{client}/besluitbrief"))
        .await
        .text();
    assert!(
        page.contains(&kenmerk) && !page.contains("Z. Nieuw"),
        "{page}"
    );
}

async fn get_as(app: &TestApp, user: &str, path: &str) -> Raw {
    send(
        app,
        Request::get(path)
            .header(header::COOKIE, app.cookie(user))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}
