#!/usr/bin/env node
'use strict';
// Side-by-side latency of ONNX Runtime (onnxruntime-node, CPU) and `autoglm bench --json` on zoo models.
//
// For each MODEL[:PROFILE] it synthesizes seeded inputs from the model folder's meta.json hints (the
// profile's dims, e.g. batch 8 or a decode step with past 127), writes them as .npy files, and then
// alternates ROUNDS times: a block of ORT runs in this process (session kept open), then one
// `dotnet OpenAutoGlm.Cli.dll bench MODEL --json --input NAME=FILE.npy ...` process on the same files.
// The reported latency of each side is the median of its per-round medians (nearest rank, as autoglm);
// the ratio is ORT / ours (above 1: we are faster). A first, uncounted run of ours sizes its runs per round
// so that slow models take about --max-seconds of timed runs per side and round.
//
// Usage: node ort_side.js --dll OpenAutoGlm.Cli.dll [--models-root DIR] [--rounds N] [--runs N] [--warmup N]
//          [--threads N] [--max-seconds S] [--out FILE.md] [--json FILE.json] [--inputs-dir DIR] MODEL[:PROFILE] ...
// PROFILE is a label from meta.json "bench" (b1, b8, decode_past127, ...) or bN for batch N; a model name
// without a folder suffix is looked up as <root>/<name>_op17, then <root>/<name>.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

function requireOrt() {
  const local = path.join(__dirname, '.node', 'node_modules', 'onnxruntime-node');
  try { return require(local); } catch (e) { return require('onnxruntime-node'); }
}
const ort = requireOrt();

// ---------------------------------------------------------------- inputs ----
function makeRng(seedStr) { // FNV-1a seed, mulberry32 stream: deterministic across platforms
  let a = 0x811c9dc5;
  for (let i = 0; i < seedStr.length; i++) { a ^= seedStr.charCodeAt(i); a = Math.imul(a, 0x01000193) >>> 0; }
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0; let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => { let u = 0; while (u === 0) u = next(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next()); };
  return { next, normal };
}

const NPY = { float32: '<f4', float64: '<f8', float16: '<f2', int64: '<i8', int32: '<i4', int16: '<i2', int8: '|i1',
  uint8: '|u1', uint16: '<u2', uint32: '<u4', uint64: '<u8', bool: '|b1' };
const ARR = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int16: Int16Array, int8: Int8Array,
  uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, bool: Uint8Array };

function resolveShape(im, dims) {
  return im.shape.map((d, i) => {
    if (typeof d === 'number' && d >= 0) return d;
    if (typeof d === 'string' && dims[d] !== undefined) return dims[d];
    if (i === 0) return dims.batch || 1;
    throw new Error(`input ${im.name}: no value for dim #${i} ('${d}'); give it in the profile's dims`);
  });
}

// hint: meta.json inputs[NAME] = {dist: uniform|normal|int|ones|zeros|const|attention_mask|segments, ...}
function makeValues(type, shape, hint, seed) {
  const n = shape.reduce((a, b) => a * b, 1);
  const rng = makeRng(seed);
  const h = hint || {};
  const isInt = /int/.test(type);
  const dist = h.dist || (type === 'bool' ? 'bool' : isInt ? 'int' : 'uniform');
  const last = shape[shape.length - 1] || 1;
  const v = new Float64Array(n);
  switch (dist) {
    case 'uniform': { const lo = h.low ?? -1, hi = h.high ?? 1; for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.next(); break; }
    case 'normal': { const m = h.mean ?? 0, s = h.std ?? 1; for (let i = 0; i < n; i++) v[i] = m + s * rng.normal(); break; }
    case 'int': { const lo = h.low ?? 0, hi = h.high ?? 10; for (let i = 0; i < n; i++) v[i] = lo + Math.floor((hi - lo) * rng.next()); break; }
    case 'bool': for (let i = 0; i < n; i++) v[i] = rng.next() < 0.5 ? 1 : 0; break;
    case 'ones': v.fill(1); break;
    case 'zeros': v.fill(0); break;
    case 'const': v.fill(h.value); break;
    case 'attention_mask': { v.fill(1); const b = shape[0]; if (b > 1) for (let j = Math.floor(last * 0.75); j < last; j++) v[(b - 1) * last + j] = 0; break; }
    case 'segments': for (let i = 0; i < n; i++) v[i] = (i % last) >= Math.floor(last / 2) ? 1 : 0; break;
    default: throw new Error(`unknown input distribution '${dist}'`);
  }
  if (type === 'int64') return BigInt64Array.from(v, x => BigInt(Math.round(x)));
  if (type === 'uint64') return BigUint64Array.from(v, x => BigInt(Math.round(x)));
  if (type === 'float32' || type === 'float64') return ARR[type].from(v);
  if (ARR[type]) return ARR[type].from(v, x => Math.round(x));
  throw new Error(`cannot synthesize ${type} inputs`);
}

