//! Sets, laid out as CPython lays them out, so that they iterate (and print) in CPython's
//! order: a table of slots probed from `hash & mask` (ten neighbours, then perturbed jumps),
//! grown to four times its size at 60 % full, with deleted slots left as dummies until the
//! next resize — `setobject.c` of CPython 3.11. The hashes are CPython's too: ints and floats
//! by their value modulo 2**61 - 1, tuples by xxHash's rounds over their items' hashes, and
//! strings and bytes by SipHash-1-3 with the key CPython uses under `PYTHONHASHSEED=0` (a
//! CPython run without that seed orders strings differently on each run anyway).
//!
//! Equal keys are found by [`Key`], as in dicts (`1`, `1.0` and `True` are one member).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};
use num_traits::ToPrimitive;

use super::value::{raise, Exception, Key, Object, Value};

const MIN_SIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;
/// The modulus of CPython's numeric hashes, 2**61 - 1.
const MODULUS: u64 = (1 << 61) - 1;
const HASH_BITS: i32 = 61;

#[derive(Clone)]
enum Slot {
    Empty,
    /// A deleted member: probing goes on past it.
    Dummy,
    Active {
        hash: u64,
        key: Key,
        value: Value,
    },
}

/// A `set` or `frozenset`.
#[derive(Clone)]
pub struct PySet {
    table: Vec<Slot>,
    /// Members.
    used: usize,
    /// Members and dummies.
    fill: usize,
    pub frozen: bool,
}

impl PySet {
    pub fn new(frozen: bool) -> PySet {
        PySet {
            table: vec![Slot::Empty; MIN_SIZE],
            used: 0,
            fill: 0,
            frozen,
        }
    }

    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    fn mask(&self) -> usize {
        self.table.len() - 1
    }

    /// The members in table order (what iterating the set gives).
    pub fn items(&self) -> Vec<Value> {
        self.table
            .iter()
            .filter_map(|s| match s {
                Slot::Active { value, .. } => Some(value.clone()),
                _ => None,
            })
            .collect()
    }

