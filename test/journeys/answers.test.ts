// Journey: every way a screen request can end. The customer refuses in the agent window and the
// rep sees it; the rep asks again while the agent is already running and the prompt comes at
// once; the rep withdraws a request. No side waits forever.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentExit, customerJoins, customerRunsAgent, journeyWorld, promptShown, repAccepts, repGeneratesKey, repLogsIn, type JourneyWorld } from './world.ts';

let w: JourneyWorld;

test.before(async () => {
  try {
    // A request that nobody answers times out: tested in test/web-chat/prompts.serial.test.ts and
    // test/server/screen-request.test.ts, where the wait can be short.
    w = await journeyWorld('answers', { config: { companyName: 'Acme IT', agreement: null } });
    await repLogsIn(w);
  } catch (e) { console.error('before failed:', e); throw e; }
});
test.after(async () => {
  await w?.teardown();
});

const repLine = (text: string | RegExp) => w.rep.locator('.chatlog', { hasText: text }).waitFor({ timeout: 40_000 });
const customerLine = (page: JourneyWorld['customer'], text: string | RegExp) => page.locator('.log', { hasText: text }).waitFor({ timeout: 40_000 });

test('the customer refuses in the agent; asked again with the agent running, allows viewing', async () => {
  const key = await w.step('a session starts', async () => {
    const k = await repGeneratesKey(w);
    await customerJoins(w, k);
    await repAccepts(w);
    return k;
  });
  void key;
  await w.step('rep asks to view', () => w.rep.getByRole('button', { name: 'Request view' }).click());
  await w.step('customer runs the agent and refuses', async () => {
    await promptShown(w.customer, w.customer.locator('.screenshare'), 'the request in the chat');
    await customerRunsAgent(w);
    const prompt = w.agentWindow!.locator('.consent');
    await promptShown(w.agentWindow!, prompt, 'the consent prompt');
    await prompt.getByRole('button', { name: 'Refuse' }).click();
    await prompt.waitFor({ state: 'detached' });
  });
  await w.step('the rep sees the refusal and is not left waiting', async () => {
    await repLine('declined');
    await w.rep.locator('[data-grant="requested"]').waitFor({ state: 'detached' });
    await customerLine(w.customer, 'declined');
    await w.customer.locator('.screenshare', { hasText: 'asks' }).waitFor({ state: 'detached' });
  });
  await w.step('asked again, the running agent asks at once; the customer allows viewing', async () => {
    await w.rep.getByRole('button', { name: 'Request view' }).click();
    const prompt = w.agentWindow!.locator('.consent');
    await promptShown(w.agentWindow!, prompt, 'the second consent prompt');
    await prompt.getByRole('button', { name: 'Allow only viewing' }).click();
    await w.rep.locator('[data-grant="view"]').waitFor();
    await customerLine(w.customer, 'can now view');
  });
  await w.step('the customer ends the session from the browser chat; the agent goes too', async () => {
    await w.customer.getByRole('button', { name: 'End session' }).click();
    await w.customer.getByRole('button', { name: 'Yes, end it' }).click();
    await promptShown(w.customer, w.customer.locator('.ended'), 'the ended card');
    await promptShown(w.agentWindow!, w.agentWindow!.locator('.ended'), 'the ended card in the agent window');
    await w.rep.locator('[data-grant="view"]').waitFor({ state: 'detached' });
    await w.agentWindow!.getByRole('button', { name: 'Close' }).click();
    assert.is(await agentExit(w), 0, w.agent!.output());
    await w.agentWindow!.close();
    w.agentWindow = null;
  });
  await w.step('the rep fills in the exit survey', async () => {
    const survey = w.rep.getByRole('dialog');
    await promptShown(w.rep, survey, 'the rep survey');
    await survey.getByLabel('Yes').check();
    await survey.getByRole('button', { name: 'Submit' }).click();
    await survey.waitFor({ state: 'detached' });
  });
});

test('the rep withdraws a request', async () => {
  const customer = await w.newPage({ width: 1280, height: 800 });
  w.customer = customer;
  await w.step('a second session starts', async () => {
    const k = await repGeneratesKey(w);
    await customerJoins(w, k, 'Sam Second');
    await repAccepts(w);
  });
  await w.step('rep asks for control, then withdraws it', async () => {
    await w.rep.getByRole('button', { name: 'Request control' }).click();
    await promptShown(customer, customer.locator('.screenshare'), 'the request in the chat');
    await w.rep.getByRole('button', { name: 'Cancel request' }).click();
    await customerLine(customer, 'withdrew');
    await customer.locator('.screenshare', { hasText: 'asks' }).waitFor({ state: 'detached' });
    await w.rep.locator('[data-grant="requested"]').waitFor({ state: 'detached' });
  });
});

test.run();
