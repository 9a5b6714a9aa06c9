//! Items of sequences and dicts: indexing, slicing (`Bounds`), item assignment and deletion,
//! membership (`in`), and the items of an iterable.

use num_traits::Signed;

use crate::python::bytes::{bytes_of, new_bytes};
use crate::python::set::set_of;
use crate::python::value::{raise, ExcKind, Exception, Range, Value};

use super::common::{is_int, small, MAX_ITEMS, R};
use super::compare::eq;
use super::repr::repr;

/// `item in container`.
pub fn contains(container: &Value, item: &Value) -> R<bool> {
    match container {
        Value::Str(s) => match item {
            Value::Str(i) => Ok(s.contains(&**i)),
            other => raise(
                ExcKind::TypeError,
                format!(
                    "'in <string>' requires string as left operand, not {}",
                    other.type_name()
                ),
            ),
        },
        Value::Dict(d) => Ok(d.borrow().get(item)?.is_some()),
        Value::List(l) => Ok(l.borrow().iter().any(|x| eq(x, item))),
        Value::Tuple(t) => Ok(t.iter().any(|x| eq(x, item))),
        Value::Range(r) => match small(item) {
            Some(i) => Ok(range_contains(r, i)),
            None if is_int(item) => Ok(false),
            // Other values (`3.0 in range(5)`) are compared with each number, as in Python.
            None => Ok(to_vec(&Value::Range(r.clone()))?
                .iter()
                .any(|x| eq(x, item))),
        },
        other => match sets_bytes_contains(other, item) {
            Some(r) => r,
            None => raise(
                ExcKind::TypeError,
                format!("argument of type '{}' is not iterable", other.type_name()),
            ),
        },
    }
}

/// `i in r` for an int, by arithmetic (`10**9 in range(10**12)` lists nothing).
fn range_contains(r: &Range, i: i64) -> bool {
    let (start, stop, step) = (r.start as i128, r.stop as i128, r.step as i128);
    let i = i as i128;
    let inside = if step > 0 {
        start <= i && i < stop
    } else {
        stop < i && i <= start
    };
    inside && step != 0 && (i - start) % step == 0
}

/// What an index points into: CPython words its index errors differently for each.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Seq {
    List,
    /// `l[i] = v` and `del l[i]`.
    ListAssign,
    /// `l.pop(i)`.
    ListPop,
    Tuple,
    Str,
    Range,
    Bytes,
}

impl Seq {
    fn not_an_index(self, i: &Value) -> Exception {
        let t = i.type_name();
        let message = match self {
            Seq::List | Seq::ListAssign => {
                format!("list indices must be integers or slices, not {t}")
            }
            Seq::Tuple => format!("tuple indices must be integers or slices, not {t}"),
            Seq::Range => format!("range indices must be integers or slices, not {t}"),
            Seq::Bytes => format!("byte indices must be integers or slices, not {t}"),
            Seq::Str => format!("string indices must be integers, not '{t}'"),
            Seq::ListPop => format!("'{t}' object cannot be interpreted as an integer"),
        };
        Exception::new(ExcKind::TypeError, message)
    }

    fn out_of_range(self) -> Exception {
        let message = match self {
            Seq::List => "list index out of range",
            Seq::ListAssign => "list assignment index out of range",
            Seq::ListPop => "pop index out of range",
            Seq::Tuple => "tuple index out of range",
            Seq::Str => "string index out of range",
            Seq::Range => "range object index out of range",
            Seq::Bytes => "index out of range",
        };
        Exception::new(ExcKind::IndexError, message)
    }
}

/// The position `i` names in a sequence of `len` items (negative counts from the end).
pub(super) fn index(len: usize, i: &Value, seq: Seq) -> R<usize> {
    let i = match i {
        // CPython cannot even turn an int this big into an index; a range says it is out.
        Value::BigInt(_) if seq == Seq::Range => return Err(seq.out_of_range()),
        Value::BigInt(_) => {
            return raise(
                ExcKind::IndexError,
                "cannot fit 'int' into an index-sized integer",
            )
        }
        i => small(i).ok_or_else(|| seq.not_an_index(i))?,
    };
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let j = if i < 0 { i.saturating_add(len) } else { i };
    if j < 0 || j >= len {
        return Err(seq.out_of_range());
    }
    Ok(j as usize)
}

/// A slice resolved against a sequence's length, as CPython's `PySlice_AdjustIndices`
/// resolves it: bounds past either end are clipped, so `start` and `stop` lie in `-1..=len`.
#[derive(Clone, Copy, Debug)]
struct Bounds {
    start: i64,
    stop: i64,
    step: i64,
}