    /// Where `key` is, or where probing for it stopped (the first dummy on the way, else the
    /// empty slot that ended it), as CPython's `set_add_entry` probes.
    fn probe(&self, hash: u64, key: &Key) -> (usize, bool) {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        let mut perturb = hash;
        let mut freeslot = None;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                match &self.table[j] {
                    Slot::Empty => return (freeslot.unwrap_or(j), false),
                    Slot::Active {
                        hash: h, key: k, ..
                    } if *h == hash && k == key => return (j, true),
                    Slot::Dummy if freeslot.is_none() => freeslot = Some(j),
                    _ => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    pub fn contains(&self, v: &Value) -> Result<bool, Exception> {
        let (hash, key) = hashed(v)?;
        Ok(self.probe(hash, &key).1)
    }

    /// `s.add(v)`.
    pub fn add(&mut self, v: Value) -> Result<(), Exception> {
        let (hash, key) = hashed(&v)?;
        let (at, found) = self.probe(hash, &key);
        if found {
            return Ok(());
        }
        let was_empty = matches!(self.table[at], Slot::Empty);
        self.table[at] = Slot::Active {
            hash,
            key,
            value: v,
        };
        self.used += 1;
        if was_empty {
            self.fill += 1;
            if self.fill * 5 >= self.mask() * 3 {
                let minused = if self.used > 50_000 {
                    self.used * 2
                } else {
                    self.used * 4
                };
                self.resize(minused);
            }
        }
        Ok(())
    }

    /// `s.discard(v)`: whether it was a member.
    pub fn discard(&mut self, v: &Value) -> Result<bool, Exception> {
        let (hash, key) = hashed(v)?;
        let (at, found) = self.probe(hash, &key);
        if found {
            self.table[at] = Slot::Dummy;
            self.used -= 1;
        }
        Ok(found)
    }

    /// `s.pop()`: CPython takes the first member from where its last pop left off; the
    /// kitchen takes the first in table order.
    pub fn pop(&mut self) -> Option<Value> {
        let at = self
            .table
            .iter()
            .position(|s| matches!(s, Slot::Active { .. }))?;
        let Slot::Active { value, .. } = std::mem::replace(&mut self.table[at], Slot::Dummy) else {
            return None;
        };
        self.used -= 1;
        Some(value)
    }

    pub fn clear(&mut self) {
        *self = PySet::new(self.frozen);
    }

    /// A new table of the smallest power of two above `minused`, the members re-inserted in
    /// the old table's order (CPython's `set_table_resize`).
    fn resize(&mut self, minused: usize) {
        let mut size = MIN_SIZE;
        while size <= minused {
            size <<= 1;
        }
        let old = std::mem::replace(&mut self.table, vec![Slot::Empty; size]);
        for slot in old {
            if let Slot::Active { hash, key, value } = slot {
                self.insert_clean(hash, key, value);
            }
        }
        self.fill = self.used;
    }

    /// Puts a member known to be absent into a table without dummies (`set_insert_clean`).
    fn insert_clean(&mut self, hash: u64, key: Key, value: Value) {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        let mut perturb = hash;
        let at = 'found: loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                if matches!(self.table[j], Slot::Empty) {
                    break 'found j;
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        };
        self.table[at] = Slot::Active { hash, key, value };
    }

    /// Adds every member of `other` (CPython's `set_merge`: one resize first, and into an
    /// empty set a copy in `other`'s table order).
    pub fn merge(&mut self, other: &PySet) -> Result<(), Exception> {
        if other.used == 0 {
            return Ok(());
        }
        if (self.fill + other.used) * 5 >= self.mask() * 3 {
            self.resize((self.used + other.used) * 2);
        }
        if self.fill == 0 && self.mask() == other.mask() && other.fill == other.used {
            self.table = other.table.clone();
            self.fill = other.fill;
            self.used = other.used;
            return Ok(());
        }
        let empty = self.fill == 0;
        for slot in &other.table {
            if let Slot::Active { hash, key, value } = slot {
                if empty {
                    self.insert_clean(*hash, key.clone(), value.clone());
                    self.used += 1;
                    self.fill += 1;
                } else {
                    self.add(value.clone())?;
                }
            }
        }
        Ok(())
    }

    /// A copy of `other` (what `set(s)`, `s.copy()` and the operators start from).
    pub fn copy_of(other: &PySet, frozen: bool) -> PySet {
        let mut s = PySet::new(frozen);
        // Merging into an empty set cannot fail: every member is already hashed.
        let _ = s.merge(other);
        s
    }
}

/// A set as a value: `Value::Object` of this.
pub struct SetObject(pub RefCell<PySet>);

impl Object for SetObject {
    fn type_name(&self) -> &str {
        if self.0.borrow().frozen {
            "frozenset"
        } else {
            "set"
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn hashable(&self) -> Option<bool> {
        Some(false)
    }
}

/// A new set value holding `items` (added in order, as `{a, b, c}` and `set(items)` do).
pub fn new_set(items: Vec<Value>, frozen: bool) -> Result<Value, Exception> {
    let mut s = PySet::new(frozen);
    for v in items {
        s.add(v)?;
    }
    Ok(Value::Object(Rc::new(SetObject(RefCell::new(s)))))
}

/// The set inside `v`, if it is one.
pub fn set_of(v: &Value) -> Option<&RefCell<PySet>> {
    v.downcast::<SetObject>().map(|s| &s.0)
}

fn hashed(v: &Value) -> Result<(u64, Key), Exception> {
    let key = Key::of(v)?;
    Ok((hash(v)? as u64, key))
}

/// CPython's `hash(v)` for the data values it does not randomize per run, and for strings
/// and bytes as under `PYTHONHASHSEED=0`; objects hash by their identity.
pub fn hash(v: &Value) -> Result<i64, Exception> {
    Ok(match v {
        Value::None => 0x5f3759df,
        Value::Bool(b) => *b as i64,
        Value::Int(i) => int_hash(&BigInt::from(*i)),
        Value::BigInt(b) => int_hash(b),
        Value::Float(f) => float_hash(*f, v),
        Value::Str(s) => fix(bytes_hash(&str_data(s)) as i64),
        Value::Tuple(items) => tuple_hash(items)?,
        Value::Object(o) => match super::bytes::bytes_of(v) {
            Some(b) => fix(bytes_hash(b) as i64),
            None => {
                Key::of(v)?;
                let _ = o;
                (v.identity() >> 4) as i64
            }
        },
        other => {
            Key::of(other)?;
            (other.identity() >> 4) as i64
        }
    })
}

/// `-1` is CPython's error return, so a hash of -1 is -2.
fn fix(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

fn int_hash(b: &BigInt) -> i64 {
    let m = BigInt::from(MODULUS);
    let r = (b.magnitude() % m.magnitude()).to_u64().unwrap_or(0) as i64;
    fix(if b.sign() == Sign::Minus { -r } else { r })
}

/// `_Py_HashDouble`: the float's value modulo 2**61 - 1, taken 28 bits at a time.
fn float_hash(v: f64, this: &Value) -> i64 {
    if v.is_infinite() {
        return if v > 0.0 { 314_159 } else { -314_159 };
    }
    if v.is_nan() {
        return (this.identity() >> 4) as i64;
    }
    if v.fract() == 0.0 && v.abs() < 9.2e18 {
        return int_hash(&BigInt::from(v as i64));
    }
    let (mut m, mut e) = frexp(v);
    let sign: i64 = if m < 0.0 {
        m = -m;
        -1
    } else {
        1
    };
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | x >> (HASH_BITS - 28);
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    let e = if e >= 0 {
        e % HASH_BITS
    } else {
        HASH_BITS - 1 - ((-1 - e) % HASH_BITS)
    };
    x = ((x << e) & MODULUS) | x >> (HASH_BITS - e);
    fix((x as i64).wrapping_mul(sign))
}

/// `frexp(v)`: `v = m * 2**e` with `0.5 <= |m| < 1`.
fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 {
        return (v, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale up first.
        let (m, e) = frexp(v * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// CPython 3.8+'s tuple hash (xxHash's rounds over the items' hashes).
fn tuple_hash(items: &[Value]) -> Result<i64, Exception> {
    const P1: u64 = 11_400_714_785_074_694_791;
    const P2: u64 = 14_029_467_366_897_019_727;
    const P5: u64 = 2_870_177_450_012_600_261;
    let mut acc = P5;
    for item in items {
        let lane = hash(item)? as u64;
        acc = acc.wrapping_add(lane.wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add(items.len() as u64 ^ (P5 ^ 3_527_539));
    if acc == u64::MAX {
        return Ok(1_546_275_796);
    }
    Ok(acc as i64)
}

/// A string's bytes as CPython hashes them: one, two or four bytes per character, by the
/// widest character (its internal representation).
fn str_data(s: &str) -> Vec<u8> {
    let widest = s.chars().map(|c| c as u32).max().unwrap_or(0);
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars().map(|c| c as u32) {
        match widest {
            0..=0xff => out.push(c as u8),
            0x100..=0xffff => out.extend_from_slice(&(c as u16).to_le_bytes()),
            _ => out.extend_from_slice(&c.to_le_bytes()),
        }
    }
    out
}

/// `_Py_HashBytes`: SipHash-1-3 with the zero key; the empty string hashes to 0.
fn bytes_hash(data: &[u8]) -> u64 {
    if data.is_empty() {
        return 0;
    }
    siphash13(0, 0, data)
}

fn siphash13(k0: u64, k1: u64, data: &[u8]) -> u64 {
    let mut v0 = k0 ^ 0x736f_6d65_7073_6575;
    let mut v1 = k1 ^ 0x646f_7261_6e64_6f6d;
    let mut v2 = k0 ^ 0x6c79_6765_6e65_7261;
    let mut v3 = k1 ^ 0x7465_6462_7974_6573;
    let round = |v0: &mut u64, v1: &mut u64, v2: &mut u64, v3: &mut u64| {
        *v0 = v0.wrapping_add(*v1);
        *v2 = v2.wrapping_add(*v3);
        *v1 = v1.rotate_left(13) ^ *v0;
        *v3 = v3.rotate_left(16) ^ *v2;
        *v0 = v0.rotate_left(32);
        *v2 = v2.wrapping_add(*v1);
        *v0 = v0.wrapping_add(*v3);
        *v1 = v1.rotate_left(17) ^ *v2;
        *v3 = v3.rotate_left(21) ^ *v0;
        *v2 = v2.rotate_left(32);
    };
    let chunks = data.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        let m = u64::from_le_bytes(c.try_into().expect("eight bytes"));
        v3 ^= m;
        round(&mut v0, &mut v1, &mut v2, &mut v3);
        v0 ^= m;
    }
    let mut last = [0u8; 8];
    last[..tail.len()].copy_from_slice(tail);
    let b = ((data.len() as u64) << 56) | u64::from_le_bytes(last);
    v3 ^= b;
    round(&mut v0, &mut v1, &mut v2, &mut v3);
    v0 ^= b;
    v2 ^= 0xff;
    for _ in 0..3 {
        round(&mut v0, &mut v1, &mut v2, &mut v3);
    }
    (v0 ^ v1) ^ (v2 ^ v3)
}

/// `a <= b` for sets: every member of `a` is in `b`.
pub fn subset(a: &PySet, b: &PySet) -> Result<bool, Exception> {
    if a.len() > b.len() {
        return Ok(false);
    }
    for v in a.items() {
        if !b.contains(&v)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What a set operator gives (`|`, `&`, `-`, `^`), built in CPython's order: `|` copies the
/// left set and merges the right one; `&` walks the smaller set; `-` walks the left one (or
/// copies it and discards the right one's members, when the left is over four times bigger);
/// `^` copies the right set and toggles the left one's members.
pub fn combine(op: char, a: &PySet, b: &PySet) -> Result<PySet, Exception> {
    let frozen = a.frozen;
    Ok(match op {
        '|' => {
            let mut out = PySet::copy_of(a, frozen);
            out.merge(b)?;
            out
        }
        '&' => {
            let mut out = PySet::new(frozen);
            let (small, big) = if b.len() > a.len() { (a, b) } else { (b, a) };
            for v in small.items() {
                if big.contains(&v)? {
                    out.add(v)?;
                }
            }
            out
        }
        '-' if (a.len() >> 2) > b.len() => {
            let mut out = PySet::copy_of(a, frozen);
            for v in b.items() {
                out.discard(&v)?;
            }
            out
        }
        '-' => {
            let mut out = PySet::new(frozen);
            for v in a.items() {
                if !b.contains(&v)? {
                    out.add(v)?;
                }
            }
            out
        }
        '^' => {
            let mut out = PySet::copy_of(b, frozen);
            for v in a.items() {
                if !out.discard(&v)? {
                    out.add(v)?;
                }
            }
            out
        }
        _ => return raise(super::value::ExcKind::TypeError, "unknown set operator"),
    })
}
