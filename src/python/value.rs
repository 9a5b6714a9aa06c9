//! Python values as the interpreter sees them.
//!
//! Plain data (numbers, strings, lists, tuples, dicts, ranges) are variants of [`Value`] so
//! that arithmetic, comparison and formatting ([`super::ops`]) can work on them directly.
//! Everything with behaviour of its own (functions, generators, locks, threads, futures,
//! modules) is an [`Object`]: the interpreter downcasts it when it needs to; the rest of the
//! code only needs its type name and identity.
//!
//! Values are reference counted and single-threaded (`Rc`): the simulated threads take turns
//! on one real thread, so there is nothing to lock.

use crate::core::fast_hash::FastMap;
use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use num_bigint::BigInt;
use num_traits::{FromPrimitive, ToPrimitive};

/// A Python value.
#[derive(Clone)]
pub enum Value {
    None,
    Bool(bool),
    /// An `int` that fits in 64 bits: the common, fast case.
    Int(i64),
    /// An `int` that does not fit in 64 bits. Never holds a value that would fit in `Int`
    /// (see [`Value::from_bigint`]), so equal ints always have the same variant.
    BigInt(Rc<BigInt>),
    Float(f64),
    Str(Rc<str>),
    List(Rc<RefCell<Vec<Value>>>),
    Tuple(Rc<Vec<Value>>),
    Dict(Rc<RefCell<Dict>>),
    /// Boxed, so that a value is three words, not four (every stack slot and variable is one).
    Range(Rc<Range>),
    /// `start:stop:step` inside `[]`; missing parts are `None`.
    Slice(Rc<[Value; 3]>),
    /// An exception class such as `ValueError` (callable: it makes an [`Exception`]).
    ExcType(ExcKind),
    /// A raised or raisable exception instance.
    Exception(Rc<Exception>),
    /// Anything else: functions, generators, builtins, modules, runtime objects.
    Object(Rc<dyn Object>),
}

/// Behaviour every non-data value shares.
pub trait Object: Any {
    /// Python's `type(x).__name__`, e.g. `function`, `generator`, `Lock`.
    fn type_name(&self) -> &str;
    /// What `repr(x)` shows, e.g. `<function work>`.
    fn repr(&self) -> String {
        format!("<{} object>", self.type_name())
    }
    fn as_any(&self) -> &dyn Any;
    /// The identity (`id(x)`, `is`, hashing) when it is not this object's own address: a
    /// wrapper around a shared thing (a future) is the thing.
    fn identity(&self) -> Option<usize> {
        None
    }
    /// The exception `this` (this object, as a value) is when raised: only instances of the
    /// program's exception classes are one.
    fn exception(&self, _this: &Value) -> Option<Exception> {
        None
    }
    /// Whether the object can be a dict key or set member: `Some(true)` by its identity (most
    /// objects), `Some(false)` not at all (an instance of a class that defines `__eq__`
    /// without `__hash__`), `None` by a `__hash__` of the program's, which the kitchen's
    /// dicts and sets do not call.
    fn hashable(&self) -> Option<bool> {
        Some(true)
    }
    /// What `str(x)` shows when it is not `repr(x)`.
    fn text(&self) -> Option<String> {
        None
    }
    /// The key of an object that is a dict key by its value rather than its identity
    /// (`bytes`).
    fn value_key(&self) -> Option<Key> {
        None
    }
}

impl dyn Object {
    /// The object as a `T`, if it is one.
    pub fn downcast<T: Object>(&self) -> Option<&T> {
        self.as_any().downcast_ref::<T>()
    }
}

/// `range(start, stop, step)`; `step` is never 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl Range {
    /// How many numbers the range yields.
    pub fn len(&self) -> u64 {
        let (start, stop, step) = (self.start as i128, self.stop as i128, self.step as i128);
        let n = if step > 0 {
            (stop - start + step - 1) / step
        } else {
            (start - stop - step - 1) / -step
        };
        n.max(0) as u64
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The `i`-th number of the range (`i < len`).
    pub fn get(&self, i: u64) -> i64 {
        (self.start as i128 + self.step as i128 * i as i128) as i64
    }
}

