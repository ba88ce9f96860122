// Journey: the usual order. The rep asks for control before the customer has the agent; the
// customer sees the request pinned in the chat, downloads and runs the packaged agent, allows
// control in the agent's window; the rep moves the pointer; the customer presses END SCREEN SHARE
// while the rep is still moving it; the rep ends; the agent leaves nothing behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../helpers/server.ts';
import { mouseLocation } from '../helpers/xvfb.ts';
import { agentExit, customerJoins, customerRunsAgent, journeyWorld, listFiles, promptShown, repAccepts, repSeesScreen, repGeneratesKey, repLogsIn, watermarkOnScreen, type JourneyWorld } from './world.ts';

let w: JourneyWorld;
let homeBefore: string[] = [];
let tmpBefore: string[] = [];

test.before(async () => {
  try {
    w = await journeyWorld('request-before-agent', { config: { companyName: 'Acme IT', watermark: true } });
  } catch (e) { console.error('before failed:', e); throw e; }
});
test.after(async () => {
  await w?.teardown();
});

test('the rep asks for control before the customer runs the agent, and gets it', async () => {
  const key = await w.step('rep logs in and reads out a key', async () => {
    await repLogsIn(w);
    return repGeneratesKey(w);
  });
  await w.step('customer enters the key and starts chatting', () => customerJoins(w, key));
  await w.step('rep accepts', () => repAccepts(w));
  // A long chat first: the request must still be where the customer looks.
  await w.step('a long chat', async () => {
    for (let i = 1; i <= 30; i++) {
      await w.customer.fill('#chat-input', `line ${i} of a long description of the problem`);
      await w.customer.keyboard.press('Enter');
    }
    await w.rep.locator('.chatlog .msg', { hasText: 'line 30 of a long' }).waitFor();
  });

  await w.step('rep asks for control; the console says it is waiting', async () => {
    await w.rep.getByRole('button', { name: 'Request control' }).click();
    await w.rep.locator('[data-grant="requested"]').waitFor();
  });
  await w.step('the customer sees the request in view and is offered the agent', async () => {
    const card = w.customer.locator('.screenshare');
    await promptShown(w.customer, card, 'the screen request in the chat');
    assert.match((await card.textContent())!, /control/);
    await w.customer.locator('.log', { hasText: 'is requesting to control your screen' }).waitFor();
  });

  homeBefore = listFiles(w.home);
  tmpBefore = listFiles(w.tmp);
  await w.step('customer downloads and runs the agent; its window asks', async () => {
    await customerRunsAgent(w);
    const prompt = w.agentWindow!.locator('.consent');
    await promptShown(w.agentWindow!, prompt, 'the consent prompt in the agent window');
    assert.match((await prompt.textContent())!, /Administrator/);
  });
  await w.step('customer allows shared control', async () => {
    await w.agentWindow!.locator('.consent button', { hasText: 'Allow shared control' }).click();
    await w.rep.locator('[data-grant="control"]').waitFor({ timeout: 15_000 });
    await w.customer.locator('.log', { hasText: 'can now view and control' }).waitFor();
    await until(() => watermarkOnScreen(w), 10_000, 'the watermark on the customer screen');
    // The chat no longer offers a download for a request that is answered.
    await w.customer.locator('.screenshare', { hasText: 'asks' }).waitFor({ state: 'detached' });
  });
  await w.step('the rep moves the pointer on the customer screen', async () => {
    const canvas = await repSeesScreen(w);
    const box = (await canvas.boundingBox())!;
    await w.rep.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await w.rep.mouse.move(box.x + box.width / 4, box.y + box.height / 4, { steps: 5 });
    await until(() => { const p = mouseLocation(w.xvfb.display); return p.x > 100 && p.x < 600; }, 10_000, 'the pointer to move');
  });
  await w.step('END SCREEN SHARE while the rep keeps moving', async () => {
    const canvas = w.rep.locator('canvas.screen');
    const box = (await canvas.boundingBox())!;
    let moving = true;
    const mover = (async () => {
      for (let i = 0; moving; i++) {
        await w.rep.mouse.move(box.x + 50 + (i % 40) * 5, box.y + 60);
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    await w.agentWindow!.getByRole('button', { name: /END SCREEN SHARE/i }).click();
    await w.rep.locator('[data-grant="none"]').waitFor({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 500));
    const after = mouseLocation(w.xvfb.display);
    await new Promise((r) => setTimeout(r, 800));
    moving = false;
    await mover;
    assert.equal(mouseLocation(w.xvfb.display), after, 'no input lands after END SCREEN SHARE');
    await until(() => !watermarkOnScreen(w), 10_000, 'the watermark gone');
    await w.customer.locator('.log', { hasText: 'Screen sharing ended' }).waitFor();
  });
  await w.step('the rep ends the session; both sides see it', async () => {
    await w.rep.getByRole('button', { name: 'End session' }).click();
    await w.rep.locator('.row.confirm').getByRole('button', { name: 'End session' }).click();
    await promptShown(w.customer, w.customer.locator('.ended'), 'the ended card in the chat');
    await promptShown(w.agentWindow!, w.agentWindow!.locator('.ended'), 'the ended card in the agent window');
  });
  await w.step('the customer closes the agent window; the agent removes itself and leaves nothing', async () => {
    await w.agentWindow!.getByRole('button', { name: 'Close' }).click();
    assert.is(await agentExit(w), 0, w.agent!.output());
    const newInHome = listFiles(w.home).filter((f) => !homeBefore.includes(f) && !f.startsWith('Downloads/bridge-agent-'));
    assert.equal(newInHome, [], 'nothing new in the customer home');
    assert.equal(listFiles(w.home).filter((f) => f.startsWith('Downloads/bridge-agent-')), [], 'the agent binary deleted itself');
    assert.equal(listFiles(w.tmp).filter((f) => !tmpBefore.includes(f)), [], 'nothing new in the temp dir');
  });
});

test.run();
