// The map's part of ECharts (the geo coordinate system), loaded only by a page that draws a city map.
import { getMap, registerMap } from 'echarts/lib/core/echarts.js';
import { use } from 'echarts/lib/extension.js';
import { install as GeoComponent } from 'echarts/lib/component/geo/install.js';

use([GeoComponent]);

export { getMap, registerMap };
