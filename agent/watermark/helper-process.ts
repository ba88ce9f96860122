// Watermarks drawn by a helper process (Windows PowerShell, macOS JXA): show starts it with the
// label in its environment, hide kills it.
import type { ChildProcess } from 'node:child_process';
import type { Watermark } from './types.ts';

export class HelperProcessWatermark implements Watermark {
  private proc: ChildProcess | null = null;
  private text = '';

  constructor(private readonly start: (text: string) => ChildProcess) {}

  async show(text: string): Promise<void> {
    if (this.proc && this.text === text) return;
    await this.hide();
    this.text = text;
    this.proc = this.start(text);
    this.proc.on('error', () => { this.proc = null; });
  }

  async hide(): Promise<void> {
    this.proc?.kill();
    this.proc = null;
  }

  close(): Promise<void> {
    return this.hide();
  }
}
