// Issue 15, section `wonen` (run alone with
// VANGNET_E2E_SECTION=wonen VANGNET_BIN=$PWD/target/debug/vangnet node e2e/run.mjs):
// the outflow to a home in the browser, for EACH of the four regions, dated in the PREVIOUS
// month so that the published monitor shows it:
//
// 1. The access team (toegang-{regio}) opens a client in care whose facts all lie before the
//    previous month, records a woonbehoefte in the dossier's Wonen block (preference: the
//    centrumgemeente, in the werkgebied of the region's first corporation) and marks the client
//    uitstroomklaar, both dated the 2nd of the previous month (the forms take a date).
// 2. The corporation (woningcorporatie[-{regio}]) sees the candidate on /corporatie — by its
//    initials only: neither the client's name nor BSN is on the list or the candidate page — and
//    offers a home (the 5th), records the acceptance (8th), the tenancy (signed 12th, lease from
//    the 15th) and the move ("Verhuisd", 15th).
// 3. The access team records einde zorg (last day of care the 15th) with the destination
//    gemeente and kind of home; the spreiding of /regio/{id}/woningafspraken?jaar= counts one
//    more outflow to that gemeente.
// 4. The MONITOR, /monitor/{id}?van=M&tot=M for that month M: as the access team (exact
//    figures) the section "Uitstroom naar wonen" shows exactly one more offer, acceptance,
//    tenancy and outflow to a home than before the journey, no more refusals, the same stock of
//    candidates at month end (the client became one and was housed within the month), and the
//    section "Spreiding" one more outflow to the centrumgemeente and in total. The region's
//    policy officer sees the published figures of the same month: every cell exactly what the
//    publication rules make of the access team's exact figure (1 to t-1 as "<t"; the spreiding
//    with rule 4's secondary suppression, recomputed here from the exact column), and the
//    dashboard without a period stops at the previous month.
//
// Why the previous month: the published monitor shows no running month (rule 7,
// `laatste_maand`: the running month only for the region's own access team), so facts dated
// today would never reach the policy officer's page. Back-dating is what a clerk and a
// corporation really do (every form has its date field, the store refolds the client's facts in
// date order and validates them), so the journey takes no shortcut. The monitor is a projection
// maintained in the transaction of every append (ARCHITECTURE.md, "The monitor: table and
// in-memory index"): there is no publish or rebuild step a user would take, and the web cache
// follows the log's high-water mark, so the next page view shows the new facts.
//
// Breaking it (first region): an offer recorded in the dossier for a client with a woonbehoefte
// who is not uitstroomklaar (refused at the offer's date, nothing written), another region's corporation opens the
// candidate (403), an offer whose reply term lies before the offer (refused at its field,
// nothing written), a double click on "Woning aanbieden" (stored once), a tenancy whose lease
// starts before the offer and one signed before the acceptance (each refused at its field,
// nothing written — the monitor's +1 exactly proves no refused fact was counted). Every page:
// the runner's checks (lang, h1, one main, axe WCAG 2.1 AA, no console errors) and a screenshot
// (e2e/screenshots/wonen-*).

/** The centrumgemeente of each demo region: the first gemeente of its first corporation. */
const CENTRUM = {
  'centraal-gelderland': ['GM0202', 'Arnhem'],
  drechtsteden: ['GM0505', 'Dordrecht'],
  'meierij-bommelerwaard': ['GM0796', "'s-Hertogenbosch"],
  'nijmegen-rivierenland': ['GM0268', 'Nijmegen'],
};

/** The demo user of `role` for region `r`: `<role>-<r>`, or the plain id for the first region. */
function userOf(users, role, r) {
  return users.includes(`${role}-${r}`) ? `${role}-${r}` : role;
}

/** Submit the form holding `button`: the response status (the page checked as `name`). */
async function submit(page, errors, t, button, name, status = 200) {
  errors.length = 0;
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  const got = resp ? resp.status() : 0;
  await t.check(page, errors, name, got, { status, allowConsoleErrors: status >= 400 });
  return got;
}

