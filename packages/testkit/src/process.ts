// A child process under test: output kept as lines (bounded ring + optional log file), awaitable
// lines and exit, SIGSTOP/SIGCONT for "slow peer" faults, VmRSS for benchmarks. Every live child
// is SIGKILLed when this Node process exits, so a failed test cannot leak servers.

import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { TestkitError } from './errors.js';

export interface SpawnOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Raw stdout+stderr are appended here as they arrive. */
  logFile?: string;
  /** Lines kept in memory (oldest dropped first). Default 20 000. */
  maxLines?: number;
  /** Used in error messages. Default: the command's basename. */
  name?: string;
  /** 'pipe' exposes `stdin` for writing; default 'ignore'. */
  stdin?: 'ignore' | 'pipe';
}

export interface OutputLine {
  /** 0-based position in everything this process printed, stdout and stderr interleaved. */
  readonly seq: number;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  /** performance.now() when the line arrived (for benchmarks; tests should not assert on it). */
  readonly at: number;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface LineMatch {
  readonly line: OutputLine;
  readonly match: RegExpExecArray;
}

const live = new Set<ManagedProcess>();
let hooksInstalled = false;

function killAllLive(): void {
  for (const p of live) p.killNow();
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllLive);
  // On a termination signal nobody else handles, kill the children and re-raise so the
  // default action (exit) still happens.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      killAllLive();
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, handler);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, handler);
  }
}

interface Waiter {
  regex: RegExp;
  resolve: (m: LineMatch) => void;
  reject: (e: Error) => void;
}

