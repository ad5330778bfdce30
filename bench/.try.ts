import http from 'node:http';
import { Cluster } from './lib/cluster.js';
const c = await Cluster.create({ kind: 'zkvote', size: 3 });
try {
  c.startAll();
  const l = await c.waitForAgreement(30000, 5);
  console.log('leader', l);
  const port = c.nodes.get(1)!.adminPort;
  await new Promise<void>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/commands/events?format=ndjson' }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => process.stdout.write(d.slice(0, 1500) + '\n----\n'));
    });
    setTimeout(() => { c.killNow(l); }, 300);
    setTimeout(() => { req.destroy(); resolve(); }, 2000);
  });
  console.log((await c.election(1))?.messages);
  console.log(c.proc(1)!.output(8));
} finally { await c.stop(); }