/** The number of outflows to gemeente `naam` in the spreiding table of the page shown. */
async function spreidingOf(page, naam) {
  const rows = await page.$$eval('#afspraken-spreiding tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
  const row = rows.find((r) => r[0] === naam);
  return row ? row[1] : null;
}

const MAANDEN = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** The month before `today` (YYYY-MM-DD, the server's date): its key, year, Dutch name (the
 *  monitor's row label) and a date on day `d`. */
function previousMonth(today) {
  const [y, m] = today.split('-').map(Number);
  const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
  const key = `${py}-${String(pm).padStart(2, '0')}`;
  return { key, jaar: py, naam: `${MAANDEN[pm - 1]} ${py}`, dag: (d) => `${key}-${String(d).padStart(2, '0')}` };
}

/** The rows of monitor table `#tabel-<key>` on the page shown: row label → cell texts. */
async function monitorRows(page, key) {
  const rows = await page.$$eval(`#tabel-${key} tbody tr`, (trs) => trs.map((tr) => [tr.querySelector('th').textContent.trim(), [...tr.querySelectorAll('td')].map((c) => c.textContent.trim())]));
  return new Map(rows);
}

/** An exact figure as the access team sees it ("1.234" → 1234); NaN when not a plain count. */
function exact(text) {
  return /^[0-9.]+$/.test(text ?? '') ? Number(text.replaceAll('.', '')) : NaN;
}

/** Thousands with a dot, as the monitor writes counts. */
function thousands(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** The published figure of an exact count `v` under threshold `t` (rule 1: 1..t-1 as "<t"). */
function published(v, t) {
  return v > 0 && v < t ? `<${t}` : thousands(v);
}

/** Rule 4, secondary suppression of one breakdown (vangnet_publish::monitor::protect, without
 *  an unpublished rest), as the texts the policy officer must see. */
function protect(values, t) {
  const figs = values.map((v) => published(v, t));
  const small = values.map((v, i) => [v, i]).filter(([v]) => v > 0 && v < t).map(([, i]) => i);
  if (small.length === 0) return figs;
  const need = t - 1 + (small.length - 1);
  const s = small.reduce((a, i) => a + values[i], 0);
  const ex = values.map((v, i) => [v, i]).filter(([v]) => v >= t).map(([, i]) => i);
  if (ex.length > 0) {
    const h = ex.reduce((b, i) => (values[i] > values[b] ? i : b), ex[0]);
    const shownMax = Math.max(0, ...ex.filter((i) => i !== h).map((i) => values[i] + 1));
    const l = Math.max(t, shownMax);
    if (s + values[h] - l >= need) {
      figs[h] = '—';
      return figs;
    }
  }
  return values.map(() => '—');
}

/** The columns of "Uitstroom naar wonen" (vangnet_publish::monitor::uitstroom_wonen). */
const UITSTROOM_KOLOMMEN = ['kandidaten', 'aanbod', 'akkoord', 'geweigerd', 'huur', 'uitstroom'];

/** The exact counts of the access team's monitor for month `mm`: the month's row of
 *  "Uitstroom naar wonen" by column and the spreiding by gemeente. */
async function monitorExact(page, errors, base, t, r, mm, name) {
  await t.visit(page, errors, base, `/monitor/${r}?van=${mm.key}&tot=${mm.key}#uitstroom-wonen`, name);
  const row = (await monitorRows(page, 'uitstroom-wonen')).get(mm.naam) ?? [];
  const uit = Object.fromEntries(UITSTROOM_KOLOMMEN.map((k, i) => [k, exact(row[i])]));
  const spreiding = new Map([...(await monitorRows(page, 'spreiding-wonen'))].map(([g, c]) => [g, exact(c[0])]));
  return { uit, spreiding, exactNote: (await page.locator('.melding-goed', { hasText: 'Exacte cijfers' }).count()) === 1 };
}

/** A client of the region in care, not yet in the housing flow and whose recorded facts all
 *  lie before `first` (so the back-dated journey is the client's latest history): its number,
 *  or null. */
async function clientInCare(page, errors, base, t, provider, clerk, first) {
  await t.login(page, errors, base, provider);
  await page.goto(`${base}/aanbieder`);
  const ids = await page.$$eval('#clienten a[href^="/aanbieder/clienten/"]', (as) => [...new Set(as.map((a) => a.getAttribute('href').split('/').pop()))]);
  await t.login(page, errors, base, clerk);
  for (const id of ids) {
    await page.goto(`${base}/clienten/${id}`);
    const fresh = (await page.locator('#wonen summary', { hasText: 'Woonbehoefte vastleggen' }).count()) === 1;
    const notReady = (await page.locator('form:has(input[name="soort"][value="uitstroomklaar"])').count()) === 1;
    const dates = await page.$$eval('#historie tbody tr td:first-of-type time', (ts) => ts.map((x) => x.getAttribute('datetime')));
    const before = dates.length > 0 && dates.every((d) => d < first);
    if (fresh && notReady && before) return id;
  }
  return null;
}

/** Submit a form that must be refused at `field` (status 422): the message at the field, or ''. */
async function refusedAt(page, errors, t, button, name, fieldId) {
  await submit(page, errors, t, button, name, 422);
  const el = page.locator(`#${fieldId}`);
  return (await el.count()) ? (await el.innerText()).replace('Fout: ', '').trim() : '';
}

async function journey(page, errors, base, t, users, r, first) {
  const [code, naam] = CENTRUM[r];
  const clerk = `toegang-${r}`;
  const corp = userOf(users, 'woningcorporatie', r);
  const provider = userOf(users, 'zorgaanbieder', r);
  const policy = userOf(users, 'beleidsmedewerker', r);

  // The server's today (a form's default date) and the month before it.
  const mm = previousMonth(new Date().toISOString().slice(0, 10));
  const id = await clientInCare(page, errors, base, t, provider, clerk, mm.dag(1));
  if (!id) {
    t.fail(`wonen ${r}`, `no client of ${provider} in care, outside the housing flow, with all facts before ${mm.dag(1)}`);
    return;
  }
  await page.goto(`${base}/clienten/${id}`);
  const today = await page.inputValue('#wb-datum');
  const m = previousMonth(today);
  if (m.key !== mm.key) t.fail(`wonen ${r}`, `server today ${today}, browser month ${mm.key}`);

  // The spreiding before, as the access team sees it (exact figures), and the monitor's month.
  await t.visit(page, errors, base, `/regio/${r}/woningafspraken?jaar=${m.jaar}`, `wonen-${r}-afspraken-voor`);
  const before = Number(await spreidingOf(page, naam));
  const mon0 = await monitorExact(page, errors, base, t, r, m, `wonen-${r}-monitor-voor`);
  if (!mon0.exactNote || UITSTROOM_KOLOMMEN.some((k) => Number.isNaN(mon0.uit[k])) || Number.isNaN(mon0.spreiding.get(naam))) {
    t.fail(`wonen ${r} monitor`, `no exact figures for ${m.naam}: ${JSON.stringify(mon0.uit)}, ${naam} ${mon0.spreiding.get(naam)}`);
  }

  // 1. The clerk: woonbehoefte and uitstroomklaar, dated the 2nd of the month.
  await t.visit(page, errors, base, `/clienten/${id}#wonen`, `wonen-${r}-dossier`);
  const name = (await page.locator('section[aria-labelledby="kop-persoon"] dt:text-is("Naam") + dd').first().innerText()).trim();
  if (name.length > 3) t.ok(`${r}: the clerk sees the client's name (${name.length} characters) on the dossier`);
  else t.fail(`wonen ${r} dossier`, `no name found: "${name}"`);
  const bsn = ((await page.locator('main').innerText()).match(/\b\d{9}\b/) ?? [null])[0];
  await page.selectOption('#wb-woningtype', 'studio');
  await page.selectOption('#wb-route', 'regulier');
  await page.fill('#wb-gemeenten_1', naam);
  await page.check('#wb-prikkelarm');
  await page.fill('#wb-datum', m.dag(2));
  await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="woonbehoefte"]) button[type="submit"]'), `wonen-${r}-woonbehoefte`);
  const need = await page.locator('#wonen dl').innerText();
  if (need.includes(naam) && need.toLowerCase().includes('prikkelarm')) t.ok(`${r}: woonbehoefte recorded for ${id} on ${m.dag(2)} (${naam}, prikkelarm)`);
  else t.fail(`wonen ${r} woonbehoefte`, need);

  if (first) {
    // An offer for someone with a housing need who is not uitstroomklaar: refused, nothing written.
    const facts = await page.locator('#historie tbody tr').count();
    const wa = page.locator('form:has(input[name="soort"][value="woningaanbod"])');
    if (!(await wa.isVisible())) await page.locator('#wonen summary', { hasText: 'Woningaanbod vastleggen' }).click();
    const corporaties = await wa.locator('select[name="corporatie"] option').evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
    await wa.locator('select[name="corporatie"]').selectOption(corporaties[0]);
    await wa.locator('select[name="gemeente"]').selectOption(code);
    await page.fill('#wa-datum', m.dag(5));
    await page.fill('#wa-reageren_voor', m.dag(19));
    await submit(page, errors, t, wa.locator('button[type="submit"]'), `wonen-${r}-aanbod-niet-klaar`, 422);
    const atDate = wa.locator('#fout-datum');
    const message = (await atDate.count()) ? (await atDate.innerText()).replace('Fout: ', '').trim() : '';
    const linked = await wa.locator('.foutoverzicht a[href="#fout-datum"]').count();
    const factsAfter = await page.locator('#historie tbody tr').count();
    if (message.includes('uitstroomklaar') && linked === 1 && factsAfter === facts) t.ok(`${r}: an offer before uitstroomklaar refused at the offer's date: "${message}"; still ${facts} facts`);
    else t.fail(`wonen ${r} aanbod niet klaar`, `${facts} → ${factsAfter} facts; at the date: "${message}", linked ${linked}`);
    await page.locator('#wonen').screenshot({ path: `${t.shots}/wonen-${r}-aanbod-niet-klaar-blok.png` });
    await page.goto(`${base}/clienten/${id}#wonen`);
  }

  await page.fill('#uk-datum', m.dag(2));
  await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="uitstroomklaar"]) button[type="submit"]'), `wonen-${r}-uitstroomklaar`);
  const ready = await page.locator('#wonen dl').innerText();
  if (ready.includes('kandidaat voor een woning')) t.ok(`${r}: ${id} uitstroomklaar since ${m.dag(2)}, a candidate for a home`);
  else t.fail(`wonen ${r} uitstroomklaar`, ready);

  // 2. The corporation: the candidate by its initials only.
  await t.login(page, errors, base, corp);
  await t.visit(page, errors, base, '/corporatie', `wonen-${r}-corporatie`);
  // The list is paged, longest ready first: the new candidate may be on a later page.
  const row = page.locator('#kandidaten tbody tr', { hasText: `nr. ${id}` });
  for (let i = 0; i < 40 && (await row.count()) === 0; i += 1) {
    const next = page.locator('nav a', { hasText: 'Volgende' });
    if ((await next.count()) === 0) break;
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), next.first().click()]);
  }
  if ((await row.count()) === 1) t.ok(`${r}: ${corp} lists candidate ${id}: "${(await row.innerText()).replace(/\s+/g, ' ').slice(0, 100)}"`);
  else t.fail(`wonen ${r} corporatie`, `candidate ${id} not listed once`);
  const leaks = async (where) => {
    const text = await page.locator('body').innerText();
    const parts = name.split(/\s+/).filter((p) => p.length > 3 && !/^(van|de|der|den|ter)$/i.test(p));
    const shown = parts.filter((p) => text.includes(p));
    if (bsn && text.includes(bsn)) shown.push(`BSN ${bsn}`);
    if (shown.length === 0) t.ok(`${r}: ${where} shows no name or BSN of the client`);
    else t.fail(`wonen ${r} ${where}`, `shows ${shown.join(', ')}`);
  };
  await leaks('candidate list');
  await t.visit(page, errors, base, `/corporatie/kandidaten/${id}`, `wonen-${r}-kandidaat`);
  await leaks('candidate page');
  const offerForm = async () => {
    await page.selectOption('#aanbod-gemeente', code);
    await page.fill('#aanbod-effective_date', m.dag(5));
    await page.fill('#aanbod-reageren_voor', m.dag(19));
  };
  const offerButton = page.locator('form:has(input[name="soort"][value="aanbod"]) button[type="submit"]');

  if (first) {
    // An offer whose reply term lies before the offer: refused at the field, nothing written.
    await offerForm();
    await page.fill('#aanbod-reageren_voor', m.dag(4));
    const fieldError = await refusedAt(page, errors, t, offerButton, `wonen-${r}-aanbod-termijn`, 'fout-aanbod-reageren_voor');
    if (fieldError) t.ok(`${r}: a reply term before the offer refused at its field: ${fieldError}`);
    else t.fail(`wonen ${r} aanbod termijn`, (await page.locator('main').innerText()).slice(0, 300));
    await page.goto(`${base}/corporatie/kandidaten/${id}`);
    if ((await page.locator('#kop-aanbod').count()) === 1) t.ok(`${r}: nothing written, the offer form is still there`);
    else t.fail(`wonen ${r} aanbod termijn`, 'an offer was written');

    // Another region's corporation: refused.
    const other = users.find((u) => u.startsWith('woningcorporatie') && u !== corp);
    await t.login(page, errors, base, other);
    await t.visit(page, errors, base, `/corporatie/kandidaten/${id}`, `wonen-${r}-andere-corporatie-403`, { status: 403, allowConsoleErrors: true });
    const body = await page.locator('main').innerText();
    if (!body.includes('Woning aanbieden') && !body.includes('Woonbehoefte')) t.ok(`${r}: ${other} sees nothing of the candidate`);
    else t.fail(`wonen ${r} isolatie`, body.slice(0, 200));
    await t.login(page, errors, base, corp);
    await page.goto(`${base}/corporatie/kandidaten/${id}`);
    await offerForm();

    // A double click on "Woning aanbieden": stored once.
    errors.length = 0;
    await Promise.all([page.waitForURL(/melding=/, { waitUntil: 'load' }), offerButton.dblclick()]);
    await page.waitForLoadState('load');
    const melding = await page.locator('#melding').innerText().catch(() => '');
    t.ok(`${r}: double click on "Woning aanbieden" answered "${melding}"`);
    await t.check(page, errors, `wonen-${r}-aanbod-dubbelklik`, 200);
  } else {
    await offerForm();
    await submit(page, errors, t, offerButton, `wonen-${r}-aanbod`);
  }
  const offered = await page.locator('main dl').innerText();
  if ((await page.locator('#kop-antwoord').count()) === 1 && offered.includes(`reageren vóór`)) t.ok(`${r}: home offered (${offered.match(/Aanbod\s*\n?\s*(.*)/)?.[1] ?? ''})`);
  else t.fail(`wonen ${r} aanbod`, (await page.locator('main').innerText()).slice(0, 300));

  await page.fill('#antwoord-effective_date', m.dag(8));
  await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="antwoord"]) button[type="submit"]'), `wonen-${r}-akkoord`);
  if ((await page.locator('#kop-huur').count()) === 1) t.ok(`${r}: acceptance recorded (${m.dag(8)})`);
  else t.fail(`wonen ${r} akkoord`, (await page.locator('main').innerText()).slice(0, 300));
  const huurButton = page.locator('form:has(input[name="soort"][value="huur"]) button[type="submit"]');

  if (first) {
    // A lease starting before the offer, then a tenancy signed before the acceptance: each
    // refused at its field, nothing written (the form is still there).
    await page.fill('#huur-effective_date', m.dag(12));
    await page.fill('#huur-ingangsdatum', m.dag(1));
    const ingang = await refusedAt(page, errors, t, huurButton, `wonen-${r}-huur-ingang-voor-aanbod`, 'fout-huur-ingangsdatum');
    if (ingang.includes('vóór het aanbod')) t.ok(`${r}: a lease from ${m.dag(1)}, before the offer, refused at its field: ${ingang}`);
    else t.fail(`wonen ${r} huur ingang`, ingang || (await page.locator('main').innerText()).slice(0, 300));
    await page.fill('#huur-effective_date', m.dag(6));
    await page.fill('#huur-ingangsdatum', m.dag(15));
    const getekend = await refusedAt(page, errors, t, huurButton, `wonen-${r}-huur-voor-akkoord`, 'fout-huur-effective_date');
    if (getekend.includes('volgt op een geaccepteerd aanbod')) t.ok(`${r}: a tenancy signed ${m.dag(6)}, before the acceptance, refused at its field: ${getekend}`);
    else t.fail(`wonen ${r} huur getekend`, getekend || (await page.locator('main').innerText()).slice(0, 300));
    await page.goto(`${base}/corporatie/kandidaten/${id}`);
    const stand = await page.locator('main dl').innerText();
    if ((await page.locator('#kop-huur').count()) === 1 && stand.includes('geaccepteerd op')) t.ok(`${r}: nothing written, the offer is still "geaccepteerd" and the tenancy form is there`);
    else t.fail(`wonen ${r} huur`, 'a tenancy was written');
  }
  await page.fill('#huur-effective_date', m.dag(12));
  await page.fill('#huur-ingangsdatum', m.dag(15));
  await submit(page, errors, t, huurButton, `wonen-${r}-huur`);
  if ((await page.locator('#kop-verhuizing').count()) === 1) t.ok(`${r}: tenancy recorded (signed ${m.dag(12)}, lease from ${m.dag(15)})`);
  else t.fail(`wonen ${r} huur`, (await page.locator('main').innerText()).slice(0, 300));
  await page.fill('#verhuizing-effective_date', m.dag(15));
  await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="verhuizing"]) button[type="submit"]'), `wonen-${r}-verhuisd`);
  const gone = (await page.locator('#kandidaten tbody tr', { hasText: `nr. ${id}` }).count()) === 0;
  if (new URL(page.url()).pathname === '/corporatie' && (await page.locator('#melding').count()) === 1 && gone) t.ok(`${r}: moved; ${id} off the candidate list`);
  else t.fail(`wonen ${r} verhuisd`, page.url());

  // 3. The clerk: the Wonen block, then einde zorg with the destination.
  await t.login(page, errors, base, clerk);
  await t.visit(page, errors, base, `/clienten/${id}#wonen`, `wonen-${r}-dossier-gehuisvest`);
  const offers = await page.locator('#wonen table tbody tr').count();
  const block = await page.locator('#wonen').innerText();
  if (offers === 1 && block.includes('Gehuisvest')) t.ok(`${r}: the Wonen block shows 1 offer and the move`);
  else t.fail(`wonen ${r} dossier`, `${offers} offers; ${block.slice(0, 300)}`);
  const ez = page.locator('form:has(input[name="soort"][value="einde_zorg"])');
  const summary = page.locator('summary', { hasText: 'Einde zorg (uitstroom)' });
  if (!(await ez.isVisible())) await summary.click();
  await page.selectOption('#ez-bestemming', 'eigen_woning_sociaal');
  const prefilled = await page.inputValue('#ez-woning_gemeente');
  if (prefilled === naam) t.ok(`${r}: einde zorg prefilled with the home's gemeente ${naam}`);
  else t.fail(`wonen ${r} einde zorg`, `gemeente prefilled "${prefilled}"`);
  await page.fill('#ez-datum', m.dag(15));
  await submit(page, errors, t, ez.locator('button[type="submit"]'), `wonen-${r}-einde-zorg`);
  const phase = await page.locator('.inleiding .label').first().innerText().catch(() => '');
  const zorg = await page.locator('section[aria-labelledby="kop-zorg"]').innerText();
  if (zorg.includes('Niet in zorg') && zorg.includes('Laatste uitstroom')) t.ok(`${r}: einde zorg recorded on ${m.dag(15)} (fase "${phase}"; ${zorg.match(/Laatste uitstroom[^\n]*/)[0]})`);
  else t.fail(`wonen ${r} einde zorg`, zorg.slice(0, 300));

  await t.visit(page, errors, base, `/regio/${r}/woningafspraken?jaar=${m.jaar}`, `wonen-${r}-afspraken-na`);
  const after = Number(await spreidingOf(page, naam));
  if (after === before + 1) t.ok(`${r}: woningafspraken ${m.jaar}, spreiding ${naam} ${before} → ${after}`);
  else t.fail(`wonen ${r} spreiding`, `${naam}: ${before} → ${after}`);

  // 4. The monitor of that month, as the access team: exactly one more of each step.
  const mon1 = await monitorExact(page, errors, base, t, r, m, `wonen-${r}-monitor-na`);
  const want = { kandidaten: 0, aanbod: 1, akkoord: 1, geweigerd: 0, huur: 1, uitstroom: 1 };
  const delta = Object.fromEntries(UITSTROOM_KOLOMMEN.map((k) => [k, mon1.uit[k] - mon0.uit[k]]));
  const line = UITSTROOM_KOLOMMEN.map((k) => `${k} ${mon0.uit[k]} → ${mon1.uit[k]}`).join(', ');
  if (UITSTROOM_KOLOMMEN.every((k) => delta[k] === want[k])) t.ok(`${r}: monitor ${m.naam}, Uitstroom naar wonen: ${line}`);
  else t.fail(`wonen ${r} monitor uitstroom`, line);
  const s0 = mon0.spreiding.get(naam);
  const s1 = mon1.spreiding.get(naam);
  const tot0 = mon0.spreiding.get('Totaal');
  const tot1 = mon1.spreiding.get('Totaal');
  const others = [...mon1.spreiding].filter(([g]) => g !== naam && g !== 'Totaal').every(([g, v]) => v === mon0.spreiding.get(g));
  if (s1 === s0 + 1 && tot1 === tot0 + 1 && others) t.ok(`${r}: monitor ${m.naam}, Spreiding: ${naam} ${s0} → ${s1}, total ${tot0} → ${tot1}, other gemeenten unchanged`);
  else t.fail(`wonen ${r} monitor spreiding`, `${naam} ${s0} → ${s1}, total ${tot0} → ${tot1}, others unchanged: ${others}`);
  await page.locator('#uitstroom-wonen details.tabel-details summary').click();
  await page.locator('#uitstroom-wonen').screenshot({ path: `${t.shots}/wonen-${r}-monitor-uitstroom-toegang.png` });
  await page.locator('#spreiding-wonen details.tabel-details summary').click();
  await page.locator('#spreiding-wonen').screenshot({ path: `${t.shots}/wonen-${r}-monitor-spreiding-toegang.png` });

  // The policy officer: published figures of the same month, and no running month.
  await t.login(page, errors, base, policy);
  await t.visit(page, errors, base, `/monitor/${r}#uitstroom-wonen`, `wonen-${r}-monitor-beleid-standaard`);
  const labels = [...(await monitorRows(page, 'uitstroom-wonen')).keys()];
  const running = `${MAANDEN[Number(today.slice(5, 7)) - 1]} ${today.slice(0, 4)}`;
  if (labels.at(-1) === m.naam && !labels.includes(running)) t.ok(`${policy}: the monitor stops at ${m.naam}; the running month ${running} is not shown`);
  else t.fail(`wonen ${r} beleid maanden`, `rows ${labels.join(', ')}`);
  await t.visit(page, errors, base, `/monitor/${r}?van=${m.key}&tot=${m.key}#uitstroom-wonen`, `wonen-${r}-monitor-beleid`);
  const note = await page.locator('.melding', { hasText: 'Gepubliceerde cijfers' }).innerText().catch(() => '');
  const drempel = Number((note.match(/staan als "<(\d+)"/) ?? [])[1]);
  if (!drempel) {
    t.fail(`wonen ${r} beleid`, `no threshold in "${note.slice(0, 200)}"`);
    return;
  }
  const prow = (await monitorRows(page, 'uitstroom-wonen')).get(m.naam) ?? [];
  const expectRow = UITSTROOM_KOLOMMEN.map((k) => published(mon1.uit[k], drempel));
  const pspr = await monitorRows(page, 'spreiding-wonen');
  const gemeenten = [...mon1.spreiding.keys()].filter((g) => g !== 'Totaal');
  const expectSpr = protect(gemeenten.map((g) => mon1.spreiding.get(g)), drempel);
  const gotSpr = gemeenten.map((g) => (pspr.get(g) ?? [])[0]);
  const rowOk = expectRow.every((x, i) => prow[i] === x);
  const sprOk = expectSpr.every((x, i) => gotSpr[i] === x) && (pspr.get('Totaal') ?? [])[0] === published(tot1, drempel);
  if (rowOk) t.ok(`${policy}: ${m.naam} published as the rules make of the exact row (t = ${drempel}): ${prow.slice(0, 6).join(' | ')}`);
  else t.fail(`wonen ${r} beleid uitstroom`, `got ${prow.join(' | ')}, expected ${expectRow.join(' | ')}`);
  const ci = gemeenten.indexOf(naam);
  if (sprOk) t.ok(`${policy}: spreiding published with rule 4: ${naam} "${gotSpr[ci]}" (exact ${s1}), total "${(pspr.get('Totaal') ?? [])[0]}" (exact ${tot1})`);
  else t.fail(`wonen ${r} beleid spreiding`, `got ${gotSpr.join(' | ')}, expected ${expectSpr.join(' | ')}`);
  await page.locator('#uitstroom-wonen details.tabel-details summary').click();
  await page.locator('#uitstroom-wonen').screenshot({ path: `${t.shots}/wonen-${r}-monitor-uitstroom-beleid.png` });
  await page.locator('#spreiding-wonen details.tabel-details summary').click();
  await page.locator('#spreiding-wonen').screenshot({ path: `${t.shots}/wonen-${r}-monitor-spreiding-beleid.png` });
}

