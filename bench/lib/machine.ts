// Machine facts printed with every result: CPU, cores, memory, node and java versions, date.

import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memTotalMiB: number;
  os: string;
  node: string;
  java: string;
  zookeeper: string;
  date: string;
  /** 1-minute load average when the run started (other work on the machine). */
  loadAvg: number;
}

function javaVersion(): string {
  // `java -version` prints to stderr.
  const r = spawnSync(process.env.ZKVOTE_JAVA ?? 'java', ['-version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return 'not found';
  return `${r.stderr}${r.stdout}`.split('\n')[0]?.trim() || 'unknown';
}

export function machineFacts(zookeeper: string): MachineFacts {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memTotalMiB: Math.round(os.totalmem() / 1048576),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    java: javaVersion(),
    zookeeper,
    date: new Date().toISOString(),
    loadAvg: os.loadavg()[0] ?? 0,
  };
}

export function machineMarkdown(m: MachineFacts, extraLoad?: number): string {
  return [
    `- CPU: ${m.cpuModel}, ${m.cores} cores; memory ${m.memTotalMiB} MiB; ${m.os}`,
    `- node ${m.node}; java: ${m.java}; ZooKeeper ${m.zookeeper}`,
    `- date: ${m.date}; network: 127.0.0.1 only; 1-minute load average at the start: ${m.loadAvg.toFixed(1)}${extraLoad === undefined ? '' : `, at the end: ${extraLoad.toFixed(1)}`}`,
  ].join('\n');
}
