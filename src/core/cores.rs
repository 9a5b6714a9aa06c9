//! The machine's CPU cores, shared by all threads of all processes, scheduled like an OS would:
//! a thread ready to compute takes a free core or queues for one; when others are queued, a
//! running thread is preempted at the end of its time slice (round robin).
//!
//! Within one process the GIL already lets only one thread compute, so cores are contended
//! only when several processes (each with its own GIL) compute at once.

use std::collections::VecDeque;

use super::clock::Nanos;

#[derive(Clone, Copy, Debug)]
struct Slot {
    thread: usize,
    slice_end: Nanos,
}

#[derive(Debug)]
pub struct Cores {
    slots: Vec<Option<Slot>>,
    queue: VecDeque<usize>,
}

impl Cores {
    pub fn new(count: u32) -> Cores {
        Cores {
            slots: vec![None; count as usize],
            queue: VecDeque::new(),
        }
    }

    /// `thread` is ready to compute: the lowest free core, or `None` if it has to queue.
    pub fn request(&mut self, thread: usize, now: Nanos, slice: Nanos) -> Option<u32> {
        match self.slots.iter().position(Option::is_none) {
            Some(core) => {
                self.slots[core] = Some(Slot {
                    thread,
                    slice_end: now.saturating_add(slice),
                });
                Some(core as u32)
            }
            None => {
                self.queue.push_back(thread);
                None
            }
        }
    }

    /// `thread` stops computing (or leaves the queue). If it freed a core that a queued thread
    /// now takes, returns `(core, that thread)`; if it freed a core nobody takes, `(core, None)`.
    pub fn release(
        &mut self,
        thread: usize,
        now: Nanos,
        slice: Nanos,
    ) -> Option<(u32, Option<usize>)> {
        self.queue.retain(|&t| t != thread);
        let core = self.core_of(thread)?;
        let next = self.queue.pop_front();
        self.slots[core as usize] = next.map(|t| Slot {
            thread: t,
            slice_end: now.saturating_add(slice),
        });
        Some((core, next))
    }

    pub fn core_of(&self, thread: usize) -> Option<u32> {
        self.slots
            .iter()
            .position(|s| s.is_some_and(|s| s.thread == thread))
            .map(|c| c as u32)
    }

    /// Threads on cores, by core.
    pub fn running(&self) -> impl Iterator<Item = (u32, usize)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(c, s)| s.map(|s| (c as u32, s.thread)))
    }

    /// When the next preemption happens, if any thread is queued.
    pub fn next_preemption(&self) -> Option<Nanos> {
        if self.queue.is_empty() {
            return None;
        }
        self.slots.iter().flatten().map(|s| s.slice_end).min()
    }

    /// Preempts every running thread whose slice has ended while others queue. Returns
    /// `(core, preempted thread, next thread)` for each switch.
    pub fn preempt(&mut self, now: Nanos, slice: Nanos) -> Vec<(u32, usize, usize)> {
        let mut switches = Vec::new();
        for core in 0..self.slots.len() {
            let Some(slot) = self.slots[core] else {
                continue;
            };
            if slot.slice_end > now {
                continue;
            }
            match self.queue.pop_front() {
                Some(next) => {
                    self.queue.push_back(slot.thread);
                    self.slots[core] = Some(Slot {
                        thread: next,
                        slice_end: now.saturating_add(slice),
                    });
                    switches.push((core as u32, slot.thread, next));
                }
                None => {
                    self.slots[core] = Some(Slot {
                        slice_end: now.saturating_add(slice),
                        ..slot
                    })
                }
            }
        }
        switches
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_take_free_cores_then_queue_and_rotate() {
        let mut cores = Cores::new(2);
        assert_eq!(cores.request(10, 0, 4), Some(0));
        assert_eq!(cores.request(11, 0, 4), Some(1));
        assert_eq!(cores.request(12, 0, 4), None);
        assert_eq!(cores.next_preemption(), Some(4));
        // Both slices end at 4: each core switches to the thread that waited longest.
        assert_eq!(cores.preempt(4, 4), vec![(0, 10, 12), (1, 11, 10)]);
        assert_eq!(cores.preempt(5, 4), vec![]);
        assert_eq!(cores.release(12, 5, 4), Some((0, Some(11))));
        assert_eq!(cores.release(10, 6, 4), Some((1, None)));
        assert_eq!(cores.next_preemption(), None);
    }
}
