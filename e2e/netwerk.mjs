// Issue 14, section `netwerk` (run alone with VANGNET_E2E_SECTION=netwerk): the network's
// journeys through the pages — no JSON API — for EACH of the four regions ("a provider, a
// wijkteam and the access team each do their part in the browser for each of the four regions"):
//
// 1. The provider reports a free place on its location page; the access team finds it on its
//    free-places page and proposes a candidate; the provider accepts the proposal in its portal
//    and records the start of care there (iWmo 305); the place is taken.
// 2. The provider asks op-schalen (verzoek om wijziging, iWmo 317) in its portal; the access team
//    approves it on /verzoeken; the provider's portal shows the request "toegekend".
// 3. The wijkteam registers a resident; where the region's access model has a local door it
//    asks the regional team's advice, the team gives it on /verzoeken and the wijkteam reads it
//    on the dossier; under a central model the wijkteam page says the region assesses and decides.
//
// Every page passes the runner's checks (lang, h1, one main, axe WCAG, no console errors) and is
// screenshotted (e2e/screenshots/netwerk-*).

/** The centrumgemeente of each demo region: the demo wijkteam's own gemeente. */
const CENTRUM = {
  'centraal-gelderland': 'GM0202',
  drechtsteden: 'GM0505',
  'meierij-bommelerwaard': 'GM0796',
  'nijmegen-rivierenland': 'GM0268',
};

/** Follow a form submit: the response status and the URL it ended on. */
async function submit(page, errors, t, button, name, opts = {}) {
  errors.length = 0;
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  const status = resp ? resp.status() : 0;
  await t.check(page, errors, name, status, { status: opts.status ?? status, allowConsoleErrors: status >= 400 });
  return status;
}

/** The demo user of `role` for region `r`: `<role>-<r>`, or the plain id for the first region. */
function userOf(users, role, r) {
  return users.includes(`${role}-${r}`) ? `${role}-${r}` : role;
}

