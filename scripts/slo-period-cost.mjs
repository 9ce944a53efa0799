#!/usr/bin/env node
// Measures what a 30-day period SLI costs per evaluation and how far it is from the true
// event ratio, for three forms, on a real Prometheus over 31 days of backfilled data:
//   raw      moncode's default: sum(rate(errors[30d])) / sum(rate(total[30d]))
//   sloth    Sloth's: the average of the 5m ratio recording over 30d
//   recorded the sum of recorded 5m increases over 30d, errors over total
// Prints samples touched (Prometheus' own query stats) and the ratio each form returns.
// Usage: node scripts/slo-period-cost.mjs [--instances N] [--scrape 15]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const instances = arg('instances', 2);
const scrapeS = arg('scrape', 15);
const DAYS = 31;
const end = Math.floor(Date.UTC(2026, 10, 1) / 1000); // a fixed end, so runs compare
const start = end - DAYS * 86_400;
const work = mkdtempSync(path.join(os.tmpdir(), 'moncode-slo-cost-'));

// Busy days (100 rps, 0.05% errors), quiet nights (10 rps, 1% errors): the true event ratio
// weighs the night by its traffic, an average of 5m ratios weighs it by its hours.
const rps = (t) => (new Date(t * 1000).getUTCHours() >= 8 && new Date(t * 1000).getUTCHours() < 20 ? 100 : 10);
const errorShare = (t) => (rps(t) === 100 ? 0.0005 : 0.01);

function openMetrics() {
  const lines = ['# TYPE app_requests counter'];
  let trueErrors = 0;
  let trueTotal = 0;
  const periodStart = end - 30 * 86_400;
  for (let i = 0; i < instances; i++) {
    let total = 0;
    let errors = 0;
    for (let t = start; t <= end; t += scrapeS) {
      const n = rps(t) * scrapeS;
      const e = n * errorShare(t);
      if (t > periodStart) {
        trueErrors += e;
        trueTotal += n;
      }
      total += n;
      errors += e;
      lines.push(`app_requests_total{instance="i${i}",code="200"} ${total - errors} ${t}`);
      lines.push(`app_requests_total{instance="i${i}",code="500"} ${errors} ${t}`);
    }
  }
  lines.push('# EOF');
  // OpenMetrics wants one metric family's samples grouped by series, in time order.
  return { text: lines.join('\n') + '\n', trueRatio: trueErrors / trueTotal };
}

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function startPrometheus(dataDir, configFile) {
  const port = await freePort();
  const child = spawn('prometheus', [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, '--storage.tsdb.retention.time=400d', `--web.listen-address=127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { child, url };
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('prometheus did not start');
}

async function query(url, expr, time = end) {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr, time: String(time), stats: 'all' })}`);
  const body = await res.json();
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return { value: Number(body.data.result[0]?.value[1]), samples: body.data.stats.samples.totalQueryableSamples };
}

const RECORDINGS = `groups:
  - name: slo
    interval: 1m
    rules:
      - record: slo:sli_error:ratio_rate5m
        expr: sum(rate(app_requests_total{code="500"}[5m])) / sum(rate(app_requests_total[5m]))
      - record: slo:sli_errors:increase5m
        expr: sum(increase(app_requests_total{code="500"}[5m]))
      - record: slo:sli_total:increase5m
        expr: sum(increase(app_requests_total[5m]))
`;

const FORMS = {
  raw: 'sum(rate(app_requests_total{code="500"}[30d])) / sum(rate(app_requests_total[30d]))',
  sloth: 'sum_over_time(slo:sli_error:ratio_rate5m[30d]) / ignoring (sloth_window) count_over_time(slo:sli_error:ratio_rate5m[30d])',
  recorded: 'sum_over_time(slo:sli_errors:increase5m[30d]) / sum_over_time(slo:sli_total:increase5m[30d])',
};

let prometheus;
try {
  const { text, trueRatio } = openMetrics();
  const input = path.join(work, 'input.om');
  writeFileSync(input, text);
  const data = path.join(work, 'data');
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, data], { stdio: 'inherit' });
  const rules = path.join(work, 'rules.yml');
  writeFileSync(rules, RECORDINGS);
  const config = path.join(work, 'prometheus.yml');
  writeFileSync(config, 'global: {}\n');
  prometheus = await startPrometheus(data, config);
  // The recordings over the 31 days, as a Prometheus evaluating them every minute would have written them.
  execFileSync(
    'promtool',
    ['tsdb', 'create-blocks-from', 'rules', `--start=${start + 3600}`, `--end=${end}`, `--url=${prometheus.url}`, `--output-dir=${path.join(work, 'recorded')}`, '--eval-interval=1m', rules],
    { stdio: 'ignore' },
  );
  prometheus.child.kill();
  await new Promise((r) => prometheus.child.once('exit', r));
  execFileSync('sh', ['-c', `mv ${path.join(work, 'recorded')}/* ${data}/`]);
  prometheus = await startPrometheus(data, config);
  console.log(`${instances} instance(s) × 2 series at a ${scrapeS}s scrape, recordings every 1m; true 30d error ratio ${trueRatio.toFixed(6)}`);
  console.log('form      samples/evaluation   ratio      error vs true');
  for (const [name, expr] of Object.entries(FORMS)) {
    const { value, samples } = await query(prometheus.url, expr);
    console.log(`${name.padEnd(9)} ${String(samples).padStart(18)}   ${value.toFixed(6)}   ${(((value - trueRatio) / trueRatio) * 100).toFixed(2)}%`);
  }
} finally {
  prometheus?.child.kill();
  rmSync(work, { recursive: true, force: true });
}
