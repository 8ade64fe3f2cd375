// `npm run bench [name…]`: runs the benchmarks (all by default) and writes bench/results/*.json.
import { runAutomation } from './automation.js';
import { runBin } from './bin.js';
import { runImport } from './import.js';
import { runLists } from './lists.js';
import { runStartup } from './startup.js';
import { runTelephony } from './telephony.js';

const benchmarks = {
  startup: runStartup,
  import: runImport,
  lists: runLists,
  automation: runAutomation,
  bin: runBin,
  telephony: runTelephony,
};
const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(benchmarks);
for (const name of names) {
  const benchmark = benchmarks[name];
  if (!benchmark) {
    console.error(`no benchmark "${name}"; benchmarks: ${Object.keys(benchmarks).join(', ')}`);
    process.exit(2);
  }
  await benchmark();
}
