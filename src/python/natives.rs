//! Builtins and modules written in Rust: the parts of `time`, `threading`, `asyncio`,
//! `multiprocessing`, `concurrent.futures`, `random` and `queue` that need the runtime
//! (the clock, blocking, starting threads and processes). Whatever CPython itself writes in
//! Python (executors, `Pool`, asyncio's `Semaphore`, `Queue`, `gather`, `wait_for`) is in
//! `prelude.py`, ported from CPython's own code so that it costs and behaves the same.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use num_bigint::BigInt;

use super::copy::{pickled_size, Copier};
use super::frame::Generator;
use super::futures::{FutState, FutureObj, SleepAwaitable, Waker};
use super::objects::Namespace;
use super::ops;
use super::runtime::{Args, Native, NativeFn, Outcome, ProcessState, Request, Runtime};
use super::sync::{Channel, Handle, Life, Lock};
use super::value::{ExcKind, Exception, Value};
use crate::core::clock::{from_secs, to_secs};

fn native(name: &'static str, f: NativeFn) -> Value {
    Value::object(Native {
        name,
        f,
        this: None,
        materialize: false,
    })
}

fn method(name: &'static str, f: NativeFn, this: &Value) -> Value {
    Value::object(Native {
        name,
        f,
        this: Some(this.clone()),
        materialize: false,
    })
}

fn err(kind: ExcKind, msg: impl Into<String>) -> Outcome {
    Outcome::Raise(Exception::new(kind, msg))
}

fn namespace(type_name: &str, attrs: Vec<(&str, Value)>) -> Value {
    Value::object(Namespace {
        type_name: Rc::from(type_name),
        attrs: RefCell::new(attrs.into_iter().map(|(k, v)| (Rc::from(k), v)).collect()),
    })
}

/// Builtins `ops::builtin` computes on plain data.
const PURE: &[&str] = &[
    "len", "str", "repr", "int", "float", "bool", "abs", "round", "_min", "_max", "sum", "_sorted",
    "list", "tuple", "dict", "range", "divmod", "pow", "chr", "ord", "hex", "bin", "oct", "any",
    "all", "reversed", "hash", "id",
];

/// Of those, the ones that read a whole iterable.
const READS_ITERABLES: &[&str] = &[
    "_min", "_max", "sum", "_sorted", "list", "tuple", "dict", "any", "all", "reversed",
];

impl Runtime {
    /// Fills the builtins and the modules' native parts.
    pub fn install_natives(&mut self) {
        for &name in PURE {
            let v = Value::object(Native {
                name,
                f: pure_builtin,
                this: None,
                materialize: READS_ITERABLES.contains(&name),
            });
            self.builtins.insert(Rc::from(name), v);
        }
        let more: Vec<(&'static str, NativeFn)> = vec![
            ("print", print),
            ("iter", iter),
            ("isinstance", isinstance),
            ("type", type_of),
            ("_object", object),
            ("_loop_future", loop_future),
            ("_gather", gather),
            ("_call_later", call_later),
            ("_notify_when_done", notify_when_done),
            ("_wrap_future", wrap_future),
            ("_get_default_executor", get_default_executor),
            ("_set_default_executor", set_default_executor),
            ("_loop_time", now),
            ("_loop_create_task", create_task),
            ("_cfuture", cfuture),
            ("_wait_any", wait_any),
            ("_done_seq", done_seq),
            ("_next_process_number", next_process_number),
            ("_next_executor_number", next_executor_number),
            ("_thread_queue", thread_queue),
            ("_process_queue", process_queue),
            ("_start_process", process_ctor),
            ("_is_lazy", is_lazy),
        ];
        for (name, f) in more {
            self.builtins.insert(Rc::from(name), native(name, f));
        }
        for &kind in ExcKind::ALL {
            let name = match kind {
                ExcKind::CancelledError | ExcKind::InvalidStateError => continue,
                ExcKind::QueueEmpty | ExcKind::QueueFull => continue,
                k => k.name(),
            };
            self.builtins.insert(Rc::from(name), Value::ExcType(kind));
        }
        let time = namespace(
            "module",
            vec![
                ("sleep", native("sleep", time_sleep)),
                ("time", native("time", wall_time)),
                ("perf_counter", native("perf_counter", now)),
                ("monotonic", native("monotonic", now)),
            ],
        );
        self.modules.insert("time".into(), time);
        let threading = namespace(
            "module",
            vec![
                ("Thread", native("Thread", thread_ctor)),
                ("Lock", native("Lock", lock_ctor)),
                ("RLock", native("RLock", lock_ctor)),
                ("current_thread", native("current_thread", current_thread)),
                ("main_thread", native("main_thread", main_thread)),
            ],
        );
        self.modules.insert("threading".into(), threading);
        let asyncio = namespace(
            "module",
            vec![
                ("run", native("run", asyncio_run)),
                ("_sleep", native("sleep", asyncio_sleep)),
                ("create_task", native("create_task", create_task)),
                ("ensure_future", native("ensure_future", ensure_future)),
                ("current_task", native("current_task", current_task)),
                ("get_running_loop", native("get_running_loop", running_loop)),
                ("get_event_loop", native("get_event_loop", running_loop)),
                ("CancelledError", Value::ExcType(ExcKind::CancelledError)),
                ("TimeoutError", Value::ExcType(ExcKind::TimeoutError)),
                ("QueueEmpty", Value::ExcType(ExcKind::QueueEmpty)),
                ("QueueFull", Value::ExcType(ExcKind::QueueFull)),
                (
                    "InvalidStateError",
                    Value::ExcType(ExcKind::InvalidStateError),
                ),
            ],
        );
        self.modules.insert("asyncio".into(), asyncio);
        let mp = namespace(
            "module",
            vec![
                ("Process", native("Process", process_ctor)),
                ("Queue", native("Queue", process_queue)),
                ("cpu_count", native("cpu_count", cpu_count)),
                (
                    "current_process",
                    native("current_process", current_process),
                ),
            ],
        );
        self.modules.insert("multiprocessing".into(), mp);
        let futures = namespace(
            "module",
            vec![
                ("TimeoutError", Value::ExcType(ExcKind::TimeoutError)),
                ("CancelledError", Value::ExcType(ExcKind::CancelledError)),
            ],
        );
        self.modules
            .insert("concurrent.futures".into(), futures.clone());
        self.modules.insert(
            "concurrent".into(),
            namespace("module", vec![("futures", futures)]),
        );
        let random = namespace(
            "module",
            vec![
                ("seed", native("seed", random_fn)),
                ("random", native("random", random_fn)),
                ("randint", native("randint", random_fn)),
                ("randrange", native("randrange", random_fn)),
                ("choice", native("choice", random_fn)),
                ("shuffle", native("shuffle", random_fn)),
                ("uniform", native("uniform", random_fn)),
            ],
        );
        self.modules.insert("random".into(), random);
        let math = namespace(
            "module",
            vec![
                ("sqrt", native("sqrt", math_fn)),
                ("floor", native("floor", math_fn)),
                ("ceil", native("ceil", math_fn)),
                ("pi", Value::Float(std::f64::consts::PI)),
                ("e", Value::Float(std::f64::consts::E)),
            ],
        );
        self.modules.insert("math".into(), math);
        let queue = namespace(
            "module",
            vec![
                ("Queue", native("Queue", thread_queue)),
                ("SimpleQueue", native("SimpleQueue", thread_queue)),
                ("Empty", Value::ExcType(ExcKind::QueueEmpty)),
                ("Full", Value::ExcType(ExcKind::QueueFull)),
            ],
        );
        self.modules.insert("queue".into(), queue);
    }

