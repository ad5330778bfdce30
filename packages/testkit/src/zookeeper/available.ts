// Is a real ZooKeeper (3.8, Debian's `zookeeper` package) runnable here? Interop suites call
// `zookeeperGate()` once at top level and skip, or fail when CI sets ZKVOTE_REQUIRE_ZK=1.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TestkitError } from '../errors.js';

/** Debian's jars: the server, jute, a log4j binding (else it logs nothing) and the servlet API
 * (else the AdminServer fails to start). */
export const DEFAULT_ZK_CLASSPATH = [
  '/usr/share/java/zookeeper.jar',
  '/usr/share/java/zookeeper-jute.jar',
  '/usr/share/java/slf4j-log4j12.jar',
  '/usr/share/java/log4j-1.2.jar',
  '/usr/share/java/servlet-api.jar',
].join(':');

export type ZooKeeperAvailability =
  | { ok: true; java: string; classpath: string }
  | { ok: false; reason: string };

let cached: Promise<ZooKeeperAvailability> | null = null;

function probeJava(java: string): Promise<string | null> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (why: string | null): void => {
      if (!settled) {
        settled = true;
        resolve(why);
      }
    };
    const child = spawn(java, ['-version'], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(`\`${java} -version\` did not finish within 15 s`);
    }, 15_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      done(`cannot run \`${java}\`: ${err.message}`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(code === 0 ? null : `\`${java} -version\` exited with code ${code}`);
    });
  });
}

async function probe(): Promise<ZooKeeperAvailability> {
  const classpath = process.env.ZKVOTE_ZK_CLASSPATH || DEFAULT_ZK_CLASSPATH;
  const java = process.env.ZKVOTE_JAVA || 'java';
  const missing = classpath.split(':').filter((p) => p !== '' && !p.includes('*') && !existsSync(p));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `ZooKeeper jars not found (${missing.join(', ')}); install with \`apt-get install -y zookeeper\` or set ZKVOTE_ZK_CLASSPATH`,
    };
  }
  const javaProblem = await probeJava(java);
  if (javaProblem !== null) return { ok: false, reason: `${javaProblem}; install a JRE (apt-get install -y zookeeper brings one) or set ZKVOTE_JAVA` };
  return { ok: true, java, classpath };
}

/**
 * Whether real ZooKeeper can be launched: the classpath (ZKVOTE_ZK_CLASSPATH or Debian's jars)
 * exists and `java` (ZKVOTE_JAVA or PATH) runs. Probed once per process.
 */
export function zookeeperAvailable(): Promise<ZooKeeperAvailability> {
  cached ??= probe();
  return cached;
}

/** True when CI demands the interop suites run (ZKVOTE_REQUIRE_ZK=1). */
export function zookeeperRequired(): boolean {
  return process.env.ZKVOTE_REQUIRE_ZK === '1';
}

let warned = false;

/**
 * For interop suites:
 *   const zk = await zookeeperGate();
 *   describe.skipIf(!zk.ok)('against ZooKeeper 3.8', () => { ... });
 * Throws ZK_REQUIRED (failing the file) when ZooKeeper is absent and ZKVOTE_REQUIRE_ZK=1;
 * otherwise prints the one-line reason once per process and returns ok:false.
 */
export async function zookeeperGate(): Promise<ZooKeeperAvailability> {
  const zk = await zookeeperAvailable();
  if (!zk.ok) {
    if (zookeeperRequired()) {
      throw new TestkitError('ZK_REQUIRED', `ZKVOTE_REQUIRE_ZK=1 expects a runnable ZooKeeper, but ${zk.reason}`);
    }
    if (!warned) {
      warned = true;
      console.warn(`[zkvote testkit] skipping ZooKeeper interop tests: ${zk.reason}`);
    }
  }
  return zk;
}

/** Forget the cached probe (tests of this module only). @internal */
export function resetZooKeeperProbe(): void {
  cached = null;
  warned = false;
}
