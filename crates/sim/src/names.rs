//! Deterministic stand-ins for what a real cluster generates: random name suffixes
//! (apimachinery `util/rand`), UIDs, pod-template hashes, container and image IDs, IPs.
//! All of it comes from one seeded generator, so a seed fixes every name.

/// SplitMix64: tiny, fast and good enough for names and jitter.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, n)`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// apimachinery `util/rand.String`: no vowels, no 0/1/3.
    pub fn suffix(&mut self, n: usize) -> String {
        const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n).map(|_| ALPHANUMS[self.below(ALPHANUMS.len() as u64) as usize] as char).collect()
    }

    /// A version-4 UUID, as the API server assigns to `metadata.uid`.
    pub fn uid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            a as u16 & 0x0fff,
            ((b >> 48) as u16 & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// 64 hex digits, like a containerd container ID.
    pub fn hex64(&mut self) -> String {
        (0..4).map(|_| format!("{:016x}", self.next_u64())).collect()
    }
}

/// FNV-1a, 64 bits, as a `Hasher`: fast fingerprints of simulation state.
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv64 {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// A fingerprint of any hashable state, to notice changes without rendering objects.
pub fn fingerprint<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = Fnv64::default();
    value.hash(&mut h);
    h.finish()
}

/// FNV-1a, 32 bits (`hash/fnv` New32a), as `controller.ComputeHash` uses.
pub fn fnv32a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// `rand.SafeEncodeString(fmt.Sprint(hash))`: each decimal digit mapped into the alphabet.
/// Upstream hashes go-spew's dump of the Go struct, which we cannot reproduce; hashing the
/// template's JSON keeps the real shape (1–10 chars of `4-9bcdf`) and changes when it changes.
pub fn pod_template_hash(template_json: &str, collision_count: u32) -> String {
    let mut bytes = template_json.as_bytes().to_vec();
    if collision_count > 0 {
        bytes.extend_from_slice(&collision_count.to_le_bytes());
    }
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    fnv32a(&bytes).to_string().bytes().map(|d| ALPHANUMS[usize::from(d) % ALPHANUMS.len()] as char).collect()
}

/// `sha256:` followed by 64 hex digits derived from the text (stable per image reference).
pub fn digest(text: &str) -> String {
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for i in 0..8u8 {
        let mut bytes = text.as_bytes().to_vec();
        bytes.push(i);
        out.push_str(&format!("{:08x}", fnv32a(&bytes)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_use_the_apimachinery_alphabet() {
        let mut rng = Rng::new(7);
        let s = rng.suffix(5);
        assert_eq!(s.len(), 5);
        assert!(s.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)), "{s}");
    }

    #[test]
    fn same_seed_same_names() {
        assert_eq!(Rng::new(3).uid(), Rng::new(3).uid());
        assert_ne!(Rng::new(3).uid(), Rng::new(4).uid());
    }

    #[test]
    fn template_hashes_have_the_safe_encoded_shape() {
        let h = pod_template_hash("{\"spec\":{}}", 0);
        assert!(!h.is_empty() && h.len() <= 10);
        assert!(h.chars().all(|c| "456789bcdf".contains(c)), "{h}");
        assert_ne!(h, pod_template_hash("{\"spec\":{}}", 1));
    }

    #[test]
    fn uids_look_like_uuid_v4() {
        let u = Rng::new(1).uid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }
}