    /// After the prelude ran: its public functions join the builtins and the modules.
    /// A prelude function `asyncio__gather` becomes `asyncio.gather`.
    pub fn install_prelude_exports(&mut self) {
        let items = super::frame::snapshot(&self.prelude_globals);
        for (name, value) in items {
            match super::runtime::prelude::prelude_export(&name) {
                Some((module, attr)) => {
                    if let Some(ns) = self
                        .modules
                        .get(module)
                        .and_then(|m| m.downcast::<Namespace>())
                    {
                        ns.attrs.borrow_mut().insert(Rc::from(attr), value);
                    }
                }
                _ => {
                    if !name.starts_with('_') {
                        self.builtins.insert(name, value);
                    }
                }
            }
        }
    }

    /// `obj.name`.
    pub fn get_attr(&self, obj: &Value, name: &str) -> Result<Value, Exception> {
        let missing = || {
            Exception::new(
                ExcKind::AttributeError,
                format!("'{}' object has no attribute '{name}'", obj.type_name()),
            )
        };
        match obj {
            Value::Object(_) => {}
            Value::Exception(e) => {
                return match name {
                    "args" => Ok(Value::tuple(vec![Value::str(&e.message)])),
                    "value" => Ok(e.value.as_ref().map_or(Value::None, |b| b.0.clone())),
                    _ => Err(missing()),
                }
            }
            Value::ExcType(k) if name == "__name__" => return Ok(Value::str(k.name())),
            v if !ops::has_method(v, name) => return Err(missing()),
            _ => {
                return Ok(Value::object(super::objects::BoundData {
                    this: obj.clone(),
                    name: Rc::from(name),
                }))
            }
        }
        if let Some(ns) = obj.downcast::<Namespace>() {
            return ns.attrs.borrow().get(name).cloned().ok_or_else(|| {
                if &*ns.type_name == "module" {
                    Exception::new(
                        ExcKind::AttributeError,
                        format!("'{name}' is not supported by the kitchen's Python"),
                    )
                } else {
                    missing()
                }
            });
        }
        if let Some(f) = obj.downcast::<super::objects::Function>() {
            return match name {
                "__name__" => Ok(Value::str(&f.template.code.name)),
                _ => Err(missing()),
            };
        }
        if let Some(h) = obj.downcast::<Handle>() {
            match name {
                "name" => return Ok(Value::str(&h.name.borrow())),
                "pid" | "ident" | "native_id" => return Ok(Value::Int(h.pid as i64)),
                "exitcode" => return Ok(h.exitcode.get().map_or(Value::None, Value::Int)),
                "daemon" => return Ok(Value::Bool(false)),
                _ => {}
            }
        }
        let table: &[(&'static str, NativeFn)] = if obj.downcast::<Handle>().is_some() {
            HANDLE_METHODS
        } else if obj.downcast::<Lock>().is_some() {
            LOCK_METHODS
        } else if obj.downcast::<Channel>().is_some() {
            CHANNEL_METHODS
        } else if obj.downcast::<FutureObj>().is_some() {
            FUTURE_METHODS
        } else {
            &[]
        };
        if let Some(&(name, f)) = table.iter().find(|(n, _)| *n == name) {
            return Ok(method(name, f, obj));
        }
        if obj.downcast::<Generator>().is_some() && name == "__name__" {
            return Ok(Value::str(obj.type_name()));
        }
        if let Some(n) = obj.downcast::<Native>() {
            if name == "__name__" {
                return Ok(Value::str(n.name));
            }
        }
        Err(missing())
    }

    fn thread_process(&self, tid: usize) -> usize {
        self.threads[tid].process
    }

    fn now_s(&self, tid: usize) -> f64 {
        to_secs(self.now.saturating_add(self.threads[tid].cost))
    }

    /// Copies `v` into the globals of process `to` (from process `from`).
    fn copy_between(
        &self,
        v: &Value,
        from: usize,
        to: usize,
        pickle: bool,
    ) -> Result<Value, Exception> {
        let mut c = Copier::new(
            self.processes[from].globals.clone(),
            self.processes[to].globals.clone(),
            pickle,
        );
        c.copy(v)
    }

    /// Half of pickling-and-unpickling `v`: one side's CPU time.
    fn pickle_half(&self, v: &Value) -> u64 {
        let s = pickled_size(v) as f64;
        from_secs((self.profile.pickle_s + s * self.profile.pickle_byte_s) / 2.0)
    }
}

/// The methods of the runtime's objects, by name.
const HANDLE_METHODS: &[(&str, NativeFn)] = &[
    ("start", handle_start),
    ("join", handle_join),
    ("is_alive", handle_is_alive),
];

const LOCK_METHODS: &[(&str, NativeFn)] = &[
    ("acquire", lock_acquire),
    ("__enter__", lock_acquire),
    ("release", lock_release),
    ("__exit__", lock_exit),
    ("locked", lock_locked),
];

const CHANNEL_METHODS: &[(&str, NativeFn)] = &[
    ("put", channel_put),
    ("put_nowait", channel_put),
    ("get", channel_get),
    ("get_nowait", channel_get),
    ("empty", channel_size),
    ("qsize", channel_size),
    ("full", channel_size),
    ("task_done", channel_noop),
    ("close", channel_noop),
    ("join_thread", channel_noop),
    ("cancel_join_thread", channel_noop),
];

const FUTURE_METHODS: &[(&str, NativeFn)] = &[
    ("result", future_result),
    ("done", future_query),
    ("cancelled", future_query),
    ("running", future_query),
    ("set_running_or_notify_cancel", future_query),
    ("cancel", future_cancel),
    ("set_result", future_set),
    ("set_exception", future_set),
    ("exception", future_exception),
    ("get_name", future_name),
];

// ----- builtins ------------------------------------------------------------------------------

fn pure_builtin(_: &mut Runtime, a: Args) -> Outcome {
    let name = a.name.trim_start_matches('_');
    match ops::builtin(name, &a.args, &a.kwargs) {
        Some(Ok(v)) => Outcome::Value(v),
        Some(Err(e)) => Outcome::Raise(e),
        None => err(ExcKind::NameError, format!("name '{name}' is not defined")),
    }
}

fn print(_: &mut Runtime, a: Args) -> Outcome {
    let kw = |k: &str| {
        a.kwargs
            .iter()
            .find(|(n, _)| &**n == k)
            .map(|(_, v)| v.clone())
    };
    let sep = match kw("sep") {
        Some(Value::Str(s)) => s.to_string(),
        _ => " ".into(),
    };
    let end = match kw("end") {
        Some(Value::Str(s)) => s.to_string(),
        _ => "\n".into(),
    };
    let text: Vec<String> = a.args.iter().map(ops::to_str).collect();
    let mut text = text.join(&sep);
    text.push_str(end.strip_suffix('\n').unwrap_or(&end));
    let requests = text
        .split('\n')
        .map(|l| Request::Print(l.to_string()))
        .collect();
    Outcome::Suspend(requests, Value::None)
}

fn iter(rt: &mut Runtime, a: Args) -> Outcome {
    match a.args.first() {
        Some(v) => match rt.get_iter(v.clone()) {
            Ok(it) => Outcome::Value(it),
            Err(e) => Outcome::Raise(e),
        },
        None => err(ExcKind::TypeError, "iter expected 1 argument, got 0"),
    }
}

fn is_lazy(_: &mut Runtime, a: Args) -> Outcome {
    let v = a.args.first().cloned().unwrap_or(Value::None);
    let lazy =
        v.downcast::<Generator>().is_some() || v.downcast::<super::objects::NativeIter>().is_some();
    Outcome::Value(Value::Bool(lazy))
}

fn isinstance(_: &mut Runtime, a: Args) -> Outcome {
    let (Some(x), Some(t)) = (a.args.first(), a.args.get(1)) else {
        return err(ExcKind::TypeError, "isinstance expected 2 arguments");
    };
    let types = match t {
        Value::Tuple(items) => items.as_ref().clone(),
        other => vec![other.clone()],
    };
    let hit = types.iter().any(|t| match t {
        Value::ExcType(k) => matches!(x, Value::Exception(e) if k.catches(e.kind)),
        Value::Object(_) => match t.downcast::<Native>() {
            Some(n) => {
                let tn = x.type_name();
                tn == n.name || (n.name == "int" && tn == "bool")
            }
            None => false,
        },
        _ => false,
    });
    Outcome::Value(Value::Bool(hit))
}

/// `type(x)`: an exception's class, a built-in type (`int`, `str`...) where the kitchen has
/// one, else an object whose `__name__` is the type's name. Enough for `type(x).__name__`,
/// `type(e) is ValueError` and `type(x) == int`.
fn type_of(rt: &mut Runtime, a: Args) -> Outcome {
    let [x] = a.args.as_slice() else {
        return err(ExcKind::TypeError, "type() takes 1 argument in the kitchen");
    };
    if let Value::Exception(e) = x {
        return Outcome::Value(Value::ExcType(e.kind));
    }
    let name = x.type_name().to_string();
    if let Some(t) = rt.builtins.get(name.as_str()) {
        return Outcome::Value(t.clone());
    }
    Outcome::Value(Value::object(Namespace {
        type_name: Rc::from("type"),
        attrs: RefCell::new(HashMap::from([(Rc::from("__name__"), Value::str(&name))])),
    }))
}

fn object(_: &mut Runtime, a: Args) -> Outcome {
    let name = a.args.first().map(ops::to_str).unwrap_or_default();
    Outcome::Value(Value::object(Namespace {
        type_name: Rc::from(name.as_str()),
        attrs: RefCell::new(a.kwargs.into_iter().collect()),
    }))
}

// ----- time ---------------------------------------------------------------------------------

/// The longest sleep a program gets: a day of simulated time is plenty, longer would only
/// make the trace unreadable. Longer sleeps are clamped with a note in the trace.
const MAX_SLEEP_S: f64 = 86_400.0;

/// The seconds of a sleep: any number (a huge int included), clamped to [`MAX_SLEEP_S`] with a
/// note saying so; `None` for what is not a number.
fn sleep_seconds(rt: &mut Runtime, v: Option<&Value>, what: &str) -> Option<f64> {
    use num_traits::ToPrimitive;
    let secs = match v? {
        Value::Int(i) => *i as f64,
        Value::BigInt(b) => b.to_f64().unwrap_or(f64::INFINITY),
        Value::Float(f) => *f,
        Value::Bool(b) => *b as i64 as f64,
        _ => return None,
    };
    if secs > MAX_SLEEP_S {
        rt.notes.push(format!(
            "{what}({}) sleeps {MAX_SLEEP_S} s at most here: clamped",
            ops::to_str(v?)
        ));
        return Some(MAX_SLEEP_S);
    }
    Some(secs)
}

fn time_sleep(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(secs) = sleep_seconds(rt, a.args.first(), "time.sleep") else {
        return err(ExcKind::TypeError, "time.sleep() needs a number of seconds");
    };
    if secs < 0.0 || secs.is_nan() {
        return err(ExcKind::ValueError, "sleep length must be non-negative");
    }
    Outcome::Suspend(
        vec![Request::Sleep {
            secs,
            label: format!("time.sleep({})", ops::to_str(&a.args[0])),
        }],
        Value::None,
    )
}

fn now(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Float(rt.now_s(a.thread)))
}