async function providerJourney(page, errors, base, t, r, clerk, provider) {
  // The provider's own locations, from its portal.
  await t.login(page, errors, base, provider);
  await t.visit(page, errors, base, '/aanbieder', `netwerk-${r}-portaal`);
  const own = await page.$$eval('a[href^="/aanbieder/locaties/"]', (as) => [...new Set(as.map((a) => a.getAttribute('href').split('/').pop()))]);
  if (own.length === 0) {
    t.fail(`netwerk ${r}`, `${provider} has no locations`);
    return;
  }

  // The access team's places: a BW place of this provider for a product people wait for.
  await t.login(page, errors, base, clerk);
  await t.visit(page, errors, base, `/regio/${r}/vrije-plaatsen`, `netwerk-${r}-vrije-plaatsen`);
  const rows = await page.$$eval('#plaatsen tbody tr', (trs) =>
    trs.map((tr) => {
      const td = [...tr.querySelectorAll('td')].map((x) => x.textContent.trim());
      return { loc: tr.dataset.locatie, product: tr.dataset.product, plaatsen: Number(td[2]), bezet: Number(td[3]), gereserveerd: Number(td[4]), vrij: td[6] };
    }),
  );
  // A short-stay product (logeer, time-out, bed & break) only when people wait for nothing else
  // of this provider (Drechtsteden's demo: only for logeeropvang).
  const ownRows = rows.filter((x) => own.includes(x.loc) && x.product.startsWith('bw-'));
  const shortStay = (x) => /time-out|logeer|bed-and-break/.test(x);
  const wanted = [...new Set(ownRows.map((x) => x.product))].sort((a, b) => shortStay(a) - shortStay(b));
  let place = null;
  let waiting = 0;
  for (const product of wanted) {
    if (place && shortStay(product) && !shortStay(place.product)) break;
    await page.goto(`${base}/regio/${r}/wachtlijst?product=${product}`);
    const n = await page.locator('main table a[href^="/clienten/"]').count();
    if (n > waiting) {
      waiting = n;
      const options = ownRows.filter((x) => x.product === product);
      place = options.find((x) => /^\d+$/.test(x.vrij) && Number(x.vrij) > 0) ?? options[0];
    }
  }
  if (!place) {
    t.fail(`netwerk ${r}`, `nobody waits for a BW product of ${provider}`);
    return;
  }
  t.ok(`${r}: ${waiting} waiting for ${place.product}; ${place.loc} has ${place.vrij} free`);

  // 1a. The provider's place: a full location first gets one place more (opbouw, on its
  // location page), then the provider reports the free place.
  await t.login(page, errors, base, provider);
  await t.visit(page, errors, base, `/aanbieder/locaties/${place.loc}`, `netwerk-${r}-locatie`);
  if (!(/^\d+$/.test(place.vrij) && Number(place.vrij) > 0)) {
    const cap = page.locator('#capaciteit');
    if ((await cap.locator('summary').count()) > 0 && !(await cap.getAttribute('open'))) await cap.locator('summary').first().click();
    await page.selectOption('#capaciteit-product', place.product);
    await page.selectOption('#capaciteit-capaciteit_soort', 'opbouw');
    await page.fill('#capaciteit-plaatsen', String(Math.max(place.plaatsen, place.bezet + place.gereserveerd) + 1));
    await page.fill('#capaciteit-reden', `Extra kamer beschikbaar (e2e netwerk ${r})`);
    await submit(page, errors, t, cap.locator('button[type="submit"]'), `netwerk-${r}-opbouw`);
    if ((await page.locator('#perioden').innerText()).includes(`Extra kamer beschikbaar (e2e netwerk ${r})`)) t.ok(`${r}: the provider records an opbouw of its location`);
    else t.fail(`netwerk ${r} opbouw`, 'capacity period not listed');
  }
  await page.selectOption('#melding-product', place.product);
  await page.fill('#melding-aantal', '1');
  await page.fill('#melding-toelichting', `Kamer vrij (e2e netwerk ${r})`);
  await submit(page, errors, t, page.locator('#vrije-plaats button[type="submit"]'), `netwerk-${r}-vrije-plaats-gemeld`);
  if ((await page.locator('#meldingen').innerText()).includes(`Kamer vrij (e2e netwerk ${r})`)) t.ok(`${r}: the provider reports a free place`);
  else t.fail(`netwerk ${r} melding`, 'free place report not listed');

  // 1b. The access team sees the report and proposes a candidate (one allocated to another
  // provider is refused by the rules: the next one is tried).
  await t.login(page, errors, base, clerk);
  const url = `/regio/${r}/vrije-plaatsen?locatie=${place.loc}&product=${place.product}`;
  await t.visit(page, errors, base, url, `netwerk-${r}-kandidaten`);
  if ((await page.locator('main').innerText()).includes(`Kamer vrij (e2e netwerk ${r})`)) t.ok(`${r}: the access team sees the provider's report`);
  else t.fail(`netwerk ${r}`, 'report not on the free-places page');
  const candidates = await page.$$eval('#kandidaten form input[name="client"]', (is) => is.map((i) => i.value));
  let client = null;
  for (const c of candidates.slice(0, 8)) {
    await page.goto(base + url);
    const status = await submit(page, errors, t, page.locator(`#kandidaten form:has(input[name="client"][value="${c}"]) button`), `netwerk-${r}-voorstel-${c}`);
    if (status === 200 && page.url().includes('melding=voorgesteld')) {
      client = c;
      break;
    }
  }
  if (!client) {
    t.fail(`netwerk ${r}`, 'no candidate could be proposed for any free place');
    return;
  }
  t.ok(`${r}: ${client} proposed for ${place.product} at ${place.loc}`);

  // 1c. The provider accepts in its portal and records the start of care.
  await t.login(page, errors, base, provider);
  await t.visit(page, errors, base, '/aanbieder', `netwerk-${r}-portaal-voorstel`);
  const link = page.locator(`#voorstellen a[href="/aanbieder/clienten/${client}"]`);
  if ((await link.count()) === 0) {
    t.fail(`netwerk ${r}`, `proposal of ${client} not in the provider's portal`);
    return;
  }
  await t.visit(page, errors, base, `/aanbieder/clienten/${client}`, `netwerk-${r}-client-voorstel`);
  await page.check('#voorstel-akkoord');
  await submit(page, errors, t, page.locator('details#voorstel button[type="submit"]'), `netwerk-${r}-voorstel-aanvaard`);
  if ((await page.locator('#melding').count()) === 1) t.ok(`${r}: the provider accepts the proposal`);
  else t.fail(`netwerk ${r} aanvaarden`, page.url());
  if ((await page.locator('details#start').count()) === 0) {
    t.fail(`netwerk ${r}`, 'no start-of-care form after accepting');
    return;
  }
  if (!(await page.locator('details#start').getAttribute('open'))) await page.locator('details#start summary').click();
  await page.selectOption('#start-locatie', place.loc);
  await submit(page, errors, t, page.locator('details#start button[type="submit"]'), `netwerk-${r}-start-zorg`);
  if ((await page.locator('#melding').count()) === 1 && (await page.locator('#historie').innerText()).includes('Start zorg')) t.ok(`${r}: start of care recorded by the provider (iWmo 305)`);
  else t.fail(`netwerk ${r} start`, 'start not confirmed or not in the history');

  // 2a. The provider asks op-schalen for this client.
  const vow = page.locator('details#vow');
  if ((await vow.count()) === 0) {
    t.fail(`netwerk ${r}`, 'no verzoek-om-wijziging form');
    return;
  }
  await vow.locator('summary').click();
  await page.selectOption('#vow-wijziging', 'opschalen');
  const products = await page.$$eval('#vow-product option', (os) => os.map((o) => o.value).filter(Boolean));
  const fitting = [];
  for (const other of products.filter((x) => x !== place.product && x.startsWith('bw-'))) {
    const locs = await page.$$eval('#vow-locatie option', (os, q) => os.filter((o) => (o.dataset.producten ?? '').split(' ').includes(q)).map((o) => o.value), other);
    if (locs.length) fitting.push([other, locs.includes(place.loc) ? place.loc : locs[0]]);
  }
  if (fitting.length === 0) {
    t.fail(`netwerk ${r}`, 'the provider offers no other BW product to scale to');
    return;
  }
  const [heavier, where] = fitting[0];
  await page.selectOption('#vow-product', heavier);
  await page.selectOption('#vow-locatie', where);
  await page.fill('#vow-reden', `Meer begeleiding nodig (e2e netwerk ${r})`);
  await submit(page, errors, t, vow.locator('button[type="submit"]'), `netwerk-${r}-verzoek-opschalen`);
  if ((await page.locator('#verzoeken').innerText()).includes('iWmo 317')) t.ok(`${r}: op-schalen asked (iWmo 317)`);
  else t.fail(`netwerk ${r} verzoek`, 'request not listed');

  // 2b. The access team approves it on /verzoeken.
  await t.login(page, errors, base, clerk);
  await t.visit(page, errors, base, '/verzoeken', `netwerk-${r}-verzoeken`);
  const form = page.locator(`form:has(input[name="client"][value="${client}"]):has(input[name="soort"][value="verzoek"])`).first();
  if ((await form.count()) === 0) {
    t.fail(`netwerk ${r}`, `no answer form for ${client}`);
    return;
  }
  await form.locator('input[value="toegekend"]').check();
  await submit(page, errors, t, form.locator('button[type="submit"]'), `netwerk-${r}-verzoek-toegekend`);
  if (page.url().includes('melding=beantwoord')) t.ok(`${r}: the access team approves op-schalen`);
  else t.fail(`netwerk ${r} toekennen`, page.url());

  // 2c. The provider sees the answer.
  await t.login(page, errors, base, provider);
  await t.visit(page, errors, base, `/aanbieder/clienten/${client}`, `netwerk-${r}-client-toegekend`);
  if ((await page.locator('#verzoeken').innerText()).includes('toegekend')) t.ok(`${r}: the provider sees its request granted`);
  else t.fail(`netwerk ${r}`, 'request not shown as toegekend');
}

