// Builds the dashboard into dist/: the plain ES modules, HTML and CSS of src/ and ECharts' own minified build
// from node_modules (no bundler: the modules load directly in the browser), ready for `ecomon serve --web`:
// - every asset but index.html gets its content's hash in its name (app.js -> app.3f2a9c0d1e4b.js,
//   echarts.min.js -> echarts.<hash>.min.js), so the server can let browsers keep it for a year (immutable);
// - index.html (served with no-cache) names the hashed files, and an import map sends the modules' own
//   relative imports ('./pages.js') to the hashed names, so the sources stay as they are;
// - each text file gets .br and .gz beside it, compressed once here rather than on every request.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const dist = join(here, 'dist');
const echarts = join(here, 'node_modules', 'echarts', 'dist', 'echarts.min.js');
if (!existsSync(echarts)) {
  console.error('build: node_modules/echarts is missing; run `npm ci` in web/ first');
  process.exit(1);
}
const HASH_DIGITS = 12; // hex digits of SHA-256 in a file name (the server takes 8 or more as "hashed")
const COMPRESSED = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map']);

// Every file to publish: [path under dist as the sources name it, its bytes].
function listFiles(dir, prefix = '') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, `${prefix}${name}/`));
    else out.push([`${prefix}${name}`, readFileSync(full)]);
  }
  return out;
}
const files = listFiles(src);
files.push(['vendor/echarts.min.js', readFileSync(echarts)]);

// name.ext -> name.<hash>.ext; for a compound name (echarts.min.js) the hash follows the first part.
function hashedName(path, bytes) {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, HASH_DIGITS);
  const dir = dirname(path) === '.' ? '' : `${dirname(path)}/`;
  const base = basename(path);
  const dot = base.indexOf('.');
  return dot < 0 ? `${dir}${base}.${hash}` : `${dir}${base.slice(0, dot)}.${hash}${base.slice(dot)}`;
}

const renamed = new Map(); // source name -> published name
for (const [path, bytes] of files) renamed.set(path, path === 'index.html' ? path : hashedName(path, bytes));

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// index.html: the hashed names in src/href, and the import map for the modules' relative imports.
function rewriteIndex(html) {
  let out = html;
  for (const [from, to] of renamed) {
    if (from === 'index.html') continue;
    out = out.replace(new RegExp(`((?:src|href)=")${escapeRegExp(from)}"`, 'g'), `$1${to}"`);
  }
  const imports = {};
  for (const [from, to] of renamed) {
    if (from.endsWith('.js') && !from.startsWith('vendor/')) imports[`./${from}`] = `./${to}`;
  }
  const map = `<script type="importmap">${JSON.stringify({ imports })}</script>\n  `;
  const firstModule = out.indexOf('<script type="module"');
  if (firstModule < 0) throw new Error('build: index.html has no module script');
  return out.slice(0, firstModule) + map + out.slice(firstModule);
}

rmSync(dist, { recursive: true, force: true });
let plain = 0;
let brotli = 0;
for (const [path, bytes] of files) {
  const target = join(dist, renamed.get(path));
  mkdirSync(dirname(target), { recursive: true });
  const content = path === 'index.html' ? Buffer.from(rewriteIndex(bytes.toString('utf8')), 'utf8') : bytes;
  writeFileSync(target, content);
  plain += content.length;
  if (!COMPRESSED.has(extname(path))) continue;
  const br = brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });
  const gz = gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
  if (br.length < content.length) writeFileSync(`${target}.br`, br);
  if (gz.length < content.length) writeFileSync(`${target}.gz`, gz);
  brotli += Math.min(br.length, content.length);
}
console.log(`build: web/dist ready (${files.length} files, ${plain} bytes, ${brotli} as brotli): ` +
  [...renamed.values()].map((p) => relative('.', p)).join(' '));
