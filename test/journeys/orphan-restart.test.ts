// Journey: a customer waits in the general queue, the server is killed (kill -9) and comes back
// later. The customer keeps waiting with the time they had left (the outage doesn't count), is
// never shown an exit survey for a session nobody served nor asked the recording question again,
// and when the time runs out sees the orphan message and is taken to the site's page.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { journeyWorld, promptShown, type JourneyWorld } from './world.ts';

const ORPHAN_SEC = 12;
let w: JourneyWorld;

test.before(async () => {
  try {
    w = await journeyWorld('orphan-restart', { agent: false, config: { agreement: null, recording: { policy: 'ask' }, orphan: { timeoutSec: ORPHAN_SEC, redirectUrl: 'http://127.0.0.1:59999/kb' } } });
  } catch (e) { console.error('before failed:', e); throw e; }
});
test.after(async () => {
  await w?.teardown();
});

test('a waiting customer outlives a server restart and is then told nobody is available', async () => {
  const page = w.customer;
  await w.step('customer describes the issue on the portal and waits', async () => {
    await page.goto(`${w.server.url}/`);
    await page.getByLabel('Name', { exact: true }).fill('Wanda Waiting');
    await page.getByLabel('Description').fill('My e-mail stopped syncing');
    await page.getByRole('button', { name: 'Start chat' }).click();
    await page.getByRole('button', { name: 'Allow recording' }).click();
    await page.locator('.queue .position').waitFor();
  });
  const waitedBefore = Date.now();
  await w.step('the server dies and stays down longer than the whole orphan timeout', async () => {
    await new Promise((r) => setTimeout(r, 3000));
    await w.server.kill9();
    await page.locator('.banner.offline').waitFor();
    await new Promise((r) => setTimeout(r, (ORPHAN_SEC + 3) * 1000));
  });
  const restartedAt = await w.step('the server comes back; the customer is still waiting', async () => {
    await w.server.restart();
    const at = Date.now();
    await page.locator('.banner.offline').waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('.queue .position').waitFor();
    assert.is(await page.locator('.recording').count(), 0, 'the recording question is not asked again');
    assert.is(await page.locator('.survey').count(), 0, 'no exit survey');
    assert.is(await page.locator('.orphaned').count(), 0, 'not orphaned by the outage');
    return at;
  });
  await w.step('when the time left runs out, the orphan message shows, then the redirect', async () => {
    const redirected = page.waitForRequest('http://127.0.0.1:59999/kb', { timeout: (ORPHAN_SEC + 25) * 1000 });
    const card = page.locator('.orphaned');
    await card.waitFor({ timeout: (ORPHAN_SEC + 10) * 1000 });
    const waitedUp = Date.now() - restartedAt + (restartedAt - waitedBefore) - (ORPHAN_SEC + 3) * 1000;
    assert.ok(waitedUp >= (ORPHAN_SEC - 6) * 1000, `orphaned after ${waitedUp} ms of server up-time`);
    await promptShown(page, card, 'the orphan message');
    assert.is(await page.locator('.survey').count(), 0, 'no exit survey for a session nobody served');
    assert.match((await card.textContent())!, /No representative is available/);
    await redirected;
  });
});

test.run();
