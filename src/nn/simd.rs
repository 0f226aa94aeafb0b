//! Runs a loop with the widest vector instructions this CPU has (AVX-512 or AVX2 on x86-64,
//! detected once), through `pulp`'s safe dispatch.
//!
//! Only for element-wise loops whose every operation is exactly rounded on its own (add,
//! multiply, divide, square root, compare, select): the results are the same bits at any
//! vector width, and Rust never fuses a multiply and an add unless asked (`mul_add`), so
//! the wider code computes what the baseline code computes, faster.

/// `vectorized!(expr)`: `expr` compiled three times, for AVX-512, for AVX2 and for the
/// baseline, and run in the first the CPU has. Each copy is a closure with one call site, so
/// that it is inlined into its target-feature context (a closure shared by the three would
/// be compiled once, for the baseline).
macro_rules! vectorized {
    ($body:expr) => {{
        #[cfg(target_arch = "x86_64")]
        {
            if let Some(simd) = pulp::x86::V4::try_new() {
                simd.vectorize(|| $body)
            } else if let Some(simd) = pulp::x86::V3::try_new() {
                simd.vectorize(|| $body)
            } else {
                $body
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            $body
        }
    }};
}

pub(crate) use vectorized;
