//! Builtins and modules written in Rust: the parts of `time`, `threading`, `asyncio`,
//! `multiprocessing`, `concurrent.futures`, `random`, `math` and `queue` that need the runtime
//! (the clock, blocking, starting threads and processes), one file per module. Whatever
//! CPython itself writes in Python (executors, `Pool`, asyncio's `Semaphore`, `Queue`,
//! `gather`, `wait_for`) is in the prelude (`runtime/prelude/*.py`), ported from CPython's own
//! code so that it costs and behaves the same.
//!
//! The runtime does not know this library: [`install`] hands it the builtins, the modules and
//! how to look up the attributes of the library's objects, before the prelude runs.

mod asyncio;
mod build;
mod builtins;
mod calendar;
mod event_loop;
mod futures;
mod handles;
mod itertools;
mod locks;
mod logging;
mod math;
mod multiprocessing;
mod objects;
mod os;
mod pipes;
mod queue;
mod random;
mod sys;
mod threading;
mod time;

use crate::python::runtime::Runtime;

/// Fills in `rt`'s builtins and modules, and the attributes of the library's objects.
pub fn install(rt: &mut Runtime) {
    builtins::install(rt);
    objects::install(rt);
    sys::install(rt);
    os::install(rt);
    itertools::install(rt);
    logging::install(rt);
    time::install(rt);
    threading::install(rt);
    asyncio::install(rt);
    event_loop::install(rt);
    multiprocessing::install(rt);
    futures::install(rt);
    random::install(rt);
    math::install(rt);
    queue::install(rt);
    rt.add_attributes(handles::attributes);
    rt.add_attr_setter(handles::set_attribute);
}
