import CreditDocuments

/// Reading the ordered ``JSON`` documents the commands print with `--json`: the pages are rendered
/// from those documents, so a field added to a command's JSON reaches its page with no second
/// model to keep in step.
extension JSON {
    /// The value as one line of plain text for a table cell: strings as they are, booleans as
    /// yes/no, null as a dash, arrays joined by semicolons, objects as `key: value` pairs.
    var plainText: String {
        switch self {
        case .string(let text): return text
        case .number, .integer: return NumberText.plain(self)
        case .bool(let value): return value ? "yes" : "no"
        case .null: return "—"
        case .array(let values): return values.isEmpty ? "—" : values.map(\.plainText).joined(separator: "; ")
        case .object(let pairs):
            return pairs.filter { if case .null = $0.1 { false } else { true } }
                .map { "\(Label.of($0.0).lowercased()): \($0.1.plainText)" }.joined(separator: ", ")
        }
    }
}

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

    /// A JSON number as plain text: integers grouped, other numbers with up to four decimals.
    static func plain(_ value: JSON) -> String {
        if case .integer(let integer) = value { return grouped(integer) }
        guard let number = value.numberValue else { return value.plainText }
        var text = String(format: "%.4f", number)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// Column and field labels for the keys of the JSON documents. Known keys get a reader's label;
/// any other key (a field added later) is spelled out from its camel case, so it still shows.
enum Label {
    /// The label of `key`.
    static func of(_ key: String) -> String {
        if let known = known[key] { return known }
        var out = ""
        for character in key {
            if character.isUppercase && !out.isEmpty { out += " " + character.lowercased() } else { out.append(character) }
        }
        return out.prefix(1).uppercased() + out.dropFirst()
    }

    /// Labels that differ from the spelled-out key. Looked up by key, never iterated.
    private static let known: [String: String] = [
        "decisionNo": "Decision no.", "listNo": "List no.", "commitmentNo": "Commitment no.", "repairNo": "Repair no.",
        "publicUntil": "Public until", "whyNotPublic": "Why not public", "repairEligibleFrom": "Repair eligible from",
        "enteredOn": "Entered on", "exitedOn": "Exited on", "plannedExpiry": "Planned expiry", "why": "Why",
        "person": "Person (masked)", "ref": "Record", "onTime": "On time", "onTimeRate": "On-time rate",
        "inspectionShare": "Inspection share", "drawn": "Drawn for inspection", "legalBasis": "Legal basis",
        "fact": "Fact", "points": "Points", "id": "Id",
    ]
}
