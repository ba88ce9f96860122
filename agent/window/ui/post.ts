// The window's answers to its agent: a JSON POST to the agent's local API (agent/window/local-api.ts).
export function postToAgent(path: string, body: unknown): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
