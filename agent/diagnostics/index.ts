// The steps for the platform the agent runs on (docs/ARCHITECTURE.md, "Remote diagnostics").
import { darwinSteps } from './darwin.ts';
import { linuxSteps } from './linux.ts';
import type { DiagEnv, Step } from './types.ts';
import { windowsSteps } from './windows.ts';

export function platformSteps(env: DiagEnv, platform: string = process.platform): Step[] {
  if (platform === 'win32') return windowsSteps(env);
  if (platform === 'darwin') return darwinSteps(env);
  return linuxSteps(env);
}

export { runDiagnostics } from './runner.ts';
export type { DiagEnv, Step } from './types.ts';
