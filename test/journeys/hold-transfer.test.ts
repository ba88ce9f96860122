// Journey: the rep who is shown the screen puts the session on hold and picks it up again,
// then transfers it to the general queue and accepts it from there. Each time the sharing ends
// for the leaving rep at once (watermark and banners gone), and picking the session up needs a
// new grant from the customer. Then the customer closes the agent window, which ends the session.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../helpers/server.ts';
import { agentWindow, closeWithKeyboard } from '../agent/app-window.ts';
import { agentExit, customerJoins, customerRunsAgent, journeyWorld, promptShown, repAccepts, repGeneratesKey, repLogsIn, watermarkOnScreen, type JourneyWorld } from './world.ts';

let w: JourneyWorld;

test.before(async () => {
  try {
    w = await journeyWorld('hold-transfer', { config: { companyName: 'Acme IT', agreement: null, watermark: true } });
    await repLogsIn(w);
  } catch (e) { console.error('before failed:', e); throw e; }
});
test.after(async () => {
  await w?.teardown();
});

/** The rep asks for control and the customer allows it in the agent window. */
async function askAndAllow(): Promise<void> {
  await w.rep.getByRole('button', { name: 'Request control' }).click();
  const prompt = w.agentWindow!.locator('.consent');
  await promptShown(w.agentWindow!, prompt, 'the consent prompt');
  await prompt.getByRole('button', { name: 'Allow shared control' }).click();
  await w.rep.locator('[data-grant="control"]').waitFor();
  await until(() => watermarkOnScreen(w), 10_000, 'the watermark');
}

/** Sharing has ended everywhere the customer and the rep look. */
async function sharingGone(): Promise<void> {
  await until(() => !watermarkOnScreen(w), 10_000, 'the watermark gone');
  await w.agentWindow!.locator('.banner.sharing').waitFor({ state: 'detached', timeout: 10_000 });
  await w.rep.locator('[data-grant="control"]').waitFor({ state: 'detached', timeout: 10_000 });
}

test('hold and pick-up, transfer and accept: each needs a new grant; closing the agent window ends', async () => {
  await w.step('a session with shared control', async () => {
    const key = await repGeneratesKey(w);
    await customerJoins(w, key);
    await repAccepts(w);
    await w.rep.getByRole('button', { name: 'Request control' }).click();
    await customerRunsAgent(w);
    const prompt = w.agentWindow!.locator('.consent');
    await promptShown(w.agentWindow!, prompt, 'the consent prompt');
    await prompt.getByRole('button', { name: 'Allow shared control' }).click();
    await w.rep.locator('[data-grant="control"]').waitFor();
    await until(() => watermarkOnScreen(w), 10_000, 'the watermark');
  });
  await w.step('the rep puts the session on hold: sharing ends at once', async () => {
    await w.rep.getByRole('button', { name: 'Hold' }).click();
    await sharingGone();
    await w.customer.locator('.log', { hasText: 'put the session on hold' }).waitFor();
  });
  await w.step('the rep picks it up: no picture until the customer grants again', async () => {
    await repAccepts(w);
    assert.is(await w.rep.locator('[data-grant="control"], [data-grant="view"]').count(), 0, 'no access carried over from before the hold');
    await askAndAllow();
  });
  await w.step('the rep transfers to the general queue (confirmed): sharing ends at once', async () => {
    await w.rep.getByRole('button', { name: 'Transfer…' }).click();
    const dialog = w.rep.getByRole('dialog');
    await dialog.locator('select').selectOption({ label: 'General queue' });
    await dialog.getByRole('button', { name: /^Transfer to/ }).click();
    await sharingGone();
    await w.customer.locator('.log', { hasText: 'transferred' }).waitFor();
  });
  await w.step('accepted from the general queue, the customer grants again', async () => {
    await repAccepts(w);
    await askAndAllow();
  });
  await w.step('the customer closes the agent window: the session ends and the agent removes itself', async () => {
    await w.agentWindow!.close();
    w.agentWindow = null;
    // The real window the agent opened on the desktop goes too (Ctrl+W, as a person closes it).
    closeWithKeyboard(w.xvfb.display, (await agentWindow(w.xvfb.display)).id);
    assert.is(await agentExit(w), 0, w.agent!.output());
    await until(() => !watermarkOnScreen(w), 10_000, 'the watermark gone');
    await promptShown(w.customer, w.customer.locator('.ended'), 'the ended card in the chat');
    await w.rep.locator('.chatlog', { hasText: 'closed the agent window' }).waitFor();
  });
});

test.run();
