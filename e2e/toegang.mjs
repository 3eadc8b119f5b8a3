// Issue 14, section `toegang` (feat/toegang): the access team and the wijkteam in the browser,
// in Centraal Gelderland (hybride toegang: the local door registers, assesses and decides BW).
//
// 1. The access team opens its free places (the proposal → acceptance → start → op-schalen
//    journey through the pages, for every region, is e2e/netwerk.mjs).
// 2. The wijkteam pages through its open cases (50 a page, Volgende), registers a resident,
//    asks the regional team's advice; the access team gives
//    it on /verzoeken; the wijkteam sees it on the dossier.
//
// Every page passes the runner's checks (lang, h1, one main, axe WCAG, no console errors) and
// is screenshotted.

const REGION = 'centraal-gelderland';
const CLERK = `toegang-${REGION}`;
const WIJKTEAM = `wijkteam-${REGION}`;

export async function section(browser, page, errors, base, t) {
  // --- 1. The free-places page as the access team (the proposal → acceptance → start → op-schalen
  // journey runs through the pages in every region in e2e/netwerk.mjs).
  await t.login(page, errors, base, CLERK);
  await t.visit(page, errors, base, `/regio/${REGION}/vrije-plaatsen`, 'toegang-vrije-plaatsen');
  const rows = await page.locator('#plaatsen tbody tr').count();
  if (rows > 10) t.ok(`vrije plaatsen: ${rows} locatie × product`);
  else t.fail('vrije-plaatsen', `${rows} rows`);

  // --- 2. Wijkteam: register, ask advice; the team answers; the wijkteam sees it ------------
  await t.login(page, errors, base, WIJKTEAM);
  await t.visit(page, errors, base, '/wijkteam', 'toegang-wijkteam');
  const model = await page.locator('#toegangsmodel').innerText();
  if (/hybride/i.test(model)) t.ok('wijkteam ziet het toegangsmodel (hybride) met herkomst');
  else t.fail('toegangsmodel', model.slice(0, 200));
  // The open cases a page of 50 at a time (feat/portaal): "1–50 van N" and a Volgende link that
  // opens the next 50.
  const pager = page.locator('nav.filter-knoppen');
  const firstPage = (await pager.count()) ? await pager.innerText() : '';
  const total = /1–50 van (\d+)/.exec(firstPage);
  if (!total) t.fail('wijkteam paginering', `geen "1–50 van N": ${firstPage.slice(0, 120)}`);
  else {
    const firstClient = await page.locator('#zaken tbody tr th a').first().getAttribute('href');
    const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), pager.locator('a', { hasText: 'Volgende' }).click()]);
    await t.check(page, errors, 'toegang-wijkteam-pagina-2', resp ? resp.status() : 0);
    const second = await page.locator('nav.filter-knoppen').innerText();
    const rows = await page.locator('#zaken tbody tr').count();
    const nextClient = await page.locator('#zaken tbody tr th a').first().getAttribute('href');
    const n = Number(total[1]);
    const expected = Math.min(50, n - 50);
    if (second.includes(`51–${50 + expected} van ${n}`) && rows === expected && nextClient !== firstClient && page.url().includes('pagina=2')) {
      t.ok(`wijkteam: ${n} lopende zaken in pagina's van 50; Volgende toont 51–${50 + expected}`);
    } else t.fail('wijkteam Volgende', `${second.slice(0, 120)}; ${rows} rijen; ${page.url()}`);
  }
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
