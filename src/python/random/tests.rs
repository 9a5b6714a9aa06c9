//! The generator against CPython 3.11.7: every case of `cpython_3_11.txt` (what CPython
//! printed, filled in by `cpython_cases.py`) is run through [`Random`] twice, once taking the
//! 64-bit fast paths wherever the numbers fit and once only the big-int paths, and must print
//! the same line both times. The tests after the table cover what a one-line case cannot: an
//! interleaved stream, the error messages, and the fast and slow paths agreeing at random.

use super::*;

/// What CPython printed for each case: `SEED | PROGRAM | PRINTED`.
const TABLE: &str = include_str!("cpython_3_11.txt");

/// Which of the generator's paths a run takes.
#[derive(Clone, Copy, Debug)]
enum Paths {
    /// The 64-bit functions where the numbers fit (`randint_i64`, `getrandbits_u64`...).
    Fast,
    /// Only the big-int functions.
    Big,
}

/// A printed value: what `print` shows of it.
#[derive(Clone, Debug)]
enum Printed {
    Int(BigInt),
    Float(f64),
    List(Vec<Printed>),
}

impl std::fmt::Display for Printed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Printed::Int(i) => write!(f, "{i}"),
            Printed::Float(x) => f.write_str(&crate::python::ops::float_repr(*x)),
            Printed::List(items) => {
                let parts: Vec<String> = items.iter().map(ToString::to_string).collect();
                write!(f, "[{}]", parts.join(", "))
            }
        }
    }
}

/// An integer expression of the table: literals, `+`, `-`, `**` and parentheses, with
/// Python's precedence (`-2**70` is `-(2**70)`).
fn int_expr(text: &str) -> BigInt {
    fn sum(t: &mut std::iter::Peekable<std::vec::IntoIter<String>>) -> BigInt {
        let mut v = unary(t);
        while let Some(op) = t.next_if(|x| x == "+" || x == "-") {
            let w = unary(t);
            v = if op == "+" { v + w } else { v - w };
        }
        v
    }
    fn unary(t: &mut std::iter::Peekable<std::vec::IntoIter<String>>) -> BigInt {
        if t.next_if(|x| x == "-").is_some() {
            return -unary(t);
        }
        let base = match t.next().as_deref() {
            Some("(") => {
                let v = sum(t);
                assert_eq!(t.next().as_deref(), Some(")"));
                v
            }
            Some(n) => n.parse().unwrap_or_else(|_| panic!("not a number: {n}")),
            None => panic!("an expression ended early"),
        };
        if t.next_if(|x| x == "**").is_some() {
            let e = unary(t).to_u32().expect("a small exponent");
            return base.pow(e);
        }
        base
    }
    let mut toks = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' => {}
            '0'..='9' => {
                let mut n = c.to_string();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    n.push(d);
                }
                toks.push(n);
            }
            '*' if chars.next_if_eq(&'*').is_some() => toks.push("**".into()),
            '+' | '-' | '(' | ')' => toks.push(c.to_string()),
            _ => panic!("unexpected {c:?} in {text}"),
        }
    }
    let mut t = toks.into_iter().peekable();
    let v = sum(&mut t);
    assert!(t.next().is_none(), "left over in {text}");
    v
}

