// The click-to-chat loader, served as /embed.js (docs/ARCHITECTURE.md, "Click-to-chat"). A site
// adds `<script src="https://bridge.example/embed.js" data-…></script>`, or loads it with
// `data-init="manual"` and calls `Bridge.init({…})`. It talks only to the origin it was loaded
// from and reads nothing of the page but its own tag's data attributes.
import { mergeOptions, readOptions, type SiteOptions } from './options.ts';
import { mountWidget, type Widget } from './widget.ts';

const script = document.currentScript as HTMLScriptElement | null;
const origin = script?.src ? new URL(script.src).origin : null;
const tagOptions = script ? readOptions(script.dataset) : {};
let widget: Widget | null = null;

function init(options: SiteOptions = {}): void {
  if (!origin) {
    console.warn('Bridge click-to-chat: load embed.js with <script src="…/embed.js">');
    return;
  }
  widget?.destroy();
  const start = () => { widget = mountWidget(origin, mergeOptions(tagOptions, options)); };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}

function destroy(): void {
  widget?.destroy();
  widget = null;
}

(window as unknown as { Bridge: { init: typeof init; destroy: typeof destroy } }).Bridge = { init, destroy };
if (script?.dataset.init !== 'manual') init();