export async function section(browser, page, errors, base, t) {
  await page.goto(`${base}/inloggen`);
  const users = await page.$$eval('button[name="gebruiker"]', (bs) => bs.map((b) => b.value));
  const regions = users.filter((u) => u.startsWith('toegang-')).map((u) => u.slice('toegang-'.length)).filter((r) => CENTRUM[r]);
  if (regions.length !== 4) t.fail('wonen', `expected four regions, got ${regions.join(', ')}`);
  for (const [i, r] of regions.entries()) {
    console.log(`  -- ${r}`);
    await journey(page, errors, base, t, users, r, i === 0);
  }

  // The policy officer of the first region: published figures (small numbers suppressed).
  const r = regions[0];
  await t.login(page, errors, base, 'beleidsmedewerker');
  await t.visit(page, errors, base, `/regio/${r}/woningafspraken`, 'wonen-afspraken-beleid');
  const shown = await spreidingOf(page, CENTRUM[r][1]);
  if ((await page.locator('text=U ziet gepubliceerde cijfers').count()) === 1) t.ok(`policy officer: published figures; ${CENTRUM[r][1]} shows "${shown}"`);
  else t.fail('wonen beleid', 'no note on published figures');

  // The corporation's list and the candidate page at 390 px.
  await t.login(page, errors, base, userOf(users, 'woningcorporatie', r));
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await t.visit(page, errors, base, '/corporatie', 'wonen-corporatie-390px');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow <= 0) t.ok('corporation list at 390 px: no horizontal scrolling');
  else t.fail('wonen 390 px', `${overflow} px horizontal overflow`);
  await page.setViewportSize(size);
}
