// Builds the dashboard into dist/ for `ecomon serve --web`, with esbuild:
// - src/app.js and what it imports are bundled and minified into ES modules; code splitting puts what only some
//   pages need into chunks loaded on demand (dynamic import): ECharts -- only the charts and components that
//   src/charts.js imports from echarts/core, tree-shaken -- on the first page that draws a chart, its geo
//   component (src/map.js) and the city boundaries (src/geo/) with the first map;
// - every file but index.html gets its content's hash in its name (app.3f2a9c0d1e4b.js), so the server lets
//   browsers keep it for a year (immutable); index.html (served with no-cache) names them, and preloads the
//   chunks app.js imports statically (no request waits for another);
// - each text file gets .br and .gz beside it, compressed once here rather than on every request.
// Prints each file's size, plain and brotli, and the size of ECharts' full build for comparison.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const dist = join(here, 'dist');
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('build: node_modules/esbuild is missing; run `npm ci` in web/ first');
  process.exit(1);
}
const HASH_DIGITS = 12; // hex digits of SHA-256 in a file name (the server takes 8 or more as "hashed")
const COMPRESSED = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map']);

const result = await esbuild.build({
  // charts.js, map.js and the city boundaries are loaded by dynamic import; as entries they keep their names.
  entryPoints: ['app.js', 'charts.js', 'map.js', 'geo/demo-city.js'].map((f) => join(src, f)),
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  charset: 'utf8',
  write: false,
  metafile: true,
  outdir: dist,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});

// esbuild's names (app-QX4T7ZRA.js) carry its own hash, which covers the content and the names of what the file
// imports; the server wants hex, so each becomes name.<12 hex digits>.js, derived from that hash, and every
// reference to it in the other outputs is renamed with it.
const out = new Map(); // published name -> bytes
const renamed = new Map(); // esbuild's name -> published name
for (const f of result.outputFiles) {
  const name = basename(f.path);
  const m = /^(.*)-([A-Z0-9]{8})\.js$/.exec(name);
  if (!m) throw new Error(`build: unexpected output ${name}`);
  const hex = createHash('sha256').update(name).digest('hex').slice(0, HASH_DIGITS);
  renamed.set(name, `${m[1]}.${hex}.js`);
}
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyName = new RegExp([...renamed.keys()].map(escapeRegExp).join('|'), 'g');
for (const f of result.outputFiles) {
  out.set(renamed.get(basename(f.path)), Buffer.from(f.text.replace(anyName, (n) => renamed.get(n)), 'utf8'));
}

function hashedName(path, bytes) {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, HASH_DIGITS);
  const dot = path.indexOf('.');
  return `${path.slice(0, dot)}.${hash}${path.slice(dot)}`;
}
const css = readFileSync(join(src, 'style.css'));
const cssName = hashedName('style.css', css);
out.set(cssName, css);

// index.html: the hashed names, and a modulepreload for each chunk app.js imports statically.
const appOut = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint && o.entryPoint.endsWith('app.js'));
const appName = renamed.get(basename(appOut[0]));
const preloads = appOut[1].imports.filter((i) => i.kind === 'import-statement')
  .map((i) => `<link rel="modulepreload" href="${renamed.get(basename(i.path))}">\n  `).join('');
let html = readFileSync(join(src, 'index.html'), 'utf8');
for (const [from, to] of [['style.css', cssName], ['app.js', appName]]) {
  const before = html;
  html = html.replace(new RegExp(`((?:src|href)=")${escapeRegExp(from)}"`), `$1${to}"`);
  if (html === before) throw new Error(`build: index.html does not name ${from}`);
}
// The chunks each lazily loaded module (charts.js, map.js) imports, for app.js to fetch beside it (else the browser
// learns of them only when the module has arrived).
const lazy = {};
for (const [path, o] of Object.entries(result.metafile.outputs)) {
  const entry = o.entryPoint && basename(o.entryPoint, '.js');
  if (entry !== 'charts' && entry !== 'map') continue;
  lazy[entry] = o.imports.filter((i) => i.kind === 'import-statement').map((i) => `./${renamed.get(basename(i.path))}`);
}
const lazyList = `<script type="application/json" id="lazy-chunks">${JSON.stringify(lazy)}</script>\n  `;
html = html.replace('<script type="module"', `${preloads}${lazyList}<script type="module"`);
out.set('index.html', Buffer.from(html, 'utf8'));

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const sizes = [];
for (const [name, bytes] of [...out].sort()) {
  const target = join(dist, name);
  writeFileSync(target, bytes);
  let br = bytes.length;
  if (COMPRESSED.has(extname(name))) {
    const b = brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    });
    const gz = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
    if (b.length < bytes.length) writeFileSync(`${target}.br`, b);
    if (gz.length < bytes.length) writeFileSync(`${target}.gz`, gz);
    br = Math.min(b.length, bytes.length);
  }
  sizes.push([name, bytes.length, br]);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const brOf = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length;
console.log(`build: web/dist ready (${out.size} files)`);
for (const [name, plain, br] of sizes) console.log(`  ${name.padEnd(32)} ${kb(plain).padStart(10)} ${kb(br).padStart(10)} brotli`);
const full = join(here, 'node_modules', 'echarts', 'dist', 'echarts.min.js');
if (existsSync(full)) {
  const bytes = readFileSync(full);
  console.log(`  (ECharts' full build, echarts.min.js: ${kb(bytes.length)}, ${kb(brOf(bytes))} brotli)`);
}
