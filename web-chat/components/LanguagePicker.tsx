// The language picker on the portal and in the chat: a labelled native <select> (keyboard and
// screen readers know it), each language named in itself (docs/ARCHITECTURE.md "Languages").
import { LANGUAGES, LANGUAGE_NAMES, isLanguage, type Language } from '../../protocol/i18n/languages.ts';
import { language, setLanguage, t } from '../lib/i18n.ts';

export function LanguagePicker({ id, onChange }: { id: string; onChange?: (lang: Language) => void }) {
  return (
    <div class="lang-picker">
      <label for={id}>{t('language.label')}</label>
      <select id={id} value={language.value} onChange={(e) => {
        const lang = e.currentTarget.value;
        if (isLanguage(lang)) void setLanguage(lang).then(() => onChange?.(lang));
      }}>
        {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
      </select>
    </div>
  );
}
