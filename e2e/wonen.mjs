// Issue 15, section `wonen` (run alone with
// VANGNET_E2E_SECTION=wonen VANGNET_BIN=$PWD/target/debug/vangnet node e2e/run.mjs):
// the outflow to a home in the browser, for EACH of the four regions:
//
// 1. The access team (toegang-{regio}) opens a client in care, records a woonbehoefte in the
//    dossier's Wonen block (preference: the centrumgemeente, in the werkgebied of the region's
//    first corporation) and marks the client uitstroomklaar.
// 2. The corporation (woningcorporatie[-{regio}]) sees the candidate on /corporatie — by its
//    initials only: neither the client's name nor BSN is on the list or the candidate page — and
//    offers a home, records the acceptance, the tenancy and the move ("Verhuisd").
// 3. The access team records einde zorg with the destination gemeente and kind of home; the
//    spreiding of /regio/{id}/woningafspraken counts one more outflow to that gemeente.
// Breaking it (first region): another region's corporation opens the candidate (403), an offer
// with a reply term in the past (refused at its field, nothing written), a double click on
// "Woning aanbieden" (stored once). The policy officer (beleidsmedewerker, first region) sees
// the agreements page with published (suppressed) figures. Every page: the runner's checks
// (lang, h1, one main, axe WCAG 2.1 AA, no console errors) and a screenshot (e2e/screenshots/wonen-*).

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

/** A client of the region in care and not yet in the housing flow: its number, or null. */
async function clientInCare(page, errors, base, t, provider, clerk) {
  await t.login(page, errors, base, provider);
  await page.goto(`${base}/aanbieder`);
  const ids = await page.$$eval('#clienten a[href^="/aanbieder/clienten/"]', (as) => [...new Set(as.map((a) => a.getAttribute('href').split('/').pop()))]);
  await t.login(page, errors, base, clerk);
  for (const id of ids) {
    await page.goto(`${base}/clienten/${id}`);
    const fresh = (await page.locator('#wonen summary', { hasText: 'Woonbehoefte vastleggen' }).count()) === 1;
    const notReady = (await page.locator('form:has(input[name="soort"][value="uitstroomklaar"])').count()) === 1;
    if (fresh && notReady) return id;
  }
  return null;
}