/// `time.time()`: the simulated clock plus a fixed epoch, so it looks like a real date.
fn wall_time(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Float(1_767_225_600.0 + rt.now_s(a.thread)))
}

// ----- threads and processes ------------------------------------------------------------------

fn target_name(target: &Value) -> String {
    match target.downcast::<super::objects::Function>() {
        Some(f) => f.template.code.name.to_string(),
        None => String::new(),
    }
}

fn args_tuple(v: Option<&Value>) -> Result<Vec<Value>, Exception> {
    match v {
        None | Some(Value::None) => Ok(Vec::new()),
        Some(v) => ops::to_vec(v),
    }
}

fn kwargs_dict(v: Option<&Value>) -> Vec<(Rc<str>, Value)> {
    match v {
        Some(Value::Dict(d)) => d.borrow().str_items(),
        _ => Vec::new(),
    }
}

fn thread_ctor(rt: &mut Runtime, a: Args) -> Outcome {
    make_handle(rt, a, false)
}

fn process_ctor(rt: &mut Runtime, a: Args) -> Outcome {
    make_handle(rt, a, true)
}

fn make_handle(rt: &mut Runtime, a: Args, is_process: bool) -> Outcome {
    let kw = |k: &str| {
        a.kwargs
            .iter()
            .find(|(n, _)| &**n == k)
            .map(|(_, v)| v.clone())
    };
    if a.args.len() > 1 || a.args.first().is_some_and(|g| !matches!(g, Value::None)) {
        return err(
            ExcKind::TypeError,
            "pass the target as a keyword: Thread(target=f, args=(...))",
        );
    }
    let target = kw("target").unwrap_or(Value::None);
    let args = match args_tuple(kw("args").as_ref()) {
        Ok(v) => v,
        Err(e) => return Outcome::Raise(e),
    };
    let kwargs = kwargs_dict(kw("kwargs").as_ref());
    let name = match kw("name") {
        Some(Value::Str(s)) => s.to_string(),
        _ if is_process => {
            rt.process_counter += 1;
            format!("Process-{}", rt.process_counter)
        }
        _ => {
            let p = &rt.processes[rt.thread_process(a.thread)];
            let n = p.thread_counter.get() + 1;
            p.thread_counter.set(n);
            let t = target_name(&target);
            if t.is_empty() {
                format!("Thread-{n}")
            } else {
                format!("Thread-{n} ({t})")
            }
        }
    };
    Outcome::Value(Value::object(Handle {
        is_process,
        name: RefCell::new(name),
        target,
        args,
        kwargs,
        life: Cell::new(Life::Created),
        thread: Cell::new(None),
        joiners: RefCell::new(Vec::new()),
        exitcode: Cell::new(None),
        pid: 0,
    }))
}

