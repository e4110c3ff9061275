//! A small deterministic generator (SplitMix64): the same seed gives the same
//! inputs on every machine, so a run can be repeated exactly.

/// The generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

/// Mixes a 64-bit value (the SplitMix64 finalizer).
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(mix(seed ^ 0x6a09_e667_f3bc_c909))
    }

    /// The generator of input `index` of a run with `seed`: each input
    /// depends on these two numbers only, so any input can be made again.
    pub fn for_input(seed: u64, index: u64) -> Self {
        Rng::new(mix(seed).wrapping_add(mix(index.wrapping_add(0x9e37_79b9_7f4a_7c15))))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True `num` times in `den`.
    pub fn chance(&mut self, num: u32, den: u32) -> bool {
        (self.next_u64() % u64::from(den)) < u64::from(num)
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `words` (which must not be empty).
    pub fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }

    /// An index chosen by `weights`.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut at = self.next_u64() % total.max(1);
        for (i, &w) in weights.iter().enumerate() {
            if at < u64::from(w) {
                return i;
            }
            at -= u64::from(w);
        }
        weights.len() - 1
    }

    /// How many mutations to stack: 1 most often, rarely up to `max`.
    pub fn stack(&mut self, max: usize) -> usize {
        let mut n = 1;
        while n < max && self.chance(1, 2) {
            n += 1;
        }
        n
    }
}

/// FNV-1a, 64 bits: names artifacts after their content.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_depend_on_seed_and_index_only() {
        let a: Vec<u64> = (0..4).map(|_| Rng::for_input(7, 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::for_input(7, 3).next_u64(),
            Rng::for_input(7, 4).next_u64()
        );
        assert_ne!(
            Rng::for_input(7, 3).next_u64(),
            Rng::for_input(8, 3).next_u64()
        );
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(1);
        for n in 1..50 {
            assert!(r.below(n) < n);
        }
        assert_eq!(r.below(0), 0);
        let w = [0, 5, 0];
        assert!((0..100).all(|_| r.weighted(&w) == 1));
    }
}
