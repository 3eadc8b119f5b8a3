// Issue 14, section `toegang` (feat/toegang): the access team and the wijkteam in the browser,
// in Centraal Gelderland (hybride toegang: the local door registers, assesses and decides BW).
//
// 1. The access team opens its free places, picks a free Beschermd-wonen place of the first
//    provider (Rijnbeschut) and proposes the first candidate that fits ("Voorstellen").
// 2. The provider accepts (JSON API, as the provider's session) and, once the clerk has placed
//    the client, asks to scale up (verzoek om wijziging: opschalen to Intensief); the access team
//    approves it on /verzoeken and the dossier shows the new product.
// 3. The wijkteam registers a resident, asks the regional team's advice; the access team gives
//    it on /verzoeken; the wijkteam sees it on the dossier.
//
// Every page passes the runner's checks (lang, h1, one main, axe WCAG, no console errors) and
// is screenshotted.

const REGION = 'centraal-gelderland';
const CLERK = `toegang-${REGION}`;
const WIJKTEAM = `wijkteam-${REGION}`;
const PROVIDER = `zorgaanbieder-${REGION}`;
const PROVIDER_AGB = '98000101';
const PRODUCT = 'bw-beschermd-wonen';
const HEAVIER = 'bw-intensief';

/** The CSRF token of the page's session (the logout form carries it). */
async function csrf(page) {
  return page.getAttribute('input[name="csrf"]', 'value');
}

/** POST one fact through the JSON API as the logged-in user. */
async function apiFact(page, base, client, event, key) {
  const token = await csrf(page);
  const state = await page.request.get(`${base}/api/clienten/${client}`);
  const current = (await state.json()).state;
  const resp = await page.request.post(`${base}/api/clienten/${client}/gebeurtenissen`, {
    headers: { 'x-csrf-token': token },
    data: { gebeurtenis: event(current), expected_version: current.version, idempotency_key: key },
  });
  return { status: resp.status(), body: await resp.text() };
}