/// Python's built-in exception classes that programs can raise and catch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExcKind {
    BaseException,
    Exception,
    ArithmeticError,
    ZeroDivisionError,
    OverflowError,
    AssertionError,
    AttributeError,
    LookupError,
    IndexError,
    KeyError,
    NameError,
    UnboundLocalError,
    RuntimeError,
    NotImplementedError,
    RecursionError,
    StopIteration,
    StopAsyncIteration,
    TypeError,
    ValueError,
    OSError,
    TimeoutError,
    ConnectionError,
    ConnectionRefusedError,
    ConnectionResetError,
    BrokenPipeError,
    FileNotFoundError,
    PermissionError,
    KeyboardInterrupt,
    SystemExit,
    GeneratorExit,
    /// `asyncio.CancelledError`, a `BaseException` since Python 3.8.
    CancelledError,
    /// `asyncio.QueueEmpty` and `queue.Empty`.
    QueueEmpty,
    /// `asyncio.QueueFull` and `queue.Full`.
    QueueFull,
    /// `asyncio.InvalidStateError`.
    InvalidStateError,
}

impl ExcKind {
    pub const ALL: &'static [ExcKind] = &[
        ExcKind::BaseException,
        ExcKind::Exception,
        ExcKind::ArithmeticError,
        ExcKind::ZeroDivisionError,
        ExcKind::OverflowError,
        ExcKind::AssertionError,
        ExcKind::AttributeError,
        ExcKind::LookupError,
        ExcKind::IndexError,
        ExcKind::KeyError,
        ExcKind::NameError,
        ExcKind::UnboundLocalError,
        ExcKind::RuntimeError,
        ExcKind::NotImplementedError,
        ExcKind::RecursionError,
        ExcKind::StopIteration,
        ExcKind::StopAsyncIteration,
        ExcKind::TypeError,
        ExcKind::ValueError,
        ExcKind::OSError,
        ExcKind::TimeoutError,
        ExcKind::ConnectionError,
        ExcKind::ConnectionRefusedError,
        ExcKind::ConnectionResetError,
        ExcKind::BrokenPipeError,
        ExcKind::FileNotFoundError,
        ExcKind::PermissionError,
        ExcKind::KeyboardInterrupt,
        ExcKind::SystemExit,
        ExcKind::GeneratorExit,
        ExcKind::CancelledError,
        ExcKind::QueueEmpty,
        ExcKind::QueueFull,
        ExcKind::InvalidStateError,
    ];

    /// The class's name as Python prints it.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::QueueEmpty => "Empty",
            ExcKind::QueueFull => "Full",
            other => {
                // The variant names are the Python names.
                match other {
                    ExcKind::BaseException => "BaseException",
                    ExcKind::Exception => "Exception",
                    ExcKind::ArithmeticError => "ArithmeticError",
                    ExcKind::ZeroDivisionError => "ZeroDivisionError",
                    ExcKind::OverflowError => "OverflowError",
                    ExcKind::AssertionError => "AssertionError",
                    ExcKind::AttributeError => "AttributeError",
                    ExcKind::LookupError => "LookupError",
                    ExcKind::IndexError => "IndexError",
                    ExcKind::KeyError => "KeyError",
                    ExcKind::NameError => "NameError",
                    ExcKind::UnboundLocalError => "UnboundLocalError",
                    ExcKind::RuntimeError => "RuntimeError",
                    ExcKind::NotImplementedError => "NotImplementedError",
                    ExcKind::RecursionError => "RecursionError",
                    ExcKind::StopIteration => "StopIteration",
                    ExcKind::StopAsyncIteration => "StopAsyncIteration",
                    ExcKind::TypeError => "TypeError",
                    ExcKind::ValueError => "ValueError",
                    ExcKind::OSError => "OSError",
                    ExcKind::TimeoutError => "TimeoutError",
                    ExcKind::ConnectionError => "ConnectionError",
                    ExcKind::ConnectionRefusedError => "ConnectionRefusedError",
                    ExcKind::ConnectionResetError => "ConnectionResetError",
                    ExcKind::BrokenPipeError => "BrokenPipeError",
                    ExcKind::FileNotFoundError => "FileNotFoundError",
                    ExcKind::PermissionError => "PermissionError",
                    ExcKind::KeyboardInterrupt => "KeyboardInterrupt",
                    ExcKind::SystemExit => "SystemExit",
                    ExcKind::GeneratorExit => "GeneratorExit",
                    ExcKind::CancelledError => "CancelledError",
                    ExcKind::InvalidStateError => "InvalidStateError",
                    ExcKind::QueueEmpty | ExcKind::QueueFull => unreachable!(),
                }
            }
        }
    }

    /// The class it derives from (`None` for `BaseException`).
    pub fn parent(self) -> Option<ExcKind> {
        use ExcKind::*;
        Some(match self {
            BaseException => return None,
            Exception | KeyboardInterrupt | SystemExit | GeneratorExit | CancelledError => {
                BaseException
            }
            ZeroDivisionError | OverflowError => ArithmeticError,
            IndexError | KeyError => LookupError,
            UnboundLocalError => NameError,
            NotImplementedError | RecursionError => RuntimeError,
            TimeoutError | ConnectionError | FileNotFoundError | PermissionError => OSError,
            ConnectionRefusedError | ConnectionResetError | BrokenPipeError => ConnectionError,
            _ => Exception,
        })
    }

    /// Whether an `except self:` clause catches an exception of class `raised`.
    pub fn catches(self, raised: ExcKind) -> bool {
        let mut k = Some(raised);
        while let Some(kind) = k {
            if kind == self {
                return true;
            }
            k = kind.parent();
        }
        false
    }
}