async function wijkteamJourney(page, errors, base, t, r, clerk, wijkteam) {
  await t.login(page, errors, base, wijkteam);
  await t.visit(page, errors, base, '/wijkteam', `netwerk-${r}-wijkteam`);
  const model = await page.locator('#toegangsmodel').innerText();
  let dossier = null;
  for (let attempt = 0; attempt < 5 && !dossier; attempt += 1) {
    await t.visit(page, errors, base, '/aanmelden', `netwerk-${r}-aanmelden-${attempt}`);
    await page.fill('#aanm-bsn', t.syntheticBsn());
    await page.fill('#aanm-voornaam', 'Sem');
    await page.fill('#aanm-achternaam', `Netwerktest ${r}`);
    await page.fill('#aanm-geboortedatum', '1991-07-21');
    await page.selectOption('#aanm-herkomst_gemeente', CENTRUM[r]);
    const status = await submit(page, errors, t, page.locator('form.formulier button[type="submit"]').first(), `netwerk-${r}-aangemeld-${attempt}`);
    if (status === 200 && page.url().includes('/clienten/')) dossier = new URL(page.url()).pathname;
  }
  if (!dossier) {
    t.fail(`netwerk ${r} wijkteam`, `could not register (${page.url()})`);
    return;
  }
  t.ok(`${r}: the wijkteam registers a resident`);
  const resident = dossier.split('/')[2];
  const ask = page.locator('#lokale-toegang summary', { hasText: 'Advies vragen' });
  if ((await ask.count()) === 0) {
    // A central model: the region assesses and decides; the wijkteam page says so.
    if (/centraal|regio/i.test(model)) t.ok(`${r}: central access — the regional team takes the case (${model.split('\n')[0].slice(0, 80)})`);
    else t.fail(`netwerk ${r}`, `no advice form and no central model: ${model.slice(0, 120)}`);
    await t.login(page, errors, base, clerk);
    await t.visit(page, errors, base, dossier, `netwerk-${r}-toegang-ziet-aanmelding`);
    return;
  }
  await ask.click();
  await page.fill('#adv-vraag', `Past beschermd wonen? (e2e netwerk ${r})`);
  await submit(page, errors, t, page.locator('form:has(#adv-vraag) button[type="submit"]'), `netwerk-${r}-advies-gevraagd`);

  await t.login(page, errors, base, clerk);
  await t.visit(page, errors, base, '/verzoeken', `netwerk-${r}-verzoeken-advies`);
  const form = page.locator(`form:has(input[name="client"][value="${resident}"]):has(input[name="soort"][value="advies"])`).first();
  if ((await form.count()) === 0) {
    t.fail(`netwerk ${r}`, `no advice form for ${resident}`);
    return;
  }
  await form.locator('textarea').fill(`Ambulant starten, na 3 maanden evalueren (e2e netwerk ${r})`);
  await submit(page, errors, t, form.locator('button[type="submit"]'), `netwerk-${r}-advies-gegeven`);

  await t.login(page, errors, base, wijkteam);
  await t.visit(page, errors, base, dossier, `netwerk-${r}-wijkteam-leest-advies`);
  if ((await page.locator('#adviezen').innerText()).includes(`Ambulant starten, na 3 maanden evalueren (e2e netwerk ${r})`)) t.ok(`${r}: the wijkteam reads the regional team's advice`);
  else t.fail(`netwerk ${r}`, 'advice not shown to the wijkteam');
}

export async function section(browser, page, errors, base, t) {
  await page.goto(`${base}/inloggen`);
  const users = await page.$$eval('button[name="gebruiker"]', (bs) => bs.map((b) => b.value));
  const regions = users.filter((u) => u.startsWith('toegang-')).map((u) => u.slice('toegang-'.length));
  if (regions.length !== 4) t.fail('netwerk', `expected four regions, got ${regions.join(', ')}`);
  for (const r of regions) {
    const clerk = `toegang-${r}`;
    await providerJourney(page, errors, base, t, r, clerk, userOf(users, 'zorgaanbieder', r));
    await wijkteamJourney(page, errors, base, t, r, clerk, userOf(users, 'wijkteam', r));
  }
}
