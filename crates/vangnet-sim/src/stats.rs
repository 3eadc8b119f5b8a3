//! Statistics: estimates with 99 % confidence intervals, quantiles from histograms, the normal
//! and Student t quantiles they need, and exact M/M/c (Erlang C) results for validation.

/// Mean, standard deviation and 99 % confidence half-width of a quantity over replications.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: f64,
    /// Sample standard deviation over replications.
    pub std: f64,
    /// Half-width of the 99 % confidence interval of the mean (Student t).
    pub ci99: f64,
    /// Number of replications.
    pub n: u64,
}

impl Estimate {
    /// From the count, sum and sum of squares.
    pub fn from_sums(n: u64, sum: f64, sum_sq: f64) -> Estimate {
        if n == 0 {
            return Estimate::default();
        }
        let nf = n as f64;
        let mean = sum / nf;
        let var = if n > 1 {
            ((sum_sq - nf * mean * mean) / (nf - 1.0)).max(0.0)
        } else {
            0.0
        };
        let std = var.sqrt();
        let ci99 = if n > 1 {
            t_quantile_995(n - 1) * std / nf.sqrt()
        } else {
            f64::INFINITY
        };
        Estimate { mean, std, ci99, n }
    }

    /// From a slice of values.
    pub fn of(values: &[f64]) -> Estimate {
        let sum = values.iter().sum();
        let sum_sq = values.iter().map(|x| x * x).sum();
        Estimate::from_sums(values.len() as u64, sum, sum_sq)
    }

    /// Whether `x` lies inside the 99 % confidence interval.
    pub fn covers(&self, x: f64) -> bool {
        (x - self.mean).abs() <= self.ci99
    }
}

/// The standard normal distribution function (Numerical Recipes `erfc`, relative error
/// below 1.2e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if x >= 0.0 {
        1.0 - erfc / 2.0
    } else {
        erfc / 2.0
    }
}

/// The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The 0.995 quantile of Student's t with `df` degrees of freedom (table up to 30, then the
/// Cornish–Fisher expansion around the normal quantile).
pub fn t_quantile_995(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169, 3.106, 3.055, 3.012,
        2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779,
        2.771, 2.763, 2.756, 2.750,
    ];
    if df == 0 {
        return f64::INFINITY;
    }
    if df <= 30 {
        return TABLE[df as usize - 1];
    }
    let z = normal_quantile(0.995);
    let n = df as f64;
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * n)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * n * n * n)
}

/// Exact steady-state results of an M/M/c queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangC {
    /// Probability that an arrival has to wait (Erlang's C formula).
    pub p_wait: f64,
    /// Mean wait in the queue.
    pub wait: f64,
    /// Mean number waiting.
    pub waiting: f64,
    /// Mean number in the system (waiting and in service).
    pub in_system: f64,
}

/// Erlang C for arrival rate `lambda`, mean service time `mean_service` and `c` servers
/// (requires `lambda · mean_service < c`).
pub fn erlang_c(lambda: f64, mean_service: f64, c: u32) -> ErlangC {
    let a = lambda * mean_service;
    let rho = a / f64::from(c);
    assert!(rho < 1.0, "unstable: rho = {rho}");
    // Erlang B by the stable recursion, then C from B.
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let p_wait = b / (1.0 - rho * (1.0 - b));
    let waiting = p_wait * rho / (1.0 - rho);
    ErlangC {
        p_wait,
        wait: waiting / lambda,
        waiting,
        in_system: waiting + a,
    }
}

/// A histogram of non-negative integers (counts per value from `lo` on), for exact quantiles
/// across replications in memory that does not grow with their number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    lo: u32,
    counts: Vec<u64>,
}

impl Histogram {
    /// Count one observation of `v`.
    #[inline]
    pub fn add(&mut self, v: u32) {
        // Fast path: inside the current range.
        if let Some(c) = self.counts.get_mut(v.wrapping_sub(self.lo) as usize) {
            *c += 1;
        } else {
            self.add_n(v, 1);
        }
    }

    fn add_n(&mut self, v: u32, n: u64) {
        if self.counts.is_empty() {
            self.lo = v;
        }
        if v < self.lo {
            let grow = (self.lo - v) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.lo = v;
        }
        let i = (v - self.lo) as usize;
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += n;
    }

    /// Add all counts of `other`.
    pub fn merge(&mut self, other: &Histogram) {
        for (i, &n) in other.counts.iter().enumerate() {
            if n > 0 {
                self.add_n(other.lo + i as u32, n);
            }
        }
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Mean and sample standard deviation.
    pub fn mean_std(&self) -> (f64, f64) {
        let n = self.count();
        if n == 0 {
            return (0.0, 0.0);
        }
        let mut s = 0.0;
        for (i, &c) in self.counts.iter().enumerate() {
            s += f64::from(self.lo + i as u32) * c as f64;
        }
        let mean = s / n as f64;
        let mut ss = 0.0;
        for (i, &c) in self.counts.iter().enumerate() {
            let d = f64::from(self.lo + i as u32) - mean;
            ss += d * d * c as f64;
        }
        (
            mean,
            if n > 1 {
                (ss / (n - 1) as f64).sqrt()
            } else {
                0.0
            },
        )
    }

    /// The `q`-quantile (smallest value with at least a share `q` of observations at or below).
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return 0.0;
        }
        let target = ((q * n as f64).ceil() as u64).max(1);
        let mut cum = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            cum += c;
            if cum >= target {
                return f64::from(self.lo + i as u32);
            }
        }
        f64::from(self.lo + self.counts.len() as u32 - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_known_values() {
        // M/M/1: P(wait) = rho, Wq = rho / (mu - lambda).
        let e = erlang_c(0.8, 1.0, 1);
        assert!(
            (e.p_wait - 0.8).abs() < 1e-12
                && (e.wait - 4.0).abs() < 1e-9
                && (e.in_system - 4.0).abs() < 1e-9
        );
        // M/M/2 with a = 1: C = 1/3.
        let e = erlang_c(1.0, 1.0, 2);
        assert!((e.p_wait - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn quantiles_and_normal() {
        assert!((normal_quantile(0.995) - 2.5758293).abs() < 1e-6);
        assert!((normal_cdf(1.96) - 0.9750021).abs() < 1e-6);
        assert!((t_quantile_995(60) - 2.660).abs() < 2e-3);
        assert!((t_quantile_995(100) - 2.626).abs() < 2e-3);
        let mut h = Histogram::default();
        for v in [5, 3, 9, 7, 1] {
            h.add(v);
        }
        assert_eq!(h.quantile(0.5), 5.0);
        assert_eq!(h.quantile(0.05), 1.0);
        assert_eq!(h.quantile(0.95), 9.0);
        assert_eq!(h.mean_std().0, 5.0);
    }
}
