//! The JSON API. Same rules as the pages: aggregates follow the suppression rules of
//! [`crate::figures`], client data goes through the access gate, and errors are
//! [`WebError`]s as JSON `{"fout", "veld", "code"}` with the status of [`crate::status_of`].

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use vangnet_domain::{ClientId, RegionId};

use crate::figures::{self, Figure};
use crate::users::LoggedIn;
use crate::{AppState, WebError, labels};

/// `GET /api/regio/{id}/overzicht`: the region overview. Exact for the region's own access
/// team; for everyone else the cells of the page's care table (gemeenten outside the region
/// as one row `"buiten"`) with small numbers suppressed (`"<5"`), no per-location occupancy,
/// and `null` for the longest wait of a suppressed product.
pub(crate) async fn region_overview(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let Some(profile) = RegionId::parse(&id)
        .ok()
        .and_then(|r| st.store().regions().get(&r).cloned())
    else {
        return Err(WebError::not_found(format!("regio '{id}' bestaat niet"))
            .field("id")
            .json());
    };
    let on = st.today();
    let rid = profile.id.clone();
    let ov = st
        .blocking(move |s| s.overview(&rid, on))
        .await
        .map_err(|e| WebError::from(e).json())?;
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
    Ok(Json(body).into_response())
}

/// `GET /api/clienten/{id}`: state and events of one client, through the gate (purpose
/// "dossier inzien"); the person with a masked BSN.
pub(crate) async fn client(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let Ok(client) = ClientId::parse(&id) else {
        return Err(WebError::not_found(format!("'{id}' is geen cliëntnummer"))
            .field("id")
            .json());
    };
    let gate = user.gate("dossier inzien");
    let rec = st
        .blocking(move |s| s.read_client(&gate, client))
        .await
        .map_err(|e| WebError::from(e).json())?;
    let on = st.today();
    let persoon = rec.person.as_ref().map(|p| {
        json!({ "naam": p.naam(), "bsn": labels::masked_bsn(p.bsn), "leeftijd": p.age_on(on), "synthetisch": p.synthetic })
    });
    Ok(Json(json!({
        "client": client,
        "fase": rec.state.phase().key(),
        "persoon": persoon,
        "state": rec.state,
        "events": rec.events,
    }))
    .into_response())
}
