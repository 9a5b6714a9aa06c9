// A Web Worker: the browser's stand-in for a thread or a process. It loads the same wasm
// module as the page and, for each message {n}, runs the real CPU step
// sum(i * i for i in range(n)) and posts back {n, ms, result}, timed inside the worker.
import init, { cpu_step } from './pkg/kitchen.js';

const ready = init();

self.onmessage = async (event) => {
  try {
    await ready;
    const n = Number(event.data && event.data.n) >>> 0;
    const start = performance.now();
    const result = cpu_step(n);
    const ms = performance.now() - start;
    self.postMessage({ n, ms, result });
  } catch (err) {
    // Surfaces on the page as the worker's error, never as a silent hang.
    setTimeout(() => { throw err; });
  }
};