fn this_handle(a: &Args) -> Option<Rc<dyn super::value::Object>> {
    match &a.this {
        Some(Value::Object(o)) => Some(o.clone()),
        _ => None,
    }
}

fn handle_start(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(obj) = this_handle(&a) else {
        return err(ExcKind::TypeError, "start() needs a thread");
    };
    let Some(h) = obj.downcast::<Handle>() else {
        return err(ExcKind::TypeError, "start() needs a thread");
    };
    if h.life.get() != Life::Created {
        return err(ExcKind::RuntimeError, "threads can only be started once");
    }
    let parent = rt.thread_process(a.thread);
    let name = h.name.borrow().clone();
    let (process, target, args, kwargs) = if h.is_process {
        let child = rt.processes.len();
        let random = rt.processes[parent].random.borrow().clone();
        rt.processes.push(ProcessState {
            globals: Rc::new(RefCell::new(HashMap::new())),
            random: RefCell::new(random),
            thread_counter: Cell::new(0),
            name: name.clone(),
        });
        let mut c = Copier::new(
            rt.processes[parent].globals.clone(),
            rt.processes[child].globals.clone(),
            false,
        );
        let copied = c.fork_globals().and_then(|_| {
            let target = c.copy(&h.target)?;
            let mut args = Vec::new();
            for v in &h.args {
                args.push(c.copy(v)?);
            }
            let mut kwargs = Vec::new();
            for (k, v) in &h.kwargs {
                kwargs.push((k.clone(), c.copy(v)?));
            }
            Ok((target, args, kwargs))
        });
        match copied {
            Ok((t, ar, kw)) => (child, t, ar, kw),
            Err(e) => return Outcome::Raise(e),
        }
    } else {
        (parent, h.target.clone(), h.args.clone(), h.kwargs.clone())
    };
    // The Handle object itself is the one the parent holds; the child thread shares it.
    let handle: Rc<Handle> = Rc::new(Handle {
        is_process: h.is_process,
        name: RefCell::new(name.clone()),
        target: Value::None,
        args: Vec::new(),
        kwargs: Vec::new(),
        life: Cell::new(Life::Running),
        thread: Cell::new(None),
        joiners: RefCell::new(Vec::new()),
        exitcode: Cell::new(None),
        pid: 0,
    });
    let tid = rt.new_thread(process, name, h.is_process, Some(handle));
    h.thread.set(Some(tid));
    h.life.set(Life::Running);
    rt.threads[tid].start = Some((target, args, kwargs));
    let request = if h.is_process {
        Request::StartProcess { child: tid }
    } else {
        Request::StartThread { child: tid }
    };
    Outcome::Suspend(vec![request], Value::None)
}

