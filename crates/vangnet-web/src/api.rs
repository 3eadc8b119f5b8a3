//! The JSON API. Same rules as the pages: aggregates follow the suppression rules of
//! [`crate::figures`], client data goes through the access gate, and errors are
//! `{"fout": "..."}` with the status of [`crate::status_of`].

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use vangnet_domain::{ClientId, RegionId};
use vangnet_store::time::today;
use vangnet_store::{AccessGate, StoreError};

use crate::figures::{self, Figure};
use crate::users::LoggedIn;
use crate::{AppState, labels, status_of};

/// A JSON error response `{"fout": message}`.
pub(crate) fn json_error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "fout": message }))).into_response()
}

fn store_error(e: &StoreError) -> Response {
    let message = match e {
        StoreError::Denied(_) => {
            "geen toegang; deze poging is vastgelegd in het toegangslog".to_owned()
        }
        StoreError::Backend(detail) => {
            eprintln!("vangnet-web: databasefout: {detail}");
            "storing bij het ophalen van de gegevens".to_owned()
        }
        other => other.to_string(),
    };
    json_error(status_of(e), &message)
}

/// `GET /api/regio/{id}/overzicht`: the region overview. Exact for the region's own access
/// team; for everyone else the cells of the page's care table (gemeenten outside the region
/// as one row `"buiten"`) with small numbers suppressed (`"<5"`), no per-location occupancy,
/// and `null` for the longest wait of a suppressed product.
pub(crate) async fn region_overview(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
) -> Response {
    let Some(profile) = RegionId::parse(&id)
        .ok()
        .and_then(|r| st.store().regions().get(&r).cloned())
    else {
        return json_error(StatusCode::NOT_FOUND, &format!("regio '{id}' bestaat niet"));
    };
    let on = today();
    let rid = profile.id.clone();
    let ov = match st.blocking(move |s| s.overview(&rid, on)).await {
        Ok(ov) => ov,
        Err(e) => return store_error(&e),
    };
    let threshold = figures::threshold_for(Some(&user.actor), &profile);
    let table = figures::care_table(&profile, &ov, threshold);
    let per_product: Vec<Value> = figures::occupancy_by_product(&profile, &table)
        .into_iter()
        .map(|o| json!([o.product, o.occupied, o.places]))
        .collect();
    let body = match threshold {
        None => json!({
            "regio": profile.id,
            "naam": profile.name,
            "peildatum": on,
            "onderdrukt": false,
            "drempel": Value::Null,
            "in_care": ov.in_care,
            "waiting": ov.waiting,
            "occupancy": ov.occupancy,
            "occupancy_per_product": per_product,
        }),
        Some(t) => {
            // The cells of the same table the page shows (gemeenten outside the region in one
            // row "buiten"): publishing them per gemeente as well would let a reader subtract.
            let in_care: Vec<Value> = table
                .rows
                .iter()
                .flat_map(|r| {
                    table
                        .columns
                        .iter()
                        .zip(&r.cells)
                        .filter(|(_, c)| **c != Figure::Exact(0))
                        .map(|(c, f)| json!([r.code, c.code, f]))
                })
                .collect();
            let (rows, _) = figures::waiting(&profile, &ov, threshold);
            let waiting: Vec<Value> = rows
                .iter()
                .map(|w| json!([w.product, w.count, w.longest_days]))
                .collect();
            json!({
                "regio": profile.id,
                "naam": profile.name,
                "peildatum": on,
                "onderdrukt": true,
                "drempel": t,
                "in_care": in_care,
                "waiting": waiting,
                "occupancy": [],
                "occupancy_per_product": per_product,
            })
        }
    };
    Json(body).into_response()
}

/// `GET /api/clienten/{id}`: state and events of one client, through the gate (purpose
/// "dossier inzien"); the person with a masked BSN.
pub(crate) async fn client(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(client) = ClientId::parse(&id) else {
        return json_error(
            StatusCode::NOT_FOUND,
            &format!("'{id}' is geen cliëntnummer"),
        );
    };
    let gate = AccessGate::new(user.actor.clone(), "dossier inzien");
    match st.blocking(move |s| s.read_client(&gate, client)).await {
        Ok(rec) => {
            let on = today();
            let persoon = rec.person.as_ref().map(|p| {
                json!({ "naam": p.naam(), "bsn": labels::masked_bsn(p.bsn), "leeftijd": p.age_on(on), "synthetisch": p.synthetic })
            });
            Json(json!({
                "client": client,
                "fase": rec.state.phase().key(),
                "persoon": persoon,
                "state": rec.state,
                "events": rec.events,
            }))
            .into_response()
        }
        Err(e) => store_error(&e),
    }
}
