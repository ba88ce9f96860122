// After a restart the agent has no window yet, and started from the session's autostart it has no
// terminal either: a message for the customer goes to the desktop's notifications (best effort)
// as well as to its output.
import { spawn } from 'node:child_process';

export function tellCustomer(title: string, text: string): void {
  console.error(`${title}: ${text}`);
  const [cmd, args] = process.platform === 'darwin'
    ? ['osascript', ['-e', `display notification ${JSON.stringify(text)} with title ${JSON.stringify(title)}`]]
    : process.platform === 'win32'
      ? ['msg', ['*', `${title}: ${text}`]]
      : ['notify-send', ['--app-name=Support', title, text]];
  try {
    const p = spawn(cmd, args as string[], { stdio: 'ignore', detached: true, windowsHide: true });
    p.on('error', () => {});
    p.unref();
  } catch { /* no notifications on this desktop: the output has it */ }
}
