// The demo city's hand-drawn counties (web/src/geo/demo-city.js): every demo station and every enterprise of
// the demo registry lies in the county it belongs to and in no other; the counties are the six the demo
// names; the rings are closed and simple enough for ECharts (no repeated point but the closing one).
//   node web/tests/geo.test.mjs
import { geojson, enterprises } from '../src/geo/demo-city.js';

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};

// Ray casting (even-odd rule) on a ring of [lon, lat].
function inside([x, y], ring) {
  let odd = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}
const countiesOf = (p) => geojson.features.filter((f) => inside(p, f.geometry.coordinates[0])).map((f) => f.properties.name);

const names = geojson.features.map((f) => f.properties.name).sort();
check(JSON.stringify(names) === JSON.stringify(['东阳县', '北山县', '南河县', '城区', '西山县', '高新区'].sort()), `six counties (${names})`);
for (const f of geojson.features) {
  const ring = f.geometry.coordinates[0];
  const first = ring[0], last = ring[ring.length - 1];
  check(first[0] === last[0] && first[1] === last[1], `${f.properties.name}: the ring is closed`);
  const keys = ring.slice(0, -1).map((p) => p.join(','));
  check(new Set(keys).size === keys.length, `${f.properties.name}: no point twice`);
}

// src/demo/demo_model.h's stations, and the county each is drawn in.
const STATIONS = [
  ['9160A', 112.8502, 35.4981, '城区'], ['9161A', 112.8714, 35.4952, '城区'], ['9162A', 112.8236, 35.4877, '高新区'],
  ['9163A', 112.8655, 35.4862, '城区'], ['9164A', 112.8427, 35.4718, '城区'], ['9165A', 112.8461, 35.5423, '北山县'],
];
for (const [code, lon, lat, county] of STATIONS) {
  const got = countiesOf([lon, lat]);
  check(got.length === 1 && got[0] === county, `station ${code} in ${county} only (${got})`);
}
// src/demo/demo_registry.cc's enterprises and their counties.
const COUNTY = {
  E01: '城区', E02: '东阳县', E03: '西山县', E04: '高新区', E05: '城区', E06: '南河县',
  E07: '东阳县', E08: '西山县', E09: '南河县', E10: '高新区', E11: '城区', E12: '南河县',
};
check(Object.keys(enterprises).sort().join() === Object.keys(COUNTY).sort().join(), 'a point for each of the 12 enterprises');
for (const [id, county] of Object.entries(COUNTY)) {
  const got = enterprises[id] ? countiesOf(enterprises[id]) : [];
  check(got.length === 1 && got[0] === county, `enterprise ${id} in ${county} only (${got})`);
}
// A point outside the city is in no county.
check(countiesOf([112.0, 35.0]).length === 0, 'a point outside the city is in no county');

if (failures.length) {
  console.log(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('geo test passed');