export class ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string | undefined;
  /** Resolves once the child has exited (never rejects; a spawn failure reads as code null). */
  readonly exited: Promise<ExitStatus>;
  /** performance.now() at spawn. */
  readonly spawnedAt: number;

  #child: ChildProcess;
  #lines: OutputLine[] = [];
  #maxLines: number;
  #nextSeq = 0;
  #partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  #waiters = new Set<Waiter>();
  #exit: ExitStatus | null = null;
  #log: WriteStream | null = null;
  #spawnError: Error | null = null;

  constructor(opts: SpawnOptions) {
    installExitHooks();
    this.name = opts.name ?? opts.command.split('/').pop() ?? opts.command;
    this.#maxLines = opts.maxLines ?? 20_000;
    this.logFile = opts.logFile;
    if (opts.logFile !== undefined) this.#log = createWriteStream(opts.logFile, { flags: 'a' });
    const child = spawn(opts.command, [...(opts.args ?? [])], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
    });
    this.spawnedAt = performance.now();
    child.stdin?.on('error', () => undefined); // EPIPE after the child exits is not our failure
    this.#child = child;
    this.pid = child.pid ?? -1;
    live.add(this);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.#onData('stdout', chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.#onData('stderr', chunk));
    this.exited = new Promise<ExitStatus>((resolve) => {
      const finish = (status: ExitStatus): void => {
        if (this.#exit !== null) return;
        this.#flushPartials();
        this.#exit = status;
        live.delete(this);
        this.#log?.end();
        const why = this.#spawnError
          ? `failed to start: ${this.#spawnError.message}`
          : `exited (code ${status.code}, signal ${status.signal})`;
        for (const w of this.#waiters) {
          w.reject(new TestkitError('PROCESS_EXITED', `${this.name}: expected a line matching ${w.regex}, but the process ${why}`));
        }
        this.#waiters.clear();
        resolve(status);
      };
      child.once('error', (err) => {
        this.#spawnError = err;
        finish({ code: null, signal: null });
      });
      // 'close' (not 'exit') so every buffered output line is delivered first.
      child.once('close', (code, signal) => finish({ code, signal }));
    });
  }

  /** The exit status once exited, else null. */
  get exitStatus(): ExitStatus | null {
    return this.#exit;
  }

  /** The child's stdin when spawned with `stdin: 'pipe'`, else null. */
  get stdin(): Writable | null {
    return this.#child.stdin;
  }

  get running(): boolean {
    return this.#exit === null;
  }

  /** Lines still held in memory, oldest first. */
  lines(): readonly OutputLine[] {
    return this.#lines;
  }

  /** The text of every held line joined with '\n' (for failure messages). */
  output(lastN?: number): string {
    const from = lastN === undefined ? 0 : Math.max(0, this.#lines.length - lastN);
    return this.#lines.slice(from).map((l) => l.text).join('\n');
  }

  /** The seq the next line will get; pass it as `since` to wait only for newer lines. */
  mark(): number {
    return this.#nextSeq;
  }

  /**
   * Resolves with the first line matching `regex` whose seq >= `since` (default 0: any line
   * still held, so a line printed before the call is not missed). Rejects with TIMEOUT after
   * `timeoutMs`, or PROCESS_EXITED if the process ends first.
   */
  waitForLine(regex: RegExp, timeoutMs: number, opts: { since?: number } = {}): Promise<LineMatch> {
    const since = opts.since ?? 0;
    for (const line of this.#lines) {
      if (line.seq < since) continue;
      const match = execOnce(regex, line.text);
      if (match) return Promise.resolve({ line, match });
    }
    if (this.#exit !== null) {
      return Promise.reject(
        new TestkitError('PROCESS_EXITED', `${this.name}: expected a line matching ${regex}, but the process had already exited (code ${this.#exit.code}, signal ${this.#exit.signal})`),
      );
    }
    return new Promise<LineMatch>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new TestkitError('TIMEOUT', `${this.name}: expected a line matching ${regex} within ${timeoutMs} ms; last lines:\n${this.output(15)}`));
      }, timeoutMs);
      const waiter: Waiter = {
        regex,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** `exited`, but rejects with TIMEOUT (and leaves the process running) after `timeoutMs`. */
  waitForExit(timeoutMs: number): Promise<ExitStatus> {
    return new Promise<ExitStatus>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new TestkitError('TIMEOUT', `${this.name}: expected the process to exit within ${timeoutMs} ms, but pid ${this.pid} is still running; last lines:\n${this.output(15)}`));
      }, timeoutMs);
      void this.exited.then((status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
  }

  /** Sends `signal`; false when the process is already gone. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.#exit !== null || this.pid < 0) return false;
    try {
      process.kill(this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGSTOP: the process stops running but keeps its sockets open (a hung peer). */
  pause(): boolean {
    return this.kill('SIGSTOP');
  }

  /** SIGCONT after `pause()`. */
  resume(): boolean {
    return this.kill('SIGCONT');
  }

  /** Kills (SIGKILL by default; it also ends a paused process) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitStatus> {
    this.kill(signal);
    if (signal !== 'SIGKILL') this.kill('SIGCONT');
    return this.exited;
  }

  /** Resident set size in bytes from /proc/<pid>/status (VmRSS), or null if unavailable. */
  rssBytes(): number | null {
    if (this.#exit !== null || this.pid < 0) return null;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      return m ? Number(m[1]) * 1024 : null;
    } catch {
      return null;
    }
  }

  /** Synchronous SIGKILL for the exit hook. @internal */
  killNow(): void {
    this.kill('SIGKILL');
  }

  #onData(stream: 'stdout' | 'stderr', chunk: string): void {
    this.#log?.write(chunk);
    const text = this.#partial[stream] + chunk;
    const parts = text.split('\n');
    this.#partial[stream] = parts.pop() ?? '';
    for (const part of parts) this.#push(stream, part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  #flushPartials(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.#partial[stream] !== '') {
        this.#push(stream, this.#partial[stream]);
        this.#partial[stream] = '';
      }
    }
  }

  #push(stream: 'stdout' | 'stderr', text: string): void {
    const line: OutputLine = { seq: this.#nextSeq++, stream, text, at: performance.now() };
    this.#lines.push(line);
    if (this.#lines.length > this.#maxLines) this.#lines.splice(0, this.#lines.length - this.#maxLines);
    for (const w of this.#waiters) {
      const match = execOnce(w.regex, text);
      if (match) {
        this.#waiters.delete(w);
        w.resolve({ line, match });
      }
    }
  }
}

function execOnce(regex: RegExp, text: string): RegExpExecArray | null {
  regex.lastIndex = 0; // a /g or /y regex must not carry state between lines
  return regex.exec(text);
}

/** Spawns `opts.command` as a ManagedProcess. */
export function spawnManaged(opts: SpawnOptions): ManagedProcess {
  return new ManagedProcess(opts);
}