impl Bounds {
    /// Resolves `s` (the `[start, stop, step]` of a slice) for a sequence of `len` items.
    fn of(len: usize, s: &[Value; 3]) -> R<Bounds> {
        let step = slice_number(&s[2])?.unwrap_or(1);
        if step == 0 {
            return raise(ExcKind::ValueError, "slice step cannot be zero");
        }
        // As in CPython, so that `-step` cannot overflow.
        let step = step.max(-i64::MAX);
        let len = i64::try_from(len).unwrap_or(i64::MAX);
        let back = step < 0;
        let adjust = |v: Option<i64>, default: i64| match v {
            None => default,
            Some(v) if v < 0 => match v.saturating_add(len) {
                v if v < 0 => {
                    if back {
                        -1
                    } else {
                        0
                    }
                }
                v => v,
            },
            Some(v) if v >= len => {
                if back {
                    len - 1
                } else {
                    len
                }
            }
            Some(v) => v,
        };
        Ok(Bounds {
            start: adjust(slice_number(&s[0])?, if back { len - 1 } else { 0 }),
            stop: adjust(slice_number(&s[1])?, if back { -1 } else { len }),
            step,
        })
    }

    /// How many items the slice takes.
    fn len(self) -> usize {
        let n = if self.step < 0 && self.stop < self.start {
            (self.start - self.stop - 1) / -self.step + 1
        } else if self.step > 0 && self.start < self.stop {
            (self.stop - self.start - 1) / self.step + 1
        } else {
            0
        };
        n as usize
    }

    /// The positions the slice takes, in its order.
    fn indices(self) -> impl Iterator<Item = usize> {
        (0..self.len() as i64).map(move |k| (self.start + k * self.step) as usize)
    }
}

/// A slice bound: `None`, or an int (ints too big for an index clip to the largest one).
pub(super) fn slice_number(v: &Value) -> R<Option<i64>> {
    match v {
        Value::None => Ok(None),
        Value::BigInt(b) if b.is_negative() => Ok(Some(i64::MIN)),
        Value::BigInt(_) => Ok(Some(i64::MAX)),
        v => small(v).map(Some).ok_or_else(|| {
            Exception::new(
                ExcKind::TypeError,
                "slice indices must be integers or None or have an __index__ method",
            )
        }),
    }
}

/// `items[s]` for a list, tuple or string's items.
fn slice_of<T: Clone>(items: &[T], s: &[Value; 3]) -> R<Vec<T>> {
    Ok(Bounds::of(items.len(), s)?
        .indices()
        .map(|i| items[i].clone())
        .collect())
}

/// `r[s]`: a range again, as in CPython.
fn slice_range(r: &Range, s: &[Value; 3]) -> R<Range> {
    let n = usize::try_from(r.len()).unwrap_or(usize::MAX);
    let b = Bounds::of(n, s)?;
    let at = |k: i64| i64::try_from(r.start as i128 + k as i128 * r.step as i128).ok();
    match (at(b.start), at(b.stop), r.step.checked_mul(b.step)) {
        (Some(start), Some(stop), Some(step)) => Ok(Range { start, stop, step }),
        _ => raise(
            ExcKind::OverflowError,
            "range slice too large for the kitchen (at most 2**63)",
        ),
    }
}

/// `container[index]`.
pub fn get_item(container: &Value, idx: &Value) -> R<Value> {
    match (container, idx) {
        (Value::Dict(d), k) => d
            .borrow()
            .get(k)?
            .ok_or_else(|| Exception::new(ExcKind::KeyError, repr(k))),
        (Value::List(l), Value::Slice(s)) => Ok(Value::list(slice_of(&l.borrow(), s)?)),
        (Value::Tuple(t), Value::Slice(s)) => Ok(Value::tuple(slice_of(t, s)?)),
        (Value::Str(st), Value::Slice(s)) => {
            let chars: Vec<char> = st.chars().collect();
            Ok(Value::str(
                &slice_of(&chars, s)?.into_iter().collect::<String>(),
            ))
        }
        (Value::Range(r), Value::Slice(s)) => {
            Ok(Value::Range(std::rc::Rc::new(slice_range(r, s)?)))
        }
        (Value::List(l), i) => {
            let l = l.borrow();
            Ok(l[index(l.len(), i, Seq::List)?].clone())
        }
        (Value::Tuple(t), i) => Ok(t[index(t.len(), i, Seq::Tuple)?].clone()),
        (Value::Str(s), i) => {
            let chars: Vec<char> = s.chars().collect();
            Ok(Value::str(
                &chars[index(chars.len(), i, Seq::Str)?].to_string(),
            ))
        }
        (Value::Range(r), i) => {
            let n = usize::try_from(r.len()).unwrap_or(usize::MAX);
            Ok(Value::Int(r.get(index(n, i, Seq::Range)? as u64)))
        }
        (c, i) => match bytes_get_item(c, i) {
            Some(r) => r,
            None => raise(
                ExcKind::TypeError,
                format!("'{}' object is not subscriptable", c.type_name()),
            ),
        },
    }
}

