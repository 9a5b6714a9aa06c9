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
mod tests {
    //! Every expected value below was printed by CPython 3.11.7 running the `python3 -c`
    //! command in the comment above it.

    use super::*;

    fn big(s: &str) -> BigInt {
        s.parse().unwrap()
    }

    fn seeded(seed: &str) -> Random {
        Random::from_bigint(&big(seed))
    }

    /// The items of a printed Python list (or of a single printed value).
    fn items(list: &str) -> Vec<&str> {
        let inner = list.trim().trim_start_matches('[').trim_end_matches(']');
        inner
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }

    fn ints(list: &str) -> Vec<i64> {
        items(list)
            .into_iter()
            .map(|s| s.parse().unwrap())
            .collect()
    }

    fn bigs(list: &str) -> Vec<BigInt> {
        items(list).into_iter().map(big).collect()
    }

    /// `repr` of a float round-trips, so equal bits mean the same float CPython printed.
    fn assert_same_floats(got: &[f64], list: &str) {
        let want: Vec<f64> = items(list)
            .into_iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(got),
            bits(&want),
            "got {got:?}, CPython printed {list}"
        );
    }

    fn assert_floats(r: &mut Random, n: usize, list: &str) {
        let got: Vec<f64> = (0..n).map(|_| r.random()).collect();
        assert_same_floats(&got, list);
    }

    #[test]
    fn random_matches_cpython() {
        // python3 -c "import random; r = random.Random(0); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("0"), 5, "[0.8444218515250481, 0.7579544029403025, 0.420571580830845, 0.25891675029296335, 0.5112747213686085]");
        // python3 -c "import random; r = random.Random(1); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("1"), 5, "[0.13436424411240122, 0.8474337369372327, 0.763774618976614, 0.2550690257394217, 0.49543508709194095]");
        // python3 -c "import random; r = random.Random(42); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("42"), 5, "[0.6394267984578837, 0.025010755222666936, 0.27502931836911926, 0.22321073814882275, 0.7364712141640124]");
        // python3 -c "import random; r = random.Random(2**40); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("1099511627776"), 5, "[0.1036394562812375, 0.6705558677439764, 0.4266543913526999, 0.38773077278691204, 0.6264862385425468]");
        // python3 -c "import random; r = random.Random(2**32 - 1); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("4294967295"), 5, "[0.6353574441341173, 0.20319993954407756, 0.6073666030347188, 0.29133552762158776, 0.3400278163075766]");
        // python3 -c "import random; r = random.Random(2**32); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("4294967296"), 5, "[0.11299430095636409, 0.41782886486292836, 0.0166763664992291, 0.6117214625782752, 0.8056470212514185]");
        // python3 -c "import random; r = random.Random(2**64 - 1); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("18446744073709551615"), 5, "[0.021825695401270107, 0.3380953268613758, 0.21196748656082065, 0.6151259995625727, 0.9195709817171983]");
        // python3 -c "import random; r = random.Random(12345678901234567890123); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("12345678901234567890123"), 5, "[0.15803717805068784, 0.9863365111874665, 0.13242015726274725, 0.3919360577965567, 0.7210660827324641]");
        // python3 -c "import random; r = random.Random(-42); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("-42"), 5, "[0.6394267984578837, 0.025010755222666936, 0.27502931836911926, 0.22321073814882275, 0.7364712141640124]");
        // python3 -c "import random; r = random.Random(-12345678901234567890123); print([r.random() for _ in range(5)])"
        assert_floats(&mut seeded("-12345678901234567890123"), 5, "[0.15803717805068784, 0.9863365111874665, 0.13242015726274725, 0.3919360577965567, 0.7210660827324641]");
    }

    #[test]
    fn long_stream_crosses_many_twists() {
        // python3 -c "import random; r = random.Random(7); print([r.random() for _ in range(1000)][-3:])"
        let mut r = Random::new(7);
        for _ in 0..997 {
            r.random();
        }
        assert_floats(
            &mut r,
            3,
            "[0.05426493102355956, 0.5039240635549089, 0.37786262968738116]",
        );
    }

    #[test]
    fn randint_dice_matches_cpython() {
        // python3 -c "import random; r = random.Random(0); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("0");
        let got: Vec<i64> = (0..20).map(|_| r.randint_i64(1, 6).unwrap()).collect();
        assert_eq!(
            got,
            ints("[4, 4, 1, 3, 5, 4, 4, 3, 4, 3, 5, 2, 5, 2, 3, 2, 1, 5, 3, 5]")
        );
        // python3 -c "import random; r = random.Random(0); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("0");
        let got: Vec<i64> = (0..20)
            .map(|_| r.randint(&1.into(), &6.into()).unwrap().to_i64().unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[4, 4, 1, 3, 5, 4, 4, 3, 4, 3, 5, 2, 5, 2, 3, 2, 1, 5, 3, 5]")
        );
        // python3 -c "import random; r = random.Random(1); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("1");
        let got: Vec<i64> = (0..20).map(|_| r.randint_i64(1, 6).unwrap()).collect();
        assert_eq!(
            got,
            ints("[2, 5, 1, 3, 1, 4, 4, 4, 6, 4, 2, 1, 4, 1, 4, 4, 5, 1, 6, 4]")
        );
        // python3 -c "import random; r = random.Random(1); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("1");
        let got: Vec<i64> = (0..20)
            .map(|_| r.randint(&1.into(), &6.into()).unwrap().to_i64().unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[2, 5, 1, 3, 1, 4, 4, 4, 6, 4, 2, 1, 4, 1, 4, 4, 5, 1, 6, 4]")
        );
        // python3 -c "import random; r = random.Random(42); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("42");
        let got: Vec<i64> = (0..20).map(|_| r.randint_i64(1, 6).unwrap()).collect();
        assert_eq!(
            got,
            ints("[6, 1, 1, 6, 3, 2, 2, 2, 6, 1, 6, 6, 5, 1, 5, 4, 1, 1, 1, 2]")
        );
        // python3 -c "import random; r = random.Random(42); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("42");
        let got: Vec<i64> = (0..20)
            .map(|_| r.randint(&1.into(), &6.into()).unwrap().to_i64().unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[6, 1, 1, 6, 3, 2, 2, 2, 6, 1, 6, 6, 5, 1, 5, 4, 1, 1, 1, 2]")
        );
        // python3 -c "import random; r = random.Random(2**40); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("1099511627776");
        let got: Vec<i64> = (0..20).map(|_| r.randint_i64(1, 6).unwrap()).collect();
        assert_eq!(
            got,
            ints("[1, 3, 6, 1, 4, 1, 4, 4, 6, 5, 1, 6, 6, 4, 6, 5, 3, 4, 6, 3]")
        );
        // python3 -c "import random; r = random.Random(2**40); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("1099511627776");
        let got: Vec<i64> = (0..20)
            .map(|_| r.randint(&1.into(), &6.into()).unwrap().to_i64().unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[1, 3, 6, 1, 4, 1, 4, 4, 6, 5, 1, 6, 6, 4, 6, 5, 3, 4, 6, 3]")
        );
        // python3 -c "import random; r = random.Random(12345678901234567890123); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("12345678901234567890123");
        let got: Vec<i64> = (0..20).map(|_| r.randint_i64(1, 6).unwrap()).collect();
        assert_eq!(
            got,
            ints("[2, 5, 2, 6, 4, 2, 6, 3, 1, 5, 6, 2, 4, 5, 3, 6, 5, 3, 3, 5]")
        );
        // python3 -c "import random; r = random.Random(12345678901234567890123); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("12345678901234567890123");
        let got: Vec<i64> = (0..20)
            .map(|_| r.randint(&1.into(), &6.into()).unwrap().to_i64().unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[2, 5, 2, 6, 4, 2, 6, 3, 1, 5, 6, 2, 4, 5, 3, 6, 5, 3, 3, 5]")
        );
        // python3 -c "import random; r = random.Random(-7); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("-7");
        let got: Vec<i64> = (0..20).map(|_| r.randint_i64(1, 6).unwrap()).collect();
        assert_eq!(
            got,
            ints("[3, 2, 4, 6, 1, 1, 5, 1, 3, 5, 1, 5, 2, 1, 1, 4, 4, 1, 2, 1]")
        );
        // python3 -c "import random; r = random.Random(-7); print([r.randint(1, 6) for _ in range(20)])"
        let mut r = seeded("-7");
        let got: Vec<i64> = (0..20)
            .map(|_| r.randint(&1.into(), &6.into()).unwrap().to_i64().unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[3, 2, 4, 6, 1, 1, 5, 1, 3, 5, 1, 5, 2, 1, 1, 4, 4, 1, 2, 1]")
        );
    }

    #[test]
    fn randrange_matches_cpython() {
        // python3 -c "import random; r = random.Random(0); print([r.randrange(0, 100, 7) for _ in range(10)])"
        let mut r = Random::new(0);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(0, Some(100), Some(7)).unwrap())
            .collect();
        assert_eq!(got, ints("[91, 42, 84, 98, 42, 0, 28, 56, 49, 42]"));
        // python3 -c "import random; r = random.Random(0); print([r.randrange(100, 0, -7) for _ in range(10)])"
        let mut r = Random::new(0);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(100, Some(0), Some(-7)).unwrap())
            .collect();
        assert_eq!(got, ints("[9, 58, 16, 2, 58, 100, 72, 44, 51, 58]"));
        // python3 -c "import random; r = random.Random(0); print([r.randrange(-5, 6, 3) for _ in range(10)])"
        let mut r = Random::new(0);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(-5, Some(6), Some(3)).unwrap())
            .collect();
        assert_eq!(got, ints("[4, 4, -5, 1, 4, 4, 1, 4, 1, -2]"));
        // python3 -c "import random; r = random.Random(0); print([r.randrange(10) for _ in range(10)])"
        let mut r = Random::new(0);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(10, None, None).unwrap())
            .collect();
        assert_eq!(got, ints("[6, 6, 0, 4, 8, 7, 6, 4, 7, 5]"));
        // python3 -c "import random; r = random.Random(0); print([r.randrange(-10, 10) for _ in range(10)])"
        let mut r = Random::new(0);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(-10, Some(10), None).unwrap())
            .collect();
        assert_eq!(got, ints("[2, 3, -9, -2, 6, 5, 2, -1, 5, 1]"));
        // python3 -c "import random; r = random.Random(0); print([r.randrange(3, 1000003) for _ in range(10)])"
        let mut r = Random::new(0);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(3, Some(1000003), Some(1)).unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[885443, 403961, 794775, 933491, 441004, 42453, 271496, 536113, 509535, 424607]")
        );
        // python3 -c "import random; r = random.Random(1); print([r.randrange(0, 100, 7) for _ in range(10)])"
        let mut r = Random::new(1);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(0, Some(100), Some(7)).unwrap())
            .collect();
        assert_eq!(got, ints("[14, 63, 91, 84, 84, 7, 28, 7, 49, 84]"));
        // python3 -c "import random; r = random.Random(1); print([r.randrange(100, 0, -7) for _ in range(10)])"
        let mut r = Random::new(1);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(100, Some(0), Some(-7)).unwrap())
            .collect();
        assert_eq!(got, ints("[86, 37, 9, 16, 16, 93, 72, 93, 51, 16]"));
        // python3 -c "import random; r = random.Random(1); print([r.randrange(-5, 6, 3) for _ in range(10)])"
        let mut r = Random::new(1);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(-5, Some(6), Some(3)).unwrap())
            .collect();
        assert_eq!(got, ints("[-2, -5, 1, -5, 4, 4, 4, 4, -2, -5]"));
        // python3 -c "import random; r = random.Random(1); print([r.randrange(10) for _ in range(10)])"
        let mut r = Random::new(1);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(10, None, None).unwrap())
            .collect();
        assert_eq!(got, ints("[2, 9, 1, 4, 1, 7, 7, 7, 6, 3]"));
        // python3 -c "import random; r = random.Random(1); print([r.randrange(-10, 10) for _ in range(10)])"
        let mut r = Random::new(1);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(-10, Some(10), None).unwrap())
            .collect();
        assert_eq!(got, ints("[-6, 8, -8, -2, -7, 5, 4, 5, 2, -4]"));
        // python3 -c "import random; r = random.Random(1); print([r.randrange(3, 1000003) for _ in range(10)])"
        let mut r = Random::new(1);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(3, Some(1000003), Some(1)).unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[140894, 596856, 888601, 841238, 800878, 66175, 267462, 123649, 519504, 797929]")
        );
        // python3 -c "import random; r = random.Random(42); print([r.randrange(0, 100, 7) for _ in range(10)])"
        let mut r = Random::new(42);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(0, Some(100), Some(7)).unwrap())
            .collect();
        assert_eq!(got, ints("[70, 7, 0, 77, 28, 21, 21, 14, 77, 7]"));
        // python3 -c "import random; r = random.Random(42); print([r.randrange(100, 0, -7) for _ in range(10)])"
        let mut r = Random::new(42);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(100, Some(0), Some(-7)).unwrap())
            .collect();
        assert_eq!(got, ints("[30, 93, 100, 23, 72, 79, 79, 86, 23, 93]"));
        // python3 -c "import random; r = random.Random(42); print([r.randrange(-5, 6, 3) for _ in range(10)])"
        let mut r = Random::new(42);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(-5, Some(6), Some(3)).unwrap())
            .collect();
        assert_eq!(got, ints("[-5, -5, 1, -2, -2, -2, -5, -5, 4, -5]"));
        // python3 -c "import random; r = random.Random(42); print([r.randrange(10) for _ in range(10)])"
        let mut r = Random::new(42);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(10, None, None).unwrap())
            .collect();
        assert_eq!(got, ints("[1, 0, 4, 3, 3, 2, 1, 8, 1, 9]"));
        // python3 -c "import random; r = random.Random(42); print([r.randrange(-10, 10) for _ in range(10)])"
        let mut r = Random::new(42);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(-10, Some(10), None).unwrap())
            .collect();
        assert_eq!(got, ints("[-7, -10, -2, -3, -3, -6, -7, 7, -8, 8]"));
        // python3 -c "import random; r = random.Random(42); print([r.randrange(3, 1000003) for _ in range(10)])"
        let mut r = Random::new(42);
        let got: Vec<i64> = (0..10)
            .map(|_| r.randrange_i64(3, Some(1000003), Some(1)).unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[670490, 116742, 26228, 777575, 288392, 256790, 234056, 146319, 772249, 107476]")
        );
    }

    #[test]
    fn choice_matches_cpython() {
        // python3 -c "import random; r = random.Random(0); print([r.choice(range(7)) for _ in range(10)])"
        let mut r = Random::new(0);
        let got: Vec<i64> = (0..10).map(|_| r.choice_index(7).unwrap() as i64).collect();
        assert_eq!(got, ints("[6, 3, 6, 3, 0, 2, 4, 3, 3, 6]"));
        // python3 -c "import random; r = random.Random(0); print([r.choice(range(1000)) for _ in range(10)])"
        let mut r = Random::new(0);
        let got: Vec<i64> = (0..10)
            .map(|_| r.choice_index(1000).unwrap() as i64)
            .collect();
        assert_eq!(
            got,
            ints("[864, 394, 776, 911, 430, 41, 265, 988, 523, 497]")
        );
        // python3 -c "import random; r = random.Random(1); print([r.choice(range(7)) for _ in range(10)])"
        let mut r = Random::new(1);
        let got: Vec<i64> = (0..10).map(|_| r.choice_index(7).unwrap() as i64).collect();
        assert_eq!(got, ints("[1, 4, 6, 6, 6, 0, 2, 0, 3, 6]"));
        // python3 -c "import random; r = random.Random(1); print([r.choice(range(1000)) for _ in range(10)])"
        let mut r = Random::new(1);
        let got: Vec<i64> = (0..10)
            .map(|_| r.choice_index(1000).unwrap() as i64)
            .collect();
        assert_eq!(
            got,
            ints("[137, 582, 867, 821, 782, 64, 261, 120, 507, 779]")
        );
        // python3 -c "import random; r = random.Random(42); print([r.choice(range(7)) for _ in range(10)])"
        let mut r = Random::new(42);
        let got: Vec<i64> = (0..10).map(|_| r.choice_index(7).unwrap() as i64).collect();
        assert_eq!(got, ints("[5, 0, 0, 5, 2, 1, 1, 1, 5, 0]"));
        // python3 -c "import random; r = random.Random(42); print([r.choice(range(1000)) for _ in range(10)])"
        let mut r = Random::new(42);
        let got: Vec<i64> = (0..10)
            .map(|_| r.choice_index(1000).unwrap() as i64)
            .collect();
        assert_eq!(
            got,
            ints("[654, 114, 25, 759, 281, 250, 228, 142, 754, 104]")
        );
    }

    #[test]
    fn shuffle_matches_cpython() {
        // python3 -c "import random; r = random.Random(0); x = list(range(10)); r.shuffle(x); print(x)"
        let mut r = Random::new(0);
        let mut x: Vec<i64> = (0..10).collect();
        r.shuffle(&mut x);
        assert_eq!(x, ints("[7, 8, 1, 5, 3, 4, 2, 0, 9, 6]"));
        // python3 -c "import random; r = random.Random(1); x = list(range(10)); r.shuffle(x); print(x)"
        let mut r = Random::new(1);
        let mut x: Vec<i64> = (0..10).collect();
        r.shuffle(&mut x);
        assert_eq!(x, ints("[6, 8, 9, 7, 5, 3, 0, 4, 1, 2]"));
        // python3 -c "import random; r = random.Random(42); x = list(range(10)); r.shuffle(x); print(x)"
        let mut r = Random::new(42);
        let mut x: Vec<i64> = (0..10).collect();
        r.shuffle(&mut x);
        assert_eq!(x, ints("[7, 3, 2, 8, 5, 6, 9, 4, 0, 1]"));
        // python3 -c "import random; r = random.Random(2024); x = list(range(10)); r.shuffle(x); print(x)"
        let mut r = Random::new(2024);
        let mut x: Vec<i64> = (0..10).collect();
        r.shuffle(&mut x);
        assert_eq!(x, ints("[6, 0, 9, 8, 3, 5, 1, 4, 2, 7]"));
        // python3 -c "import random; r = random.Random(5); x = list(range(52)); r.shuffle(x); r.shuffle(x); print(x)"
        let mut r = Random::new(5);
        let mut x: Vec<i64> = (0..52).collect();
        r.shuffle(&mut x);
        r.shuffle(&mut x);
        assert_eq!(x, ints("[14, 39, 44, 30, 1, 28, 49, 41, 34, 38, 33, 9, 6, 13, 36, 0, 10, 8, 32, 21, 22, 40, 25, 3, 50, 47, 35, 24, 45, 31, 27, 19, 37, 42, 2, 46, 29, 15, 11, 23, 7, 16, 4, 43, 17, 51, 48, 5, 26, 18, 20, 12]"));
        // python3 -c "import random; r = random.Random(3); r.shuffle([]); r.shuffle(['a']); print([r.random()])"
        let mut r = Random::new(3);
        r.shuffle::<i64>(&mut []);
        r.shuffle(&mut ["a"]);
        assert_floats(&mut r, 1, "[0.23796462709189137]");
    }

    #[test]
    fn getrandbits_matches_cpython() {
        // python3 -c "import random; r = random.Random(0); print([r.getrandbits(70) for _ in range(3)])"
        let mut r = Random::new(0);
        let got: Vec<BigInt> = (0..3).map(|_| r.getrandbits(70).unwrap()).collect();
        assert_eq!(
            got,
            bigs("[892550237140533643213, 44651664552134903426, 608105494072089140794]")
        );
        // python3 -c "import random; r = random.Random(0); print([r.getrandbits(k) for k in (0, 1, 31, 32, 33, 64, 65, 128, 129, 200)])"
        let mut r = Random::new(0);
        let got: Vec<BigInt> = [0, 1, 31, 32, 33, 64, 65, 128, 129, 200]
            .iter()
            .map(|&k| r.getrandbits(k).unwrap())
            .collect();
        assert_eq!(got, bigs("[0, 1, 827307999, 3255389356, 3823568514, 4776171008201404212, 9431353882395063546, 282384309546404946677649712557383598968, 462120255363844247782555857152788260617, 221467685582149291231601965179886941171002181040844656861048]"));
        // python3 -c "import random; r = random.Random(0); print([r.getrandbits(k) for k in (0, 1, 31, 32, 33, 63, 64)])"
        let mut r = Random::new(0);
        let got: Vec<BigInt> = [0, 1, 31, 32, 33, 63, 64]
            .iter()
            .map(|&k| BigInt::from(r.getrandbits_u64(k).unwrap()))
            .collect();
        assert_eq!(got, bigs("[0, 1, 827307999, 3255389356, 3823568514, 2388085504187641652, 9431353882395063546]"));
        // python3 -c "import random; r = random.Random(1); print([r.getrandbits(70) for _ in range(3)])"
        let mut r = Random::new(1);
        let got: Vec<BigInt> = (0..3).map(|_| r.getrandbits(70).unwrap()).collect();
        assert_eq!(
            got,
            bigs("[1006624138111981302261, 87876131233047068208, 574024282404777899068]")
        );
        // python3 -c "import random; r = random.Random(1); print([r.getrandbits(k) for k in (0, 1, 31, 32, 33, 64, 65, 128, 129, 200)])"
        let mut r = Random::new(1);
        let got: Vec<BigInt> = [0, 1, 31, 32, 33, 64, 65, 128, 129, 200]
            .iter()
            .map(|&k| r.getrandbits(k).unwrap())
            .collect();
        assert_eq!(got, bigs("[0, 0, 1222356005, 3639700191, 7740669488, 4705193143269049553, 27585908342315281289, 129176366506811563998062229966612977827, 166009017894195518998964518480731817494, 1235096849736553691089255614083233473180715521526889926651110]"));
        // python3 -c "import random; r = random.Random(1); print([r.getrandbits(k) for k in (0, 1, 31, 32, 33, 63, 64)])"
        let mut r = Random::new(1);
        let got: Vec<BigInt> = [0, 1, 31, 32, 33, 63, 64]
            .iter()
            .map(|&k| BigInt::from(r.getrandbits_u64(k).unwrap()))
            .collect();
        assert_eq!(got, bigs("[0, 0, 1222356005, 3639700191, 7740669488, 2352596571770045649, 9139164268605729673]"));
        // python3 -c "import random; r = random.Random(42); print([r.getrandbits(70) for _ in range(3)])"
        let mut r = Random::new(42);
        let got: Vec<BigInt> = (0..3).map(|_| r.getrandbits(70).unwrap()).collect();
        assert_eq!(
            got,
            bigs("[20500439928067422621, 281774556622676705531, 869570991858821387998]")
        );
        // python3 -c "import random; r = random.Random(42); print([r.getrandbits(k) for k in (0, 1, 31, 32, 33, 64, 65, 128, 129, 200)])"
        let mut r = Random::new(42);
        let got: Vec<BigInt> = [0, 1, 31, 32, 33, 64, 65, 128, 129, 200]
            .iter()
            .map(|&k| r.getrandbits(k).unwrap())
            .collect();
        assert_eq!(got, bigs("[0, 1, 239081663, 107420369, 3184935163, 4117511471858006928, 13585496030504862185, 185578616378189204242098119342246604141, 10815086864369140228011711957873827714, 897792117144048142316164096045513430531204566139182870456666]"));
        // python3 -c "import random; r = random.Random(42); print([r.getrandbits(k) for k in (0, 1, 31, 32, 33, 63, 64)])"
        let mut r = Random::new(42);
        let got: Vec<BigInt> = [0, 1, 31, 32, 33, 63, 64]
            .iter()
            .map(|&k| BigInt::from(r.getrandbits_u64(k).unwrap()))
            .collect();
        assert_eq!(got, bigs("[0, 1, 239081663, 107420369, 3184935163, 2058755736454904720, 13585496030504862185]"));
    }

    #[test]
    fn big_ranges_match_cpython() {
        // python3 -c "import random; r = random.Random(0); print([r.randint(0, 2**100) for _ in range(3)])"
        let mut r = Random::new(0);
        let got: Vec<BigInt> = (0..3)
            .map(|_| {
                r.randint(&BigInt::zero(), &(BigInt::one() << 100u32))
                    .unwrap()
            })
            .collect();
        assert_eq!(got, bigs("[356898062616215882931197580819, 297565466266494033898682877555, 388389600720586979337566840222]"));
        // python3 -c "import random; r = random.Random(0); print([r.randint(0, 10**30) for _ in range(3)])"
        let mut r = Random::new(0);
        let got: Vec<BigInt> = (0..3)
            .map(|_| {
                r.randint(&BigInt::zero(), &big("1000000000000000000000000000000"))
                    .unwrap()
            })
            .collect();
        assert_eq!(got, bigs("[198441737587687207744109680147, 139109141237965358711594976883, 949374075050023004062815166826]"));
        // python3 -c "import random; r = random.Random(0); print([r.randint(-2**70, -2**69), r.randrange(2**80, -2**80, -3**30), r.randrange(2**90)])"
        let mut r = Random::new(0);
        let got = vec![
            r.randint(&-(BigInt::one() << 70u32), &-(BigInt::one() << 69u32))
                .unwrap(),
            r.randrange(
                &(BigInt::one() << 80u32),
                Some(&-(BigInt::one() << 80u32)),
                Some(&-BigInt::from(3u64.pow(30))),
            )
            .unwrap(),
            r.randrange(&(BigInt::one() << 90u32), None, None).unwrap(),
        ];
        assert_eq!(
            got,
            bigs(
                "[-1135939956165276399998, -127487883306880379546834, 540838003319991979588444024]"
            )
        );
        // python3 -c "import random; r = random.Random(0); print([r.randint(-2**63, 2**63 - 1) for _ in range(3)])"
        let mut r = Random::new(0);
        let got: Vec<i64> = (0..3)
            .map(|_| r.randint_i64(i64::MIN, i64::MAX).unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[-1465195632138975614, 6084712057446794809, -431710025170174585]")
        );
        // python3 -c "import random; r = random.Random(0); print([r.randint(-2**63, 2**63 - 1) for _ in range(3)])"
        let mut r = Random::new(0);
        let (lo, hi) = (BigInt::from(i64::MIN), BigInt::from(i64::MAX));
        let got: Vec<BigInt> = (0..3)
            .map(|_| r.randrange_big(&lo, Some(&(&hi + 1)), None).unwrap())
            .collect();
        assert_eq!(
            got,
            bigs("[-1465195632138975614, 6084712057446794809, -431710025170174585]")
        );
        // python3 -c "import random; r = random.Random(1); print([r.randint(0, 2**100) for _ in range(3)])"
        let mut r = Random::new(1);
        let got: Vec<BigInt> = (0..3)
            .map(|_| {
                r.randint(&BigInt::zero(), &(BigInt::one() << 100u32))
                    .unwrap()
            })
            .collect();
        assert_eq!(got, bigs("[257893138214497023143050656708, 1224034788634370058789038904699, 537858077217041235644037123099]"));
        // python3 -c "import random; r = random.Random(1); print([r.randint(0, 10**30) for _ in range(3)])"
        let mut r = Random::new(1);
        let got: Vec<BigInt> = (0..3)
            .map(|_| {
                r.randint(&BigInt::zero(), &big("1000000000000000000000000000000"))
                    .unwrap()
            })
            .collect();
        assert_eq!(got, bigs("[99436813185968347955962756036, 590209488520255358040687302011, 300173589674248222863405272091]"));
        // python3 -c "import random; r = random.Random(1); print([r.randint(-2**70, -2**69), r.randrange(2**80, -2**80, -3**30), r.randrange(2**90)])"
        let mut r = Random::new(1);
        let got = vec![
            r.randint(&-(BigInt::one() << 70u32), &-(BigInt::one() << 69u32))
                .unwrap(),
            r.randrange(
                &(BigInt::one() << 80u32),
                Some(&-(BigInt::one() << 80u32)),
                Some(&-BigInt::from(3u64.pow(30))),
            )
            .unwrap(),
            r.randrange(&(BigInt::one() << 90u32), None, None).unwrap(),
        ];
        assert_eq!(
            got,
            bigs(
                "[-1092715489484364235216, 983369377348336414761124, 1112885978131888279668446587]"
            )
        );
        // python3 -c "import random; r = random.Random(1); print([r.randint(-2**63, 2**63 - 1) for _ in range(3)])"
        let mut r = Random::new(1);
        let got: Vec<i64> = (0..3)
            .map(|_| r.randint_i64(i64::MIN, i64::MAX).unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[4865782901354085936, -7048155917072976836, -931725450029404348]")
        );
        // python3 -c "import random; r = random.Random(1); print([r.randint(-2**63, 2**63 - 1) for _ in range(3)])"
        let mut r = Random::new(1);
        let (lo, hi) = (BigInt::from(i64::MIN), BigInt::from(i64::MAX));
        let got: Vec<BigInt> = (0..3)
            .map(|_| r.randrange_big(&lo, Some(&(&hi + 1)), None).unwrap())
            .collect();
        assert_eq!(
            got,
            bigs("[4865782901354085936, -7048155917072976836, -931725450029404348]")
        );
        // python3 -c "import random; r = random.Random(42); print([r.randint(0, 2**100) for _ in range(3)])"
        let mut r = Random::new(42);
        let got: Vec<BigInt> = (0..3)
            .map(|_| {
                r.randint(&BigInt::zero(), &(BigInt::one() << 100u32))
                    .unwrap()
            })
            .collect();
        assert_eq!(got, bigs("[334597227169592314486858469975, 160817104176174106146196623769, 1073140825042556611459112948617]"));
        // python3 -c "import random; r = random.Random(42); print([r.randint(0, 10**30) for _ in range(3)])"
        let mut r = Random::new(42);
        let got: Vec<BigInt> = (0..3)
            .map(|_| {
                r.randint(&BigInt::zero(), &big("1000000000000000000000000000000"))
                    .unwrap()
            })
            .collect();
        assert_eq!(got, bigs("[873491343714207852616756591005, 176140902141063639299770569303, 925123444424254823561077285033]"));
        // python3 -c "import random; r = random.Random(42); print([r.randint(-2**70, -2**69), r.randrange(2**80, -2**80, -3**30), r.randrange(2**90)])"
        let mut r = Random::new(42);
        let got = vec![
            r.randint(&-(BigInt::one() << 70u32), &-(BigInt::one() << 69u32))
                .unwrap(),
            r.randrange(
                &(BigInt::one() << 80u32),
                Some(&-(BigInt::one() << 80u32)),
                Some(&-BigInt::from(3u64.pow(30))),
            )
            .unwrap(),
            r.randrange(&(BigInt::one() << 90u32), None, None).unwrap(),
        ];
        assert_eq!(
            got,
            bigs(
                "[-1160091180789343880803, -331119765626429701135715, 345479167972450082044853136]"
            )
        );
        // python3 -c "import random; r = random.Random(42); print([r.randint(-2**63, 2**63 - 1) for _ in range(3)])"
        let mut r = Random::new(42);
        let got: Vec<i64> = (0..3)
            .map(|_| r.randint_i64(i64::MIN, i64::MAX).unwrap())
            .collect();
        assert_eq!(
            got,
            ints("[-7169676182496904803, -4149976519821344517, 836864915349561680]")
        );
        // python3 -c "import random; r = random.Random(42); print([r.randint(-2**63, 2**63 - 1) for _ in range(3)])"
        let mut r = Random::new(42);
        let (lo, hi) = (BigInt::from(i64::MIN), BigInt::from(i64::MAX));
        let got: Vec<BigInt> = (0..3)
            .map(|_| r.randrange_big(&lo, Some(&(&hi + 1)), None).unwrap())
            .collect();
        assert_eq!(
            got,
            bigs("[-7169676182496904803, -4149976519821344517, 836864915349561680]")
        );
    }

    #[test]
    fn uniform_matches_cpython() {
        // python3 -c "import random; r = random.Random(0); print([r.uniform(2.5, 10) for _ in range(3)])"
        let mut r = Random::new(0);
        let got: Vec<f64> = (0..3).map(|_| r.uniform(2.5, 10.0)).collect();
        assert_same_floats(
            &got,
            "[8.83316388643786, 8.184658022052268, 5.654286856231337]",
        );
        // python3 -c "import random; r = random.Random(1); print([r.uniform(2.5, 10) for _ in range(3)])"
        let mut r = Random::new(1);
        let got: Vec<f64> = (0..3).map(|_| r.uniform(2.5, 10.0)).collect();
        assert_same_floats(
            &got,
            "[3.507731830843009, 8.855753027029245, 8.228309642324605]",
        );
        // python3 -c "import random; r = random.Random(42); print([r.uniform(2.5, 10) for _ in range(3)])"
        let mut r = Random::new(42);
        let got: Vec<f64> = (0..3).map(|_| r.uniform(2.5, 10.0)).collect();
        assert_same_floats(
            &got,
            "[7.295700988434128, 2.687580664170002, 4.562719887768394]",
        );
    }

    #[test]
    fn sample_matches_cpython() {
        // python3 -c "import random; r = random.Random(0); print(r.sample(range(10), 4), [r.random()])"
        let mut r = Random::new(0);
        let (picks, next) = "[6, 9, 0, 2] [0.9654648863619172]"
            .split_once("] [")
            .unwrap();
        let got: Vec<i64> = r
            .sample_indices(10, 4)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(0); print(r.sample(range(1000), 10), [r.random()])"
        let mut r = Random::new(0);
        let (picks, next) =
            "[864, 394, 776, 911, 430, 41, 265, 988, 523, 497] [0.4049341374504143]"
                .split_once("] [")
                .unwrap();
        let got: Vec<i64> = r
            .sample_indices(1000, 10)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(0); print(r.sample(range(30), 30), [r.random()])"
        let mut r = Random::new(0);
        let (picks, next) = "[27, 12, 24, 13, 1, 8, 16, 15, 28, 9, 22, 11, 6, 23, 4, 19, 2, 21, 25, 20, 14, 29, 26, 7, 0, 5, 17, 18, 10, 3] [0.4341718354537837]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(30, 30)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(0); print(r.sample(range(300), 60), [r.random()])"
        let mut r = Random::new(0);
        let (picks, next) = "[197, 215, 20, 132, 261, 248, 207, 155, 244, 183, 298, 111, 258, 71, 144, 48, 128, 272, 75, 158, 50, 37, 169, 241, 286, 51, 181, 222, 161, 104, 282, 226, 266, 133, 31, 280, 7, 47, 204, 0, 252, 170, 124, 166, 32, 97, 290, 113, 122, 72, 278, 229, 46, 41, 163, 260, 250, 55, 154, 149] [0.7065614098668896]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(300, 60)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(0); print(r.sample(range(5), 0), [r.random()])"
        let mut r = Random::new(0);
        let (picks, next) = "[] [0.8444218515250481]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(5, 0)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(0); print(r.sample(range(100), 40), [r.random()])"
        let mut r = Random::new(0);
        let (picks, next) = "[49, 97, 53, 5, 33, 65, 62, 51, 38, 61, 45, 74, 27, 64, 17, 36, 85, 12, 79, 32, 68, 77, 18, 39, 82, 9, 42, 60, 71, 75, 89, 55, 40, 26, 90, 56, 95, 3, 92, 58] [0.5486993038355893]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(100, 40)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(1); print(r.sample(range(10), 4), [r.random()])"
        let mut r = Random::new(1);
        let (picks, next) = "[2, 1, 4, 0] [0.49543508709194095]"
            .split_once("] [")
            .unwrap();
        let got: Vec<i64> = r
            .sample_indices(10, 4)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(1); print(r.sample(range(1000), 10), [r.random()])"
        let mut r = Random::new(1);
        let (picks, next) =
            "[137, 582, 867, 821, 782, 64, 261, 120, 507, 779] [0.4494910647887381]"
                .split_once("] [")
                .unwrap();
        let got: Vec<i64> = r
            .sample_indices(1000, 10)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(1); print(r.sample(range(30), 30), [r.random()])"
        let mut r = Random::new(1);
        let (picks, next) = "[4, 18, 27, 25, 24, 2, 8, 3, 15, 14, 21, 12, 6, 22, 19, 0, 13, 17, 28, 9, 20, 7, 29, 5, 1, 23, 10, 11, 16, 26] [0.0254458609934608]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(30, 30)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(1); print(r.sample(range(300), 60), [r.random()])"
        let mut r = Random::new(1);
        let (picks, next) = "[68, 291, 32, 130, 60, 253, 230, 241, 194, 107, 48, 249, 14, 199, 221, 1, 228, 136, 117, 52, 162, 15, 11, 13, 277, 4, 195, 110, 216, 270, 113, 224, 283, 119, 176, 118, 112, 235, 148, 213, 284, 51, 95, 151, 61, 170, 256, 259, 97, 155, 145, 255, 258, 201, 17, 245, 124, 206, 212, 88] [0.36712383142708804]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(300, 60)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(1); print(r.sample(range(5), 0), [r.random()])"
        let mut r = Random::new(1);
        let (picks, next) = "[] [0.13436424411240122]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(5, 0)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(1); print(r.sample(range(100), 40), [r.random()])"
        let mut r = Random::new(1);
        let (picks, next) = "[17, 72, 97, 8, 32, 15, 63, 57, 60, 83, 48, 26, 12, 62, 3, 49, 55, 77, 0, 92, 34, 29, 75, 13, 40, 85, 2, 74, 69, 1, 89, 27, 54, 98, 28, 56, 93, 35, 14, 22] [0.2308665415409843]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(100, 40)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(42); print(r.sample(range(10), 4), [r.random()])"
        let mut r = Random::new(42);
        let (picks, next) = "[1, 0, 4, 9] [0.22321073814882275]"
            .split_once("] [")
            .unwrap();
        let got: Vec<i64> = r
            .sample_indices(10, 4)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(42); print(r.sample(range(1000), 10), [r.random()])"
        let mut r = Random::new(42);
        let (picks, next) =
            "[654, 114, 25, 759, 281, 250, 228, 142, 754, 104] [0.6766994874229113]"
                .split_once("] [")
                .unwrap();
        let got: Vec<i64> = r
            .sample_indices(1000, 10)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(42); print(r.sample(range(30), 30), [r.random()])"
        let mut r = Random::new(42);
        let (picks, next) = "[20, 3, 0, 23, 8, 7, 24, 4, 28, 17, 2, 18, 13, 1, 27, 16, 21, 29, 25, 9, 15, 11, 12, 5, 6, 22, 26, 10, 14, 19] [0.8094304566778266]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(30, 30)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(42); print(r.sample(range(300), 60), [r.random()])"
        let mut r = Random::new(42);
        let (picks, next) = "[57, 12, 140, 125, 114, 71, 52, 279, 44, 216, 16, 15, 47, 111, 119, 258, 13, 287, 101, 214, 112, 229, 142, 3, 81, 174, 79, 110, 172, 194, 49, 183, 176, 135, 22, 235, 274, 63, 193, 40, 282, 150, 185, 295, 98, 35, 23, 116, 148, 51, 232, 186, 83, 189, 181, 107, 136, 36, 87, 273] [0.7291267979503492]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(300, 60)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(42); print(r.sample(range(5), 0), [r.random()])"
        let mut r = Random::new(42);
        let (picks, next) = "[] [0.6394267984578837]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(5, 0)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
        // python3 -c "import random; r = random.Random(42); print(r.sample(range(100), 40), [r.random()])"
        let mut r = Random::new(42);
        let (picks, next) = "[81, 14, 3, 94, 35, 31, 28, 17, 13, 86, 69, 11, 75, 54, 4, 97, 88, 27, 29, 64, 77, 84, 71, 25, 89, 53, 93, 57, 95, 0, 20, 90, 43, 79, 19, 82, 67, 6, 5, 24] [0.09671637683346401]".split_once("] [").unwrap();
        let got: Vec<i64> = r
            .sample_indices(100, 40)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(got, ints(picks));
        assert_floats(&mut r, 1, next);
    }

    #[test]
    fn interleaved_stream_matches_cpython() {
        // python3 -c "import random; r = random.Random(2024); x = list(range(10))
        // a = r.random(); b = r.randint(1, 6); r.shuffle(x); c = r.random(); d = r.choice(range(5))
        // print(a, b, x, c, d, r.getrandbits(70), r.randrange(0, 100, 7), r.sample(range(50), 5))
        // print(r.uniform(0, 1), r.randint(0, 10**30), r.randrange(10**20, 10**20 + 7), r.random())"
        let out = "0.47009071843107064 6 [0, 6, 8, 1, 2, 7, 5, 3, 4, 9] 0.3541723595252044 4 1136608150824606919734 21 [19, 34, 45, 21, 33]\n0.07467210837721883 306383508952463812506123329399 100000000000000000005 0.7525906989551181";
        let mut lines = out.lines();
        let mut first = lines.next().unwrap().splitn(3, ' ');
        let mut r = Random::new(2024);
        let mut x: Vec<i64> = (0..10).collect();
        assert_same_floats(&[r.random()], first.next().unwrap());
        assert_eq!(
            r.randint_i64(1, 6).unwrap().to_string(),
            first.next().unwrap()
        );
        r.shuffle(&mut x);
        let rest = first.next().unwrap();
        let (shuffled, rest) = rest.split_once("] ").unwrap();
        assert_eq!(x, ints(shuffled));
        let rest: Vec<&str> = rest.splitn(5, ' ').collect();
        assert_same_floats(&[r.random()], rest[0]);
        assert_eq!(r.choice_index(5).unwrap().to_string(), rest[1]);
        assert_eq!(r.getrandbits(70).unwrap().to_string(), rest[2]);
        assert_eq!(
            r.randrange_i64(0, Some(100), Some(7)).unwrap().to_string(),
            rest[3]
        );
        let sample: Vec<i64> = r
            .sample_indices(50, 5)
            .unwrap()
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(sample, ints(rest[4]));
        let second: Vec<&str> = lines.next().unwrap().split(' ').collect();
        assert_same_floats(&[r.uniform(0.0, 1.0)], second[0]);
        let ten30 = big("1000000000000000000000000000000");
        assert_eq!(
            r.randint(&BigInt::zero(), &ten30).unwrap().to_string(),
            second[1]
        );
        let ten20 = big("100000000000000000000");
        assert_eq!(
            r.randrange(&ten20, Some(&(&ten20 + 7)), None)
                .unwrap()
                .to_string(),
            second[2]
        );
        assert_same_floats(&[r.random()], second[3]);
    }

    #[test]
    fn errors_match_cpython() {
        // python3 -c "import random; r = random.Random(0)
        // for f in ['r.randint(5, 1)', 'r.randrange(5, 5)', 'r.randrange(10, 0)', 'r.randrange(0)', 'r.randrange(-3)', 'r.randrange(0, 10, 0)', 'r.randrange(0, 10, -1)', 'r.randrange(10, 0, 2)', 'r.randrange(10, step=2)', 'r.choice([])', 'r.sample(range(3), 4)', 'r.getrandbits(-1)', 'r.getrandbits(2**31)']:
        //     try: eval(f)
        //     except Exception as e: print(type(e).__name__ + ': ' + str(e))"
        let expected = "ValueError: empty range for randrange() (5, 2, -3)\nValueError: empty range for randrange() (5, 5, 0)\nValueError: empty range for randrange() (10, 0, -10)\nValueError: empty range for randrange()\nValueError: empty range for randrange()\nValueError: zero step for randrange()\nValueError: empty range for randrange()\nValueError: empty range for randrange()\nTypeError: Missing a non-None stop argument\nIndexError: Cannot choose from an empty sequence\nValueError: Sample larger than population or is negative\nValueError: number of bits must be non-negative\nOverflowError: Python int too large to convert to C int";
        let mut r = Random::new(0);
        let got = [
            r.randint_i64(5, 1).map(|_| ()),
            r.randrange_i64(5, Some(5), None).map(|_| ()),
            r.randrange_i64(10, Some(0), None).map(|_| ()),
            r.randrange_i64(0, None, None).map(|_| ()),
            r.randrange_i64(-3, None, None).map(|_| ()),
            r.randrange_i64(0, Some(10), Some(0)).map(|_| ()),
            r.randrange_i64(0, Some(10), Some(-1)).map(|_| ()),
            r.randrange_i64(10, Some(0), Some(2)).map(|_| ()),
            r.randrange_i64(10, None, Some(2)).map(|_| ()),
            r.choice_index(0).map(|_| ()),
            r.sample_indices(3, 4).map(|_| ()),
            r.getrandbits(-1).map(|_| ()),
            r.getrandbits(1 << 31).map(|_| ()),
        ];
        let got: Vec<String> = got
            .into_iter()
            .map(|e| {
                let m = e.unwrap_err();
                format!("{}: {m}", exception_class(&m))
            })
            .collect();
        assert_eq!(got, expected.lines().collect::<Vec<_>>());
        // The failed calls used no randomness.
        assert_eq!(r.random().to_bits(), Random::new(0).random().to_bits());
        // python3 -c "import random; r = random.Random(0)
        // try: r.randint(10**30, 10**29)
        // except ValueError as e: print(e)"
        let err = Random::new(0)
            .randint(
                &big("1000000000000000000000000000000"),
                &big("100000000000000000000000000000"),
            )
            .unwrap_err();
        assert_eq!(err, "empty range for randrange() (1000000000000000000000000000000, 100000000000000000000000000001, -899999999999999999999999999999)");
    }

    #[test]
    fn default_is_seed_zero_and_clone_forks_the_state() {
        let mut d = Random::default();
        let mut z = Random::new(0);
        assert_eq!(d.random().to_bits(), z.random().to_bits());
        let mut child = d.clone();
        for _ in 0..1300 {
            assert_eq!(d.next_u32(), child.next_u32());
        }
        assert!(format!("{d:?}").starts_with("Random"));
    }

    #[test]
    fn seed_variants_agree() {
        for seed in [0u64, 1, 42, u32::MAX as u64, 1 << 32, 1 << 40, u64::MAX] {
            let mut a = Random::new(seed);
            let mut b = Random::from_bigint(&BigInt::from(seed));
            let mut c = Random::new(99);
            c.random();
            c.seed_u64(seed);
            for _ in 0..10 {
                let x = a.next_u32();
                assert_eq!(x, b.next_u32());
                assert_eq!(x, c.next_u32());
            }
        }
        let mut a = Random::new(0);
        a.seed_i64(i64::MIN);
        let mut b = Random::from_bigint(&big("9223372036854775808"));
        assert_eq!(a.next_u32(), b.next_u32());
    }

    #[test]
    fn fast_and_bigint_paths_agree() {
        let mut rng = Random::new(11);
        let mut fast = Random::new(5);
        let mut slow = fast.clone();
        for _ in 0..2000 {
            let start = rng.randint_i64(-50, 50).unwrap();
            let stop = rng.randint_i64(-50, 50).unwrap();
            let step = rng.randint_i64(-6, 6).unwrap();
            let got = fast.randrange_i64(start, Some(stop), Some(step));
            let want = slow.randrange_big(
                &BigInt::from(start),
                Some(&BigInt::from(stop)),
                Some(&BigInt::from(step)),
            );
            assert_eq!(got.map(BigInt::from), want);
        }
        for k in 0..=64 {
            let a = fast.getrandbits_u64(k).unwrap();
            assert_eq!(BigInt::from(a), slow.getrandbits(i64::from(k)).unwrap());
        }
        assert_eq!(fast.getrandbits_u64(65), None);
        for n in [1u64, 2, 3, 7, 1 << 32, (1 << 32) + 1, u64::MAX] {
            assert_eq!(
                BigInt::from(fast.randbelow_u64(n)),
                slow.randbelow(&BigInt::from(n))
            );
        }
    }

    #[test]
    fn randbelow_zero_uses_no_randomness() {
        let mut r = Random::new(1);
        assert_eq!(r.randbelow_u64(0), 0);
        assert_eq!(r.randbelow(&BigInt::zero()), BigInt::zero());
        assert_eq!(r.randbelow(&BigInt::from(-5)), BigInt::zero());
        assert_eq!(r.random().to_bits(), Random::new(1).random().to_bits());
    }

    #[test]
    fn sample_threshold_matches_cpython_formula() {
        // 21 + 4 ** ceil(log(k * 3, 4)) for k > 5.
        assert_eq!(sample_setsize(0), 21);
        assert_eq!(sample_setsize(5), 21);
        assert_eq!(sample_setsize(6), 21 + 64);
        assert_eq!(sample_setsize(21), 21 + 64);
        assert_eq!(sample_setsize(22), 21 + 256);
        assert_eq!(sample_setsize(usize::MAX), 21 + (1u128 << 66));
    }

    #[test]
    fn impossible_sizes_are_errors_not_aborts() {
        let mut r = Random::new(0);
        let err = r.sample_indices(usize::MAX, usize::MAX / 2).unwrap_err();
        assert_eq!(exception_class(&err), "MemoryError");
        assert_eq!(word_count(1), 1);
        assert_eq!(word_count(32), 1);
        assert_eq!(word_count(33), 2);
    }
}