export async function section(browser, page, errors, base, t) {
  // --- 1. Free places and a proposal --------------------------------------------------------
  await t.login(page, errors, base, CLERK);
  await t.visit(page, errors, base, `/regio/${REGION}/vrije-plaatsen`, 'toegang-vrije-plaatsen');
  const rows = await page.$$eval('#plaatsen tbody tr', (trs) =>
    trs.map((tr) => ({ loc: tr.dataset.locatie, product: tr.dataset.product, vrij: tr.querySelectorAll('td')[6].textContent.trim() })),
  );
  const free = rows.filter((r) => r.product === PRODUCT && /^\d+$/.test(r.vrij) && Number(r.vrij) > 0);
  const place = free.find((r) => ['rijnbeschut-arnhem-centrum', 'rijnbeschut-renkum'].includes(r.loc));
  if (!place) {
    t.fail('vrije-plaatsen', `geen vrije plaats ${PRODUCT} bij Rijnbeschut (vrij: ${JSON.stringify(free)})`);
    return;
  }
  t.ok(`vrije plaats gevonden: ${place.loc} (${place.vrij} vrij)`);
  const placeUrl = `/regio/${REGION}/vrije-plaatsen?locatie=${place.loc}&product=${PRODUCT}`;
  await t.visit(page, errors, base, placeUrl, 'toegang-kandidaten');
  const candidates = await page.$$eval('#kandidaten form input[name="client"]', (is) => is.map((i) => i.value));
  if ((await page.locator('#niet-geschikt').count()) > 0 || candidates.length > 0) t.ok(`${candidates.length} kandidaten met een knop Voorstellen`);
  let client = null;
  for (const c of candidates.slice(0, 6)) {
    await page.goto(base + placeUrl);
    errors.length = 0;
    const [resp] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.locator(`#kandidaten form:has(input[name="client"][value="${c}"]) button`).click(),
    ]);
    if (resp && resp.status() === 200 && page.url().includes('melding=voorgesteld')) {
      client = c;
      await t.check(page, errors, 'toegang-voorgesteld', 200);
      break;
    }
    // A candidate allocated to another provider is refused by the rules; try the next one.
    await t.check(page, errors, `toegang-voorstel-geweigerd-${c}`, resp ? resp.status() : 0, { status: 422, allowConsoleErrors: true });
  }
  if (!client) {
    t.fail('voorstellen', 'geen kandidaat kon worden voorgesteld');
    return;
  }
  const reserved = await page.locator('#plaats-stand').innerText();
  if (/[1-9]\d* gereserveerd/.test(reserved)) t.ok(`plaats gereserveerd: ${reserved}`);
  else t.fail('gereserveerd', reserved);

  // --- 2. The provider accepts; placed; the provider asks to scale up; approved -------------
  await t.login(page, errors, base, PROVIDER);
  const accepted = await apiFact(page, base, client, (s) => ({ type: 'voorstel_antwoord', voorstel: s.voorstel.versie, akkoord: true, reden: '' }), `e2e-akkoord-${client}`);
  if (accepted.status === 200 || accepted.status === 201) t.ok('aanbieder neemt het voorstel aan (API)');
  else t.fail('voorstel aannemen', `${accepted.status} ${accepted.body}`);

  await t.login(page, errors, base, CLERK);
  await t.visit(page, errors, base, `/clienten/${client}?locatie=${place.loc}#plaatsing`, 'toegang-dossier-plaatsen');
  await page.selectOption('#sz-locatie', place.loc);
  await t.submitAndCheck(page, errors, page.locator('form:has(#sz-locatie) button[type="submit"]'), 'toegang-geplaatst');
  if (page.url().includes('melding=geplaatst')) t.ok('geplaatst na het voorstel');
  else t.fail('plaatsen', page.url());

  await t.login(page, errors, base, PROVIDER);
  const asked = await apiFact(
    page,
    base,
    client,
    () => ({ type: 'verzoek_wijziging', aanbieder: PROVIDER_AGB, wijziging: { soort: 'opschalen', product: HEAVIER, locatie: null }, reden: 'meer begeleiding nodig (e2e)' }),
    `e2e-opschalen-${client}`,
  );
  if (asked.status === 200 || asked.status === 201) t.ok('aanbieder vraagt opschalen (API)');
  else t.fail('verzoek opschalen', `${asked.status} ${asked.body}`);

  await t.login(page, errors, base, CLERK);
  await t.visit(page, errors, base, '/verzoeken', 'toegang-verzoeken');
  const form = page.locator(`form:has(input[name="client"][value="${client}"]):has(input[name="soort"][value="verzoek"])`).first();
  if ((await form.count()) === 0) {
    t.fail('verzoeken', `geen antwoordformulier voor ${client}`);
  } else {
    await form.locator('input[value="toegekend"]').check();
    await t.submitAndCheck(page, errors, form.locator('button[type="submit"]'), 'toegang-verzoek-toegekend');
    if (page.url().includes('melding=beantwoord')) t.ok('verzoek om opschalen toegekend');
    else t.fail('verzoek toekennen', page.url());
    await t.visit(page, errors, base, `/clienten/${client}`, 'toegang-dossier-opgeschaald');
    const text = await page.locator('main').innerText();
    if (/Intensief/i.test(text)) t.ok('dossier toont het zwaardere product');
    else t.fail('opgeschaald', 'dossier noemt Intensief niet');
  }

  // --- 3. Wijkteam: register, ask advice; the team answers; the wijkteam sees it ------------
  await t.login(page, errors, base, WIJKTEAM);
  await t.visit(page, errors, base, '/wijkteam', 'toegang-wijkteam');
  const model = await page.locator('#toegangsmodel').innerText();
  if (/hybride/i.test(model)) t.ok('wijkteam ziet het toegangsmodel (hybride) met herkomst');
  else t.fail('toegangsmodel', model.slice(0, 200));
  let dossier = null;
  for (let attempt = 0; attempt < 5 && !dossier; attempt += 1) {
    await t.visit(page, errors, base, '/aanmelden', `toegang-wijkteam-aanmelden-${attempt}`);
    await page.fill('#aanm-bsn', t.syntheticBsn());
    await page.fill('#aanm-voornaam', 'Noa');
    await page.fill('#aanm-achternaam', 'Wijkteamtest');
    await page.fill('#aanm-geboortedatum', '1994-03-12');
    await page.selectOption('#aanm-herkomst_gemeente', 'GM0202');
    errors.length = 0;
    const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('form.formulier button[type="submit"]').first().click()]);
    if (resp && resp.status() === 200 && page.url().includes('/clienten/')) {
      await t.check(page, errors, 'toegang-wijkteam-aangemeld', 200);
      dossier = new URL(page.url()).pathname;
    }
  }
  if (!dossier) {
    t.fail('wijkteam aanmelden', page.url());
    return;
  }
  const resident = dossier.split('/')[2];
  await page.locator('#lokale-toegang summary', { hasText: 'Advies vragen' }).click();
  await page.fill('#adv-vraag', 'Past beschermd wonen, of volstaat ambulante begeleiding? (e2e)');
  await t.submitAndCheck(page, errors, page.locator('form:has(#adv-vraag) button[type="submit"]'), 'toegang-advies-gevraagd');

  await t.login(page, errors, base, CLERK);
  await t.visit(page, errors, base, '/verzoeken', 'toegang-verzoeken-advies');
  const adviesForm = page.locator(`form:has(input[name="client"][value="${resident}"]):has(input[name="soort"][value="advies"])`).first();
  if ((await adviesForm.count()) === 0) {
    t.fail('adviesvraag', `geen adviesformulier voor ${resident}`);
    return;
  }
  await adviesForm.locator('textarea').fill('Eerst ambulante begeleiding proberen; opnieuw bespreken na 3 maanden. (e2e)');
  await t.submitAndCheck(page, errors, adviesForm.locator('button[type="submit"]'), 'toegang-advies-gegeven');

  await t.login(page, errors, base, WIJKTEAM);
  await t.visit(page, errors, base, dossier, 'toegang-wijkteam-ziet-advies');
  const adviezen = await page.locator('#adviezen').innerText();
  if (adviezen.includes('Eerst ambulante begeleiding proberen')) t.ok('wijkteam ziet het advies van het regionale team');
  else t.fail('advies zien', adviezen);
}
