//! The real CPU work of the kitchen, `sum(i * i for i in range(n))`, in Rust.
//!
//! The simulation only *charges* for this work (what CPython would take, from the profile);
//! the runners really do it: the Web Worker runner in wasm in the browser, the native runner
//! on this machine's threads and processes. One function keeps them doing the same work.

/// `sum(i * i for i in range(n))`. `black_box` stops the compiler from replacing the loop
/// with its closed form, which would time nothing.
pub fn sum_of_squares(n: u64) -> u128 {
    sum_of_squares_between(0, n)
}

/// `sum(i * i for i in range(from_, to))`: one slice of [`sum_of_squares`], so that a runner
/// can cook a long step in pieces (and check between them whether it must pass the GIL on).
/// The slices of a step add up to the whole: `between(0, k) + between(k, n) == between(0, n)`.
pub fn sum_of_squares_between(from: u64, to: u64) -> u128 {
    let mut total: u128 = 0;
    let mut i: u64 = from;
    while i < std::hint::black_box(to) {
        total = total.wrapping_add((i as u128) * (i as u128));
        i += 1;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_closed_form() {
        for n in [0u64, 1, 2, 10, 1000, 1_000_000] {
            let n128 = n as u128;
            let expected = if n == 0 {
                0
            } else {
                (n128 - 1) * n128 * (2 * n128 - 1) / 6
            };
            assert_eq!(sum_of_squares(n), expected, "n = {n}");
        }
    }

    #[test]
    fn slices_add_up_to_the_whole() {
        let n = 100_003;
        for k in [0, 1, 5_000, n] {
            assert_eq!(
                sum_of_squares_between(0, k) + sum_of_squares_between(k, n),
                sum_of_squares(n)
            );
        }
        assert_eq!(sum_of_squares_between(10, 3), 0);
    }
}
