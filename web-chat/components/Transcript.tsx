// View and download the chat transcript after the session. `load` fetches its text (the web
// chat uses GET /api/sessions/:id/transcript?format=txt with the customer's token).
import { useState } from 'preact/hooks';

export function Transcript({ load, fileName }: { load: () => Promise<string>; fileName: string }) {
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const get = async () => {
    if (text !== null) return text;
    try { const t = await load(); setText(t); setErr(null); return t; } catch { setErr('The transcript could not be loaded.'); return null; }
  };
  const download = async () => {
    const t = await get();
    if (t === null) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([t], { type: 'text/plain;charset=utf-8' }));
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  return (
    <section class="card transcript" aria-labelledby="tr-h">
      <h2 id="tr-h">Chat transcript</h2>
      <div class="row">
        <button type="button" aria-expanded={open} onClick={async () => { if (!open) await get(); setOpen(!open); }}>{open ? 'Hide transcript' : 'View transcript'}</button>
        <button type="button" onClick={download}>Download transcript</button>
      </div>
      {err && <p class="error" role="alert">{err}</p>}
      {open && text !== null && <pre class="transcript-text" tabIndex={0}>{text}</pre>}
    </section>
  );
}