function writeNpy(file, type, shape, data) {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${NPY[type]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1'); pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

// ----------------------------------------------------------------- stats ----
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
const median = xs => pct(xs.slice().sort((a, b) => a - b), 50);

// --------------------------------------------------------------- targets ----
function findModelDir(root, name) {
  for (const d of [name, `${name}_op17`]) {
    const p = path.isAbsolute(d) ? d : path.join(root, d);
    if (fs.existsSync(path.join(p, 'model.onnx'))) return p;
  }
  return null;
}

function profileFor(meta, label) {
  const bench = (meta.bench || []).find(b => b.label === label);
  if (bench) return { label, dims: Object.assign({}, bench.dims) };
  const m = /^b(\d+)$/.exec(label);
  if (m) return { label, dims: { batch: Number(m[1]) } };
  throw new Error(`no bench profile '${label}' in meta.json (has: ${(meta.bench || []).map(b => b.label).join(', ') || 'none'})`);
}

async function runOrt(session, feeds, warmup, runs, maxSeconds) {
  for (let i = 0; i < warmup; i++) await session.run(feeds);
  const times = [];
  const t0 = Date.now();
  while (times.length < runs) {
    const s = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
    if ((Date.now() - t0) / 1000 > maxSeconds) break;
  }
  return median(times);
}

function runOurs(o, modelFile, inputArgs, threads, warmup, runs) {
  const args = [o.dll, 'bench', modelFile, '--json', '--runs', String(runs), '--warmup', String(warmup), '--threads', String(threads), '--level', o.level, ...inputArgs];
  const r = spawnSync('dotnet', args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`autoglm bench failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n')[0]}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function compare(o, spec) {
  const [name, label0] = spec.split(':');
  const dir = findModelDir(o.root, name);
  if (!dir) return { model: name, label: label0 || 'b1', skipped: `not found under ${o.root}` };
  const meta = fs.existsSync(path.join(dir, 'meta.json')) ? JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) : {};
  const label = label0 || ((meta.bench && meta.bench[0] && meta.bench[0].label) || 'b1');
  const prof = profileFor(meta, label);
  const modelFile = path.join(dir, 'model.onnx');
  const session = await ort.InferenceSession.create(modelFile, {
    intraOpNumThreads: o.threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all', executionProviders: ['cpu'], logSeverityLevel: 3,
  });
  const batch = prof.dims.batch || 1;
  const row = { model: path.basename(dir), label, batch };
  for (const im of session.inputMetadata) {
    const d0 = im.shape[0];
    if (batch > 1 && typeof d0 === 'number') {
      row.skipped = `input '${im.name}' has a static batch dim ${d0}`;
      return row;
    }
  }
  const inputsDir = path.join(o.inputsDir, `${row.model}_${label}`);
  fs.mkdirSync(inputsDir, { recursive: true });
  const hints = meta.inputs || {};
  const feeds = {}; const inputArgs = [];
  session.inputMetadata.forEach((im, idx) => {
    const shape = resolveShape(im, prof.dims);
    const data = makeValues(im.type, shape, hints[im.name], `${row.model}/${label}/${idx}/${im.name}`);
    feeds[im.name] = new ort.Tensor(im.type, data, shape);
    const file = path.join(inputsDir, `input_${idx}.npy`);
    writeNpy(file, im.type, shape, data);
    inputArgs.push('--input', `${im.name}=${file}`);
  });
  // Probe (not counted): one warm-up and one timed run of ours sizes the rounds so slow models fit in
  // about --max-seconds of timed runs per side and round (ORT stops by itself after --max-seconds).
  const probe = runOurs(o, modelFile, inputArgs, o.threads, 1, 1);
  let ourRuns = Math.max(1, Math.min(o.runs, Math.floor(o.maxSeconds * 1000 / probe.median_ms)));
  let ourWarmup = Math.min(o.warmup, ourRuns);
  const ortMs = []; const ourMs = []; let peak = 0;
  for (let round = 0; round < o.rounds; round++) {
    ortMs.push(await runOrt(session, feeds, round === 0 ? o.warmup : 1, o.runs, o.maxSeconds));
    const ours = runOurs(o, modelFile, inputArgs, o.threads, ourWarmup, ourRuns);
    ourMs.push(ours.median_ms);
    peak = Math.max(peak, ours.peak_memory_bytes);
    process.stderr.write(`  ${row.model} ${label} round ${round + 1}/${o.rounds}: ORT ${ortMs[round].toFixed(2)} ms, ours ${ours.median_ms.toFixed(2)} ms\n`);
  }
  if (session.release) await session.release();
  row.ort_median_ms = +median(ortMs).toFixed(3);
  row.ours_median_ms = +median(ourMs).toFixed(3);
  row.ratio = +(row.ort_median_ms / row.ours_median_ms).toFixed(4);
  // Rounds are back to back, so a slow phase of the shared machine tends to hit both sides of a round: the count of
  // rounds ours won shows whether a ratio near 1 is a difference or one noisy round.
  row.round_ratios = ortMs.map((t, i) => +(t / ourMs[i]).toFixed(4));
  row.rounds_ours_faster = row.round_ratios.filter(r => r > 1).length;
  row.ours_peak_memory_bytes = peak;
  row.rounds = o.rounds;
  return row;
}

function loadAverage() {
  try { return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '); } catch (e) { return '?'; }
}

function markdown(o, rows, env) {
  const lines = [];
  lines.push(`ONNX Runtime ${env.ort} (onnxruntime-node, CPU EP, ${o.threads} intra-op threads, graph optimization 'all') vs autoglm ${env.commit}`);
  lines.push(`on ${env.cpu} x${env.cpus}, ${env.date}; ${o.rounds} alternating rounds, up to ${o.runs} timed runs per side and round;`);
  lines.push('latency = median of the per-round medians; ratio = ORT / ours (above 1: ours is faster).');
  lines.push(`load average (1/5/15 min) at start ${env.load_start}, at end ${env.load_end} (above ${env.cpus}, the core count, other processes shared the CPUs).`);
  lines.push('');
  lines.push('| model | profile | batch | ORT median ms | ours median ms | ORT/ours | rounds ours faster | ours peak tensor MiB |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    if (r.skipped || r.error) {
      lines.push(`| ${r.model} | ${r.label} | ${r.batch ?? ''} | ${r.skipped ? 'skipped: ' + r.skipped : 'error: ' + r.error} | | | | |`);
    } else {
      lines.push(`| ${r.model} | ${r.label} | ${r.batch} | ${r.ort_median_ms.toFixed(2)} | ${r.ours_median_ms.toFixed(2)} | ${r.ratio.toFixed(3)} | ${r.rounds_ours_faster}/${r.rounds} | ${(r.ours_peak_memory_bytes / 1048576).toFixed(1)} |`);
    }
  }
  return lines.join('\n') + '\n';
}

async function main() {
  const a = process.argv.slice(2);
  const o = { level: 'all', rounds: 3, runs: 10, warmup: 2, threads: 2, maxSeconds: 10, root: null, out: null, json: null, dll: null, inputsDir: null };
  const specs = [];
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (k === '--dll') o.dll = a[++i];
    else if (k === '--models-root') o.root = a[++i];
    else if (k === '--rounds') o.rounds = Number(a[++i]);
    else if (k === '--runs') o.runs = Number(a[++i]);
    else if (k === '--warmup') o.warmup = Number(a[++i]);
    else if (k === '--threads') o.threads = Number(a[++i]);
    else if (k === '--max-seconds') o.maxSeconds = Number(a[++i]);
    else if (k === '--out') o.out = a[++i];
    else if (k === '--json') o.json = a[++i];
    else if (k === '--inputs-dir') o.inputsDir = a[++i];
    else if (k === '--level') o.level = a[++i];
    else if (k.startsWith('-')) { console.error(`unknown option ${k}`); process.exit(2); }
    else specs.push(k);
  }
  if (!o.dll || !o.root || !specs.length || !(o.rounds >= 1) || !(o.runs >= 1) || !(o.threads >= 1)) {
    console.error('usage: ort_side.js --dll OpenAutoGlm.Cli.dll --models-root DIR [--rounds N>=1] [--runs N>=1] [--warmup N] [--threads N>=1] [--max-seconds S] [--out FILE.md] [--json FILE] MODEL[:PROFILE] ...');
    process.exit(2);
  }
  o.inputsDir = o.inputsDir || fs.mkdtempSync(path.join(os.tmpdir(), 'autoglm-compare-'));
  const git = spawnSync('git', ['-C', __dirname, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const env = {
    ort: require(path.join(path.dirname(require.resolve('onnxruntime-node', { paths: [path.join(__dirname, '.node', 'node_modules'), ...module.paths] })), '..', 'package.json')).version,
    commit: (git.stdout || '?').trim(), cpu: (os.cpus()[0] || {}).model, cpus: os.cpus().length, date: new Date().toISOString(),
    load_start: loadAverage(),
  };
  const rows = [];
  for (const s of specs) {
    try { rows.push(await compare(o, s)); } catch (e) {
      const [m, l] = s.split(':');
      rows.push({ model: m, label: l || '', error: String(e.message || e).split('\n')[0] });
      process.stderr.write(`  ${s}: ${rows[rows.length - 1].error}\n`);
    }
  }
  env.load_end = loadAverage();
  const md = markdown(o, rows, env);
  process.stdout.write(md);
  if (o.out) fs.writeFileSync(o.out, md);
  if (o.json) fs.writeFileSync(o.json, JSON.stringify({ env, options: o, results: rows }, null, 1));
}

main().catch(e => { console.error(e); process.exit(1); });
