// Issue 14, places over time (feat/plaatsen). Run alone with
// VANGNET_E2E_SECTION=plaatsen VANGNET_BIN=$PWD/target/debug/vangnet node e2e/run.mjs
//
// A provider is refused the regional places page; the access team sees places, occupied,
// reserved, blocked, free and waiting per product and gemeente, enters an afbouw (the
// location's places drop to 1 from today, shown in the per-location table), sees an
// overlapping period refused at its field, downloads the CSV (equal to the table on screen);
// the analist sees published figures and no form; the page at 390 px has no horizontal
// scrolling outside its tables. Every page is checked with axe-core and screenshotted.

import fs from 'node:fs';
import path from 'node:path';

const regio = 'nijmegen-rivierenland';
const url = `/regio/${regio}/plaatsen`;

/** The cells of table `id` as text, per body row. */
async function rows(page, id) {
  return page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
}

export async function section(browser, page, errors, base, t) {
  // A provider: 403, nothing shown.
  await t.login(page, errors, base, 'zorgaanbieder');
  await t.visit(page, errors, base, url, 'plaatsen--aanbieder-403', { status: 403, allowConsoleErrors: true });

  // The access team.
  await t.login(page, errors, base, `toegang-${regio}`);
  await t.visit(page, errors, base, url, 'plaatsen--toegang');
  const headers = await page.$$eval('#plaatsen-gemeente thead th', (ths) => ths.map((th) => th.textContent.trim()));
  const want = ['Product', 'Gemeente', 'Plaatsen', 'Bezet', 'Gereserveerd', 'Geblokkeerd', 'Vrij', 'Wachtend'];
  if (JSON.stringify(headers) === JSON.stringify(want)) t.ok('places per product and gemeente: places, occupied, reserved, blocked, free, waiting');
  else t.fail('plaatsen per gemeente', `headers ${JSON.stringify(headers)}`);
  const byGemeente = await rows(page, 'plaatsen-gemeente');
  const occupied = byGemeente.reduce((s, r) => s + (Number(r[3]) || 0), 0);
  const waiting = byGemeente.reduce((s, r) => s + (Number(r[7]) || 0), 0);
  if (byGemeente.length > 0 && occupied > 0 && waiting > 0) t.ok(`${byGemeente.length} product × gemeente rows, ${occupied} occupied, ${waiting} waiting`);
  else t.fail('plaatsen per gemeente', `${byGemeente.length} rows, ${occupied} occupied, ${waiting} waiting`);
  const series = await rows(page, 'plaatsen-verloop');
  if (series.length === 13) t.ok('a 13-month series of places, in care and waiting');
  else t.fail('plaatsen verloop', `${series.length} months`);

  // The location with the most occupied places of its product: an afbouw to 1 place today.
  const perLocation = await rows(page, 'plaatsen-tabel');
  const target = perLocation.filter((r) => Number(r[5]) > 1).sort((a, b) => Number(b[5]) - Number(a[5]))[0];
  if (!target) {
    t.fail('plaatsen per locatie', 'no location with occupants');
    return;
  }
  const [locName, , , productName] = target;
  const locValue = await page.$eval('#cap-locatie', (s, name) => [...s.options].find((o) => o.textContent.startsWith(`${name} (`))?.value, locName);
  const productValue = await page.$eval('#cap-product', (s, name) => [...s.options].find((o) => o.textContent.trim() === name)?.value, productName);
  const today = await page.$eval('main time', (el) => el.getAttribute('datetime'));
  const fill = async (soort, places, reason) => {
    await page.selectOption('#cap-locatie', locValue);
    await page.selectOption('#cap-product', productValue);
    await page.selectOption('#cap-soort', soort);
    await page.fill('#cap-vanaf', today);
    await page.fill('#cap-plaatsen', String(places));
    await page.fill('#cap-reden', reason);
  };
  await fill('afbouw', 1, 'Afbouw intramuraal volgens de regiovisie (e2e, fictief)');
  await t.submitAndCheck(page, errors, page.locator('#capaciteit button[type="submit"]'), 'plaatsen--afbouw-vastgelegd');
  if ((await page.locator('#capaciteit .melding-goed').count()) === 1) t.ok('afbouw recorded');
  else t.fail('afbouw', 'no confirmation');
  const after = (await rows(page, 'plaatsen-tabel')).find((r) => r[0] === locName && r[3] === productName);
  if (after && after[4] === '1' && Number(after[8]) === 1 - Number(after[5]) - Number(after[6])) {
    t.ok(`${locName}: 1 place from today, free ${after[8]} (occupied ${after[5]}, reserved ${after[6]}) — overbezetting shown, not clamped`);
  } else t.fail('afbouw in de tabel', JSON.stringify(after));
  if ((await page.locator('#plaatsen-perioden').innerText()).includes('Afbouw intramuraal volgens de regiovisie')) t.ok('the period is listed with its reason and who');
  else t.fail('perioden', 'the afbouw is not listed');

  // An overlapping period: refused at its field, nothing written.
  await fill('opbouw', 40, 'Toch meer plaatsen (e2e)');
  await t.submitAndCheck(page, errors, page.locator('#capaciteit button[type="submit"]'), 'plaatsen--overlap-geweigerd', { status: 422, allowConsoleErrors: true });
  const fieldError = (await page.locator('#fout-cap-vanaf').count()) ? await page.locator('#fout-cap-vanaf').innerText() : '';
  const summaryLink = await page.locator('.foutoverzicht a[href="#cap-vanaf"]').count();
  if (fieldError.includes('overlapt met de bestaande periode') && summaryLink === 1) t.ok(`overlap refused at "vanaf": ${fieldError.replace('Fout: ', '')}`);
  else t.fail('overlap', `field error "${fieldError}", summary links ${summaryLink}`);
  const periods = await rows(page, 'plaatsen-perioden');
  if (periods.length === 1) t.ok('nothing written for the refused period');
  else t.fail('overlap', `${periods.length} periods stored`);

  // CSV equals the table on screen.
  await t.visit(page, errors, base, url, 'plaatsen--na-afbouw');
  const shown = await rows(page, 'plaatsen-tabel');
  const dl = await t.download(page, page.locator(`a[href="${url}.csv"]`));
  const lines = dl.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => l.split(';').map((c) => c.replace(/^"|"$/g, '')));
  const same = lines.length === shown.length && lines.every((l, i) => JSON.stringify(l) === JSON.stringify(shown[i]));
  if (same) t.ok(`CSV ${dl.name} holds exactly the ${shown.length} rows on screen`);
  else {
    const i = lines.findIndex((l, k) => JSON.stringify(l) !== JSON.stringify(shown[k]));
    t.fail('plaatsen CSV', `${lines.length} lines for ${shown.length} rows; first difference: ${JSON.stringify(lines[i])} vs ${JSON.stringify(shown[i])}`);
  }

  // 390 px: usable, no horizontal scrolling of the page (tables scroll in their own box).
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await t.visit(page, errors, base, url, 'plaatsen--390px');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow <= 0) t.ok('places page at 390 px: no horizontal scrolling');
  else t.fail('plaatsen 390 px', `${overflow} px horizontal overflow`);
  await page.setViewportSize(size);

  // The analist: published figures, no form.
  await t.login(page, errors, base, 'analist');
  await t.visit(page, errors, base, url, 'plaatsen--analist');
  const form = await page.locator('#capaciteit').count();
  const note = await page.locator('text=U ziet gepubliceerde cijfers').count();
  if (form === 0 && note === 1) t.ok('the analist sees published figures and no form');
  else t.fail('plaatsen analist', `form ${form}, note ${note}`);
  if (!fs.existsSync(path.join(t.shots, 'plaatsen--390px.png'))) t.fail('plaatsen', 'no 390 px screenshot');
}