/// An exception instance: its class and its arguments.
#[derive(Clone, Debug)]
pub struct Exception {
    /// Its class, or for an instance of one of the program's exception classes, the
    /// nearest built-in class that class derives from (what `except ValueError` matches).
    pub kind: ExcKind,
    /// `str(e)`: the message (or the single argument's `str`).
    pub message: String,
    /// The value of a `StopIteration` (a generator's return value).
    pub value: Option<ValueBox>,
    /// The instance of the program's own exception class this exception is, if it is one
    /// (`class MyError(Exception)`): what `except MyError as e` binds.
    pub object: Option<ValueBox>,
    /// The frames the exception went through, innermost first, as CPython's traceback
    /// records them while the exception travels outwards.
    pub traceback: Vec<TbEntry>,
}

/// One frame an exception went through: the function's name and where in it.
#[derive(Clone, Debug, PartialEq)]
pub struct TbEntry {
    pub function: Rc<str>,
    pub line: u32,
    pub column: u32,
    /// Which call of the function (its environment's identity), so that an exception
    /// re-raised within one call is recorded once.
    pub frame: usize,
}

/// A value inside a `Debug` type.
#[derive(Clone)]
pub struct ValueBox(pub Value);

impl fmt::Debug for ValueBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<value>")
    }
}

impl Exception {
    pub fn new(kind: ExcKind, message: impl Into<String>) -> Exception {
        Exception {
            kind,
            message: message.into(),
            value: None,
            object: None,
            traceback: Vec::new(),
        }
    }

    /// The name of its class (the program's own class for an instance of one).
    pub fn class_name(&self) -> String {
        match &self.object {
            Some(b) => b.0.type_name().to_string(),
            None => self.kind.name().to_string(),
        }
    }

    /// [`Exception::to_value`], without a copy.
    pub fn into_value(self) -> Value {
        match self.object {
            Some(b) => b.0,
            None => Value::Exception(Rc::new(self)),
        }
    }

    /// The exception as the program sees it: the instance of its own class, or a
    /// built-in exception value.
    pub fn to_value(&self) -> Value {
        match &self.object {
            Some(b) => b.0.clone(),
            None => Value::Exception(Rc::new(self.clone())),
        }
    }

