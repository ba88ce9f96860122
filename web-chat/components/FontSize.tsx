// Chat text size, remembered in the site's storage; it sets --chat-font on the document root.
import { useEffect, useState } from 'preact/hooks';
import { siteStorage } from '../lib/storage.ts';
import { t } from '../lib/i18n.ts';

const KEY = 'bridge.fontSize';
const SIZES = [13, 15, 17, 20, 24];

function initial(): number {
  const v = Number(siteStorage.getItem(KEY));
  return SIZES.includes(v) ? v : 15;
}

export function FontSize() {
  const [size, setSize] = useState(initial);
  useEffect(() => {
    document.documentElement.style.setProperty('--chat-font', `${size}px`);
    siteStorage.setItem(KEY, String(size));
  }, [size]);
  const i = SIZES.indexOf(size);
  return (
    <div class="fontsize" role="group" aria-label={t('font.group')}>
      <button type="button" aria-label={t('font.smaller')} disabled={i <= 0} onClick={() => setSize(SIZES[i - 1])}>A−</button>
      <button type="button" aria-label={t('font.larger')} disabled={i >= SIZES.length - 1} onClick={() => setSize(SIZES[i + 1])}>A+</button>
    </div>
  );
}
