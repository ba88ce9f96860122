// The Admin area (administrators only): one screen at a time, chosen in its own navigation.
import { useEffect } from 'preact/hooks';
import { loadDirectory, screen, type AdminScreen } from '../../admin/state.ts';
import { AuditLog } from './AuditLog.tsx';
import { CannedAdmin } from './CannedAdmin.tsx';
import { IntegrationsAdmin } from './IntegrationsAdmin.tsx';
import { RepsAdmin } from './RepsAdmin.tsx';
import { SettingsAdmin } from './SettingsAdmin.tsx';
import { TeamsAdmin } from './TeamsAdmin.tsx';
import { t } from '../../i18n.ts';

const SCREENS: AdminScreen[] = ['reps', 'teams', 'settings', 'canned', 'integrations', 'audit'];

export function AdminArea() {
  useEffect(() => { void loadDirectory(); }, []);
  const s = screen.value;
  return (
    <div class="admin">
      <nav class="admin-nav" aria-label={t('tabs.admin')}>
        {SCREENS.map((key) => (
          <button key={key} aria-current={s === key ? 'page' : undefined} class={s === key ? 'on' : ''} onClick={() => (screen.value = key)}>{t('admin.screen', { screen: key })}</button>
        ))}
      </nav>
      <div class="admin-screen">
        {s === 'reps' ? <RepsAdmin /> : s === 'teams' ? <TeamsAdmin /> : s === 'settings' ? <SettingsAdmin /> : s === 'canned' ? <CannedAdmin /> : s === 'integrations' ? <IntegrationsAdmin /> : <AuditLog />}
      </div>
    </div>
  );
}
