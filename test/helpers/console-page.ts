// The rep console in a test browser page: opened and logged in as the admin, as a rep would.
import type { Page } from 'playwright-core';
import type { TestServer } from './server.ts';

export async function openConsole(con: Page, server: Pick<TestServer, 'url' | 'adminPassword'>): Promise<void> {
  await con.goto(`${server.url}/console/`);
  await con.getByLabel('User name').fill('admin');
  await con.getByLabel('Password').fill(server.adminPassword);
  await con.getByRole('button', { name: 'Log in' }).click();
  await con.locator('.conn.online').waitFor();
}
