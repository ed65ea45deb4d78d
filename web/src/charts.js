// The charts the pages draw, and nothing else of ECharts: each chart type and component is imported from its
// own install module (not from the echarts/charts and echarts/components indexes, which would put every module
// they name into the chunk that map.js shares with this one), in a chunk of its own that app.js loads (dynamic
// import) only when a page makes a chart. The map's geo component is in map.js, loaded only with a map. A new
// chart type, component or option (a title, a data zoom) must be installed here, else ECharts ignores it.
import { getInstanceByDom, getMap, init } from 'echarts/lib/core/echarts.js';
import { use } from 'echarts/lib/extension.js';
import { install as BarChart } from 'echarts/lib/chart/bar/install.js';
import { install as HeatmapChart } from 'echarts/lib/chart/heatmap/install.js';
import { install as LineChart } from 'echarts/lib/chart/line/install.js';
import { install as PieChart } from 'echarts/lib/chart/pie/install.js';
import { install as ScatterChart } from 'echarts/lib/chart/scatter/install.js';
import { install as CalendarComponent } from 'echarts/lib/component/calendar/install.js';
import { install as GridComponent } from 'echarts/lib/component/grid/install.js';
import { install as LegendComponent } from 'echarts/lib/component/legend/installLegendPlain.js';
import { install as MarkLineComponent } from 'echarts/lib/component/marker/installMarkLine.js';
import { install as TooltipComponent } from 'echarts/lib/component/tooltip/install.js';
import { install as VisualMapComponent } from 'echarts/lib/component/visualMap/installVisualMapPiecewise.js';
import { installLabelLayout } from 'echarts/lib/label/installLabelLayout.js';
import { install as CanvasRenderer } from 'echarts/lib/renderer/installCanvasRenderer.js';

use([
  BarChart, HeatmapChart, LineChart, PieChart, ScatterChart,
  CalendarComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent,
  installLabelLayout, CanvasRenderer,
]);

export { getInstanceByDom, getMap, init };