fn handle_join(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(obj) = this_handle(&a) else {
        return err(ExcKind::TypeError, "join() needs a thread");
    };
    let Some(h) = obj.downcast::<Handle>() else {
        return err(ExcKind::TypeError, "join() needs a thread");
    };
    let Some(tid) = h.thread.get() else {
        return err(
            ExcKind::RuntimeError,
            "cannot join thread before it is started",
        );
    };
    if tid == a.thread {
        return err(ExcKind::RuntimeError, "cannot join current thread");
    }
    let inner = rt.threads[tid].handle.clone();
    if inner.life.get() == Life::Done {
        h.life.set(Life::Done);
        h.exitcode.set(inner.exitcode.get());
        return Outcome::Value(Value::None);
    }
    inner.joiners.borrow_mut().push(a.thread);
    Outcome::Block(format!("join {}", h.name.borrow()))
}

fn handle_is_alive(rt: &mut Runtime, a: Args) -> Outcome {
    let alive = this_handle(&a)
        .and_then(|o| o.downcast::<Handle>().and_then(|h| h.thread.get()))
        .is_some_and(|tid| !rt.threads[tid].done);
    Outcome::Value(Value::Bool(alive))
}

fn current_thread(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Object(rt.threads[a.thread].handle.clone()))
}

fn main_thread(rt: &mut Runtime, a: Args) -> Outcome {
    let p = rt.thread_process(a.thread);
    let first = rt.threads.iter().position(|t| t.process == p).unwrap_or(0);
    Outcome::Value(Value::Object(rt.threads[first].handle.clone()))
}

fn current_process(rt: &mut Runtime, a: Args) -> Outcome {
    let p = rt.thread_process(a.thread);
    let name = rt.processes[p].name.clone();
    Outcome::Value(namespace(
        "Process",
        vec![
            ("name", Value::str(&name)),
            ("pid", Value::Int(1000 + p as i64)),
        ],
    ))
}

fn cpu_count(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Int(rt.profile.cores as i64))
}

fn next_process_number(rt: &mut Runtime, _: Args) -> Outcome {
    rt.process_counter += 1;
    Outcome::Value(Value::Int(rt.process_counter as i64))
}

fn next_executor_number(rt: &mut Runtime, _: Args) -> Outcome {
    let n = rt.executor_counter;
    rt.executor_counter += 1;
    Outcome::Value(Value::Int(n as i64))
}

// ----- locks and queues -------------------------------------------------------------------

fn lock_ctor(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::object(Lock::default()))
}

fn with_lock<R>(a: &Args, f: impl FnOnce(&Lock) -> R) -> Option<R> {
    match &a.this {
        Some(v) => v.downcast::<Lock>().map(f),
        None => None,
    }
}

fn lock_acquire(_: &mut Runtime, a: Args) -> Outcome {
    let blocking = a.get(0, "blocking").is_none_or(ops::truthy);
    let tid = a.thread;
    with_lock(&a, |l| {
        if !l.locked.get() {
            l.locked.set(true);
            Outcome::Value(Value::Bool(true))
        } else if !blocking {
            Outcome::Value(Value::Bool(false))
        } else {
            l.waiters.borrow_mut().push_back(tid);
            Outcome::Block("acquire lock".into())
        }
    })
    .unwrap_or_else(|| err(ExcKind::TypeError, "not a lock"))
}

fn lock_release(rt: &mut Runtime, a: Args) -> Outcome {
    let next = with_lock(&a, |l| {
        if !l.locked.get() {
            return Err(());
        }
        let next = l.waiters.borrow_mut().pop_front();
        if next.is_none() {
            l.locked.set(false);
        }
        Ok(next)
    });
    match next {
        Some(Ok(Some(waiter))) => {
            // Handed straight to the first waiter: the lock stays taken.
            rt.wake_thread(waiter, Ok(Value::Bool(true)));
            Outcome::Value(Value::None)
        }
        Some(Ok(None)) => Outcome::Value(Value::None),
        Some(Err(())) => err(ExcKind::RuntimeError, "release unlocked lock"),
        None => err(ExcKind::TypeError, "not a lock"),
    }
}

fn lock_exit(rt: &mut Runtime, a: Args) -> Outcome {
    match lock_release(rt, a) {
        Outcome::Value(_) => Outcome::Value(Value::Bool(false)),
        other => other,
    }
}

