//! Python's `random` module, bit for bit.
//!
//! A seeded program must print what CPython prints: `random.seed(42)` followed by
//! `random.randint(1, 6)` has to give the same die roll in the kitchen as on the learner's own
//! machine, or the trace stops being a faithful picture of their program. So this is not "a"
//! Mersenne Twister but CPython 3.11's, including the details that decide which numbers come
//! out: how an int seed is split into key words, how `getrandbits` orders its words, how
//! `_randbelow` rejects, and how `randrange`, `choice`, `shuffle` and `sample` spend the
//! generator's output.
//!
//! It follows:
//! - `Modules/_randommodule.c` (3.11): `init_genrand`, `init_by_array`, `genrand_uint32`,
//!   `random_seed` (int seeds: absolute value, 32-bit words least significant first),
//!   `random_random` (`genrand_res53`) and `getrandbits`;
//! - `Lib/random.py` (3.11): `_randbelow_with_getrandbits`, `randrange`, `randint`,
//!   `choice`, `shuffle`, `sample` and `uniform`.
//!
//! Checked against CPython case by case: `cpython_3_11.txt` holds what CPython 3.11.7 printed
//! for each case (`cpython_cases.py` fills it in, and checks it), and the tests in `tests.rs`
//! run every case through this generator.
//!
//! Everything is pure computation: no I/O, no clock, no panics. Errors are returned as the
//! message CPython's exception carries; [`exception_class`] names the exception class to raise
//! with it. The simulation must be deterministic, so an unseeded generator is not seeded from
//! the OS but from [`DEFAULT_SEED`].

use std::collections::HashSet;

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The seed of [`Random::default`]: an unseeded program behaves as if it had called
/// `random.seed(0)` first (CPython would seed from `os.urandom`, which a deterministic
/// simulation cannot do).
pub const DEFAULT_SEED: u64 = 0;

/// Number of 32-bit words of Mersenne Twister state.
const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

const EMPTY_RANGE: &str = "empty range for randrange()";
const ZERO_STEP: &str = "zero step for randrange()";
const MISSING_STOP: &str = "Missing a non-None stop argument";
const EMPTY_CHOICE: &str = "Cannot choose from an empty sequence";
const BAD_SAMPLE: &str = "Sample larger than population or is negative";
const NEGATIVE_BITS: &str = "number of bits must be non-negative";
const TOO_MANY_BITS: &str = "Python int too large to convert to C int";
/// Our text: CPython's `MemoryError` here has an empty message.
const NO_MEMORY: &str = "out of memory";

/// The exception class CPython raises with an error message returned by this module:
/// `"ValueError"`, `"TypeError"` (`randrange` given a step but no stop), `"IndexError"`
/// (`choice` of an empty sequence) or `"OverflowError"` (`getrandbits` of more than
/// 2**31 - 1 bits), or `"MemoryError"` when a result would not fit in memory.
pub fn exception_class(message: &str) -> &'static str {
    match message {
        MISSING_STOP => "TypeError",
        EMPTY_CHOICE => "IndexError",
        TOO_MANY_BITS => "OverflowError",
        NO_MEMORY => "MemoryError",
        _ => "ValueError",
    }
}

/// CPython's `random.Random`: an MT19937 generator and the methods built on it.
///
/// `Clone` copies the whole state, as `fork()` does for a child process.
#[derive(Clone)]
pub struct Random {
    mt: [u32; N],
    index: usize,
}

impl std::fmt::Debug for Random {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Random")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl Default for Random {
    /// A generator seeded with [`DEFAULT_SEED`].
    fn default() -> Self {
        Random::new(DEFAULT_SEED)
    }
}

impl Random {
    /// `random.Random(seed)` for a non-negative int seed.
    pub fn new(seed: u64) -> Self {
        let mut r = Random {
            mt: [0; N],
            index: N,
        };
        r.seed_u64(seed);
        r
    }

    /// `random.Random(seed)` for any int seed (negative seeds use their absolute value).
    pub fn from_bigint(seed: &BigInt) -> Self {
        let mut r = Random::new(0);
        r.seed_bigint(seed);
        r
    }

    /// `seed(n)` for a non-negative int `n`.
    pub fn seed_u64(&mut self, seed: u64) {
        let low = seed as u32;
        let high = (seed >> 32) as u32;
        if high == 0 {
            self.init_by_array(&[low]);
        } else {
            self.init_by_array(&[low, high]);
        }
    }

