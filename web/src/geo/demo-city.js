// 演示市 (the demo city of `ecomon demo`): its six counties drawn by hand for the map — our own data, fictional
// like the city. The borders are polylines shared by the two counties on either side (so they meet exactly),
// laid out around the demo's stations (src/demo/demo_model.h): 城区 holds 市监测站, 城东公园, 技术学院 and
// 南郊中学, 高新区 开发区, 北山县 the reference station 北山(对照点). The registry's enterprises have no
// coordinates, so each is given a point inside its county (src/demo/demo_registry.cc names the county).
// web/tests/geo.test.mjs checks both.
//
//        西山县 | 北山县            | 东阳县
//               | 高新区 | 城区     |
//               | 南河县            |
const A = [112.76, 35.6], B = [112.95, 35.605], C = [112.79, 35.515], D = [112.92, 35.518], E = [112.836, 35.514];
const F = [112.834, 35.463], G = [112.795, 35.462], H = [112.918, 35.46], I = [112.765, 35.4], J = [112.955, 35.405];

// Each border from one junction to the next, with the bends between.
const border = {
  AC: [A, [112.775, 35.57], [112.785, 35.545], C], // 西山县 | 北山县
  CG: [C, [112.8, 35.49], G], // 西山县 | 高新区
  GI: [G, [112.78, 35.44], [112.772, 35.42], I], // 西山县 | 南河县
  BD: [B, [112.935, 35.58], [112.93, 35.55], D], // 北山县 | 东阳县
  DH: [D, [112.925, 35.49], H], // 城区 | 东阳县
  HJ: [H, [112.935, 35.44], [112.945, 35.42], J], // 南河县 | 东阳县
  CE: [C, [112.815, 35.52], E], // 北山县 | 高新区
  ED: [E, [112.86, 35.523], [112.89, 35.516], D], // 北山县 | 城区
  EF: [E, [112.839, 35.49], F], // 高新区 | 城区
  GF: [G, [112.815, 35.458], F], // 高新区 | 南河县
  FH: [F, [112.87, 35.455], [112.9, 35.462], H], // 城区 | 南河县
  AB: [A, [112.85, 35.615], B], // the city's edge
  IJ: [I, [112.86, 35.39], J],
  AI: [A, [112.7, 35.59], [112.68, 35.52], [112.69, 35.45], [112.72, 35.4], I],
  BJ: [B, [113.01, 35.59], [113.04, 35.52], [113.03, 35.45], [113.0, 35.4], J],
};

// A county's ring from its borders in order ('-' walks one backwards); closed on its first point.
function ring(...names) {
  const points = [];
  for (const n of names) {
    const line = n.startsWith('-') ? [...border[n.slice(1)]].reverse() : border[n];
    points.push(...(points.length ? line.slice(1) : line));
  }
  return points;
}

const counties = {
  城区: ring('ED', 'DH', '-FH', '-EF'),
  高新区: ring('CE', 'EF', '-GF', '-CG'),
  北山县: ring('AB', 'BD', '-ED', '-CE', '-AC'),
  南河县: ring('GF', 'FH', 'HJ', '-IJ', '-GI'),
  西山县: ring('AC', 'CG', 'GI', '-AI'),
  东阳县: ring('BJ', '-HJ', '-DH', '-BD'),
};

export const geojson = {
  type: 'FeatureCollection',
  features: Object.entries(counties).map(([name, points]) => ({
    type: 'Feature',
    properties: { name },
    geometry: { type: 'Polygon', coordinates: [points] },
  })),
};

// Where the map draws each enterprise of the demo registry: [longitude, latitude].
export const enterprises = {
  E01: [112.88, 35.505], E05: [112.9, 35.48], E11: [112.86, 35.47], // 城区
  E02: [112.99, 35.55], E07: [113.0, 35.46], // 东阳县
  E03: [112.72, 35.55], E08: [112.73, 35.46], // 西山县
  E04: [112.81, 35.5], E10: [112.822, 35.475], // 高新区
  E06: [112.82, 35.435], E09: [112.9, 35.43], E12: [112.86, 35.415], // 南河县
};

export const credit = '演示市区县边界：本项目自绘（虚构）';