    /// The exception a value is when raised (`raise v`, `fut.set_exception(v)`), if it is
    /// one: a built-in exception or an instance of one of the program's exception classes.
    pub fn from_value(v: &Value) -> Option<Exception> {
        match v {
            Value::Exception(e) => Some((**e).clone()),
            Value::Object(o) => o.exception(v),
            _ => None,
        }
    }
}

/// Shorthand for an error result carrying a new exception.
pub fn raise<T>(kind: ExcKind, message: impl Into<String>) -> Result<T, Exception> {
    Err(Exception::new(kind, message))
}

/// A dict: insertion-ordered, keyed by the hashable values ([`Key`]).
#[derive(Clone, Default)]
pub struct Dict {
    entries: Vec<Option<(Value, Value)>>,
    index: FastMap<Key, usize>,
    live: usize,
}

/// A hashable value, normalised so that equal Python keys are equal here
/// (`1`, `1.0` and `True` are one key, as in Python).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    None,
    Int(BigIntKey),
    /// A float that is not a whole number, by its bits.
    Float(u64),
    Str(Rc<str>),
    Tuple(Vec<Key>),
    /// Bytes hash by their contents.
    Bytes(Vec<u8>),
    ExcType(ExcKind),
    /// Objects hash by identity.
    Identity(usize),
}

/// An int key: small ints stay small.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum BigIntKey {
    Small(i64),
    Big(BigInt),
}

impl Key {
    /// The key of `value`, or a `TypeError` for unhashable values (lists, dicts).
    pub fn of(value: &Value) -> Result<Key, Exception> {
        Ok(match value {
            Value::None => Key::None,
            Value::Bool(b) => Key::Int(BigIntKey::Small(*b as i64)),
            Value::Int(i) => Key::Int(BigIntKey::Small(*i)),
            Value::BigInt(b) => Key::Int(BigIntKey::Big((**b).clone())),
            // A whole float is the key of the int it equals (`1e19` finds `10**19`).
            Value::Float(f) => match BigInt::from_f64(*f).filter(|_| f.fract() == 0.0) {
                Some(b) => Key::Int(match b.to_i64() {
                    Some(i) => BigIntKey::Small(i),
                    None => BigIntKey::Big(b),
                }),
                None => Key::Float(f.to_bits()),
            },
            Value::Str(s) => Key::Str(s.clone()),
            Value::Tuple(items) => Key::Tuple(items.iter().map(Key::of).collect::<Result<_, _>>()?),
            Value::ExcType(k) => Key::ExcType(*k),
            Value::Object(o) if o.value_key().is_some() => o.value_key().expect("checked"),
            Value::Object(o) => match o.hashable() {
                Some(true) => Key::Identity(value.identity()),
                Some(false) => {
                    return raise(
                        ExcKind::TypeError,
                        format!("unhashable type: '{}'", value.type_name()),
                    )
                }
                None => {
                    return raise(
                        ExcKind::TypeError,
                        format!(
                            "objects with a __hash__ of their own ('{}') as dict keys or set members are not supported by the kitchen",
                            value.type_name()
                        ),
                    )
                }
            },
            Value::Range(_) | Value::Exception(_) => Key::Identity(value.identity()),
            Value::List(_) | Value::Dict(_) | Value::Slice(_) => {
                return raise(
                    ExcKind::TypeError,
                    format!("unhashable type: '{}'", value.type_name()),
                )
            }
        })
    }
}

