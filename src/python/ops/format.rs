//! The format-spec mini language of `format(v, spec)`, f-strings and `str.format`: parsing a
//! spec, and laying out strings, ints and floats by it.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use crate::python::value::{raise, ExcKind, Exception, Value};

use super::common::{big, int_to_float, is_int, R};
use super::repr::{float_repr, to_str};

/// The widest padding the kitchen writes (Python's limit is memory).
pub(super) const MAX_WIDTH: usize = 10_000_000;

/// A parsed format spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Clone, Debug, Default)]
pub(super) struct Spec {
    fill: Option<char>,
    pub(super) align: Option<char>,
    /// `+`, `-` or ` `.
    pub(super) sign: Option<char>,
    /// `z`: no minus sign on a zero (Python 3.11).
    no_negative_zero: bool,
    /// `#`: `0x` prefixes, a point always.
    pub(super) alternate: bool,
    /// `0` before the width: zero padding after the sign.
    pub(super) zero: bool,
    pub(super) width: usize,
    /// `,` or `_`.
    grouping: Option<char>,
    pub(super) precision: Option<usize>,
    pub(super) kind: Option<char>,
}

/// The decimal number at `chars[i..]` (0 when there is none) and the index after it.
pub(super) fn spec_number(chars: &[char], mut i: usize) -> R<(usize, usize)> {
    let mut n = 0usize;
    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
        n = n.saturating_mul(10).saturating_add(d as usize);
        i += 1;
    }
    if n > MAX_WIDTH {
        return raise(
            ExcKind::ValueError,
            "format width too large for the kitchen",
        );
    }
    Ok((n, i))
}

impl Spec {
    fn parse(spec: &str, type_name: &str) -> R<Spec> {
        let chars: Vec<char> = spec.chars().collect();
        let mut s = Spec::default();
        let is_align = |c: &char| "<>=^".contains(*c);
        let mut i = 0;
        if chars.get(1).is_some_and(is_align) {
            (s.fill, s.align, i) = (Some(chars[0]), Some(chars[1]), 2);
        } else if chars.first().is_some_and(is_align) {
            (s.align, i) = (Some(chars[0]), 1);
        }
        if let Some(&c @ ('+' | '-' | ' ')) = chars.get(i) {
            (s.sign, i) = (Some(c), i + 1);
        }
        if chars.get(i) == Some(&'z') {
            (s.no_negative_zero, i) = (true, i + 1);
        }
        if chars.get(i) == Some(&'#') {
            (s.alternate, i) = (true, i + 1);
        }
        if chars.get(i) == Some(&'0') {
            (s.zero, i) = (true, i + 1);
        }
        (s.width, i) = spec_number(&chars, i)?;
        if let Some(&c @ (',' | '_')) = chars.get(i) {
            (s.grouping, i) = (Some(c), i + 1);
        }
        if chars.get(i) == Some(&'.') {
            let (p, j) = spec_number(&chars, i + 1)?;
            if j == i + 1 {
                return raise(ExcKind::ValueError, "Format specifier missing precision");
            }
            (s.precision, i) = (Some(p), j);
        }
        if chars.len() > i + 1 {
            return raise(
                ExcKind::ValueError,
                format!("Invalid format specifier '{spec}' for object of type '{type_name}'"),
            );
        }
        s.kind = chars.get(i).copied();
        Ok(s)
    }

    fn unknown_kind<T>(&self, type_name: &str) -> R<T> {
        raise(
            ExcKind::ValueError,
            format!(
                "Unknown format code '{}' for object of type '{type_name}'",
                self.kind.unwrap_or(' ')
            ),
        )
    }

    /// The grouping error CPython gives for type `kind`.
    fn no_grouping(&self, kind: char) -> R<()> {
        match self.grouping {
            Some(g) => raise(
                ExcKind::ValueError,
                format!("Cannot specify '{g}' with '{kind}'."),
            ),
            None => Ok(()),
        }
    }
}

/// `format(v, spec)`: the format-spec mini language of f-strings and `str.format`.
pub fn format_value(v: &Value, spec: &str) -> R<String> {
    if spec.is_empty() {
        return Ok(to_str(v));
    }
    let s = Spec::parse(spec, v.type_name())?;
    match v {
        Value::Str(text) => format_str(text, &s),
        Value::Float(f) => format_float(*f, &s),
        v if is_int(v) => format_int(&big(v).unwrap_or_default(), &s, v.type_name(), 0),
        // Other types have only `object.__format__`, which takes no spec.
        v => raise(
            ExcKind::TypeError,
            format!(
                "unsupported format string passed to {}.__format__",
                v.type_name()
            ),
        ),
    }
}