/// The arguments of a call, split at the top-level commas.
fn split_args(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

fn small(v: &BigInt) -> Option<i64> {
    v.to_i64()
}

/// One call `r.name(args)` of the table.
fn call(r: &mut Random, paths: Paths, text: &str) -> Printed {
    let inner = text.strip_prefix("r.").expect("a call on r");
    let (name, args) = inner.split_once('(').expect("a call");
    let args = split_args(args.strip_suffix(')').expect("a closed call"));
    let ints = || args.iter().map(|a| int_expr(a)).collect::<Vec<_>>();
    let fast = matches!(paths, Paths::Fast);
    let int = Printed::Int;
    match name {
        "random" => Printed::Float(r.random()),
        "uniform" => {
            let f: Vec<f64> = args.iter().map(|a| a.parse().expect("a number")).collect();
            Printed::Float(r.uniform(f[0], f[1]))
        }
        "randint" => {
            let n = ints();
            match (small(&n[0]), small(&n[1])) {
                (Some(a), Some(b)) if fast => int(r.randint_i64(a, b).unwrap().into()),
                _ => int(r.randint(&n[0], &n[1]).unwrap()),
            }
        }
        "randrange" => {
            let n = ints();
            let all_small: Option<Vec<i64>> = n.iter().map(small).collect();
            match all_small {
                Some(s) if fast => int(r
                    .randrange_i64(s[0], s.get(1).copied(), s.get(2).copied())
                    .unwrap()
                    .into()),
                _ if fast => int(r.randrange(&n[0], n.get(1), n.get(2)).unwrap()),
                _ => int(r.randrange_big(&n[0], n.get(1), n.get(2)).unwrap()),
            }
        }
        "getrandbits" => {
            let k = int_expr(args[0]).to_i64().expect("a bit count");
            match u32::try_from(k) {
                Ok(small) if fast && small <= 64 => int(r.getrandbits_u64(small).unwrap().into()),
                _ => int(r.getrandbits(k).unwrap()),
            }
        }
        "choice" => {
            let n = args[0]
                .strip_prefix("range(")
                .and_then(|a| a.strip_suffix(')'))
                .expect("choice(range(n))");
            let i = r.choice_index(n.parse().unwrap()).unwrap();
            int(BigInt::from(i))
        }
        "sample" => {
            let n: usize = args[0]
                .strip_prefix("range(")
                .and_then(|a| a.strip_suffix(')'))
                .expect("sample(range(n), k)")
                .parse()
                .unwrap();
            let k: usize = args[1].parse().unwrap();
            let picks = r.sample_indices(n, k).unwrap();
            Printed::List(picks.into_iter().map(|i| int(BigInt::from(i))).collect())
        }
        other => panic!("the table runner does not know r.{other}"),
    }
}

/// A printed expression: `x`, a call, `[call, ...]`, `[call for _ in range(n)]` (maybe
/// sliced `[-3:]`) or `[r.getrandbits(k) for k in (...)]`.
fn value(r: &mut Random, paths: Paths, x: &[i64], text: &str) -> Printed {
    let ints = |v: &[i64]| Printed::List(v.iter().map(|&i| Printed::Int(i.into())).collect());
    if text == "x" {
        return ints(x);
    }
    let Some(list) = text.strip_prefix('[') else {
        return call(r, paths, text);
    };
    let (list, slice) = match list.rsplit_once("][") {
        Some((l, s)) => (l, Some(s.trim_end_matches(']'))),
        None => (list.strip_suffix(']').expect("a list"), None),
    };
    let items = if let Some((each, n)) = list.split_once(" for _ in range(") {
        let n: usize = int_expr(n.trim_end_matches(')')).to_usize().unwrap();
        (0..n).map(|_| call(r, paths, each)).collect()
    } else if let Some((each, ks)) = list.split_once(" for k in (") {
        split_args(ks.trim_end_matches(')'))
            .into_iter()
            .map(|k| call(r, paths, &each.replace("(k)", &format!("({k})"))))
            .collect()
    } else {
        split_args(list)
            .into_iter()
            .map(|c| call(r, paths, c))
            .collect::<Vec<_>>()
    };
    let items: Vec<Printed> = match slice {
        Some(s) => {
            let from: i64 = s.trim_end_matches(':').parse().expect("a [-n:] slice");
            let from = (items.len() as i64 + from).max(0) as usize;
            items[from..].to_vec()
        }
        None => items,
    };
    Printed::List(items)
}

/// Runs one case's program on `Random(seed)` and returns the line it prints.
fn run_case(seed: &str, program: &str, paths: Paths) -> String {
    let mut r = Random::from_bigint(&int_expr(seed));
    let mut x: Vec<i64> = Vec::new();
    let mut line = None;
    for stmt in program.split("; ") {
        if let Some(n) = stmt
            .strip_prefix("x = list(range(")
            .and_then(|s| s.strip_suffix("))"))
        {
            x = (0..n.parse().unwrap()).collect();
        } else if stmt == "r.shuffle(x)" {
            r.shuffle(&mut x);
        } else if stmt == "r.shuffle([])" {
            r.shuffle::<i64>(&mut []);
        } else if stmt == "r.shuffle(['a'])" {
            r.shuffle(&mut ["a"]);
        } else if let Some(args) = stmt
            .strip_prefix("print(")
            .and_then(|s| s.strip_suffix(')'))
        {
            let parts: Vec<String> = split_args(args)
                .into_iter()
                .map(|a| value(&mut r, paths, &x, a).to_string())
                .collect();
            line = Some(parts.join(" "));
        } else {
            panic!("the table runner does not know `{stmt}`");
        }
    }
    line.expect("a case prints")
}

#[test]
fn every_case_prints_what_cpython_printed() {
    let mut cases = 0;
    for row in TABLE.lines() {
        if row.trim().is_empty() || row.starts_with('#') {
            continue;
        }
        let [seed, program, printed] = row.split(" | ").collect::<Vec<_>>()[..] else {
            panic!("a row is SEED | PROGRAM | PRINTED: {row}");
        };
        for paths in [Paths::Fast, Paths::Big] {
            let got = run_case(seed, program, paths);
            assert_eq!(got, printed, "Random({seed}): {program} ({paths:?} paths)");
        }
        cases += 1;
    }
    assert!(cases >= 89, "only {cases} cases read");
}

#[test]
fn the_table_runner_reads_python_numbers() {
    assert_eq!(int_expr("-2**70"), -(BigInt::from(1) << 70u32));
    assert_eq!(int_expr("2**63 - 1"), BigInt::from(i64::MAX));
    assert_eq!(int_expr("-3**30"), -BigInt::from(3u64.pow(30)));
    assert_eq!(int_expr("(2 + 3) ** 2"), BigInt::from(25));
    assert_eq!(split_args("range(10), 4"), vec!["range(10)", "4"]);
    assert_eq!(
        Printed::List(vec![Printed::Float(0.5), Printed::Int(3.into())]).to_string(),
        "[0.5, 3]"
    );
}

fn big(s: &str) -> BigInt {
    s.parse().unwrap()
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
