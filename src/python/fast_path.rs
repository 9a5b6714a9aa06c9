//! Closed forms for big pure loops.
//!
//! Lessons about the GIL need CPU-heavy code such as `sum(i * i for i in range(10**7))`.
//! Interpreting ten million turns would freeze the page, yet the simulation must charge what
//! CPython would spend on them. When the loop body is a polynomial in the loop variable, the
//! sum has a closed form (Faulhaber's formulas): the exact result, in microseconds, while the
//! simulated clock is charged `n` turns at the profile's measured cost per turn.

use num_bigint::BigInt;
use num_traits::{One, Zero};
use rustpython_parser::ast;

/// A polynomial in the loop variable with integer coefficients, lowest power first.
#[derive(Clone, Debug, PartialEq)]
pub struct Poly {
    pub coeffs: Vec<BigInt>,
    /// Python operations one turn of the expression costs (names, constants, operators).
    pub weight: u32,
}

/// The highest power the closed forms below cover.
const MAX_DEGREE: usize = 4;

impl Poly {
    fn constant(c: BigInt) -> Poly {
        Poly {
            coeffs: vec![c],
            weight: 1,
        }
    }
    fn var() -> Poly {
        Poly {
            coeffs: vec![BigInt::zero(), BigInt::one()],
            weight: 1,
        }
    }

    fn degree(&self) -> usize {
        self.coeffs.len().saturating_sub(1)
    }

    fn add(&self, other: &Poly, sign: i32) -> Poly {
        let n = self.coeffs.len().max(other.coeffs.len());
        let coeffs = (0..n)
            .map(|i| {
                let a = self.coeffs.get(i).cloned().unwrap_or_default();
                let b = other.coeffs.get(i).cloned().unwrap_or_default();
                if sign < 0 {
                    a - b
                } else {
                    a + b
                }
            })
            .collect();
        Poly {
            coeffs,
            weight: self.weight + other.weight + 1,
        }
    }

    fn mul(&self, other: &Poly) -> Option<Poly> {
        if self.degree() + other.degree() > MAX_DEGREE {
            return None;
        }
        let mut coeffs = vec![BigInt::zero(); self.coeffs.len() + other.coeffs.len() - 1];
        for (i, a) in self.coeffs.iter().enumerate() {
            for (j, b) in other.coeffs.iter().enumerate() {
                coeffs[i + j] += a * b;
            }
        }
        Some(Poly {
            coeffs,
            weight: self.weight + other.weight + 1,
        })
    }

    /// The polynomial `expr` is in the variable `var`, if it is one this module can sum.
    pub fn from_expr(expr: &ast::Expr, var: &str) -> Option<Poly> {
        match expr {
            ast::Expr::Name(n) if n.id.as_str() == var => Some(Poly::var()),
            ast::Expr::Constant(c) => match &c.value {
                ast::Constant::Int(i) => Some(Poly::constant(i.clone())),
                _ => None,
            },
            ast::Expr::UnaryOp(u) => {
                let p = Poly::from_expr(&u.operand, var)?;
                match u.op {
                    ast::UnaryOp::USub => Poly::constant(BigInt::zero()).add(&p, -1).into(),
                    ast::UnaryOp::UAdd => Some(p),
                    _ => None,
                }
            }
            ast::Expr::BinOp(b) => {
                let l = Poly::from_expr(&b.left, var)?;
                match b.op {
                    ast::Operator::Add => Some(l.add(&Poly::from_expr(&b.right, var)?, 1)),
                    ast::Operator::Sub => Some(l.add(&Poly::from_expr(&b.right, var)?, -1)),
                    ast::Operator::Mult => l.mul(&Poly::from_expr(&b.right, var)?),
                    ast::Operator::Pow => {
                        let ast::Expr::Constant(c) = &*b.right else {
                            return None;
                        };
                        let ast::Constant::Int(e) = &c.value else {
                            return None;
                        };
                        let e: usize = e.try_into().ok()?;
                        if e > MAX_DEGREE {
                            return None;
                        }
                        let mut p = Poly::constant(BigInt::one());
                        for _ in 0..e {
                            p = p.mul(&l)?;
                        }
                        p.weight = l.weight + 2;
                        Some(p)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `sum(p(i) for i in range(start, start + step * n, step))`, exactly.
    pub fn sum_over(&self, start: i64, step: i64, n: u64) -> BigInt {
        // q(j) = p(start + step * j), then sum q over j = 0..n-1.
        let shift = Poly {
            coeffs: vec![BigInt::from(start), BigInt::from(step)],
            weight: 0,
        };
        let mut q = Poly {
            coeffs: vec![BigInt::zero()],
            weight: 0,
        };
        for (k, c) in self.coeffs.iter().rev().enumerate() {
            // Horner: q = q * shift + c (the first turn has nothing to multiply yet).
            if k > 0 {
                q = q.mul(&shift).unwrap_or_else(|| q.clone());
            }
            q.coeffs[0] += c;
        }
        let n = BigInt::from(n);
        q.coeffs
            .iter()
            .enumerate()
            .map(|(k, c)| c * power_sum(k, &n))
            .sum()
    }
}

/// `sum(j**k for j in range(n))` for `k <= 4`.
fn power_sum(k: usize, n: &BigInt) -> BigInt {
    let one = BigInt::one();
    let m = n - &one;
    match k {
        0 => n.clone(),
        1 => n * &m / 2,
        2 => &m * n * (BigInt::from(2) * n - &one) / 6,
        3 => {
            let s = n * &m / 2;
            &s * &s
        }
        _ => {
            // sum_{j<n} j^4 = m(m+1)(2m+1)(3m^2+3m-1)/30 with m = n-1.
            let three_m2 = BigInt::from(3) * &m * &m;
            &m * n * (BigInt::from(2) * &m + &one) * (three_m2 + BigInt::from(3) * &m - &one) / 30
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustpython_parser::Parse;

    fn poly(src: &str) -> Poly {
        let e = ast::Expr::parse(src, "<test>").unwrap();
        Poly::from_expr(&e, "i").unwrap()
    }

    fn brute(src_coeffs: &Poly, start: i64, step: i64, n: u64) -> BigInt {
        (0..n)
            .map(|j| {
                let x = BigInt::from(start + step * j as i64);
                src_coeffs
                    .coeffs
                    .iter()
                    .enumerate()
                    .map(|(k, c)| c * num_traits::pow(x.clone(), k))
                    .sum::<BigInt>()
            })
            .sum()
    }

    #[test]
    fn closed_forms_match_brute_force() {
        for src in [
            "i * i",
            "i",
            "3",
            "i ** 3 - 2 * i + 7",
            "(i + 1) ** 4",
            "-i * i",
        ] {
            let p = poly(src);
            for (start, step, n) in [(0, 1, 0), (0, 1, 1), (0, 1, 10), (5, 3, 17), (10, -2, 9)] {
                assert_eq!(
                    p.sum_over(start, step, n),
                    brute(&p, start, step, n),
                    "{src}"
                );
            }
        }
    }

    #[test]
    fn sum_of_squares_to_ten_million_is_exact() {
        let p = poly("i * i");
        let expected: BigInt = "333333283333335000000".parse().unwrap();
        assert_eq!(p.sum_over(0, 1, 10_000_000), expected);
    }

    #[test]
    fn non_polynomials_are_refused() {
        for src in ["i % 3", "i / 2", "i ** 5", "f(i)", "i * 0.5", "x * i"] {
            let e = ast::Expr::parse(src, "<test>").unwrap();
            assert!(Poly::from_expr(&e, "i").is_none(), "{src}");
        }
    }
}
