#!/usr/bin/env node
// The quick-start demo: a 3-server zkvote ensemble on loopback, its vote state shown by the
// zkvote CLI, the leader killed with SIGKILL, the new election shown, and everything removed.
// Run through `pnpm demo` (which builds first); uses only the built dist/ files.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const serverBin = join(root, 'apps/server/dist/bin.js');
const cliBin = join(root, 'apps/cli/dist/bin.js');
const SIDS = [1, 2, 3];
const WAIT_MS = 20_000;

const say = (text) => process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function allocatePorts() {
  const seen = new Set();
  const ports = {};
  for (const sid of SIDS) {
    ports[sid] = {};
    for (const kind of ['client', 'quorum', 'election', 'admin']) {
      let port;
      do port = await freePort(); while (seen.has(port));
      seen.add(port);
      ports[sid][kind] = port;
    }
  }
  return ports;
}

function writeConfigs(dir, ports) {
  const serverLines = SIDS.map(
    (sid) => `server.${sid}=127.0.0.1:${ports[sid].quorum}:${ports[sid].election}`,
  );
  const cfgs = {};
  for (const sid of SIDS) {
    const data = join(dir, `s${sid}`, 'data');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'myid'), `${sid}\n`);
    const cfg = join(dir, `s${sid}`, 'zoo.cfg');
    writeFileSync(
      cfg,
      [
        'tickTime=500',
        'initLimit=10',
        'syncLimit=5',
        `dataDir=${data}`,
        `clientPort=${ports[sid].client}`,
        'clientPortAddress=127.0.0.1',
        '4lw.commands.whitelist=*',
        'admin.serverAddress=127.0.0.1',
        `admin.serverPort=${ports[sid].admin}`,
        'zkvote.logLevel=warn',
        ...serverLines,
        '',
      ].join('\n'),
    );
    cfgs[sid] = cfg;
  }
  return cfgs;
}

async function adminJson(port, command) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/commands/${command}`, {
      signal: AbortSignal.timeout(1000),
    });
    return await res.json();
  } catch {
    return null;
  }
}

/** Polls the admin API (bounded) until every live server names the same established leader. */
async function waitForAgreement(ports, live, notLeader) {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const views = await Promise.all(live.map((sid) => adminJson(ports[sid].admin, 'leader')));
    const leaders = new Set(views.map((v) => (v && v.error == null ? v.leader_id : null)));
    const [leader] = leaders;
    if (leaders.size === 1 && typeof leader === 'number' && leader >= 0 && leader !== notLeader) {
      return leader;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no agreed leader among servers ${live.join(', ')} within ${WAIT_MS} ms`);
}

/** Bounded wait until the new leader reports an established epoch (a few ms after agreement). */
async function waitForEpoch(ports, leader) {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const view = await adminJson(ports[leader].admin, 'election');
    if (view && view.established_epoch != null) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

function showStatus(cfg) {
  spawnSync(process.execPath, [cliBin, 'status', '--config', cfg], { stdio: 'inherit' });
}

/** The admin API view adds the established epoch: the new leader's fencing token. */
function showAdminStatus(ports, sids) {
  const admins = sids.map((sid) => `127.0.0.1:${ports[sid].admin}`).join(',');
  spawnSync(process.execPath, [cliBin, 'status', '--admin', admins], { stdio: 'inherit' });
}

const dir = mkdtempSync(join(tmpdir(), 'zkvote-demo-'));
const children = new Map();
let cleanedUp = false;
function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const child of children.values()) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

try {
  const ports = await allocatePorts();
  const cfgs = writeConfigs(dir, ports);

  say(`Starting 3 zkvote servers on 127.0.0.1 (config and data in ${dir})`);
  for (const sid of SIDS) {
    const child = spawn(process.execPath, [serverBin, cfgs[sid]], { stdio: ['ignore', 'ignore', 'inherit'] });
    children.set(sid, child);
    console.log(`server ${sid}: pid ${child.pid}, election port ${ports[sid].election}, admin port ${ports[sid].admin}`);
  }

  const leader = await waitForAgreement(ports, SIDS);
  say(`Elected: server ${leader} leads (highest sid wins when every zxid and epoch are equal)`);
  console.log(`zkvote status --config ${cfgs[1]}   (asks each server on its election port, as a ZooKeeper peer would)`);
  showStatus(cfgs[1]);

  say(`kill -9 of the leader, server ${leader}`);
  const killedAt = performance.now();
  children.get(leader).kill('SIGKILL');
  const survivors = SIDS.filter((sid) => sid !== leader);
  const next = await waitForAgreement(ports, survivors, leader);
  const took = performance.now() - killedAt;
  say(`New leader: server ${next}, agreed by servers ${survivors.join(' and ')} ${took.toFixed(0)} ms after the kill (admin polling every 25 ms)`);
  console.log(`zkvote status --config ${cfgs[survivors[0]]}`);
  showStatus(cfgs[survivors[0]]);
  say('The same survivors through their admin API: the new epoch is the new leader\'s fencing token');
  await waitForEpoch(ports, next);
  showAdminStatus(ports, survivors);

  say('Stopping the ensemble and removing its files');
} catch (err) {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
