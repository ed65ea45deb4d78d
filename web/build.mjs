// Builds the dashboard into dist/: the plain ES modules, HTML and CSS of src/ as they are, and ECharts' own
// minified build from node_modules (no bundler: the modules load directly in the browser).
import { cpSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const echarts = join(here, 'node_modules', 'echarts', 'dist', 'echarts.min.js');
if (!existsSync(echarts)) {
  console.error('build: node_modules/echarts is missing; run `npm ci` in web/ first');
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'vendor'), { recursive: true });
cpSync(join(here, 'src'), dist, { recursive: true });
cpSync(echarts, join(dist, 'vendor', 'echarts.min.js'));
console.log('build: web/dist ready');
