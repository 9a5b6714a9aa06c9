//! `threading.Lock` and `threading.RLock`, which CPython writes in C (`_thread`): a thread
//! that finds the lock taken blocks without the GIL, for at most its `timeout`, until the
//! holder releases it, and then gets it directly. An RLock's holder may take it again; it
//! is free when released as many times. `_is_owned`, `_release_save` and `_acquire_restore`
//! are what `Condition` (the prelude's, as in `Lib/threading.py`) uses of its lock.

use super::build::{bound, err};
use crate::core::interpreter::{By, WaitingFor};
use crate::core::trace::WaitOn;
use crate::python::ops;
use crate::python::runtime::{waiting_for, Args, NativeFn, Outcome, Runtime, Timed};
use crate::python::sync::{Lock, ThreadId};
use crate::python::value::{ExcKind, Value};

/// The methods of a lock.
const LOCK_METHODS: &[(&str, NativeFn)] = &[
    ("acquire", lock_acquire),
    ("__enter__", lock_acquire),
    ("release", lock_release),
    ("__exit__", lock_exit),
    ("locked", lock_locked),
    ("_is_owned", lock_is_owned),
    ("_release_save", lock_release_save),
    ("_acquire_restore", lock_acquire_restore),
    ("_wait_as", lock_wait_as),
];

pub(super) fn lock_attributes(obj: &Value, name: &str) -> Option<Value> {
    obj.downcast::<Lock>()?;
    bound(LOCK_METHODS, obj, name)
}

/// `threading.Lock()` and `threading.RLock()` (and `multiprocessing`'s: a lock is not copied
/// when a process forks, so the processes share it).
pub(super) fn lock_ctor(_: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::object(Lock {
        reentrant: a.name == "RLock",
        ..Lock::default()
    }))
}

fn this_lock(a: &Args) -> Option<&Lock> {
    a.this.as_ref().and_then(|v| v.downcast::<Lock>())
}

/// `acquire(blocking=True, timeout=-1)`'s arguments: `None` means wait without end.
fn acquire_args(a: &Args) -> Result<(bool, Option<f64>), Outcome> {
    let blocking = a.get(0, "blocking").is_none_or(ops::truthy);
    let timeout = match a.get(1, "timeout") {
        None | Some(Value::None) => -1.0,
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(other) => {
            return Err(err(
                ExcKind::TypeError,
                format!(
                    "'{}' object cannot be interpreted as a timeout",
                    other.type_name()
                ),
            ))
        }
    };
    if timeout != -1.0 && !blocking {
        return Err(err(
            ExcKind::ValueError,
            "can't specify a timeout for a non-blocking call",
        ));
    }
    if timeout < 0.0 && timeout != -1.0 {
        return Err(err(
            ExcKind::ValueError,
            "timeout value must be a non-negative number",
        ));
    }
    Ok((blocking, (timeout >= 0.0).then_some(timeout)))
}

/// Takes `l` for thread `tid` if it can now (`times` times, for an RLock).
fn try_take(l: &Lock, tid: ThreadId, times: u32) -> bool {
    if l.locked.get() {
        if l.reentrant && l.holder.get() == Some(tid) {
            l.count.set(l.count.get() + times);
            return true;
        }
        return false;
    }
    l.locked.set(true);
    l.holder.set(Some(tid));
    l.count.set(times);
    true
}

/// Thread `tid` waits for `l`, for at most `timeout` seconds.
fn wait_for(rt: &mut Runtime, a: &Args, l: &Lock, timeout: Option<f64>) -> Outcome {
    let what = if l.reentrant {
        "RLock.acquire()"
    } else {
        "Lock.acquire()"
    };
    let mut wait = waiting_for(WaitOn::Lock, what);
    wait.by = l.holder.get().map(By::Thread);
    block_on(rt, a, l, timeout, wait, "acquire lock")
}

fn block_on(
    rt: &mut Runtime,
    a: &Args,
    l: &Lock,
    timeout: Option<f64>,
    wait: WaitingFor,
    label: &str,
) -> Outcome {
    let tid = a.thread;
    l.waiters.borrow_mut().push_back(tid);
    if let (Some(secs), Some(this)) = (timeout, &a.this) {
        rt.block_for(tid, secs, Ok(Value::Bool(false)), Timed::Lock(this.clone()));
    }
    Outcome::Block {
        label: label.into(),
        wait,
    }
}

