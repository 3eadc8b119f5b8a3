//! Names of gemeenten, products and locations as published, and the Dutch labels of
//! outflow destinations: one lookup for the pages, the monitor, the forecast and the files.
//!
//! # The empty-label convention
//!
//! A code is never shown bare or empty when a name is known:
//! - a known code gets its name from the region profile, for gemeenten else from the
//!   national register (gemeenten outside the region, retired gemeenten);
//! - an unknown code (not in the profile or register) is shown as the code itself, so a
//!   reader can still look it up;
//! - an **empty code** gets the name of what "empty" means in that data, and only these two:
//!   a gemeente `""` is [`NIET_INGESCHREVEN`] (the person was registered in no gemeente at
//!   application; the monitor and the region page), and a product, location or forecast
//!   origin `""` is [`OVERIG_ONBEKEND`] (no product or location recorded; in the forecast the
//!   origins outside the region's gemeenten are grouped with the unknown ones).

use vangnet_domain::events::Bestemming;
use vangnet_domain::gemeenten::Gemeenten;
use vangnet_domain::{GemeenteCode, LocationId, ProductCode, RegionProfile};

/// The name of an empty gemeente code: registered in no gemeente.
pub const NIET_INGESCHREVEN: &str = "niet ingeschreven";

/// The name of an empty product, location or forecast origin: none recorded, or a group of
/// the rest.
pub const OVERIG_ONBEKEND: &str = "overig of onbekend";

/// The name of the group of gemeenten outside the region (care table, monitor).
pub const BUITEN_DE_REGIO: &str = "buiten de regio";

/// Name of a gemeente (`GMdddd`): from the profile, else from the national register, else
/// the code; `""` is [`NIET_INGESCHREVEN`].
pub fn gemeente_name(profile: &RegionProfile, code: &str) -> String {
    gemeente(Some(profile), code)
}

/// [`gemeente_name`], also without a region.
pub fn gemeente(profile: Option<&RegionProfile>, code: &str) -> String {
    if code.is_empty() {
        return NIET_INGESCHREVEN.to_owned();
    }
    match GemeenteCode::parse(code) {
        Ok(c) => profile
            .and_then(|p| p.gemeente(c).map(|g| g.name.clone()))
            .or_else(|| Gemeenten::national().get(c).map(|g| g.name.clone()))
            .unwrap_or_else(|| code.to_owned()),
        Err(_) => code.to_owned(),
    }
}

/// Name of a product in this region's catalogue, else the code; `""` is [`OVERIG_ONBEKEND`].
pub fn product_name(profile: &RegionProfile, code: &str) -> String {
    product(Some(profile), code)
}

/// [`product_name`], also without a region.
pub fn product(profile: Option<&RegionProfile>, code: &str) -> String {
    if code.is_empty() {
        return OVERIG_ONBEKEND.to_owned();
    }
    ProductCode::parse(code)
        .ok()
        .and_then(|c| profile.and_then(|p| p.product(&c).map(|p| p.name.clone())))
        .unwrap_or_else(|| code.to_owned())
}

/// Name of a location in the profile, else its id; `""` is [`OVERIG_ONBEKEND`].
pub fn location(profile: Option<&RegionProfile>, id: &str) -> String {
    if id.is_empty() {
        return OVERIG_ONBEKEND.to_owned();
    }
    LocationId::parse(id)
        .ok()
        .and_then(|l| profile.and_then(|p| p.location(&l).map(|l| l.name.clone())))
        .unwrap_or_else(|| id.to_owned())
}

/// Name of a forecast origin: a gemeente, and `""` is [`OVERIG_ONBEKEND`] (the calibration
/// groups unregistered, unknown and outside origins there).
pub fn origin(profile: Option<&RegionProfile>, code: &str) -> String {
    if code.is_empty() {
        return OVERIG_ONBEKEND.to_owned();
    }
    gemeente(profile, code)
}

/// Outflow destination, as written on screens and in files.
pub fn bestemming(b: Bestemming) -> &'static str {
    match b {
        Bestemming::EigenWoningSociaal => "eigen woning (sociale huur)",
        Bestemming::HousingFirst => "Housing First",
        Bestemming::KamersMetAandacht => "Kamers met Aandacht",
        Bestemming::EigenWoningOverig => "eigen woning (overig)",
        Bestemming::AnderProduct => "ander product",
        Bestemming::Wlz => "Wlz",
        Bestemming::Kliniek => "kliniek",
        Bestemming::Detentie => "detentie",
        Bestemming::AndereRegio => "andere regio",
        Bestemming::Overleden => "overleden",
        Bestemming::Onbekend => "onbekend",
    }
}

/// A count with a dot as thousands separator, as written in Dutch: `1.141`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::{RegionId, Regions};

    #[test]
    fn one_convention_for_empty_known_and_unknown_codes() {
        let regions = Regions::builtin();
        let p = regions
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap();
        assert_eq!(gemeente_name(p, ""), NIET_INGESCHREVEN);
        assert_eq!(gemeente_name(p, "GM0202"), "Arnhem");
        assert_eq!(gemeente_name(p, "GM0344"), "Utrecht", "national register");
        assert_eq!(gemeente(None, "GM0344"), "Utrecht");
        assert_eq!(gemeente_name(p, "GM9999"), "GM9999", "unknown: the code");
        assert_eq!(gemeente_name(p, "xyz"), "xyz");
        assert_eq!(product_name(p, ""), OVERIG_ONBEKEND);
        assert_eq!(product_name(p, "bw-onbekend"), "bw-onbekend");
        let first = &p.products[0];
        assert_eq!(product_name(p, first.code.as_str()), first.name);
        assert_eq!(product(None, first.code.as_str()), first.code.as_str());
        let loc = &p.locations[0];
        assert_eq!(location(Some(p), loc.id.as_str()), loc.name);
        assert_eq!(location(None, loc.id.as_str()), loc.id.as_str());
        assert_eq!(location(Some(p), ""), OVERIG_ONBEKEND);
        assert_eq!(origin(Some(p), ""), OVERIG_ONBEKEND);
        assert_eq!(origin(Some(p), "GM0202"), "Arnhem");
    }

    #[test]
    fn thousands_with_dots() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1141), "1.141");
        assert_eq!(thousands(1_234_567), "1.234.567");
    }
}
