//! Charts drawn on the server as SVG: no script, readable without styles, described for screen
//! readers (`role="img"` with a title and a description), and mirrored for right-to-left
//! languages — time runs from right to left in Hebrew, as the text does.

use std::fmt::Write;

/// A goal's chart: its points, the forecast to the end and the target.
pub struct GoalChart<'a> {
    /// Unique on the page (for the title and description ids).
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub start_day: i64,
    pub end_day: i64,
    pub points: &'a [(i64, f64)],
    /// From the last point to the end.
    pub projected: Option<f64>,
    pub target: f64,
    pub rtl: bool,
    /// The axis labels: the first and last day, and the target.
    pub start_label: &'a str,
    pub end_label: &'a str,
    pub target_label: &'a str,
}

const W: f64 = 600.0;
const H: f64 = 200.0;
/// The margin on the side of the value axis, and on the other side.
const AXIS: f64 = 48.0;
const SIDE: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// Escapes text for an SVG element or attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A short number for an axis: 1,234 → "1.2k".
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1_000_000.0 {
        format!("{:.1}M", v / 1_000_000.0)
    } else if a >= 10_000.0 {
        format!("{:.0}k", v / 1_000.0)
    } else if a >= 1_000.0 {
        format!("{:.1}k", v / 1_000.0)
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

impl GoalChart<'_> {
    /// The plot's left and right edges: the value axis stands where time starts.
    fn edges(&self) -> (f64, f64) {
        if self.rtl {
            (SIDE, W - AXIS)
        } else {
            (AXIS, W - SIDE)
        }
    }

    fn x(&self, day: i64) -> f64 {
        let (left, right) = self.edges();
        let span = (self.end_day - self.start_day).max(1) as f64;
        let f = ((day - self.start_day) as f64 / span).clamp(0.0, 1.0);
        let f = if self.rtl { 1.0 - f } else { f };
        left + f * (right - left)
    }

    fn y(&self, v: f64, max: f64) -> f64 {
        let f = if max > 0.0 {
            (v / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        TOP + (1.0 - f) * (H - TOP - BOTTOM)
    }

    /// The SVG, ready to put in a page.
    pub fn svg(&self) -> String {
        let top = self
            .points
            .iter()
            .map(|(_, v)| *v)
            .chain([self.target, self.projected.unwrap_or(0.0)])
            .fold(0.0_f64, f64::max);
        let max = if top > 0.0 { top * 1.1 } else { 1.0 };
        let id = escape(self.id);
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
            escape(self.title),
            escape(self.description)
        );
        // The value axis: 0, half and the top, on the side where the time starts.
        let (left, right) = self.edges();
        let (axis_x, anchor) = if self.rtl {
            (right + 6.0, "start")
        } else {
            (left - 6.0, "end")
        };
        for f in [0.0, 0.5, 1.0] {
            let v = max / 1.1 * f;
            let y = self.y(v, max);
            let label = if v >= 10.0 { v.round() } else { v };
            let _ = write!(
                s,
                r#"<line class="grid" x1="{left}" x2="{right}" y1="{y:.1}" y2="{y:.1}"/><text class="axis" x="{axis_x}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
                y + 4.0,
                escape(&short_number(label))
            );
        }
        // The target.
        let ty = self.y(self.target, max);
        let _ = write!(
            s,
            r#"<line class="target" x1="{left}" x2="{right}" y1="{ty:.1}" y2="{ty:.1}"/><text class="target-label" x="{}" y="{:.1}" text-anchor="middle">{}</text>"#,
            (left + right) / 2.0,
            ty - 4.0,
            escape(self.target_label)
        );
        // What happened, then the forecast.
        if !self.points.is_empty() {
            let line: Vec<String> = self
                .points
                .iter()
                .map(|(d, v)| format!("{:.1},{:.1}", self.x(*d), self.y(*v, max)))
                .collect();
            let _ = write!(
                s,
                r#"<polyline class="actual" points="{}"/>"#,
                line.join(" ")
            );
            if let (Some(p), Some((d, v))) = (self.projected, self.points.last())
                && *d < self.end_day
            {
                let _ = write!(
                    s,
                    r#"<line class="forecast" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
                    self.x(*d),
                    self.y(*v, max),
                    self.x(self.end_day),
                    self.y(p, max)
                );
            }
        }
        // The period's first and last day under the time axis, each inside its edge.
        let by = H - 8.0;
        let (start_anchor, end_anchor) = if self.rtl {
            ("end", "start")
        } else {
            ("start", "end")
        };
        let _ = write!(
            s,
            r#"<text class="axis" x="{:.1}" y="{by}" text-anchor="{start_anchor}">{}</text><text class="axis" x="{:.1}" y="{by}" text-anchor="{end_anchor}">{}</text></svg>"#,
            self.x(self.start_day),
            escape(self.start_label),
            self.x(self.end_day),
            escape(self.end_label)
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(rtl: bool) -> String {
        GoalChart {
            id: "g1",
            title: "הרשמות <למתנדבים>",
            description: "30 of 100",
            start_day: 0,
            end_day: 10,
            points: &[(0, 3.0), (5, 30.0)],
            projected: Some(60.0),
            target: 100.0,
            rtl,
            start_label: "1.1",
            end_label: "11.1",
            target_label: "יעד 100",
        }
        .svg()
    }

    #[test]
    fn time_runs_right_to_left_in_hebrew() {
        let ltr = chart(false);
        let rtl = chart(true);
        // The first point is at the left edge in English and at the right edge in Hebrew.
        assert!(ltr.contains(r#"points="48.0,"#), "{ltr}");
        assert!(rtl.contains(r#"points="552.0,"#), "{rtl}");
        // The value axis stands where the time starts: left in English, right in Hebrew.
        assert!(ltr.contains(r#"x="42" y="#), "{ltr}");
        assert!(rtl.contains(r#"x="558" y="#), "{rtl}");
        assert!(!rtl.contains(r#"x="42" y="#));
    }

    #[test]
    fn text_is_escaped_and_the_chart_is_described() {
        let s = chart(true);
        assert!(s.contains("<title id=\"g1-t\">הרשמות &lt;למתנדבים&gt;</title>"));
        assert!(s.contains(r#"aria-labelledby="g1-t g1-d""#));
        assert!(s.contains(r#"role="img""#));
        assert!(s.contains("class=\"forecast\""));
        assert!(!s.contains("<למתנדבים>"));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(short_number(0.0), "0");
        assert_eq!(short_number(45.5), "45.5");
        assert_eq!(short_number(1234.0), "1.2k");
        assert_eq!(short_number(25_000.0), "25k");
        assert_eq!(short_number(3_400_000.0), "3.4M");
    }
}
