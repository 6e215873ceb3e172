import Foundation

/// Numbers as people read them: thousands grouped with commas, shares as percentages. Written out
/// by hand so that no locale of the machine changes a page.
enum NumberText {
    /// An integer with thousands separators: 300000 → `300,000`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A share 0…1 as a percentage, by default with two decimals: 0.9833 → `98.33 %`.
    static func percent(_ share: Double, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f %%", share * 100)
    }

    /// A share rounded to four decimals, as the JSON documents print it: the page shows the
    /// percentage of the figure the document holds, never one rounded differently.
    static func documentShare(_ share: Double) -> Double {
        (share * 10_000).rounded() / 10_000
    }

    /// A rate as a percentage: two decimals, four for a small one (below 1 %, so that a code-error
    /// rate against a target of 万分之一 never reads 0.00 %).
    static func rate(_ share: Double) -> String {
        percent(share, decimals: share > 0 && share < 0.01 ? 4 : 2)
    }

    /// A number with two decimals (an average: facts per organisation).
    static func decimal(_ value: Double) -> String { String(format: "%.2f", value) }
}
