// Runs the codec tests in this browser and reports them on the page: <body data-status> becomes
// "passed" or "failed", #summary counts them, and window.codecTestResults holds the details.

import { run, tests } from './codec-tests.js';

const results = run();
window.codecTestResults = results;
const list = document.getElementById('results');
const failed = new Map(results.failures.map((f) => [f.name, f.detail]));
for (const [name] of tests()) {
  const li = document.createElement('li');
  li.textContent = failed.has(name) ? `FAIL ${name}: ${failed.get(name)}` : `ok ${name}`;
  li.className = failed.has(name) ? 'fail' : 'ok';
  list.append(li);
}
document.getElementById('summary').textContent =
  `${results.passed} passed, ${results.failed} failed`;
document.body.dataset.status = results.failed === 0 ? 'passed' : 'failed';
