// Issue 15, woningafspraken (feat/afspraken). Run alone with
// VANGNET_E2E_SECTION=afspraken VANGNET_BIN=$PWD/target/debug/vangnet node e2e/run.mjs
//
// A provider is refused the page; the policy officer (beleidsmedewerker) sees the profile's
// agreements of 2025 with their realisation and the spreiding table, published figures; adds
// an agreement for this year with its source (seed 000: Housing First "circa 10 woningen per
// jaar"), sees it in the table; bad input (negative homes) is refused at its field; the CSV
// downloads; the page at 390 px has no horizontal scrolling. Every page is checked with
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
  const hf = r2025.find((r) => r[0] === 'Nijmegen' && r[2] === 'Housing First');
  if (r2025.length === 3 && hf && hf[4] === '10') t.ok(`2025: the profile's 3 agreements, Housing First Nijmegen 10 homes (realised: ${hf[8]} tenancies, ${hf[9]})`);
  else t.fail('afspraken 2025', JSON.stringify(r2025));
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
  if (mine && mine[4] === '12' && mine[11].startsWith('bron: seed 000') && mine[12].startsWith('vastgelegd door beleidsmedewerker')) t.ok(`${year}: the new agreement shown with its source and who recorded it`);
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
