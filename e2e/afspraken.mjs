// Issue 15, woningafspraken (feat/afspraken). Run alone with
// VANGNET_E2E_SECTION=afspraken VANGNET_BIN=$PWD/target/debug/vangnet node e2e/run.mjs
//
// A provider is refused the page; the policy officer (beleidsmedewerker) sees the profile's
// agreements of 2025 with their realisation and the spreiding table, published figures; adds
// an agreement for this year with its source (seed 000: Housing First "circa 10 woningen per
// jaar"), sees it in the table; bad input (negative homes) is refused at its field; the CSV
// downloads; the page at 390 px has no horizontal scrolling. feat/afspraken2: Housing First is
// nested under the 6 % share (the total counts 144, not 154); the policy officer records 30
// homes of the 6 % share that went to statushouders in March 2025 and sees them per agreement
// (others 30, left = 120 − tenancies − 30) and in the list; a month outside the year is
// refused at its field. Every page is checked with
// axe-core and screenshotted.

const regio = 'nijmegen-rivierenland';
const url = `/regio/${regio}/woningafspraken`;

/** The cells of table `id` as text, per body row. */
async function rows(page, id) {
  return page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
}

export async function section(browser, page, errors, base, t) {
  await t.login(page, errors, base, 'zorgaanbieder');
  await t.visit(page, errors, base, url, 'afspraken--aanbieder-403', { status: 403, allowConsoleErrors: true });

  await t.login(page, errors, base, 'beleidsmedewerker');
  await t.visit(page, errors, base, `${url}?jaar=2025`, 'afspraken--beleid-2025');
  const r2025 = await rows(page, 'afspraken-realisatie');
  const hf = r2025.find((r) => r[0] === '↳ Nijmegen' && r[2] === 'Housing First');
  const tot = r2025.find((r) => r[0] === 'Totaal (zonder onderdelen)');
  if (r2025.length === 4 && hf && hf[4] === '10' && tot && tot[4] === '144') t.ok(`2025: the profile's 3 agreements, Housing First Nijmegen 10 homes nested under the 6 % share, total 144 (realised: ${hf[8]} tenancies, ${hf[11]})`);
  else t.fail('afspraken 2025', JSON.stringify(r2025));

  // Other groups' use of the 6 % share: a month outside the year refused, then recorded.
  const fillUse = async (maand) => {
    await page.selectOption('#gebruik-afspraak', 'GM0268/2025/*/*');
    await page.fill('#gebruik-maand', maand);
    await page.fill('#gebruik-doelgroep', 'statushouders');
    await page.fill('#gebruik-aantal', '30');
    await page.check('#gebruik-herkomst-bron');
    await page.fill('#gebruik-herkomst', 'opgave Waalstad over maart 2025 (e2e, fictief)');
  };
  await fillUse('2026-03');
  await t.submitAndCheck(page, errors, page.locator('#gebruik button[type="submit"]'), 'afspraken--gebruik-buiten-jaar', { status: 422, allowConsoleErrors: true });
  const useError = (await page.locator('#fout-gebruik-maand').count()) ? await page.locator('#fout-gebruik-maand').innerText() : '';
  if (useError.includes('buiten het jaar van de afspraak')) t.ok(`other groups' use: a month outside the agreement's year refused at its field: ${useError.replace('Fout: ', '')}`);
  else t.fail('gebruik maand', `field error "${useError}"`);
  await fillUse('2025-03');
  await t.submitAndCheck(page, errors, page.locator('#gebruik button[type="submit"]'), 'afspraken--gebruik-vastgelegd');
  const r2 = await rows(page, 'afspraken-realisatie');
  const zes = r2.find((r) => r[0] === 'Nijmegen' && r[2] === 'alle routes');
  const list = await rows(page, 'afspraken-gebruik');
  if (zes && zes[9] === '30' && list.length === 1 && list[0][1] === 'maart 2025' && list[0][3] === '30' && (await page.locator('#gebruik .melding-goed').count()) === 1) t.ok(`other groups' use recorded: the 6 % share shows 30 for other groups, left ${zes[10]}`);
  else t.fail('gebruik', JSON.stringify({ zes, list }));
  const spreiding = await rows(page, 'afspraken-spreiding');
  if (spreiding.length === 14 && spreiding[13][0] === 'Buiten de regio') t.ok('spreiding: 13 gemeenten and outside the region');
  else t.fail('spreiding', `${spreiding.length} rows`);
  if ((await page.locator('text=U ziet gepubliceerde cijfers').count()) === 1) t.ok('the policy officer sees published figures');
  else t.fail('afspraken beleid', 'no suppression note');

  // Add an agreement for this year with its source.
  await t.visit(page, errors, base, url, 'afspraken--beleid');
  const year = await page.$eval('#afspraak-jaar', (el) => el.value);
  const fill = async (homes) => {
    await page.selectOption('#afspraak-gemeente', 'GM0268');
    await page.selectOption('#afspraak-corporatie', 'waalstad');
    await page.selectOption('#afspraak-route', 'housing_first');
    await page.fill('#afspraak-woningen', String(homes));
    await page.fill('#afspraak-soort', 'Housing First Waalstad (e2e)');
    await page.check('#afspraak-herkomst-bron');
    await page.fill('#afspraak-herkomst', "seed 000 thema 1: Housing First 'circa 10 woningen per jaar' (e2e, fictief)");
  };
  await fill(-2);
  await t.submitAndCheck(page, errors, page.locator('#nieuw button[type="submit"]'), 'afspraken--negatief-geweigerd', { status: 422, allowConsoleErrors: true });
  const fieldError = (await page.locator('#fout-afspraak-woningen').count()) ? await page.locator('#fout-afspraak-woningen').innerText() : '';
  if (fieldError.includes('niet negatief') && (await page.locator('.foutoverzicht a[href="#afspraak-woningen"]').count()) === 1) t.ok(`negative homes refused at their field: ${fieldError.replace('Fout: ', '')}`);
  else t.fail('afspraken negatief', `field error "${fieldError}"`);
  await fill(12);
  await t.submitAndCheck(page, errors, page.locator('#nieuw button[type="submit"]'), 'afspraken--vastgelegd');
  if ((await page.locator('#nieuw .melding-goed').count()) === 1) t.ok('agreement recorded');
  else t.fail('afspraken', 'no confirmation');
  const now = await rows(page, 'afspraken-realisatie');
  const mine = now.find((r) => r[3] === 'Housing First Waalstad (e2e)');
  if (mine && mine[4] === '12' && mine[14].startsWith('bron: seed 000') && mine[15].startsWith('vastgelegd door beleidsmedewerker')) t.ok(`${year}: the new agreement shown with its source and who recorded it`);
  else t.fail('afspraken nieuw', JSON.stringify(now));

  const dl = await t.download(page, page.locator(`a[href="${url}.csv?jaar=${year}"]`));
  const text = dl.bytes.toString('utf8');
  if (text.includes('Housing First Waalstad (e2e);12')) t.ok(`CSV ${dl.name} holds the new agreement`);
  else t.fail('afspraken CSV', text.slice(0, 300));

  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await t.visit(page, errors, base, url, 'afspraken--390px');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow <= 0) t.ok('agreements page at 390 px: no horizontal scrolling');
  else t.fail('afspraken 390 px', `${overflow} px horizontal overflow`);
  await page.setViewportSize(size);
}