/// `text` padded to `width`, `align` one of `<`, `>`, `^`.
pub(super) fn pad(text: String, fill: char, align: char, width: usize) -> String {
    let n = text.chars().count();
    if n >= width {
        return text;
    }
    let gap = width - n;
    let left = match align {
        '<' => 0,
        '^' => gap / 2,
        _ => gap,
    };
    let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    format!("{}{text}{}", f(left), f(gap - left))
}

fn format_str(text: &str, s: &Spec) -> R<String> {
    let refuse = |what: &str| {
        raise(
            ExcKind::ValueError,
            format!("{what} not allowed in string format specifier"),
        )
    };
    if s.sign.is_some() {
        return refuse("Sign");
    }
    if s.alternate {
        return refuse("Alternate form (#)");
    }
    if s.align == Some('=') {
        return refuse("'=' alignment");
    }
    if !matches!(s.kind, None | Some('s')) {
        return s.unknown_kind("str");
    }
    s.no_grouping('s')?;
    let text: String = match s.precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    };
    let fill = s.fill.unwrap_or(if s.zero { '0' } else { ' ' });
    Ok(pad(text, fill, s.align.unwrap_or('<'), s.width))
}

/// Formats int `n` (`min_digits`: `%`-formatting's precision, zeros in front).
pub(super) fn format_int(n: &BigInt, s: &Spec, type_name: &str, min_digits: usize) -> R<String> {
    let (radix, prefix) = match s.kind {
        None | Some('d' | 'n') => (10, ""),
        Some('b') => (2, "0b"),
        Some('o') => (8, "0o"),
        Some('x') => (16, "0x"),
        Some('X') => (16, "0X"),
        Some('c') => return format_char(n, s),
        Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => return format_float(int_to_float(n)?, s),
        Some(_) => return s.unknown_kind(type_name),
    };
    if s.precision.is_some() {
        return raise(
            ExcKind::ValueError,
            "Precision not allowed in integer format specifier",
        );
    }
    match (s.kind, s.grouping) {
        (Some(k @ 'n'), _) | (Some(k @ ('b' | 'o' | 'x' | 'X')), Some(',')) => s.no_grouping(k)?,
        _ => {}
    }
    let mut digits = n.magnitude().to_str_radix(radix);
    if s.kind == Some('X') {
        digits.make_ascii_uppercase();
    }
    if digits.len() < min_digits {
        digits.insert_str(0, &"0".repeat(min_digits - digits.len()));
    }
    let prefix = if s.alternate { prefix } else { "" };
    let every = if radix == 10 { 3 } else { 4 };
    Ok(layout_number(
        n.is_negative(),
        prefix,
        &digits,
        "",
        s,
        every,
    ))
}

/// The `c` type: the character with code `n`.
fn format_char(n: &BigInt, s: &Spec) -> R<String> {
    let refuse = |what: &str| {
        raise(
            ExcKind::ValueError,
            format!("{what} not allowed with integer format specifier 'c'"),
        )
    };
    if s.sign.is_some() {
        return refuse("Sign");
    }
    if s.alternate {
        return refuse("Alternate form (#)");
    }
    let c = n
        .to_u32()
        .and_then(char::from_u32)
        .ok_or_else(|| Exception::new(ExcKind::OverflowError, "%c arg not in range(0x110000)"))?;
    let fill = s.fill.unwrap_or(if s.zero { '0' } else { ' ' });
    let align = match s.align {
        Some('=') | None => '>',
        Some(a) => a,
    };
    Ok(pad(c.to_string(), fill, align, s.width))
}

/// Formats float `x` by `s` (types `e f g %`, `n`, or none: `repr`, or like `g` given a
/// precision).
pub(super) fn format_float(x: f64, s: &Spec) -> R<String> {
    let upper = matches!(s.kind, Some('E' | 'F' | 'G'));
    let p = s.precision.unwrap_or(6);
    let a = x.abs();
    let mut body = if !x.is_finite() {
        let word = if x.is_nan() { "nan" } else { "inf" };
        let word = if upper {
            word.to_uppercase()
        } else {
            word.to_string()
        };
        match s.kind {
            Some('%') => format!("{word}%"),
            _ => word,
        }
    } else {
        match s.kind {
            Some('f' | 'F') => fixed(a, p, s.alternate),
            Some('e' | 'E') => scientific(a, p, s.alternate, upper),
            Some('%') => format!("{}%", fixed(a * 100.0, p, s.alternate)),
            Some('g' | 'G') => general(a, p, s.alternate, upper, false),
            Some('n') => {
                s.no_grouping('n')?;
                general(a, p, s.alternate, upper, false)
            }
            None => match s.precision {
                None => float_repr(a),
                Some(p) => general(a, p, s.alternate, false, true),
            },
            Some(_) => return s.unknown_kind("float"),
        }
    };
    // `z` (and a nan, which has no sign in Python's output) drops a minus from a zero.
    let zero = body
        .split(['e', 'E', '%'])
        .next()
        .is_some_and(|m| m.chars().all(|c| c == '0' || c == '.'));
    let negative = x.is_sign_negative() && !x.is_nan() && !(s.no_negative_zero && zero);
    let split = body.find(['.', 'e', 'E', '%']).unwrap_or(body.len());
    let rest = body.split_off(split);
    Ok(layout_number(negative, "", &body, &rest, s, 3))
}

