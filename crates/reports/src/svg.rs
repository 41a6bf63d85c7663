//! A horizontal bar chart as SVG, written directly: labelled, with <title> and <desc> for
//! screen readers, and no font rendering needed on the server.

/// (label, value shown as text, share 0–1000 per mille or None when suppressed)
pub fn bars(title: &str, rows: &[(String, String, Option<i64>)]) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let (label_w, bar_w, row_h) = (380.0, 300.0, 26.0);
    let height = 30.0 + row_h * rows.len() as f64;
    let mut desc = Vec::new();
    let mut body = String::new();
    for (i, (label, value, share)) in rows.iter().enumerate() {
        let y = 30.0 + row_h * i as f64;
        let w = share.map_or(0.0, |p| bar_w * (p.clamp(0, 1000) as f64) / 1000.0);
        body.push_str(&format!(
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"end\">{l}</text><rect x=\"{bx}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"#004f9f\"/><text x=\"{vx:.1}\" y=\"{ty}\">{v}</text>",
            x = label_w - 8.0,
            ty = y + 14.0,
            l = esc(label),
            bx = label_w,
            vx = label_w + w + 6.0,
            v = esc(value),
        ));
        desc.push(format!("{label}: {value}"));
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" viewBox=\"0 0 {vw} {height}\" width=\"100%\" font-family=\"system-ui, sans-serif\" font-size=\"13\"><title id=\"chart-title\">{t}</title><desc id=\"chart-desc\">{d}</desc><text x=\"0\" y=\"16\" font-weight=\"bold\">{t}</text>{body}</svg>",
        vw = label_w + bar_w + 80.0,
        t = esc(title),
        d = esc(&desc.join("; ")),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn bars_are_accessible_and_escaped() {
        let svg = super::bars("Tulokset <VOIMA>", &[("Työllistyi".into(), "44,0 %".into(), Some(440)), ("Koulutus".into(), "<5".into(), None)]);
        assert!(svg.starts_with("<svg") && svg.contains("role=\"img\"") && svg.contains("<title id=\"chart-title\">Tulokset &lt;VOIMA&gt;</title>"));
        assert!(svg.contains("width=\"132.0\""), "44 % of 300");
        assert!(svg.contains("viewBox=\"0 0 760 "), "room for long labels");
        assert!(svg.contains("<desc id=\"chart-desc\">Työllistyi: 44,0 %; Koulutus: &lt;5</desc>"));
    }
}
