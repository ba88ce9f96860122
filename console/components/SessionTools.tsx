// What the rep sends besides chat: a file, a URL to open, a nudge, a notice.
import { useRef, useState } from 'preact/hooks';
import { nudge, notice, pushUrl, sendFile } from '../actions.ts';
import type { SessionStore } from '../store.ts';

export function Tools({ s, ended }: { s: SessionStore; ended: boolean }) {
  const [mode, setMode] = useState<'url' | 'notice' | null>(null);
  const [value, setValue] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const go = (e: Event) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) return;
    if (mode === 'url') pushUrl(s.id, /^https?:\/\//i.test(v) ? v : `https://${v}`);
    if (mode === 'notice') notice(s.id, v);
    setMode(null);
    setValue('');
  };
  return (
    <section class="card tools">
      <div class="row wrap">
        <button disabled={ended} onClick={() => fileInput.current?.click()}>Send file</button>
        <input ref={fileInput} type="file" hidden multiple onChange={(e) => { const el = e.target as HTMLInputElement; for (const f of el.files ?? []) sendFile(s.id, f); el.value = ''; }} />
        <button disabled={ended} onClick={() => setMode(mode === 'url' ? null : 'url')}>Push URL</button>
        <button disabled={ended} onClick={() => nudge(s.id)}>Nudge</button>
        <button disabled={ended} onClick={() => setMode(mode === 'notice' ? null : 'notice')}>Notice</button>
      </div>
      {mode && (
        <form class="row tool-form" onSubmit={go}>
          <input autoFocus aria-label={mode === 'url' ? 'URL to open' : 'Notice text'} placeholder={mode === 'url' ? 'https://…' : 'Notice shown to the customer'} value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
          <button class="primary" type="submit">{mode === 'url' ? 'Push' : 'Send'}</button>
        </form>
      )}
    </section>
  );
}
