//! Tiny text charts that sit inside a line of text.

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One character per value, scaled to the largest; zero shows as a space-
/// width baseline so empty weeks are still visible.
pub fn sparkline(values: &[f64]) -> String {
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    let min = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    values
        .iter()
        .map(|&v| {
            if max <= min || !v.is_finite() {
                return BARS[0];
            }
            let level = ((v - min) / (max - min) * 7.0).round() as usize;
            BARS[level.min(7)]
        })
        .collect()
}

/// A bar of `width` cells filled to `ratio` (clamped to 0..=1).
pub fn bar(ratio: f64, width: usize) -> String {
    let ratio = if ratio.is_finite() {
        ratio.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let filled = (ratio * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_largest_value() {
        assert_eq!(sparkline(&[0.0, 1.0, 2.0]), "▁▅█");
        assert_eq!(sparkline(&[0.0, 0.0]), "▁▁");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn bar_is_clamped() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(1.7, 3), "███");
        assert_eq!(bar(-1.0, 2), "░░");
    }
}
