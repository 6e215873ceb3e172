import Foundation

/// Simple charts as inline SVG: no script and no library, so the page stays one self-contained
/// file that any browser (or a printer) shows the same way. A chart is trusted markup that the
/// templates insert raw (`{{{chart}}}`): every label and caption in it is escaped here.
enum SVGChart {
    /// One bar: a label on the left, a length proportional to `value`, a caption on the right.
    struct Bar {
        /// What the bar stands for (a source, a grade).
        var label: String
        /// Its length, in the units of the chart's maximum.
        var value: Double
        /// The figure written after the bar.
        var caption: String
        /// Its fill colour (a CSS colour from ``SVGChart/Palette``).
        var colour: String = SVGChart.Palette.accent
    }

    /// The fills the pages use, matching the stylesheet's colours.
    enum Palette {
        static let accent = "#1f5fa8"
        static let ok = "#1e7b45"
        static let warn = "#c27c0e"
        static let bad = "#b3261e"
        static let muted = "#6b7785"
    }

    /// Chart geometry in SVG user units (the SVG scales to the page width).
    private static let width = 860.0, captionWidth = 150.0, rowHeight = 26.0, barHeight = 16.0

    /// Horizontal bars against a common `maximum` (rounded up to a round figure, so the grid lines
    /// at quarters fall on round values), with those grid lines labelled by `tick`.
    static func bars(_ bars: [Bar], maximum: Double, title: String, tick: (Double) -> String) -> String {
        let maximum = roundedUp(maximum)
        // The label column is as wide as the longest label needs (a CJK character counts twice).
        let labelChars = bars.map { shortened($0.label).unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) } }.max() ?? 0
        let labelWidth = min(200, max(40, Double(labelChars) * 7 + 16))
        let area = width - labelWidth - captionWidth
        let top = 8.0, height = top + Double(bars.count) * rowHeight + 26
        var svg = ""
        for quarter in 0...4 {
            let x = labelWidth + area * Double(quarter) / 4
            svg += "<line class=\"axis\" x1=\"\(f(x))\" y1=\"\(f(top - 4))\" x2=\"\(f(x))\" y2=\"\(f(height - 20))\"/>"
            svg += "<text x=\"\(f(x))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(PublishedText.escape(tick(maximum * Double(quarter) / 4)))</text>"
        }
        for (row, bar) in bars.enumerated() {
            let y = top + Double(row) * rowHeight
            let length = maximum > 0 ? max(0, min(1, bar.value / maximum)) * area : 0
            svg += "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + barHeight - 3))\" text-anchor=\"end\">\(PublishedText.escape(shortened(bar.label)))</text>"
            svg += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y))\" width=\"\(f(length))\" height=\"\(f(barHeight))\" rx=\"2\""
                + attribute("fill", bar.colour) + "><title>\(PublishedText.escape(bar.label + ": " + bar.caption))</title></rect>"
            svg += "<text x=\"\(f(labelWidth + length + 6))\" y=\"\(f(y + barHeight - 3))\">\(PublishedText.escape(bar.caption))</text>"
        }
        return svgElement(svg, height: height, title: title)
    }

    /// The smallest of 1, 2, 4, 5 or 8 times a power of ten that is at least `value`: quarters of
    /// it are round (a largest bar of 8,525 gives a scale to 10,000 with lines at 2,500 steps).
    static func roundedUp(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let power = pow(10, (log10(value)).rounded(.down))
        return ([1.0, 2, 4, 5, 8, 10].first { $0 * power >= value * (1 - 1e-12) } ?? 10) * power
    }

    /// A progress-style bar: the share filled, the rest empty, the percentage written on it.
    static func progress(_ share: Double, title: String, caption: String) -> String {
        let clamped = max(0, min(1, share)), inner = width - 2
        var svg = "<rect x=\"1\" y=\"1\" width=\"\(f(inner))\" height=\"30\" rx=\"6\" fill=\"#eef2f6\" stroke=\"#d8dfe6\"/>"
        svg += "<rect x=\"1\" y=\"1\" width=\"\(f(inner * clamped))\" height=\"30\" rx=\"6\""
            + attribute("fill", clamped >= 1 ? Palette.ok : Palette.accent) + "/>"
        // The caption sits in the middle: white on the fill once the fill reaches past it.
        let ink = clamped > 0.6 ? "#ffffff" : "#1d2733"
        svg += "<text x=\"\(f(width / 2))\" y=\"21\" text-anchor=\"middle\" style=\"font-size:14px;font-weight:600;fill:\(ink)\">"
            + PublishedText.escape(caption) + "</text>"
        return svgElement(svg, height: 32, title: title)
    }

    private static func svgElement(_ content: String, height: Double, title: String) -> String {
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\""
            + " role=\"img\"" + attribute("aria-label", title) + "><title>\(PublishedText.escape(title))</title>"
            + content + "</svg>"
    }

    /// ` name="value"`, the value escaped.
    private static func attribute(_ name: String, _ value: String) -> String {
        " \(name)=\"\(PublishedText.escape(value))\""
    }

    /// A coordinate with at most one decimal, so the markup is the same on every machine.
    private static func f(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(format: "%.1f", tenths / 10)
    }

    /// A label cut to fit the label column.
    private static func shortened(_ label: String) -> String {
        label.count <= 28 ? label : String(label.prefix(27)) + "…"
    }
}
