// A secret the server shows once (an API account's client secret, an endpoint's signing secret):
// read-only in a labelled field, with a copy button and the plain warning that it won't come back.
import { useRef } from 'preact/hooks';
import { toast } from '../../store.ts';
import { t } from '../../i18n.ts';

export function SecretOnce({ id, label, secret, extra, done }: { id: string; label: string; secret: string; extra?: string; done: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      toast(t('secret.copied', { label }));
    } catch {
      // No clipboard (an insecure origin, a denied permission): select it for Ctrl+C instead.
      input.current?.select();
      toast(t('secret.copyRefused'), 'error');
    }
  };
  return (
    <div class="card secret-once" role="region" aria-labelledby={`${id}-h`} data-secret={id}>
      <h3 id={`${id}-h`}>{label}</h3>
      <p class="warn" id={`${id}-warn`}><strong>{t('secret.copyNow')}</strong> {t('secret.noCopy')}</p>
      {extra && <p class="muted small">{extra}</p>}
      <div class="row">
        <input ref={input} id={id} class="grow mono" readOnly value={secret} aria-label={label} aria-describedby={`${id}-warn`} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>{t('secret.copy')}</button>
        <button type="button" class="primary" onClick={done}>{t('secret.done')}</button>
      </div>
    </div>
  );
}
