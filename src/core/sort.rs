//! One stable sort for the whole crate, for the size of the page's download.
//!
//! The standard library's sorts are generic: every element type sorted gets its own copy of
//! driftsort or ipnsort, about 5 KB of wasm each, and the page and its engine sort some forty
//! kinds of things (lanes, stretches, timers, prints, Python lists). Here the sorting itself
//! is one non-generic merge sort of indices, through a `dyn` comparison; only the small
//! wrappers below are generic. Measured on the site's module (`make dist`, gzipped): see
//! README.md, "The page's size".
//!
//! The sort is stable, like `slice::sort_by`: equal elements keep their order. It allocates
//! two index vectors, which is nothing beside the work of comparing.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare` (as `slice::sort_by` does).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = items;
        sorted_indices(items.len(), &mut |a, b| compare(&items[a], &items[b]))
    };
    permute(items, order);
}

/// Sorts `items` stably by the key `key` gives each (as `slice::sort_by_key` does).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` into their natural order (as `slice::sort` does).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The indices `0..n` in the order `compare` puts them: a bottom-up merge sort, stable
/// (of two equal elements the one with the smaller index comes first).
fn sorted_indices(n: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    // Runs of up to 8 are sorted by insertion first: short runs merge slowly.
    const RUN: usize = 8;
    for run in from.chunks_mut(RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && compare(run[j], run[j - 1]) == Ordering::Less {
                run.swap(j, j - 1);
                j -= 1;
            }
        }
    }
    let mut into = vec![0; n];
    let mut width = RUN;
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            merge(
                &from[start..middle],
                &from[middle..end],
                &mut into[start..end],
                compare,
            );
        }
        std::mem::swap(&mut from, &mut into);
        width *= 2;
    }
    from
}

/// Merges two sorted runs into `into` (as long as both together); on a tie the left run's
/// element comes first, which keeps the sort stable.
fn merge(
    left: &[usize],
    right: &[usize],
    into: &mut [usize],
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) {
    let (mut l, mut r) = (0, 0);
    for slot in into.iter_mut() {
        let take_right =
            l == left.len() || (r < right.len() && compare(right[r], left[l]) == Ordering::Less);
        if take_right {
            *slot = right[r];
            r += 1;
        } else {
            *slot = left[l];
            l += 1;
        }
    }
}

/// Moves the items so that position `i` holds what was at `order[i]`, by following the
/// permutation's cycles with swaps (`order` is a permutation of `0..items.len()`).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let next = order[at];
            order[at] = DONE;
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency): xorshift.
    fn numbers(seed: u64, n: usize, range: u64) -> Vec<u64> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % range
            })
            .collect()
    }

    #[test]
    fn sorts_like_the_standard_library_and_is_stable() {
        for (seed, n, range) in [
            (1, 0, 5),
            (2, 1, 5),
            (3, 2, 2),
            (4, 7, 3),
            (5, 8, 3),
            (6, 9, 100),
        ]
        .into_iter()
        .chain((0..40).map(|i| (i + 10, (i * 37) as usize % 300, 1 + i % 9)))
        {
            // Pairs of (key, original position): a stable sort by key keeps positions rising.
            let keys = numbers(seed, n, range);
            let mut ours: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
            let mut theirs = ours.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            theirs.sort_by_key(|a| a.0);
            assert_eq!(ours, theirs, "seed {seed}, {n} items");
        }
    }

    #[test]
    fn sorts_by_key_and_naturally() {
        let mut words = vec!["pear", "fig", "apple", "kiwi", "banana"];
        sort_by_key(&mut words, |w| w.len());
        assert_eq!(words, ["fig", "pear", "kiwi", "apple", "banana"]);
        sort(&mut words);
        assert_eq!(words, ["apple", "banana", "fig", "kiwi", "pear"]);
        let mut floats = vec![2.5, -1.0, f64::INFINITY, 0.0];
        sort_by(&mut floats, f64::total_cmp);
        assert_eq!(floats, [-1.0, 0.0, 2.5, f64::INFINITY]);
    }
}