fn lock_locked(_: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Bool(
        with_lock(&a, |l| l.locked.get()).unwrap_or(false),
    ))
}

fn new_channel(between_processes: bool) -> Value {
    Value::object(Channel {
        between_processes,
        items: RefCell::new(VecDeque::new()),
        origins: RefCell::new(VecDeque::new()),
        getters: RefCell::new(VecDeque::new()),
    })
}

fn thread_queue(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(new_channel(false))
}

fn process_queue(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(new_channel(true))
}

fn channel_of(a: &Args) -> Option<&Channel> {
    a.this.as_ref().and_then(|v| v.downcast::<Channel>())
}

fn channel_put(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(item) = a.args.first().cloned() else {
        return err(
            ExcKind::TypeError,
            "put() missing required argument: 'item'",
        );
    };
    let Some(ch) = channel_of(&a) else {
        return err(ExcKind::TypeError, "not a queue");
    };
    let from = rt.thread_process(a.thread);
    let (item, cost) = if ch.between_processes {
        // Pickled now: later changes to the object do not travel.
        match rt.copy_between(&item, from, from, true) {
            Ok(v) => {
                let cost = rt.pickle_half(&v);
                (v, cost)
            }
            Err(e) => return Outcome::Raise(e),
        }
    } else {
        (item, 0)
    };
    let getter = ch.getters.borrow_mut().pop_front();
    match getter {
        Some(g) => {
            let delivered = if ch.between_processes {
                let to = rt.thread_process(g);
                match rt.copy_between(&item, from, to, true) {
                    Ok(v) => {
                        let unpickle = rt.pickle_half(&v);
                        let t = &mut rt.threads[g];
                        t.pending.push_back(Request::Sleep {
                            secs: rt.profile.ipc_s,
                            label: "data through the pipe".into(),
                        });
                        t.pending.push_back(Request::Compute {
                            ns: unpickle,
                            label: "unpickle".into(),
                        });
                        v
                    }
                    Err(e) => return Outcome::Raise(e),
                }
            } else {
                item
            };
            rt.wake_thread(g, Ok(delivered));
        }
        None => {
            ch.items.borrow_mut().push_back(item);
            ch.origins.borrow_mut().push_back(from);
        }
    }
    if cost > 0 {
        Outcome::Suspend(
            vec![Request::Compute {
                ns: cost,
                label: "pickle".into(),
            }],
            Value::None,
        )
    } else {
        Outcome::Value(Value::None)
    }
}

fn channel_get(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(ch) = channel_of(&a) else {
        return err(ExcKind::TypeError, "not a queue");
    };
    let block = a.name == "get" && a.get(0, "block").is_none_or(ops::truthy);
    let item = ch.items.borrow_mut().pop_front();
    let origin = ch.origins.borrow_mut().pop_front();
    match item {
        Some(item) if ch.between_processes => {
            let to = rt.thread_process(a.thread);
            match rt.copy_between(&item, origin.unwrap_or(to), to, true) {
                Ok(v) => {
                    let cost = rt.pickle_half(&v);
                    Outcome::Suspend(
                        vec![Request::Compute {
                            ns: cost,
                            label: "unpickle".into(),
                        }],
                        v,
                    )
                }
                Err(e) => Outcome::Raise(e),
            }
        }
        Some(item) => Outcome::Value(item),
        None if !block => err(ExcKind::QueueEmpty, ""),
        None => {
            ch.getters.borrow_mut().push_back(a.thread);
            Outcome::Block("queue.get()".into())
        }
    }
}

fn channel_size(_: &mut Runtime, a: Args) -> Outcome {
    let n = channel_of(&a).map_or(0, |c| c.items.borrow().len());
    Outcome::Value(match a.name {
        "qsize" => Value::Int(n as i64),
        "full" => Value::Bool(false),
        _ => Value::Bool(n == 0),
    })
}

fn channel_noop(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::None)
}

// ----- asyncio -----------------------------------------------------------------------------

fn asyncio_run(_: &mut Runtime, a: Args) -> Outcome {
    let Some(coro) = a.args.first().cloned() else {
        return err(
            ExcKind::TypeError,
            "run() missing required argument: 'main'",
        );
    };
    Outcome::RunLoop(coro)
}

fn asyncio_sleep(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(secs) = sleep_seconds(rt, a.get(0, "delay"), "asyncio.sleep") else {
        return err(
            ExcKind::TypeError,
            "asyncio.sleep() needs a number of seconds",
        );
    };
    // CPython treats a negative or NaN delay as no delay at all.
    let secs = if secs.is_nan() { 0.0 } else { secs };
    let result = a.get(1, "result").cloned().unwrap_or(Value::None);
    Outcome::Value(Value::object(SleepAwaitable {
        secs,
        result,
        future: RefCell::new(None),
    }))
}

fn future_value(f: Rc<super::futures::Future>) -> Value {
    Value::object(FutureObj(f))
}

fn create_task(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(coro) = a.args.first().cloned() else {
        return err(
            ExcKind::TypeError,
            "create_task() missing required argument: 'coro'",
        );
    };
    let name = a
        .kwargs
        .iter()
        .find(|(k, _)| &**k == "name")
        .map(|(_, v)| ops::to_str(v));
    if rt.threads[a.thread].event_loop.is_none() {
        return err(ExcKind::RuntimeError, "no running event loop");
    }
    match rt.create_task(a.thread, coro, name) {
        Ok(t) => Outcome::Value(future_value(t)),
        Err(e) => Outcome::Raise(e),
    }
}

fn ensure_future(rt: &mut Runtime, a: Args) -> Outcome {
    match a.args.first() {
        Some(v) if v.downcast::<FutureObj>().is_some() => Outcome::Value(v.clone()),
        _ => create_task(rt, a),
    }
}