/// `x` (finite, not negative) with `p` decimals; `alternate` keeps the point of `p == 0`.
fn fixed(x: f64, p: usize, alternate: bool) -> String {
    let s = format!("{x:.p$}");
    if alternate && p == 0 {
        s + "."
    } else {
        s
    }
}

/// The mantissa and exponent of `x` written with `p` decimals (Rust rounds the exact value
/// half to even, as CPython's dtoa does).
fn mantissa_exponent(x: f64, p: usize) -> (String, i32) {
    let s = format!("{x:.p$e}");
    match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse().unwrap_or(0)),
        None => (s, 0),
    }
}

fn scientific(x: f64, p: usize, alternate: bool, upper: bool) -> String {
    let (m, e) = mantissa_exponent(x, p);
    let point = if alternate && p == 0 { "." } else { "" };
    let e_char = if upper { 'E' } else { 'e' };
    format!(
        "{m}{point}{e_char}{}{:02}",
        if e < 0 { '-' } else { '+' },
        e.abs()
    )
}

/// The `g` type: `p` significant digits, in scientific notation when the exponent is below
/// -4 or not below `p`, trailing zeros dropped (unless `alternate`). `add_dot_0` is the type
/// left out: scientific from an exponent of `p - 1`, and a point and a zero on a whole number.
fn general(x: f64, p: usize, alternate: bool, upper: bool, add_dot_0: bool) -> String {
    let p = p.max(1);
    // The exponent after rounding to `p` digits (9.9999 to 3 digits is 10.0, exponent 1).
    let (_, exp) = mantissa_exponent(x, p - 1);
    let limit = if add_dot_0 { p as i32 - 1 } else { p as i32 };
    let trim = |s: String| {
        if alternate || !s.contains('.') {
            s
        } else {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    };
    if exp < -4 || exp >= limit {
        let (m, e) = mantissa_exponent(x, p - 1);
        let m = trim(m);
        let point = if alternate && !m.contains('.') {
            "."
        } else {
            ""
        };
        let e_char = if upper { 'E' } else { 'e' };
        return format!(
            "{m}{point}{e_char}{}{:02}",
            if e < 0 { '-' } else { '+' },
            e.abs()
        );
    }
    let decimals = (p as i32 - 1 - exp).max(0) as usize;
    let s = trim(format!("{x:.decimals$}"));
    if alternate && !s.contains('.') {
        s + "."
    } else if add_dot_0 && !s.contains('.') {
        s + ".0"
    } else {
        s
    }
}

/// Puts a number together: sign, prefix (`0x`), the integer digits grouped every `every`,
/// `rest` (fraction, exponent, `%`), padded as `s` says. With `0` padding the zeros go after
/// the sign, and are grouped too (`00,001,234`), as in CPython.
fn layout_number(
    negative: bool,
    prefix: &str,
    digits: &str,
    rest: &str,
    s: &Spec,
    every: usize,
) -> String {
    let sign = match (negative, s.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    };
    let fill = s.fill.unwrap_or(if s.zero { '0' } else { ' ' });
    let align = s.align.unwrap_or(if s.zero { '=' } else { '>' });
    let head = format!("{sign}{prefix}");
    let mut digits = digits.to_string();
    // Zero padding is grouped too (`00,001,234`); `inf` and `nan` have no digits to group.
    let zeros_grouped = s.grouping.is_some()
        && (align, fill) == ('=', '0')
        && digits.bytes().all(|c| c.is_ascii_hexdigit());
    if zeros_grouped {
        let want = s
            .width
            .saturating_sub(head.chars().count() + rest.chars().count());
        let grouped_len = |d: usize| d + d.saturating_sub(1) / every;
        let mut d = digits.len();
        while grouped_len(d) < want {
            d += 1;
        }
        digits.insert_str(0, &"0".repeat(d - digits.len()));
    }
    let body = match s.grouping {
        Some(sep) => format!("{}{rest}", group(&digits, sep, every)),
        None => format!("{digits}{rest}"),
    };
    if align == '=' {
        let n = head.chars().count() + body.chars().count();
        let gap = s.width.saturating_sub(n);
        format!(
            "{head}{}{body}",
            std::iter::repeat_n(fill, gap).collect::<String>()
        )
    } else {
        pad(format!("{head}{body}"), fill, align, s.width)
    }
}

/// `digits` with `sep` between every `every` of them, from the right.
fn group(digits: &str, sep: char, every: usize) -> String {
    let n = digits.chars().count();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % every == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}