/// `l[s] = new`: a plain slice (step 1) is replaced by any number of items, an extended
/// one item by item, so the counts must agree.
fn assign_slice(l: &mut Vec<Value>, s: &[Value; 3], new: Vec<Value>) -> R<()> {
    let b = Bounds::of(l.len(), s)?;
    if b.step == 1 {
        let (start, stop) = (b.start as usize, b.stop.max(b.start) as usize);
        l.splice(start..stop, new);
        return Ok(());
    }
    if b.len() != new.len() {
        return raise(
            ExcKind::ValueError,
            format!(
                "attempt to assign sequence of size {} to extended slice of size {}",
                new.len(),
                b.len()
            ),
        );
    }
    for (i, v) in b.indices().zip(new) {
        l[i] = v;
    }
    Ok(())
}

/// `del l[s]`.
fn delete_slice(l: &mut Vec<Value>, s: &[Value; 3]) -> R<()> {
    let b = Bounds::of(l.len(), s)?;
    let mut doomed = vec![false; l.len()];
    for i in b.indices() {
        doomed[i] = true;
    }
    let mut k = 0;
    l.retain(|_| {
        k += 1;
        !doomed[k - 1]
    });
    Ok(())
}

/// `container[index] = value`.
pub fn set_item(container: &Value, idx: &Value, value: Value) -> R<()> {
    match (container, idx) {
        (Value::Dict(d), k) => d.borrow_mut().insert(k.clone(), value),
        (Value::List(l), Value::Slice(s)) => {
            // The new items first: `l[:] = l` reads the list it replaces.
            let new = to_vec(&value)?;
            assign_slice(&mut l.borrow_mut(), s, new)
        }
        (Value::List(l), i) => {
            let mut l = l.borrow_mut();
            let j = index(l.len(), i, Seq::ListAssign)?;
            l[j] = value;
            Ok(())
        }
        (c, _) => raise(
            ExcKind::TypeError,
            format!(
                "'{}' object does not support item assignment",
                c.type_name()
            ),
        ),
    }
}

/// `del container[index]`.
pub fn del_item(container: &Value, idx: &Value) -> R<()> {
    match (container, idx) {
        (Value::Dict(d), k) => match d.borrow_mut().remove(k)? {
            Some(_) => Ok(()),
            None => raise(ExcKind::KeyError, repr(k)),
        },
        (Value::List(l), Value::Slice(s)) => delete_slice(&mut l.borrow_mut(), s),
        (Value::List(l), i) => {
            let mut l = l.borrow_mut();
            let j = index(l.len(), i, Seq::ListAssign)?;
            l.remove(j);
            Ok(())
        }
        (c, _) => raise(
            ExcKind::TypeError,
            format!("'{}' object doesn't support item deletion", c.type_name()),
        ),
    }
}

/// The items of an iterable data value.
pub fn to_vec(v: &Value) -> R<Vec<Value>> {
    match v {
        Value::List(l) => Ok(l.borrow().clone()),
        Value::Tuple(t) => Ok(t.as_ref().clone()),
        Value::Str(s) => Ok(s.chars().map(|c| Value::str(&c.to_string())).collect()),
        Value::Dict(d) => Ok(d.borrow().keys()),
        Value::Range(r) => {
            if r.len() > MAX_ITEMS as u64 {
                return raise(
                    ExcKind::OverflowError,
                    "range too large to list in the kitchen",
                );
            }
            Ok((0..r.len()).map(|i| Value::Int(r.get(i))).collect())
        }
        other => sets_bytes_items(other).ok_or_else(|| {
            Exception::new(
                ExcKind::TypeError,
                format!("'{}' object is not iterable", other.type_name()),
            )
        }),
    }
}

/// `item in container` for sets and bytes.
fn sets_bytes_contains(container: &Value, item: &Value) -> Option<R<bool>> {
    if let Some(s) = set_of(container) {
        return Some(s.borrow().contains(item));
    }
    let data = bytes_of(container)?;
    Some(match (bytes_of(item), small(item)) {
        (Some(sub), _) => Ok(sub.is_empty() || data.windows(sub.len()).any(|w| w == sub)),
        (None, Some(i)) if (0..256).contains(&i) => Ok(data.contains(&(i as u8))),
        (None, Some(_)) => raise(ExcKind::ValueError, "byte must be in range(0, 256)"),
        (None, None) => raise(
            ExcKind::TypeError,
            format!(
                "a bytes-like object is required, not '{}'",
                item.type_name()
            ),
        ),
    })
}

/// The items of a set (in its table's order) or of bytes (as ints).
pub(super) fn sets_bytes_items(v: &Value) -> Option<Vec<Value>> {
    if let Some(s) = set_of(v) {
        return Some(s.borrow().items());
    }
    bytes_of(v).map(|d| d.iter().map(|&b| Value::Int(b as i64)).collect())
}

/// `b[i]` (an int) and `b[i:j]` (bytes).
fn bytes_get_item(container: &Value, idx: &Value) -> Option<R<Value>> {
    let data = bytes_of(container)?;
    Some(match idx {
        Value::Slice(s) => slice_of(data, s).map(new_bytes),
        i => index(data.len(), i, Seq::Bytes).map(|k| Value::Int(data[k] as i64)),
    })
}
