// View and download the chat transcript after the session. `load` fetches its text (the web
// chat uses GET /api/sessions/:id/transcript?format=txt with the customer's token).
import { useState } from 'preact/hooks';
import { t } from '../lib/i18n.ts';

export function Transcript({ load, fileName }: { load: () => Promise<string>; fileName: string }) {
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const get = async () => {
    if (text !== null) return text;
    try { const body = await load(); setText(body); setErr(null); return body; } catch { setErr(t('transcript.failed')); return null; }
  };
  const download = async () => {
    const body = await get();
    if (body === null) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([body], { type: 'text/plain;charset=utf-8' }));
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  return (
    <section class="card transcript" aria-labelledby="tr-h">
      <h2 id="tr-h">{t('transcript.title')}</h2>
      <div class="row">
        <button type="button" aria-expanded={open} onClick={async () => { if (!open) await get(); setOpen(!open); }}>{open ? t('transcript.hide') : t('transcript.view')}</button>
        <button type="button" onClick={download}>{t('transcript.download')}</button>
      </div>
      {err && <p class="error" role="alert">{err}</p>}
      {open && text !== null && <pre class="transcript-text" tabIndex={0}>{text}</pre>}
    </section>
  );
}
