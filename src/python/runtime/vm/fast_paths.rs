//! The closed-form loops: `sum(E for V in range(...))` and accumulating `for` loops over a
//! range, computed at once and charged what CPython would spend on every turn.

use super::top_frame;
use super::{Flow, Step};
use crate::core::clock::from_secs;
use crate::python::bytecode::Op;
use crate::python::frame::Frame;
use crate::python::ops::{self, BinOp};
use crate::python::runtime::state::Runtime;
use crate::python::sync::ThreadId;
use crate::python::value::Value;

impl Runtime {
    /// One instruction of the closed-form loops.
    pub(super) fn fast_path_op(&mut self, tid: ThreadId, frames: &mut [Frame], op: Op) -> Step {
        let f = top_frame(frames);
        match op {
            Op::SumRange { argc, poly } => {
                let args = f.stack.split_off(f.stack.len() - argc as usize);
                let r = ops::range_from(&args)?;
                let n = r.len();
                let sum = poly.sum_over(r.start, r.step, n);
                f.stack.push(Value::from_bigint(sum));
                let per_turn =
                    self.profile.loop_iteration_s + (poly.weight as f64 - 3.0) * self.profile.op_s;
                let per_turn = per_turn.max(self.profile.loop_iteration_s * 0.2);
                self.threads[tid].cost += from_secs(per_turn * n as f64);
                self.threads[tid].turns += n as u64;
            }
            Op::ForRangeAccumulate {
                argc,
                var,
                targets,
                weight,
            } => {
                let args = f.stack.split_off(f.stack.len() - argc as usize);
                let r = ops::range_from(&args)?;
                let n = r.len();
                for (target, add, poly) in targets.iter() {
                    let current = self.load(f, target)?;
                    let sum = Value::from_bigint(poly.sum_over(r.start, r.step, n));
                    let op = if *add { BinOp::Add } else { BinOp::Sub };
                    let new = ops::binary(op, &current, &sum)?;
                    self.store(f, target, Some(new))?;
                }
                if n > 0 {
                    self.store(f, &var, Some(Value::Int(r.get(n - 1))))?;
                }
                let per_turn =
                    self.profile.for_iteration_s + (weight as f64 - 5.0) * self.profile.op_s;
                let per_turn = per_turn.max(self.profile.for_iteration_s * 0.2);
                self.threads[tid].cost += from_secs(per_turn * n as f64);
                self.threads[tid].turns += n as u64;
            }
            other => unreachable!("{other:?} is not one of the closed-form loops"),
        }
        Ok(Flow::Next)
    }
}
