//! An insertion sort for the core's short lists (a request's secrets, a dedup key's fields):
//! a few hundred bytes of wasm, where each use of the standard library's sorts compiled to
//! kilobytes. Stable; quadratic, so only for lists of a handful of items.

/// Sorts `v` by `less`, keeping equal items in their order.
pub(crate) fn sort_short<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorts_as_the_standard_library_does() {
        let mut x: u32 = 7;
        for len in 0..40 {
            let mut v: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((x >> 16) % 8, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|a| a.0);
            super::sort_short(&mut v, |a, b| a.0 < b.0);
            assert_eq!(v, expected);
        }
    }
}
