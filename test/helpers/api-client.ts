// A help desk's credentials the way it gets them: an administrator makes an API account, the help
// desk trades its id and secret for a bearer token (OAuth 2 client credentials).
import { api, type TestServer } from './server.ts';

export interface ApiCredentials { clientId: string; secret: string; token: string }

export async function apiCredentials(server: Pick<TestServer, 'url'>, adminCookie: string, scopes: string[] = ['command', 'reporting', 'events']): Promise<ApiCredentials> {
  const made = await api(server, 'POST', '/api/admin/api-accounts', { name: 'Help desk', scopes }, { cookie: adminCookie });
  if (made.status !== 200) throw new Error(`API account: ${made.status} ${JSON.stringify(made.body)}`);
  const { clientId } = made.body.account, secret = made.body.clientSecret;
  const res = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  const body = await res.json() as { access_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
  return { clientId, secret, token: body.access_token };
}
