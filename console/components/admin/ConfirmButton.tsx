// A destructive action asked twice, in place: the first press shows what will happen and a
// confirming button (focused, so Enter confirms and Tab reaches Cancel); no browser dialog.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n.ts';

/** `name`: the first button's accessible name when `label` alone is ambiguous in a list. */
export function ConfirmButton({ label, name, question, confirm, onConfirm }: { label: string; name?: string; question: string; confirm: string; onConfirm: () => void | Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (asking) yes.current?.focus(); }, [asking]);
  if (!asking) return <button type="button" class="small" aria-label={name} onClick={() => setAsking(true)}>{label}</button>;
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span class="small">{question}</span>{' '}
      <button ref={yes} type="button" class="small danger" onClick={() => { setAsking(false); void onConfirm(); }}>{confirm}</button>{' '}
      <button type="button" class="small" onClick={() => setAsking(false)}>{t('common.cancel')}</button>
    </span>
  );
}
