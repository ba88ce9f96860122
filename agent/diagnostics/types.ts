// What a diagnostics step is (docs/ARCHITECTURE.md, "Remote diagnostics"): one OS tool or file,
// read under a time limit, giving structured data and the text it read.
import type { Display, DiagStatus } from '../../protocol/index.ts';

export interface ExecResult { stdout: string; code: number | null }

/** What a step may use; every call stops when the step is cut off. */
export interface StepTools {
  /** Runs a program (no shell). Throws Unavailable when it isn't installed. */
  exec(cmd: string, args: string[]): Promise<ExecResult>;
  /** A file's text, or null when it doesn't exist or can't be read. */
  read(path: string): Promise<string | null>;
  /** Entries of a directory, or [] when it doesn't exist. */
  list(dir: string): Promise<string[]>;
  signal: AbortSignal;
}

export interface StepOutput {
  data: unknown;
  text: string;
  /** Default `ok`; a step that found nothing to ask says `unavailable`. */
  status?: Exclude<DiagStatus, 'timeout'>;
}

export interface Step {
  id: string;
  title: string;
  run(t: StepTools): Promise<StepOutput>;
}

/** What the platform's steps need from the agent. */
export interface DiagEnv {
  /** The bridge server's origin (reachability). */
  server: string;
  displays: () => Display[];
}

/** The tool a step needs is not on this machine. */
export class Unavailable extends Error {
  constructor(what: string) {
    super(`${what} is not available on this computer`);
    this.name = 'Unavailable';
  }
}
