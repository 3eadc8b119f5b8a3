// Issue 14, feat/portaal: the provider portal in the browser (run alone with
// VANGNET_E2E_SECTION=aanbieder). The demo provider of every region logs in, sees its portal
// (locations with places, proposals, clients, tasks), opens one of its locations and one of its
// clients; on the first region's provider: a form refused at its fields (nothing written),
// an op-schalen request (until feat/feiten lands the store answers "nog niet verwerkt"), and
// another provider's client and location refused. Every page: axe, Dutch, 390 px.

/** The first client link on the portal page, if any: its path. */
async function firstClient(page) {
  const hrefs = await page.$$eval('#clienten a[href^="/aanbieder/clienten/"]', (as) => as.map((a) => a.getAttribute('href')));
  return hrefs[0] ?? null;
}

export async function section(browser, page, errors, base, t) {
  const { ok, fail, visit, check, login, submitAndCheck } = t;
  const users = await page.goto(`${base}/inloggen`).then(() =>
    page.$$eval('button[name="gebruiker"]', (bs) => bs.map((b) => b.value).filter((v) => v.startsWith('zorgaanbieder'))),
  );
  if (users.length < 2) fail('aanbieder', `expected a provider per region, got ${users.join(', ')}`);
  let firstClientPath = null;
  let cgClient = null;
  for (const u of users) {
    await login(page, errors, base, u);
    if ((await page.locator('a[href="/aanbieder"]').count()) > 0) ok(`${u}: home links to the portal`);
    else fail(`${u} home`, 'no link to /aanbieder');
    await visit(page, errors, base, '/aanbieder', `aanbieder-portaal--${u}`);
    const tables = await page.locator('table caption:has-text("Plaatsen op")').count();
    if (tables > 0) ok(`${u}: ${tables} locations with places`);
    else fail(`${u} portal`, 'no location tables');
    const voorstellen = await page.locator('#kop-voorstellen').count();
    if (voorstellen === 1) ok(`${u}: proposals section`);
    else fail(`${u} portal`, 'no proposals section');
    // Dates as dd-mm-jjjj.
    const iso = await page.$$eval('main time', (ts) => ts.filter((x) => /\d{4}-\d{2}-\d{2}/.test(x.textContent)).length);
    if (iso === 0) ok(`${u}: dates in Dutch`);
    else fail(`${u} portal`, `${iso} dates shown as ISO`);
    // One of its locations.
    const loc = await page.$$eval('a[href^="/aanbieder/locaties/"]', (as) => as.map((a) => a.getAttribute('href'))[0]);
    if (loc) await visit(page, errors, base, loc, `aanbieder-locatie--${u}`);
    await page.goto(`${base}/aanbieder`);
    const client = await firstClient(page);
    if (client) {
      await visit(page, errors, base, client, `aanbieder-client--${u}`);
      if (u === 'zorgaanbieder') firstClientPath = client;
      if (u === 'zorgaanbieder-centraal-gelderland') cgClient = client;
    } else {
      console.log(`  (${u}: geen cliënten in de demo)`);
    }
    // 390 px: only a table's own scroll area scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, errors, base, '/aanbieder', `aanbieder-portaal-390--${u}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (!wide) ok(`${u}: portal fits 390 px`);
    else fail(`${u} portal 390 px`, 'the page scrolls sideways');
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  // The first region's provider works on one of its clients.
  await login(page, errors, base, 'zorgaanbieder');
  if (!firstClientPath) {
    fail('aanbieder', 'the demo provider has no clients to work on');
    return;
  }
  await visit(page, errors, base, firstClientPath, 'aanbieder-client-formulieren');
  // An empty op-schalen request: every error at its field, in Dutch.
  const vow = page.locator('details#vow');
  await vow.locator('summary').click();
  await page.selectOption('#vow-wijziging', 'opschalen');
  await submitAndCheck(page, errors, vow.locator('button[type="submit"]'), 'aanbieder-verzoek-fout', { status: 422, allowConsoleErrors: true });
  if ((await page.locator('#fout-vow-product').count()) === 1 && (await page.locator('#fout-vow-reden').count()) === 1) ok('op-schalen: errors at product and reason');
  else fail('op-schalen', 'errors not at their fields');
  // Filled in: the store decides (feat/feiten builds the rules of the request).
  const products = await page.$$eval('#vow-product option', (os) => os.map((o) => o.value).filter(Boolean));
  await page.selectOption('#vow-wijziging', 'opschalen');
  const current = await page.getAttribute('#zorg', 'data-product');
  const other = products.find((p) => p !== current && p.startsWith('bw-')) ?? products.find((p) => p !== current);
  await page.selectOption('#vow-product', other);
  // A location of its own that offers the new product.
  const fits = await page.$$eval('#vow-locatie option', (os, p) => os.filter((o) => (o.dataset.producten ?? '').split(' ').includes(p)).map((o) => o.value), other);
  if (fits.length) await page.selectOption('#vow-locatie', fits[0]);
  await page.fill('#vow-reden', 'Meer begeleiding nodig (e2e)');
  errors.length = 0;
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('details#vow button[type="submit"]').click()]);
  const status = resp ? resp.status() : 0;
  if (status === 200 && (await page.locator('#melding').count()) === 1) {
    ok('op-schalen requested (iWmo 317)');
    if ((await page.locator('#verzoeken').innerText()).includes('iWmo 317')) ok('the request listed with its iWmo name');
    else fail('op-schalen', 'request not listed');
  } else if (status === 422 && (await page.content()).includes('nog niet verwerkt')) {
    ok('op-schalen reached the store (rules of feat/feiten not merged yet)');
  } else {
    fail('op-schalen', `status ${status}`);
  }
  await check(page, errors, 'aanbieder-verzoek-opschalen', status, { status, allowConsoleErrors: true });

  // A free place reported on one of its locations.
  await page.goto(`${base}/aanbieder`);
  const ownLoc = await page.$$eval('a[href^="/aanbieder/locaties/"]', (as) => as.map((a) => a.getAttribute('href'))[0]);
  await visit(page, errors, base, ownLoc, 'aanbieder-vrije-plaats-formulier');
  const locProducts = await page.$$eval('#melding-product option', (os) => os.map((o) => o.value).filter(Boolean));
  await page.selectOption('#melding-product', locProducts[0]);
  await page.fill('#melding-aantal', '2');
  await page.fill('#melding-toelichting', 'Twee kamers vrij (e2e)');
  await submitAndCheck(page, errors, page.locator('#vrije-plaats button[type="submit"]'), 'aanbieder-vrije-plaats-gemeld');
  if ((await page.locator('#melding').count()) === 1 && (await page.locator('#meldingen').innerText()).includes('Twee kamers vrij (e2e)')) ok('free place reported and listed');
  else fail('vrije plaats', 'report not confirmed or not listed');

  // MO nights through the form: no demo provider runs a night shelter, so the region's access
  // team records them (Centraal Gelderland has one) on a client's portal page.
  if (cgClient) {
    await login(page, errors, base, 'toegang-centraal-gelderland');
    await visit(page, errors, base, cgClient, 'aanbieder-mo-formulier-toegang');
    const mo = page.locator('details#mo');
    await mo.locator('summary').click();
    const shelters = await page.$$eval('#mo-locatie option', (os) => os.map((o) => o.value).filter(Boolean));
    await page.selectOption('#mo-locatie', shelters[0]);
    const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
    await page.fill('#mo-eerste_nacht', yesterday);
    await page.fill('#mo-nachten', '1');
    await submitAndCheck(page, errors, mo.locator('button[type="submit"]'), 'aanbieder-mo-nacht-vastgelegd');
    if ((await page.locator('#melding').count()) === 1 && (await page.locator('#historie').innerText()).includes('Overnachting')) ok('MO night recorded through the form');
    else fail('MO-nacht', 'not confirmed or not in the history');
  } else {
    fail('MO-nacht', 'no client of Centraal Gelderland to record a night for');
  }

  // Another provider's client and location: refused.
  await login(page, errors, base, users.find((u) => u !== 'zorgaanbieder'));
  await visit(page, errors, base, firstClientPath, 'aanbieder-andere-client-geweigerd', { status: 403, allowConsoleErrors: true });
  const body = await page.locator('main').innerText();
  if (!body.includes('Vastleggen') && !body.includes('Historie')) ok('another provider sees nothing of the client');
  else fail('isolation', 'client data shown to another provider');
  await visit(page, errors, base, '/aanbieder/locaties/waalbeschut-berg-en-dal', 'aanbieder-andere-locatie-geweigerd', { status: 403, allowConsoleErrors: true });
}