    /// `seed(n)` for an int `n` that fits in 64 bits; like CPython, `seed(-n)` is `seed(n)`.
    pub fn seed_i64(&mut self, seed: i64) {
        self.seed_u64(seed.unsigned_abs());
    }

    /// `seed(n)` for any int `n`: the absolute value split into 32-bit words, least
    /// significant first (`[0]` for zero), fed to `init_by_array`.
    pub fn seed_bigint(&mut self, seed: &BigInt) {
        let (_, words) = seed.to_u32_digits();
        if words.is_empty() {
            self.init_by_array(&[0]);
        } else {
            self.init_by_array(&words);
        }
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let prev = self.mt[i - 1];
            self.mt[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let mt = &mut self.mt;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] =
                (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
    }

    /// The next 32 bits of output (`genrand_uint32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            let mt = &mut self.mt;
            let mag01 = |y: u32| if y & 1 == 0 { 0 } else { MATRIX_A };
            for kk in 0..N - M {
                let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + M] ^ (y >> 1) ^ mag01(y);
            }
            for kk in N - M..N - 1 {
                let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + M - N] ^ (y >> 1) ^ mag01(y);
            }
            let y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
            mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ mag01(y);
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    /// `random()`: a float in [0.0, 1.0) with 53 random bits (`genrand_res53`).
    pub fn random(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `uniform(a, b)`: `a + (b - a) * random()`.
    ///
    /// For int arguments CPython computes `b - a` exactly before multiplying; a caller with
    /// ints too large for `f64` to subtract exactly should do the same and pass floats.
    pub fn uniform(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.random()
    }

    /// `getrandbits(k)` for `k <= 64`; `None` when `k > 64`. Same value and same generator
    /// use as [`Random::getrandbits`].
    pub fn getrandbits_u64(&mut self, k: u32) -> Option<u64> {
        match k {
            0 => Some(0),
            1..=32 => Some(u64::from(self.next_u32() >> (32 - k))),
            33..=64 => Some(self.bits_u128(k) as u64),
            _ => None,
        }
    }

    /// `getrandbits(k)`. Errors as CPython: a negative `k` (ValueError) and one beyond a C
    /// `int` (OverflowError). Note `k` near 2**31 asks for a 256 MiB number, as in CPython;
    /// if that cannot be allocated the error is a MemoryError, not an abort.
    pub fn getrandbits(&mut self, k: i64) -> Result<BigInt, String> {
        if k < 0 {
            return Err(NEGATIVE_BITS.into());
        }
        if k > i64::from(i32::MAX) {
            return Err(TOO_MANY_BITS.into());
        }
        let k = k as u64;
        if k <= 128 {
            return Ok(BigInt::from(self.bits_u128(k as u32)));
        }
        let mut digits = Vec::new();
        digits
            .try_reserve_exact(word_count(k))
            .map_err(|_| NO_MEMORY.to_string())?;
        Ok(self.bits_into(k, digits))
    }

    /// `getrandbits(k)` for `1 <= k <= 128` (0 for `k == 0`): 32-bit words least
    /// significant first, the last one cut down to the bits still wanted.
    fn bits_u128(&mut self, k: u32) -> u128 {
        if k == 0 {
            return 0;
        }
        if k <= 32 {
            return u128::from(self.next_u32() >> (32 - k));
        }
        let mut result = 0u128;
        let mut left = k;
        let mut shift = 0;
        while left > 0 {
            let mut w = self.next_u32();
            if left < 32 {
                w >>= 32 - left;
            }
            result |= u128::from(w) << shift;
            shift += 32;
            left = left.saturating_sub(32);
        }
        result
    }

    /// `getrandbits(k)` for `k > 0`, built in `digits` (empty, with room for the words).
    fn bits_into(&mut self, k: u64, mut digits: Vec<u32>) -> BigInt {
        let mut left = k;
        while left > 0 {
            let mut w = self.next_u32();
            if left < 32 {
                w >>= 32 - left;
            }
            digits.push(w);
            left = left.saturating_sub(32);
        }
        BigInt::from_biguint(Sign::Plus, BigUint::new(digits))
    }

    /// `_randbelow(n)` for `n` up to 2**128 - 1: a number in `[0, n)`.
    fn randbelow_u128(&mut self, n: u128) -> u128 {
        if n == 0 {
            return 0;
        }
        let k = 128 - n.leading_zeros();
        loop {
            let r = self.bits_u128(k);
            if r < n {
                return r;
            }
        }
    }

    /// `_randbelow(n)` (`_randbelow_with_getrandbits`): `k = n.bit_length()`, then
    /// `getrandbits(k)` until the result is below `n`.
    ///
    /// `n == 0` returns 0 without using the generator. (CPython 3.11 would loop forever, but
    /// none of its public methods ever asks for `_randbelow(0)`.)
    pub fn randbelow_u64(&mut self, n: u64) -> u64 {
        self.randbelow_u128(u128::from(n)) as u64
    }

    /// [`Random::randbelow_u64`] for any int; `n <= 0` returns 0 without using the
    /// generator.
    pub fn randbelow(&mut self, n: &BigInt) -> BigInt {
        if !n.is_positive() {
            return BigInt::zero();
        }
        if let Some(small) = n.to_u128() {
            return BigInt::from(self.randbelow_u128(small));
        }
        let k = n.bits();
        loop {
            // `n` itself takes as many words, so this allocation is not the one that fails.
            let r = self.bits_into(k, Vec::with_capacity(word_count(k)));
            if &r < n {
                return r;
            }
        }
    }

    /// `randrange(start, stop, step)` for ints that fit in 64 bits. `stop: None` is the
    /// one-argument form `randrange(stop)` (the range is `[0, start)`); `step: None` is an
    /// omitted step. Errors carry CPython's messages (see [`exception_class`]).
    pub fn randrange_i64(
        &mut self,
        start: i64,
        stop: Option<i64>,
        step: Option<i64>,
    ) -> Result<i64, String> {
        let r = self.randrange_i128(
            i128::from(start),
            stop.map(i128::from),
            step.map(i128::from),
        )?;
        // The result lies between start and stop, so it fits; the fallback is unreachable.
        Ok(r.to_i64().unwrap_or(start))
    }

    /// `randint(a, b)` (`randrange(a, b + 1)`) for ints that fit in 64 bits.
    pub fn randint_i64(&mut self, a: i64, b: i64) -> Result<i64, String> {
        let r = self.randrange_i128(i128::from(a), Some(i128::from(b) + 1), None)?;
        Ok(r.to_i64().unwrap_or(a))
    }

    /// `randrange` on values of at most 65 bits, so nothing below overflows an `i128`.
    fn randrange_i128(
        &mut self,
        start: i128,
        stop: Option<i128>,
        step: Option<i128>,
    ) -> Result<i128, String> {
        let step_value = step.unwrap_or(1);
        let Some(stop) = stop else {
            if step_value != 1 {
                return Err(MISSING_STOP.into());
            }
            if start > 0 {
                return Ok(self.randbelow_u128(start as u128) as i128);
            }
            return Err(EMPTY_RANGE.into());
        };
        let width = stop - start;
        if step_value == 1 {
            if width > 0 {
                return Ok(start + self.randbelow_u128(width as u128) as i128);
            }
            return Err(format!("{EMPTY_RANGE} ({start}, {stop}, {width})"));
        }
        let n = match step_value {
            0 => return Err(ZERO_STEP.into()),
            s if s > 0 => (width + s - 1).div_euclid(s),
            // Python's a // s for s < 0 is floor((-a) / (-s)), a positive divisor.
            s => (-(width + s + 1)).div_euclid(-s),
        };
        if n <= 0 {
            return Err(EMPTY_RANGE.into());
        }
        Ok(start + step_value * self.randbelow_u128(n as u128) as i128)
    }

    /// `randrange(start, stop, step)` for any ints; arguments as in
    /// [`Random::randrange_i64`].
    pub fn randrange(
        &mut self,
        start: &BigInt,
        stop: Option<&BigInt>,
        step: Option<&BigInt>,
    ) -> Result<BigInt, String> {
        let small = |v: &BigInt| v.to_i64().map(i128::from);
        let fits = small(start).is_some()
            && stop.is_none_or(|v| small(v).is_some())
            && step.is_none_or(|v| small(v).is_some());
        if fits {
            let r = self.randrange_i128(
                small(start).unwrap_or(0),
                stop.and_then(small),
                step.and_then(small),
            )?;
            return Ok(BigInt::from(r));
        }
        self.randrange_big(start, stop, step)
    }

    /// `randrange` in `BigInt` arithmetic throughout.
    fn randrange_big(
        &mut self,
        start: &BigInt,
        stop: Option<&BigInt>,
        step: Option<&BigInt>,
    ) -> Result<BigInt, String> {
        let one = BigInt::one();
        let step = step.unwrap_or(&one);
        let Some(stop) = stop else {
            if !step.is_one() {
                return Err(MISSING_STOP.into());
            }
            if start.is_positive() {
                return Ok(self.randbelow(start));
            }
            return Err(EMPTY_RANGE.into());
        };
        let width = stop - start;
        if step.is_one() {
            if width.is_positive() {
                return Ok(start + self.randbelow(&width));
            }
            return Err(format!("{EMPTY_RANGE} ({start}, {stop}, {width})"));
        }
        let n = if step.is_positive() {
            floor_div(&(&width + step - 1), step)
        } else if step.is_negative() {
            floor_div(&(&width + step + 1), step)
        } else {
            return Err(ZERO_STEP.into());
        };
        if !n.is_positive() {
            return Err(EMPTY_RANGE.into());
        }
        Ok(start + step * self.randbelow(&n))
    }

    /// `randint(a, b)`: `randrange(a, b + 1)`, so `randint(5, 1)` fails with
    /// `"empty range for randrange() (5, 2, -3)"`.
    pub fn randint(&mut self, a: &BigInt, b: &BigInt) -> Result<BigInt, String> {
        let stop = b + 1;
        self.randrange(a, Some(&stop), None)
    }

    /// The index `choice(seq)` picks for a sequence of length `len`: `_randbelow(len)`, or
    /// IndexError `"Cannot choose from an empty sequence"`.
    pub fn choice_index(&mut self, len: usize) -> Result<usize, String> {
        if len == 0 {
            return Err(EMPTY_CHOICE.into());
        }
        Ok(self.randbelow_u64(len as u64) as usize)
    }

    /// `shuffle(x)`: for `i` from `len - 1` down to 1, swap `x[i]` with
    /// `x[_randbelow(i + 1)]`.
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.randbelow_u64(i as u64 + 1) as usize;
            x.swap(i, j);
        }
    }

    /// The indices `sample(population, k)` picks from a population of length `n`, in
    /// selection order: `sample(pop, k) == [pop[i] for i in sample_indices(len(pop), k)]`.
    /// CPython's two algorithms are both reproduced (a pool list when `n` is small next to
    /// `k`, a set of picks otherwise). A negative `k` is the caller's to report with the
    /// same message: `"Sample larger than population or is negative"` (ValueError).
    pub fn sample_indices(&mut self, n: usize, k: usize) -> Result<Vec<usize>, String> {
        if k > n {
            return Err(BAD_SAMPLE.into());
        }
        let mut result = Vec::new();
        result
            .try_reserve_exact(k)
            .map_err(|_| NO_MEMORY.to_string())?;
        if (n as u128) <= sample_setsize(k) {
            let mut pool: Vec<usize> = (0..n).collect();
            for i in 0..k {
                let j = self.randbelow_u64((n - i) as u64) as usize;
                result.push(pool[j]);
                pool[j] = pool[n - i - 1];
            }
        } else {
            let mut selected = HashSet::new();
            selected.try_reserve(k).map_err(|_| NO_MEMORY.to_string())?;
            for _ in 0..k {
                let mut j = self.randbelow_u64(n as u64) as usize;
                while selected.contains(&j) {
                    j = self.randbelow_u64(n as u64) as usize;
                }
                selected.insert(j);
                result.push(j);
            }
        }
        Ok(result)
    }
}

/// How many 32-bit words `getrandbits(k)` draws: `(k - 1) / 32 + 1` for `k > 0`.
fn word_count(k: u64) -> usize {
    usize::try_from(k.saturating_sub(1) / 32 + 1).unwrap_or(usize::MAX)
}

/// `sample`'s threshold: `21 + (4 ** ceil(log(k * 3, 4)) if k > 5 else 0)`, with the float
/// logarithm CPython's `math.log(x, base)` computes (`log(x) / log(base)`).
fn sample_setsize(k: usize) -> u128 {
    let mut setsize: u128 = 21;
    if k > 5 {
        let x = (k as u128 * 3) as f64;
        let e = (x.ln() / 4f64.ln()).ceil();
        setsize = setsize.saturating_add(4u128.checked_pow(e as u32).unwrap_or(u128::MAX));
    }
    setsize
}

/// Python's `a // b` (rounds toward negative infinity); `b` is nonzero.
fn floor_div(a: &BigInt, b: &BigInt) -> BigInt {
    let q = a / b;
    let r = a - &q * b;
    if !r.is_zero() && (r.is_negative() != b.is_negative()) {
        q - 1
    } else {
        q
    }
}

#[cfg(test)]
mod tests;
