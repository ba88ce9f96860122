// The watermark gate (agent/watermark/gate.ts) in front of a platform watermark that records
// what reaches the screen and, like the X11 one, takes a while to show the first time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WatermarkGate } from '../../agent/watermark/gate.ts';
import type { Watermark } from '../../agent/watermark/index.ts';

function slowScreen(firstShowMs = 30) {
  const calls: string[] = [];
  let visible: string | null = null;
  let connected = false;
  const mark: Watermark = {
    async show(text) {
      if (!connected) { await new Promise((r) => setTimeout(r, firstShowMs)); connected = true; }
      calls.push(`show ${text}`);
      visible = text;
    },
    async hide() { calls.push('hide'); visible = null; },
    async close() { calls.push('close'); visible = null; },
  };
  return { mark, calls, visible: () => visible };
}

test('a hide right after a show that is still connecting wins', async () => {
  const s = slowScreen();
  const gate = new WatermarkGate(s.mark);
  void gate.show('Screen shared with Ana');
  await gate.hide();
  assert.is(s.visible(), null);
});

test('closed: hidden at once, shows are held back; reopened: the last wish returns', async () => {
  const s = slowScreen(0);
  const gate = new WatermarkGate(s.mark);
  await gate.show('Screen shared with Ana');
  await gate.setOpen(false);
  assert.is(s.visible(), null);
  await gate.show('Screen shared with Ana, Bo');
  assert.is(s.visible(), null, 'not while closed');
  await gate.setOpen(true);
  assert.is(s.visible(), 'Screen shared with Ana, Bo');
  await gate.hide();
  await gate.setOpen(false);
  await gate.setOpen(true);
  assert.is(s.visible(), null, 'nothing wished, nothing shown');
});

test('close ends it for good', async () => {
  const s = slowScreen(0);
  const gate = new WatermarkGate(s.mark);
  await gate.show('x');
  await gate.close();
  await gate.show('y');
  assert.is(s.visible(), null);
  assert.is(s.calls.at(-1), 'close');
});

test.run();