async function journey(page, errors, base, t, users, r, first) {
  const [code, naam] = CENTRUM[r];
  const clerk = `toegang-${r}`;
  const corp = userOf(users, 'woningcorporatie', r);
  const provider = userOf(users, 'zorgaanbieder', r);
  const id = await clientInCare(page, errors, base, t, provider, clerk);
  if (!id) {
    t.fail(`wonen ${r}`, `no client of ${provider} in care and outside the housing flow`);
    return;
  }

  // The spreiding before, as the access team sees it (exact figures).
  await t.visit(page, errors, base, `/regio/${r}/woningafspraken`, `wonen-${r}-afspraken-voor`);
  const before = Number(await spreidingOf(page, naam));

  // 1. The clerk: woonbehoefte and uitstroomklaar.
  await t.visit(page, errors, base, `/clienten/${id}#wonen`, `wonen-${r}-dossier`);
  const name = (await page.locator('section[aria-labelledby="kop-persoon"] dt:text-is("Naam") + dd').first().innerText()).trim();
  if (name.length > 3) t.ok(`${r}: the clerk sees the client's name (${name.length} characters) on the dossier`);
  else t.fail(`wonen ${r} dossier`, `no name found: "${name}"`);
  const bsn = ((await page.locator('main').innerText()).match(/\b\d{9}\b/) ?? [null])[0];
  await page.selectOption('#wb-woningtype', 'studio');
  await page.selectOption('#wb-route', 'regulier');
  await page.fill('#wb-gemeenten_1', naam);
  await page.check('#wb-prikkelarm');
  await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="woonbehoefte"]) button[type="submit"]'), `wonen-${r}-woonbehoefte`);
  const need = await page.locator('#wonen dl').innerText();
  if (need.includes(naam) && need.toLowerCase().includes('prikkelarm')) t.ok(`${r}: woonbehoefte recorded for ${id} (${naam}, prikkelarm)`);
  else t.fail(`wonen ${r} woonbehoefte`, need);
  await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="uitstroomklaar"]) button[type="submit"]'), `wonen-${r}-uitstroomklaar`);
  const ready = await page.locator('#wonen dl').innerText();
  if (ready.includes('kandidaat voor een woning')) t.ok(`${r}: ${id} uitstroomklaar, a candidate for a home`);
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
  await page.selectOption('#aanbod-gemeente', code);

  if (first) {
    // An offer whose reply term has passed: refused at the field, nothing written.
    const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
    await page.fill('#aanbod-reageren_voor', yesterday);
    await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="aanbod"]) button[type="submit"]'), `wonen-${r}-aanbod-verleden`, 422);
    const fieldError = (await page.locator('#fout-aanbod-reageren_voor').count()) ? await page.locator('#fout-aanbod-reageren_voor').innerText() : '';
    if (fieldError) t.ok(`${r}: a reply term in the past refused at its field: ${fieldError.replace('Fout: ', '')}`);
    else t.fail(`wonen ${r} aanbod verleden`, (await page.locator('main').innerText()).slice(0, 300));
    await page.goto(`${base}/corporatie/kandidaten/${id}`);
    if ((await page.locator('#kop-aanbod').count()) === 1) t.ok(`${r}: nothing written, the offer form is still there`);
    else t.fail(`wonen ${r} aanbod verleden`, 'an offer was written');
    await page.selectOption('#aanbod-gemeente', code);

    // Another region's corporation: refused.
    const other = users.find((u) => u.startsWith('woningcorporatie') && u !== corp);
    await t.login(page, errors, base, other);
    await t.visit(page, errors, base, `/corporatie/kandidaten/${id}`, `wonen-${r}-andere-corporatie-403`, { status: 403, allowConsoleErrors: true });
    const body = await page.locator('main').innerText();
    if (!body.includes('Woning aanbieden') && !body.includes('Woonbehoefte')) t.ok(`${r}: ${other} sees nothing of the candidate`);
    else t.fail(`wonen ${r} isolatie`, body.slice(0, 200));
    await t.login(page, errors, base, corp);
    await page.goto(`${base}/corporatie/kandidaten/${id}`);
    await page.selectOption('#aanbod-gemeente', code);

    // A double click on "Woning aanbieden": stored once.
    errors.length = 0;
    const button = page.locator('form:has(input[name="soort"][value="aanbod"]) button[type="submit"]');
    await Promise.all([page.waitForURL(/melding=/, { waitUntil: 'load' }), button.dblclick()]);
    await page.waitForLoadState('load');
    const melding = await page.locator('#melding').innerText().catch(() => '');
    t.ok(`${r}: double click on "Woning aanbieden" answered "${melding}"`);
    await t.check(page, errors, `wonen-${r}-aanbod-dubbelklik`, 200);
  } else {
    await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="aanbod"]) button[type="submit"]'), `wonen-${r}-aanbod`);
  }
  const offered = await page.locator('main dl').innerText();
  if ((await page.locator('#kop-antwoord').count()) === 1) t.ok(`${r}: home offered (${offered.match(/Aanbod\s*\n?\s*(.*)/)?.[1] ?? ''})`);
  else t.fail(`wonen ${r} aanbod`, (await page.locator('main').innerText()).slice(0, 300));

  await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="antwoord"]) button[type="submit"]'), `wonen-${r}-akkoord`);
  if ((await page.locator('#kop-huur').count()) === 1) t.ok(`${r}: acceptance recorded`);
  else t.fail(`wonen ${r} akkoord`, (await page.locator('main').innerText()).slice(0, 300));
  await submit(page, errors, t, page.locator('form:has(input[name="soort"][value="huur"]) button[type="submit"]'), `wonen-${r}-huur`);
  if ((await page.locator('#kop-verhuizing').count()) === 1) t.ok(`${r}: tenancy recorded`);
  else t.fail(`wonen ${r} huur`, (await page.locator('main').innerText()).slice(0, 300));
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
  await submit(page, errors, t, ez.locator('button[type="submit"]'), `wonen-${r}-einde-zorg`);
  const phase = await page.locator('.inleiding .label').first().innerText().catch(() => '');
  t.ok(`${r}: einde zorg recorded (fase "${phase}")`);

  await t.visit(page, errors, base, `/regio/${r}/woningafspraken`, `wonen-${r}-afspraken-na`);
  const after = Number(await spreidingOf(page, naam));
  if (after === before + 1) t.ok(`${r}: spreiding ${naam} ${before} → ${after}`);
  else t.fail(`wonen ${r} spreiding`, `${naam}: ${before} → ${after}`);
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
