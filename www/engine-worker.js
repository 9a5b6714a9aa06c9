// The engine's Web Worker: the parser, the interpreter, the simulator and the trace
// converters, off the page's thread. It runs the page's own wasm module (pkg/kitchen*), which
// the page hands it compiled (below). The page's engine door
// (src/web/engine_link.rs) posts {id, text} (a request as JSON) and gets back {id, text}
// (the reply as JSON); {ready} says the engine has loaded. Anything that goes wrong is
// reported, never swallowed: {trouble} if the engine cannot load, {id, fatal} if a request
// made the engine fail (a panic, running out of memory), after which the page replaces this
// worker, since a wasm instance that trapped cannot be trusted again.
//
// {id, live} starts a live run (src/live/browser): the decisions are the wasm's
// (LiveKitchen); this file only carries out its effects, starting the chefs' workers
// (chef-worker.js), passing their messages in, keeping the timers, and handing the GIL over
// through a SharedArrayBuffer where the page is cross-origin isolated.
import init, { engine_answer, engine_last_panic, LiveKitchen } from './pkg/kitchen.js';
import initChef, { chef_cook } from './pkg/kitchen_chef.js';

// The page's first message is {module}: its own compiled module, which this worker runs too
// (no second download or compile); with none (null), the worker fetches it itself.
let handedOver;
const loaded = new Promise((ok) => { handedOver = ok; })
  .then((module) => init(module ? { module_or_path: module } : undefined))
  .then(
    () => { self.postMessage({ ready: true }); return true; },
    (err) => { self.postMessage({ trouble: `the engine did not load: ${err}` }); return false; },
  );

self.onmessage = async (event) => {
  const data = event.data || {};
  if ('module' in data) { handedOver(data.module); return; }
  const { id, text, live } = data;
  if (!(await loaded)) return;
  if (live !== undefined) { cookLive(id, String(live)); return; }
  let reply;
  try {
    reply = { id, text: engine_answer(String(text)) };
  } catch (err) {
    reply = { id, fatal: failure(err) };
  }
  self.postMessage(reply);
};

/** What a failed call into the engine says: the panic's message if it panicked. */
function failure(err) {
  let panic = null;
  try { panic = engine_last_panic(); } catch (_) { /* the instance is broken */ }
  if (panic) return panic;
  return /unreachable/.test(String(err)) ? `${err} (it ran out of memory, or hit a bug)` : String(err);
}

const refused = (why) => JSON.stringify({ refused: { why } });

/** The chefs' wasm, compiled once here and sent to every chef: the browser shares the
 * compiled (and, once the step has run a while, optimized) code instead of compiling it in
 * each worker. Warmed up here, so that V8 has optimized the step before the first chef runs
 * it (it starts with its baseline compiler). */
let chefModule = null;
async function chefCode() {
  if (!chefModule) {
    const module = await WebAssembly.compileStreaming(fetch(new URL('./pkg/kitchen_chef_bg.wasm', import.meta.url)));
    await initChef({ module_or_path: module });
    for (let i = 0; i < 300; i += 1) chef_cook(i * 20000, (i + 1) * 20000);
    chefModule = module;
  }
  return chefModule;
}

/** One live run: request `live` (JSON), answered as {id, text} when it is over. */
async function cookLive(id, live) {
  let module;
  try {
    module = await chefCode();
  } catch (err) {
    self.postMessage({ id, text: refused(`the chefs' wasm did not load: ${err}`) });
    return;
  }
  const now = () => performance.now();
  const isolated = self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  // Two slots per process: the GIL's holder (chef + 1, 0 for nobody) and its drop request.
  const gil = isolated ? new Int32Array(new SharedArrayBuffer(4 * 2 * 64)) : null;
  const chefs = [];
  let timer = null;
  let over = false;
  let run;
  const finish = (text) => {
    if (over) return;
    over = true;
    clearTimeout(timer);
    for (const chef of chefs) if (chef) chef.terminate();
    if (run) run.free();
    self.postMessage({ id, text });
  };
  const step = (call) => {
    if (over) return;
    let effects;
    try {
      effects = JSON.parse(call());
    } catch (err) {
      finish(refused(String(err && err.message ? err.message : err)));
      return;
    }
    for (const effect of effects) carryOut(effect);
    if (over) return;
    const result = run.result();
    if (result !== undefined && result !== null) { finish(result); return; }
    clearTimeout(timer);
    const at = run.next_wake_ms();
    if (at >= 0) timer = setTimeout(() => step(() => run.timer(now())), Math.max(0, at - now()));
  };
  const carryOut = (e) => {
    switch (e.do) {
      case 'hire': {
        const chef = new Worker('./chef-worker.js', { type: 'module' });
        chefs[e.chef] = chef;
        chef.onmessage = (m) => step(() => run.chef(e.chef, JSON.stringify(m.data), now()));
        chef.onerror = (m) => { m.preventDefault(); finish(refused(`Web Worker ${e.chef} failed: ${m.message || 'it did not load'}`)); };
        chef.onmessageerror = () => finish(refused(`a message of Web Worker ${e.chef} could not be read`));
        chef.postMessage({ hello: { chef: e.chef, gil: gil ? gil.buffer : null, module } });
        break;
      }
      case 'cook': chefs[e.chef].postMessage({ cook: e }); break;
      case 'grant':
        if (gil) {
          Atomics.store(gil, 2 * e.process + 1, 0);
          Atomics.store(gil, 2 * e.process, e.chef + 1);
          Atomics.notify(gil, 2 * e.process);
        } else {
          chefs[e.chef].postMessage({ grant: e });
        }
        break;
      case 'ask_drop': Atomics.store(gil, 2 * e.process + 1, 1); break;
      case 'sleep': setTimeout(() => step(() => run.slept(e.thread, now())), e.ms); break;
      case 'dismiss':
        if (chefs[e.chef]) chefs[e.chef].terminate();
        chefs[e.chef] = null;
        break;
      default: finish(refused(`the live kitchen asked for '${e.do}', which this worker cannot do`));
    }
  };
  try {
    run = new LiveKitchen(live, navigator.hardwareConcurrency || 1, isolated, now());
  } catch (err) {
    finish(refused(String(err && err.message ? err.message : err)));
    return;
  }
  step(() => run.begin());
}
