//! GIF's LZW compression, with a fast path for runs of index 0.
//!
//! An animation frame is its changed rectangle with every unchanged pixel transparent
//! (index 0): on a training screen about 1 % of that rectangle changes, so the input is
//! almost all long runs of 0. A general LZW encoder (weezl, which the `gif` crate uses) looks
//! up every one of those symbols in its dictionary; here a run is taken a whole dictionary
//! string at a time. The strings of 0s in the dictionary are always the lengths 1 to K (a run
//! of k + 1 is only ever added as the run of k followed by a 0), so the longest that fits is
//! known without a lookup. The output is ordinary GIF LZW (variable code width from
//! `min_code_size + 1` to 12 bits, least significant bit first, a clear code first and when
//! the 4096 codes are used up, the end code last), read by any decoder.

/// Codes at most 12 bits wide.
const MAX_CODES: usize = 4096;

/// The dictionary: (prefix code, byte) → code, open addressing.
struct Dict {
    /// `(prefix << 8 | byte) + 1` per slot, 0 for an empty slot.
    keys: Vec<u32>,
    codes: Vec<u16>,
}

const SLOTS: usize = 1 << 14;

impl Dict {
    fn new() -> Self {
        Dict {
            keys: vec![0; SLOTS],
            codes: vec![0; SLOTS],
        }
    }

    fn clear(&mut self) {
        self.keys.fill(0);
    }

    #[inline]
    fn slot(key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> (32 - 14)) as usize
    }

    #[inline]
    fn get(&self, prefix: u16, byte: u8) -> Option<u16> {
        let key = ((prefix as u32) << 8 | byte as u32) + 1;
        let mut i = Self::slot(key);
        loop {
            match self.keys[i] {
                0 => return None,
                k if k == key => return Some(self.codes[i]),
                _ => i = (i + 1) & (SLOTS - 1),
            }
        }
    }

    #[inline]
    fn insert(&mut self, prefix: u16, byte: u8, code: u16) {
        let key = ((prefix as u32) << 8 | byte as u32) + 1;
        let mut i = Self::slot(key);
        while self.keys[i] != 0 {
            i = (i + 1) & (SLOTS - 1);
        }
        self.keys[i] = key;
        self.codes[i] = code;
    }
}

/// Codes packed least significant bit first.
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits<'_> {
    #[inline]
    fn put(&mut self, code: u16, width: u32) {
        self.acc |= (code as u64) << self.n;
        self.n += width;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn finish(mut self) {
        if self.n > 0 {
            self.out.push(self.acc as u8);
            self.n = 0;
        }
    }
}

/// The encoder's state between symbols.
struct State<'a> {
    dict: Dict,
    bits: Bits<'a>,
    min: u32,
    width: u32,
    next: usize,
    /// `zeros[k - 1]` is the code of the string of k 0s (`zeros[0]` is the literal 0).
    zeros: Vec<u16>,
}

impl State<'_> {
    fn clear_code(&self) -> u16 {
        1 << self.min
    }

    fn reset(&mut self) {
        self.dict.clear();
        self.width = self.min + 1;
        self.next = (1usize << self.min) + 2;
        self.zeros.clear();
        self.zeros.push(0);
    }

    /// Writes `code` for the string that `byte` does not extend, and adds string + `byte`
    /// to the dictionary (or starts a new one when it is full).
    #[inline]
    fn emit_and_add(&mut self, code: u16, byte: u8, zero_len: usize) {
        self.bits.put(code, self.width);
        if self.next < MAX_CODES {
            let new = self.next as u16;
            self.dict.insert(code, byte, new);
            if byte == 0 && zero_len == self.zeros.len() {
                self.zeros.push(new);
            }
            self.next += 1;
            if self.next > (1 << self.width) && self.width < 12 {
                self.width += 1;
            }
        } else {
            let clear = self.clear_code();
            self.bits.put(clear, self.width);
            self.reset();
        }
    }
}