impl Dict {
    pub fn new() -> Dict {
        Dict::default()
    }
    pub fn len(&self) -> usize {
        self.live
    }
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
    pub fn get(&self, key: &Value) -> Result<Option<Value>, Exception> {
        let k = Key::of(key)?;
        Ok(self
            .index
            .get(&k)
            .and_then(|&i| self.entries[i].as_ref())
            .map(|(_, v)| v.clone()))
    }
    pub fn insert(&mut self, key: Value, value: Value) -> Result<(), Exception> {
        let k = Key::of(&key)?;
        match self.index.get(&k) {
            Some(&i) => {
                if let Some(entry) = &mut self.entries[i] {
                    entry.1 = value;
                }
            }
            None => {
                self.index.insert(k, self.entries.len());
                self.entries.push(Some((key, value)));
                self.live += 1;
            }
        }
        Ok(())
    }
    pub fn remove(&mut self, key: &Value) -> Result<Option<Value>, Exception> {
        let k = Key::of(key)?;
        Ok(match self.index.remove(&k) {
            Some(i) => {
                self.live -= 1;
                self.entries[i].take().map(|(_, v)| v)
            }
            None => None,
        })
    }
    /// Entries in insertion order.
    pub fn items(&self) -> impl Iterator<Item = (&Value, &Value)> {
        self.entries.iter().flatten().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> Vec<Value> {
        self.items().map(|(k, _)| k.clone()).collect()
    }
    pub fn values(&self) -> Vec<Value> {
        self.items().map(|(_, v)| v.clone()).collect()
    }
    /// Copies of the entries, so the dict can be changed (or be the other side) meanwhile.
    pub fn pairs(&self) -> Vec<(Value, Value)> {
        self.items().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
    /// The entries with string keys, as keyword arguments (other keys are skipped).
    pub fn str_items(&self) -> Vec<(Rc<str>, Value)> {
        self.items()
            .filter_map(|(k, v)| match k {
                Value::Str(s) => Some((s.clone(), v.clone())),
                _ => None,
            })
            .collect()
    }
    /// `self.update(pairs)`.
    pub fn extend(&mut self, pairs: Vec<(Value, Value)>) -> Result<(), Exception> {
        for (k, v) in pairs {
            self.insert(k, v)?;
        }
        Ok(())
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }
    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(items))
    }
    pub fn dict(dict: Dict) -> Value {
        Value::Dict(Rc::new(RefCell::new(dict)))
    }
    pub fn object(obj: impl Object) -> Value {
        Value::Object(Rc::new(obj))
    }
    /// An int from a big integer, small when it fits.
    pub fn from_bigint(b: BigInt) -> Value {
        match b.to_i64() {
            Some(i) => Value::Int(i),
            None => Value::BigInt(Rc::new(b)),
        }
    }
    /// Python's `type(x).__name__`.
    pub fn type_name(&self) -> &str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::BigInt(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Range(_) => "range",
            Value::Slice(_) => "slice",
            Value::ExcType(_) => "type",
            Value::Exception(e) => e.kind.name(),
            Value::Object(o) => o.type_name(),
        }
    }
    /// A number identifying the object behind a reference value (`id(x)`); data values that
    /// are not references get 0.
    pub fn identity(&self) -> usize {
        match self {
            Value::List(l) => Rc::as_ptr(l) as *const u8 as usize,
            Value::Tuple(t) => Rc::as_ptr(t) as *const u8 as usize,
            Value::Dict(d) => Rc::as_ptr(d) as *const u8 as usize,
            Value::Str(s) => Rc::as_ptr(s) as *const u8 as usize,
            Value::BigInt(b) => Rc::as_ptr(b) as *const u8 as usize,
            Value::Exception(e) => Rc::as_ptr(e) as *const u8 as usize,
            Value::Object(o) => o.identity().unwrap_or(Rc::as_ptr(o) as *const u8 as usize),
            _ => 0,
        }
    }
    /// `x is y`.
    pub fn is(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::ExcType(a), Value::ExcType(b)) => a == b,
            (Value::Range(a), Value::Range(b)) => a == b,
            _ => {
                let (a, b) = (self.identity(), other.identity());
                a != 0 && a == b
            }
        }
    }
    /// The object as a `T`, if it is one.
    pub fn downcast<T: Object>(&self) -> Option<&T> {
        match self {
            Value::Object(o) => o.downcast::<T>(),
            _ => None,
        }
    }
}
