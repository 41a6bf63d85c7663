//! Charts as SVG with plotters, made accessible: role="img" with a <title> and a <desc> that
//! reads out every value, for screen readers.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart. Rows: (label, value as text, share 0–1000 per mille or None when suppressed).
pub fn bars(title: &str, rows: &[(String, String, Option<i64>)]) -> String {
    bars_named("chart", title, rows)
}

/// [`bars`] with its title's and description's ids starting `id`, for a page with several.
pub fn bars_named(id: &str, title: &str, rows: &[(String, String, Option<i64>)]) -> String {
    let (w, row_h) = (760u32, 30u32);
    let h = 50 + row_h * rows.len().max(1) as u32;
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        let n = rows.len().max(1) as i32;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(6)
            .margin_right(70)
            .y_label_area_size(330)
            .build_cartesian_2d(0i32..1000i32, (0i32..n).into_segmented())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_y_mesh()
            .disable_x_axis()
            .y_labels(rows.len().max(1))
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(y) => rows
                    .get((n - 1 - *y) as usize)
                    .map(|r| r.0.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_style(("sans-serif", 16))
            .draw()?;
        let blue = RGBColor(0x00, 0x4f, 0x9f);
        for (i, (_, value, share)) in rows.iter().enumerate() {
            let y = n - 1 - i as i32;
            let end = share.unwrap_or(0).clamp(0, 1000) as i32;
            let (top, bottom) = (SegmentValue::Exact(y), SegmentValue::Exact(y + 1));
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0, top), (end, bottom)],
                blue.filled(),
            )))?;
            let style = TextStyle::from(("sans-serif", 16).into_font())
                .pos(Pos::new(HPos::Left, VPos::Center));
            chart.draw_series(std::iter::once(Text::new(
                value.clone(),
                (end + 12, SegmentValue::CenterOf(y)),
                style,
            )))?;
        }
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() {
        return String::new();
    }
    let desc: Vec<String> = rows.iter().map(|(l, v, _)| format!("{l}: {v}")).collect();
    let head = format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(&desc.join("; "))
    );
    // Put the accessible name into plotters' root element.
    match svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| (s, s + e)))
    {
        Some((start, end)) => format!(
            "{}{}{}",
            &svg[..start],
            head.replacen("<svg", &svg[start..end], 1),
            &svg[end + 1..]
        ),
        None => svg,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bars_are_accessible_and_escaped() {
        let svg = super::bars(
            "Tulokset <VOIMA>",
            &[
                ("Työllistyi".into(), "44,0 %".into(), Some(440)),
                ("Koulutus".into(), "<5".into(), None),
            ],
        );
        assert!(
            svg.contains("<svg")
                && svg.contains("role=\"img\"")
                && svg.contains("<title id=\"chart-title\">Tulokset &lt;VOIMA&gt;</title>"),
            "{svg}"
        );
        assert!(svg.contains("<desc id=\"chart-desc\">Työllistyi: 44,0 %; Koulutus: &lt;5</desc>"));
        assert!(
            svg.contains("Työllistyi") && svg.contains("44,0 %"),
            "labels and values drawn"
        );
        assert_eq!(svg.matches("<svg").count(), 1, "one root element");
        assert!(svg.matches("<rect").count() >= 3, "background and bars");
    }
}
