// Integrations (docs/INTEGRATIONS.md): API accounts, event endpoints, and the configured
// connectors' delivery logs (read from the config file, so shown, not edited, here).
import { useEffect } from 'preact/hooks';
import { connectors, loadIntegrations } from '../../admin/state.ts';
import { ApiAccountsAdmin } from './ApiAccountsAdmin.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';
import { EndpointsAdmin } from './EndpointsAdmin.tsx';
import { t } from '../../i18n.ts';

export function IntegrationsAdmin() {
  useEffect(() => { void loadIntegrations(); }, []);
  return (
    <div class="admin-section">
      <ApiAccountsAdmin />
      <EndpointsAdmin />
      {connectors.value.length > 0 && (
        <section class="admin-section" aria-labelledby="connectors-h">
          <h2 id="connectors-h">{t('integrations.connectors')}</h2>
          <p class="muted small">{t('integrations.connectorsHint')}</p>
          {connectors.value.map((c) => <DeliveryLog key={c.name} target={`connectors/${encodeURIComponent(c.name)}`} title={t('integrations.connector', { name: c.name, count: c.eventTypes.length })} />)}
        </section>
      )}
    </div>
  );
}