fn current_task(rt: &mut Runtime, a: Args) -> Outcome {
    let t = rt.threads[a.thread]
        .event_loop
        .as_ref()
        .and_then(|l| l.current.clone());
    Outcome::Value(t.map_or(Value::None, future_value))
}

fn running_loop(rt: &mut Runtime, a: Args) -> Outcome {
    match &rt.threads[a.thread].event_loop {
        Some(l) => Outcome::Value(l.handle.clone()),
        None => err(ExcKind::RuntimeError, "no running event loop"),
    }
}

fn loop_future(rt: &mut Runtime, a: Args) -> Outcome {
    if rt.threads[a.thread].event_loop.is_none() {
        return err(ExcKind::RuntimeError, "no running event loop");
    }
    let label = a
        .args
        .first()
        .map(ops::to_str)
        .unwrap_or_else(|| "future".into());
    Outcome::Value(future_value(rt.new_future(Some(a.thread), &label)))
}

fn futures_of(v: &Value) -> Result<Vec<Rc<super::futures::Future>>, Exception> {
    ops::to_vec(v)?
        .iter()
        .map(|f| match f.downcast::<FutureObj>() {
            Some(f) => Ok(f.0.clone()),
            None => Err(Exception::new(ExcKind::TypeError, "expected futures")),
        })
        .collect()
}

fn gather(rt: &mut Runtime, a: Args) -> Outcome {
    let children = match a.args.first().map(futures_of) {
        Some(Ok(c)) => c,
        Some(Err(e)) => return Outcome::Raise(e),
        None => Vec::new(),
    };
    let return_exceptions = a.args.get(1).is_some_and(ops::truthy);
    Outcome::Value(future_value(rt.gather(
        a.thread,
        children,
        return_exceptions,
    )))
}

fn call_later(rt: &mut Runtime, a: Args) -> Outcome {
    let secs = match a.args.first() {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        _ => 0.0,
    };
    let Some(fut) = a.args.get(1).and_then(|f| f.downcast::<FutureObj>()) else {
        return err(ExcKind::TypeError, "_call_later needs a future");
    };
    let value = a.args.get(2).cloned().unwrap_or(Value::None);
    let fut = fut.0.clone();
    rt.call_later(a.thread, secs, fut, value);
    Outcome::Value(Value::None)
}

fn notify_when_done(rt: &mut Runtime, a: Args) -> Outcome {
    let (Some(src), Some(dst)) = (
        a.args.first().and_then(|f| f.downcast::<FutureObj>()),
        a.args.get(1).and_then(|f| f.downcast::<FutureObj>()),
    ) else {
        return err(ExcKind::TypeError, "_notify_when_done needs two futures");
    };
    let (src, dst) = (src.0.clone(), dst.0.clone());
    if src.is_done() {
        rt.complete(&dst, FutState::Done(Value::None));
    } else {
        src.waiters.borrow_mut().push(Waker::Notify(dst));
    }
    Outcome::Value(Value::None)
}

fn wrap_future(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(cf) = a.args.first().and_then(|f| f.downcast::<FutureObj>()) else {
        return err(ExcKind::TypeError, "_wrap_future needs a future");
    };
    let cf = cf.0.clone();
    let label = a
        .args
        .get(1)
        .map(ops::to_str)
        .unwrap_or_else(|| "thread".into());
    let af = rt.new_future(Some(a.thread), &label);
    let state = cf.state.borrow().clone();
    match state {
        FutState::Pending => cf.waiters.borrow_mut().push(Waker::Chain(af.clone())),
        done => rt.complete(&af, done),
    }
    Outcome::Value(future_value(af))
}

fn get_default_executor(rt: &mut Runtime, a: Args) -> Outcome {
    let ex = rt.threads[a.thread]
        .event_loop
        .as_ref()
        .and_then(|l| l.default_executor.clone());
    Outcome::Value(ex.unwrap_or(Value::None))
}

fn set_default_executor(rt: &mut Runtime, a: Args) -> Outcome {
    if let Some(l) = rt.threads[a.thread].event_loop.as_mut() {
        l.default_executor = a.args.first().cloned();
    }
    Outcome::Value(Value::None)
}

// ----- futures --------------------------------------------------------------------------------

fn this_future(a: &Args) -> Option<Rc<super::futures::Future>> {
    a.this
        .as_ref()
        .and_then(|v| v.downcast::<FutureObj>())
        .map(|f| f.0.clone())
}

fn cfuture(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(future_value(rt.new_future(None, "result()")))
}

fn future_result(_: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    let state = f.state.borrow().clone();
    match state {
        FutState::Done(v) => Outcome::Value(v),
        FutState::Failed(e) => Outcome::Raise(e),
        FutState::Cancelled => err(ExcKind::CancelledError, ""),
        FutState::Pending if f.event_loop.is_some() => {
            err(ExcKind::InvalidStateError, "Result is not set.")
        }
        FutState::Pending => {
            f.waiters.borrow_mut().push(Waker::Thread(a.thread));
            Outcome::Block("future.result()".into())
        }
    }
}

fn future_query(_: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    let state = f.state.borrow().clone();
    Outcome::Value(Value::Bool(match a.name {
        "done" => !matches!(state, FutState::Pending),
        "cancelled" => matches!(state, FutState::Cancelled),
        "running" => false,
        _ => !matches!(state, FutState::Cancelled),
    }))
}

fn future_cancel(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    Outcome::Value(Value::Bool(rt.cancel_task(&f)))
}

fn future_set(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    if f.is_done() {
        return err(ExcKind::InvalidStateError, "invalid state");
    }
    let v = a.args.first().cloned().unwrap_or(Value::None);
    let state = match (a.name, v) {
        ("set_exception", Value::Exception(e)) => FutState::Failed((*e).clone()),
        ("set_exception", Value::ExcType(k)) => FutState::Failed(Exception::new(k, "")),
        (_, v) => FutState::Done(v),
    };
    rt.complete(&f, state);
    Outcome::Value(Value::None)
}