/// `data` (every value below `1 << min_code_size`) as a GIF image's LZW data, after a first
/// byte holding `min_code_size` (2 to 8): what `gif::Encoder::write_lzw_pre_encoded_frame`
/// takes.
pub fn encode(data: &[u8], min_code_size: u8, out: &mut Vec<u8>) {
    let min = u32::from(min_code_size.clamp(2, 8));
    out.push(min as u8);
    let mut s = State {
        dict: Dict::new(),
        bits: Bits { out, acc: 0, n: 0 },
        min,
        width: min + 1,
        next: (1usize << min) + 2,
        zeros: vec![0],
    };
    let clear = s.clear_code();
    s.bits.put(clear, s.width);
    let Some((&first, rest)) = data.split_first() else {
        s.bits.put(clear + 1, s.width);
        s.bits.finish();
        return;
    };
    let mut cur = first as u16;
    // The length of the run of 0s `cur` stands for (0 when it holds anything else).
    let mut zero_len = usize::from(first == 0);
    let mut i = 0;
    while i < rest.len() {
        let byte = rest[i];
        if byte == 0 && zero_len > 0 {
            // A run of 0s, extending a string of 0s: whole dictionary strings at a time.
            let run = rest[i..]
                .iter()
                .position(|&b| b != 0)
                .unwrap_or(rest.len() - i);
            let mut left = run;
            while left > 0 {
                let known = s.zeros.len();
                if zero_len < known {
                    let take = (known - zero_len).min(left);
                    zero_len += take;
                    left -= take;
                    cur = s.zeros[zero_len - 1];
                    continue;
                }
                // The longest string of 0s there is, followed by one more 0.
                s.emit_and_add(cur, 0, zero_len);
                cur = 0;
                zero_len = 1;
                left -= 1;
            }
            i += run;
            continue;
        }
        match s.dict.get(cur, byte) {
            Some(code) => {
                cur = code;
                zero_len = 0;
            }
            None => {
                s.emit_and_add(cur, byte, zero_len);
                cur = byte as u16;
                zero_len = usize::from(byte == 0);
            }
        }
        i += 1;
    }
    s.bits.put(cur, s.width);
    s.bits.put(clear + 1, s.width);
    s.bits.finish();
}

/// The smallest code size for indices up to `max` (at least 2, as GIF requires).
pub fn min_code_size(max: u8) -> u8 {
    let mut bits = 2;
    while bits < 8 && (max as u32) >= 1 << bits {
        bits += 1;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    fn decode(lzw: &[u8]) -> Vec<u8> {
        let mut d = weezl::decode::Decoder::new(weezl::BitOrder::Lsb, lzw[0]);
        d.decode(&lzw[1..]).expect("valid LZW")
    }

    fn round_trip(data: &[u8]) {
        let max = data.iter().copied().max().unwrap_or(0);
        let mut out = Vec::new();
        encode(data, min_code_size(max), &mut out);
        assert_eq!(decode(&out), data, "{} symbols", data.len());
        // As small as weezl's own output, give or take a little.
        let mut theirs = weezl::encode::Encoder::new(weezl::BitOrder::Lsb, out[0]);
        let theirs = theirs.encode(data).expect("weezl encodes");
        assert!(
            out.len() <= theirs.len() + 8 + theirs.len() / 50,
            "{} bytes against weezl's {}",
            out.len(),
            theirs.len()
        );
    }

    #[test]
    fn every_kind_of_input_decodes_to_itself() {
        let mut rng = crate::SeedRng::seed_from_u64(7);
        round_trip(&[]);
        round_trip(&[0]);
        round_trip(&[5]);
        round_trip(&[0; 100_000]);
        round_trip(&[3; 70_000]);
        // Noise: the dictionary fills and is cleared many times.
        let noise: Vec<u8> = (0..200_000).map(|_| rng.random_range(0..=255u8)).collect();
        round_trip(&noise);
        let small: Vec<u8> = (0..50_000).map(|_| rng.random_range(0..4u8)).collect();
        round_trip(&small);
        // A frame's changed rectangle: long runs of 0 between short runs of colours, runs
        // of every length, past the dictionary's reset.
        for sparse in [0.001, 0.01, 0.1, 0.5] {
            let data: Vec<u8> = (0..600_000)
                .map(|_| {
                    if rng.random::<f64>() < sparse {
                        rng.random_range(1..40u8)
                    } else {
                        0
                    }
                })
                .collect();
            round_trip(&data);
        }
        let mut runs = Vec::new();
        for k in 0..3000usize {
            runs.extend(std::iter::repeat_n(0, k % 977));
            runs.extend(std::iter::repeat_n((k % 7) as u8 + 1, k % 5));
        }
        round_trip(&runs);
    }

    #[test]
    fn the_code_size_fits_the_largest_index() {
        assert_eq!(min_code_size(0), 2);
        assert_eq!(min_code_size(3), 2);
        assert_eq!(min_code_size(4), 3);
        assert_eq!(min_code_size(255), 8);
    }
}
