//! Digits of π for `perl -Mbignum=bpi -wle 'print bpi(N)'`, the Job of the Kubernetes docs
//! and of the seed article. Computed (Machin's formula in base-10⁹ fixed point) rather than
//! stored so any `N` prints what Perl prints: `N` significant digits, the last one rounded
//! (images-and-processes.md §3.14, perl-bpi2000-output.txt).

/// Largest `N` computed; beyond it the work per call would stop being small.
pub const MAX_DIGITS: usize = 10_000;

const BASE: u64 = 1_000_000_000;

/// Fixed-point number: `limbs[0]` is the integer part, then base-10⁹ fraction limbs.
struct Fixed(Vec<u64>);

impl Fixed {
    fn sub(&mut self, o: &Fixed) {
        let mut borrow = 0;
        for (a, b) in self.0.iter_mut().zip(&o.0).rev() {
            let need = *b + borrow;
            if *a >= need {
                *a -= need;
                borrow = 0;
            } else {
                *a = *a + BASE - need;
                borrow = 1;
            }
        }
    }
}

/// `m · arctan(1/x)` by its series. Leading zero limbs of the shrinking term are skipped
/// and the buffers reused (2000 digits take about 2 ms).
fn arctan_inv(x: u64, m: u64, limbs: usize) -> Fixed {
    let mut term = vec![0u64; limbs];
    term[0] = m;
    div_from(&mut term, x, 0);
    let mut sum = term.clone();
    let mut t = vec![0u64; limbs];
    let x2 = x * x;
    let mut start = 0;
    let mut k = 1u64;
    loop {
        div_from(&mut term, x2, start);
        while start < limbs && term[start] == 0 {
            start += 1;
        }
        if start == limbs {
            return Fixed(sum);
        }
        let d = 2 * k + 1;
        let mut rem = 0u64;
        for i in start..limbs {
            let cur = rem * BASE + term[i];
            t[i] = cur / d;
            rem = cur % d;
        }
        if k % 2 == 1 {
            sub_from(&mut sum, &t, start);
        } else {
            add_from(&mut sum, &t, start);
        }
        k += 1;
    }
}

/// `v /= d` where limbs before `start` are zero.
fn div_from(v: &mut [u64], d: u64, start: usize) {
    let mut rem = 0u64;
    for l in &mut v[start..] {
        let cur = rem * BASE + *l;
        *l = cur / d;
        rem = cur % d;
    }
}

/// `sum += t` where `t`'s limbs before `start` are zero.
fn add_from(sum: &mut [u64], t: &[u64], start: usize) {
    let mut carry = 0;
    for i in (start..sum.len()).rev() {
        let s = sum[i] + t[i] + carry;
        sum[i] = s % BASE;
        carry = s / BASE;
    }
    let mut i = start;
    while carry > 0 && i > 0 {
        i -= 1;
        let s = sum[i] + carry;
        sum[i] = s % BASE;
        carry = s / BASE;
    }
}

/// `sum -= t` where `t`'s limbs before `start` are zero (`sum ≥ t`).
fn sub_from(sum: &mut [u64], t: &[u64], start: usize) {
    let mut borrow = 0;
    for i in (start..sum.len()).rev() {
        let need = t[i] + borrow;
        if sum[i] >= need {
            sum[i] -= need;
            borrow = 0;
        } else {
            sum[i] = sum[i] + BASE - need;
            borrow = 1;
        }
    }
    let mut i = start;
    while borrow > 0 && i > 0 {
        i -= 1;
        if sum[i] >= 1 {
            sum[i] -= 1;
            borrow = 0;
        } else {
            sum[i] = BASE - 1;
        }
    }
}

/// Raw digits of π (3, 1, 4, 1, 5, …), at least `count` of them.
fn raw_digits(count: usize) -> Vec<u8> {
    let limbs = count / 9 + 4;
    let mut pi = arctan_inv(5, 16, limbs);
    let b = arctan_inv(239, 4, limbs);
    pi.sub(&b);
    let mut digits: Vec<u8> = vec![3];
    for l in &pi.0[1..] {
        digits.extend(format!("{l:09}").bytes().map(|c| c - b'0'));
    }
    digits
}

/// Precisions up to this many digits share one computation per process (a memo of a pure
/// function: it changes no result, only how often the work is done).
const MEMO_DIGITS: usize = 2100;

fn memo_digits() -> &'static [u8] {
    static DIGITS: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    DIGITS.get_or_init(|| raw_digits(MEMO_DIGITS + 1))
}

/// π to `n` significant digits (`n` ≥ 1, capped at [`MAX_DIGITS`]), as Perl prints it.
pub fn bpi(n: usize) -> String {
    let n = n.clamp(1, MAX_DIGITS);
    let mut digits = if n < MEMO_DIGITS { memo_digits()[..=n].to_vec() } else { raw_digits(n + 1) };
    // Keep n digits, rounding half up on the next one.
    let round_up = digits.get(n).is_some_and(|d| *d >= 5);
    digits.truncate(n);
    if round_up {
        for d in digits.iter_mut().rev() {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                break;
            }
        }
    }
    let mut s = String::with_capacity(n + 1);
    for (i, d) in digits.iter().enumerate() {
        s.push(char::from(b'0' + d));
        if i == 0 && n > 1 {
            s.push('.');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_perl_bpi_2000() {
        let s = bpi(2000);
        // perl-bpi2000-output.txt: 2001 characters, these ends.
        assert_eq!(s.len(), 2001);
        assert!(s.starts_with("3.14159265358979323846264338327950288419716939937510582097494459"));
        assert!(s.ends_with("6575739624138908658326459958133904780275901"));
    }

    #[test]
    fn small_precisions_round() {
        assert_eq!(bpi(1), "3");
        assert_eq!(bpi(5), "3.1416");
        assert_eq!(bpi(10), "3.141592654");
    }
}