fn future_exception(_: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    let state = f.state.borrow().clone();
    match state {
        FutState::Failed(e) => Outcome::Value(Value::Exception(Rc::new(e))),
        _ => Outcome::Value(Value::None),
    }
}

fn future_name(_: &mut Runtime, a: Args) -> Outcome {
    let name = this_future(&a)
        .and_then(|f| f.task.as_ref().map(|t| t.name.clone()))
        .unwrap_or_default();
    Outcome::Value(Value::str(&name))
}

fn wait_any(_: &mut Runtime, a: Args) -> Outcome {
    let fs = match a.args.first().map(futures_of) {
        Some(Ok(fs)) => fs,
        Some(Err(e)) => return Outcome::Raise(e),
        None => Vec::new(),
    };
    if fs.is_empty() || fs.iter().any(|f| f.is_done()) {
        return Outcome::Value(Value::None);
    }
    for f in &fs {
        f.waiters.borrow_mut().push(Waker::ThreadNone(a.thread));
    }
    Outcome::Block("wait for futures".into())
}

fn done_seq(_: &mut Runtime, a: Args) -> Outcome {
    let seq = a
        .args
        .first()
        .and_then(|f| f.downcast::<FutureObj>())
        .map_or(0, |f| f.0.done_seq.get());
    Outcome::Value(Value::Int(seq as i64))
}

// ----- random and math -------------------------------------------------------------------------

fn int_arg(v: Option<&Value>) -> Result<BigInt, Exception> {
    match v {
        Some(Value::Int(i)) => Ok(BigInt::from(*i)),
        Some(Value::BigInt(b)) => Ok((**b).clone()),
        Some(Value::Bool(b)) => Ok(BigInt::from(*b as i64)),
        Some(other) => Err(Exception::new(
            ExcKind::TypeError,
            format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            ),
        )),
        None => Err(Exception::new(
            ExcKind::TypeError,
            "missing an integer argument",
        )),
    }
}

fn random_fn(rt: &mut Runtime, a: Args) -> Outcome {
    let p = rt.thread_process(a.thread);
    let mut rng = rt.processes[p].random.borrow_mut();
    let value_err = |m: String| Outcome::Raise(Exception::new(ExcKind::ValueError, m));
    match a.name {
        "seed" => match a.args.first() {
            None | Some(Value::None) => {
                *rng = super::random::Random::default();
                Outcome::Value(Value::None)
            }
            Some(v) => match int_arg(Some(v)) {
                Ok(b) => {
                    rng.seed_bigint(&b);
                    Outcome::Value(Value::None)
                }
                Err(_) => err(
                    ExcKind::TypeError,
                    "random.seed() in the kitchen takes an int",
                ),
            },
        },
        "random" => Outcome::Value(Value::Float(rng.random())),
        "uniform" => {
            let f = |v: Option<&Value>| match v {
                Some(Value::Int(i)) => *i as f64,
                Some(Value::Float(f)) => *f,
                _ => 0.0,
            };
            Outcome::Value(Value::Float(
                rng.uniform(f(a.args.first()), f(a.args.get(1))),
            ))
        }
        "randint" => match (int_arg(a.args.first()), int_arg(a.args.get(1))) {
            (Ok(x), Ok(y)) => match rng.randint(&x, &y) {
                Ok(v) => Outcome::Value(Value::from_bigint(v)),
                Err(m) => value_err(m),
            },
            (Err(e), _) | (_, Err(e)) => Outcome::Raise(e),
        },
        "randrange" => {
            let ints: Result<Vec<BigInt>, _> = a.args.iter().map(|v| int_arg(Some(v))).collect();
            let ints = match ints {
                Ok(i) => i,
                Err(e) => return Outcome::Raise(e),
            };
            let r = match ints.as_slice() {
                [stop] => rng.randrange(stop, None, None),
                [start, stop] => rng.randrange(start, Some(stop), None),
                [start, stop, step] => rng.randrange(start, Some(stop), Some(step)),
                _ => return err(ExcKind::TypeError, "randrange expected 1 to 3 arguments"),
            };
            match r {
                Ok(v) => Outcome::Value(Value::from_bigint(v)),
                Err(m) => value_err(m),
            }
        }
        "choice" => {
            let items = match a.args.first().map(ops::to_vec) {
                Some(Ok(v)) => v,
                Some(Err(e)) => return Outcome::Raise(e),
                None => return err(ExcKind::TypeError, "choice() missing argument"),
            };
            match rng.choice_index(items.len()) {
                Ok(i) => Outcome::Value(items[i].clone()),
                Err(m) => err(ExcKind::IndexError, m),
            }
        }
        "shuffle" => match a.args.first() {
            Some(Value::List(l)) => {
                rng.shuffle(&mut l.borrow_mut());
                Outcome::Value(Value::None)
            }
            _ => err(ExcKind::TypeError, "shuffle() needs a list"),
        },
        _ => err(
            ExcKind::AttributeError,
            "not supported by the kitchen's random",
        ),
    }
}

fn math_fn(_: &mut Runtime, a: Args) -> Outcome {
    let x = match a.args.first() {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        _ => return err(ExcKind::TypeError, "must be real number"),
    };
    match a.name {
        "sqrt" if x < 0.0 => err(ExcKind::ValueError, "math domain error"),
        "sqrt" => Outcome::Value(Value::Float(x.sqrt())),
        "floor" => Outcome::Value(Value::Int(x.floor() as i64)),
        _ => Outcome::Value(Value::Int(x.ceil() as i64)),
    }
}