/// `waiter._wait_as(timeout, on, what)`: how the prelude's `Condition.wait` blocks on its
/// waiter lock, saying what the thread really waits for (`Queue.get()`, `Event.wait()`), so
/// the page shows that rather than a lock. `on` is `condition`, `event`, `semaphore` or
/// `queue`; `timeout` `None` waits without end. Returns whether it got the lock.
fn lock_wait_as(rt: &mut Runtime, a: Args) -> Outcome {
    let timeout = match a.args.first() {
        None | Some(Value::None) => None,
        Some(Value::Int(i)) => Some(*i as f64),
        Some(Value::Float(f)) => Some(*f),
        Some(_) => return err(ExcKind::TypeError, "_wait_as(timeout, on, what)"),
    };
    let on = match a.args.get(1).map(ops::to_str).as_deref() {
        Some("event") => WaitOn::Event,
        Some("semaphore") => WaitOn::Semaphore,
        Some("queue") => WaitOn::Queue,
        _ => WaitOn::Condition,
    };
    let what = a.args.get(2).map(ops::to_str).unwrap_or_default();
    let Some(l) = this_lock(&a) else {
        return err(ExcKind::TypeError, "not a lock");
    };
    if try_take(l, a.thread, 1) {
        return Outcome::Value(Value::Bool(true));
    }
    if timeout.is_some_and(|t| t <= 0.0) {
        return Outcome::Value(Value::Bool(false));
    }
    let label = what.clone();
    block_on(rt, &a, l, timeout, waiting_for(on, what), &label)
}

fn lock_acquire(rt: &mut Runtime, a: Args) -> Outcome {
    let (blocking, timeout) = match acquire_args(&a) {
        Ok(args) => args,
        Err(e) => return e,
    };
    let Some(l) = this_lock(&a) else {
        return err(ExcKind::TypeError, "not a lock");
    };
    if try_take(l, a.thread, 1) {
        return Outcome::Value(Value::Bool(true));
    }
    if !blocking || timeout == Some(0.0) {
        return Outcome::Value(Value::Bool(false));
    }
    wait_for(rt, &a, l, timeout)
}

/// Lets `l` go: to its first waiter directly, or free. `Err` when `tid` may not release it.
fn let_go(rt: &mut Runtime, l: &Lock, tid: ThreadId) -> Result<(), &'static str> {
    if !l.locked.get() {
        return Err(if l.reentrant {
            "cannot release un-acquired lock"
        } else {
            "release unlocked lock"
        });
    }
    if l.reentrant {
        if l.holder.get() != Some(tid) {
            return Err("cannot release un-acquired lock");
        }
        l.count.set(l.count.get().saturating_sub(1));
        if l.count.get() > 0 {
            return Ok(());
        }
    }
    hand_over(rt, l);
    Ok(())
}

/// The lock is free now: the first waiter gets it (and is woken), or nobody holds it.
fn hand_over(rt: &mut Runtime, l: &Lock) {
    let next = l.waiters.borrow_mut().pop_front();
    match next {
        Some(waiter) => {
            // Handed straight to the first waiter: the lock stays taken.
            let times = {
                let mut restore = l.restore.borrow_mut();
                match restore.iter().position(|(t, _)| *t == waiter) {
                    Some(i) => restore.swap_remove(i).1,
                    None => 1,
                }
            };
            l.holder.set(Some(waiter));
            l.count.set(times);
            rt.wake_thread(waiter, Ok(Value::Bool(true)));
        }
        None => {
            l.locked.set(false);
            l.holder.set(None);
            l.count.set(0);
        }
    }
}

fn lock_release(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(l) = this_lock(&a) else {
        return err(ExcKind::TypeError, "not a lock");
    };
    match let_go(rt, l, a.thread) {
        Ok(()) => Outcome::Value(Value::None),
        Err(why) => err(ExcKind::RuntimeError, why),
    }
}

fn lock_exit(rt: &mut Runtime, a: Args) -> Outcome {
    match lock_release(rt, a) {
        Outcome::Value(_) => Outcome::Value(Value::Bool(false)),
        other => other,
    }
}

fn lock_locked(_: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Bool(this_lock(&a).is_some_and(|l| l.locked.get())))
}

/// Whether the calling thread holds it (an RLock), or whether anyone does (a Lock, as
/// `Condition._is_owned` finds out for a lock without an owner).
fn lock_is_owned(_: &mut Runtime, a: Args) -> Outcome {
    let owned = this_lock(&a)
        .is_some_and(|l| l.locked.get() && (!l.reentrant || l.holder.get() == Some(a.thread)));
    Outcome::Value(Value::Bool(owned))
}

/// Releases the lock entirely and returns how many times it was held (for an RLock).
fn lock_release_save(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(l) = this_lock(&a) else {
        return err(ExcKind::TypeError, "not a lock");
    };
    if l.reentrant && (!l.locked.get() || l.holder.get() != Some(a.thread)) {
        return err(ExcKind::RuntimeError, "cannot release un-acquired lock");
    }
    if !l.locked.get() {
        return err(ExcKind::RuntimeError, "release unlocked lock");
    }
    let times = l.count.get().max(1);
    hand_over(rt, l);
    Outcome::Value(Value::Int(times as i64))
}

/// Takes the lock again, as many times as `_release_save` said.
fn lock_acquire_restore(rt: &mut Runtime, a: Args) -> Outcome {
    let times = match a.args.first() {
        Some(Value::Int(n)) if *n > 0 => *n as u32,
        _ => 1,
    };
    let Some(l) = this_lock(&a) else {
        return err(ExcKind::TypeError, "not a lock");
    };
    if !l.locked.get() {
        try_take(l, a.thread, times);
        return Outcome::Value(Value::None);
    }
    l.restore.borrow_mut().push((a.thread, times));
    wait_for(rt, &a, l, None)
}
