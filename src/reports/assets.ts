// Where the Chart.js browser bundle lives: the package exports only its module builds, so the UMD file is found
// next to the resolved main entry (node_modules/chart.js/dist/chart.umd.js).
import { existsSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** Absolute path of chart.umd.js; throws naming the package when it is not installed. */
export function chartJsFile(): string {
  if (cached !== undefined) return cached;
  let main: string;
  try {
    main = require.resolve('chart.js');
  } catch {
    throw new Error(
      'the chart.js package is not installed (npm install chart.js): the report page needs its UMD bundle',
    );
  }
  const file = path.join(path.dirname(main), 'chart.umd.js');
  if (!existsSync(file)) throw new Error(`chart.js is installed but ${file} is missing; reinstall chart.js`);
  cached = file;
  return file;
}
