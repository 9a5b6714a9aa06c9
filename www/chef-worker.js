// A chef of the live kitchen: a Web Worker that cooks the real CPU step, the sum of squares,
// in wasm (pkg/kitchen_chef, src/web/chef_worker.rs, compiled once by the engine worker and
// sent along). The engine worker (engine-worker.js) hires it ({hello}), tells it to cook ({cook}) and, in a run with a GIL, hands it the GIL:
// through a SharedArrayBuffer (the holder slot names this chef; a drop request is a flag it
// looks at between slices of its work) or by message ({grant}, with how long it may hold it
// before it checks in). It says {says: 'ready'}, {says: 'yielded'} when it lets the GIL go
// and waits for it again, and {says: 'cooked', ms} when the step is done.
import init, { chef_cook } from './pkg/kitchen_chef.js';

let me = -1;
let gil = null;
let grantWaiter = null;
let pendingGrant = null;
let sink = 0;

self.onmessage = async (event) => {
  const m = event.data || {};
  if (m.hello) {
    me = m.hello.chef;
    gil = m.hello.gil ? new Int32Array(m.hello.gil) : null;
    await init({ module_or_path: m.hello.module });
    // Warm up: V8 optimizes the step once it has run a while.
    for (let i = 0; i < 200; i += 1) sink = (sink + chef_cook(i * 20000, (i + 1) * 20000)) % 1e12;
    self.postMessage({ says: 'ready' });
  } else if (m.cook) {
    await cook(m.cook);
  } else if (m.grant) {
    if (grantWaiter) { const w = grantWaiter; grantWaiter = null; w(m.grant); } else pendingGrant = m.grant;
  }
};

/** Messages: the next grant. */
function nextGrant() {
  if (pendingGrant) { const g = pendingGrant; pendingGrant = null; return Promise.resolve(g); }
  return new Promise((resolve) => { grantWaiter = resolve; });
}

/** Shared memory: sleeps until the holder slot names this chef. */
function waitForHolder(slot) {
  for (;;) {
    const holder = Atomics.load(gil, slot);
    if (holder === me + 1) return;
    Atomics.wait(gil, slot, holder);
  }
}

async function cook({ process, turns, slice, gil: withGil }) {
  const start = performance.now();
  const slot = 2 * process;
  let until = Infinity;
  const take = async () => {
    if (gil) waitForHolder(slot);
    else until = performance.now() + (await nextGrant()).hold_ms;
  };
  if (withGil) await take();
  let done = 0;
  while (done < turns) {
    const to = Math.min(turns, done + slice);
    sink = (sink + chef_cook(done, to)) % 1e12;
    done = to;
    if (!withGil || done >= turns) continue;
    const mustLetGo = gil ? Atomics.load(gil, slot + 1) === 1 : performance.now() >= until;
    if (mustLetGo) {
      if (gil) Atomics.store(gil, slot, 0);
      self.postMessage({ says: 'yielded' });
      await take();
    }
  }
  if (withGil && gil) Atomics.store(gil, slot, 0);
  self.postMessage({ says: 'cooked', ms: performance.now() - start, sink });
}
