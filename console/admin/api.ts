// The Admin area's HTTP calls (docs/ARCHITECTURE.md, "Administration"); errors are ApiError with
// the refused fields, which the forms show beside each field.
import type { AdminRep, AdminTeam, AuditPage, CannedMessage, CannedMessageRequest, CreateEventEndpointRequest, CreateRepRequest, DeliveriesPage, EventDelivery, EventEndpoint, EventEndpointWithSecret, OutboundEventType, SettingsPatch, SiteSettings, UpdateEventEndpointRequest, UpdateRepRequest, UpdateTeamRequest } from '../../protocol/index.ts';
import type { ApiAccount, ApiAccountSecret, CreateApiAccountRequest, UpdateApiAccountRequest } from '../../protocol/api/v1.ts';
import { call } from '../api.ts';

const id = (x: string) => encodeURIComponent(x);

export interface AuditFilter { actor?: string; kind?: string; from?: number; to?: number; before?: number }

export const adminApi = {
  reps: () => call<{ reps: AdminRep[] }>('GET', '/api/admin/reps'),
  createRep: (body: CreateRepRequest) => call<{ rep: AdminRep }>('POST', '/api/admin/reps', body),
  updateRep: (repId: string, body: UpdateRepRequest) => call<{ rep: AdminRep }>('PATCH', `/api/admin/reps/${id(repId)}`, body),
  resetPassword: (repId: string, password: string) => call<unknown>('POST', `/api/admin/reps/${id(repId)}/password`, { password }),
  teams: () => call<{ teams: AdminTeam[] }>('GET', '/api/admin/teams'),
  createTeam: (name: string) => call<{ team: AdminTeam }>('POST', '/api/admin/teams', { name }),
  updateTeam: (teamId: string, body: UpdateTeamRequest) => call<{ team: AdminTeam }>('PATCH', `/api/admin/teams/${id(teamId)}`, body),
  deleteTeam: (teamId: string) => call<unknown>('DELETE', `/api/admin/teams/${id(teamId)}`),
  settings: () => call<{ settings: SiteSettings }>('GET', '/api/admin/settings'),
  saveSettings: (patch: SettingsPatch) => call<{ settings: SiteSettings }>('PUT', '/api/admin/settings', patch),
  canned: () => call<{ messages: CannedMessage[] }>('GET', '/api/admin/canned'),
  createCanned: (body: CannedMessageRequest) => call<{ message: CannedMessage }>('POST', '/api/admin/canned', body),
  updateCanned: (msgId: string, body: CannedMessageRequest) => call<{ message: CannedMessage }>('PUT', `/api/admin/canned/${id(msgId)}`, body),
  deleteCanned: (msgId: string) => call<unknown>('DELETE', `/api/admin/canned/${id(msgId)}`),
  apiAccounts: () => call<{ accounts: ApiAccount[] }>('GET', '/api/admin/api-accounts'),
  createApiAccount: (body: CreateApiAccountRequest) => call<ApiAccountSecret>('POST', '/api/admin/api-accounts', body),
  updateApiAccount: (clientId: string, body: UpdateApiAccountRequest) => call<{ account: ApiAccount }>('PATCH', `/api/admin/api-accounts/${id(clientId)}`, body),
  rotateApiSecret: (clientId: string) => call<ApiAccountSecret>('POST', `/api/admin/api-accounts/${id(clientId)}/secret`),
  deleteApiAccount: (clientId: string) => call<unknown>('DELETE', `/api/admin/api-accounts/${id(clientId)}`),
  endpoints: () => call<{ endpoints: EventEndpoint[] }>('GET', '/api/admin/event-endpoints'),
  createEndpoint: (body: CreateEventEndpointRequest) => call<EventEndpointWithSecret>('POST', '/api/admin/event-endpoints', body),
  updateEndpoint: (endpointId: string, body: UpdateEventEndpointRequest) => call<{ endpoint: EventEndpoint }>('PATCH', `/api/admin/event-endpoints/${id(endpointId)}`, body),
  rotateEndpointSecret: (endpointId: string) => call<EventEndpointWithSecret>('POST', `/api/admin/event-endpoints/${id(endpointId)}/rotate-secret`),
  deleteEndpoint: (endpointId: string) => call<unknown>('DELETE', `/api/admin/event-endpoints/${id(endpointId)}`),
  connectors: () => call<{ connectors: { name: string; eventTypes: OutboundEventType[] }[] }>('GET', '/api/admin/connectors'),
  /** `target`: `event-endpoints/<id>` or `connectors/<name>`, which share the log's shape. */
  deliveries: (target: string) => call<DeliveriesPage>('GET', `/api/admin/${target}/deliveries?limit=50`),
  redeliver: (target: string, eventId: string) => call<{ delivery: EventDelivery }>('POST', `/api/admin/${target}/deliveries/${id(eventId)}/redeliver`),
  audit: (f: AuditFilter) => {
    const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
    return call<AuditPage>('GET', `/api/admin/audit?${q}`);
  },
};
