// Integrations (docs/INTEGRATIONS.md): API accounts, event endpoints, and the configured
// connectors' delivery logs (read from the config file, so shown, not edited, here).
import { useEffect } from 'preact/hooks';
import { connectors, loadIntegrations } from '../../admin/state.ts';
import { ApiAccountsAdmin } from './ApiAccountsAdmin.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';
import { EndpointsAdmin } from './EndpointsAdmin.tsx';

export function IntegrationsAdmin() {
  useEffect(() => { void loadIntegrations(); }, []);
  return (
    <div class="admin-section">
      <ApiAccountsAdmin />
      <EndpointsAdmin />
      {connectors.value.length > 0 && (
        <section class="admin-section" aria-labelledby="connectors-h">
          <h2 id="connectors-h">Connectors</h2>
          <p class="muted small">Set up in the configuration file; their deliveries can be sent again here.</p>
          {connectors.value.map((c) => <DeliveryLog key={c.name} target={`connectors/${encodeURIComponent(c.name)}`} title={`Connector ${c.name} (${c.eventTypes.length} event types)`} />)}
        </section>
      )}
    </div>
  );
}
