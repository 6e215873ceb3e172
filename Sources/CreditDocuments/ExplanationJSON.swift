import CreditLedger

/// A view's explanation in the documents: `{"code": …, "parameters": {…}}` beside the English text
/// the documents have always carried (`whyNotPublic`, `reason`, `detail`, …), so that a program
/// words it in its own language the way the pages do. A parameter is a string (a date
/// `YYYY-MM-DD`, a record number, an instrument), an integer, a vocabulary's code (an array of
/// codes when several), or a fact `SOURCE/ID` (null when the record has none).
extension JSON {
    /// The explanation's code and parameters; null for none.
    public static func explanation(_ explanation: Explanation?) -> JSON {
        guard let explanation else { return .null }
        return .object([
            ("code", .string(explanation.code.rawValue)),
            ("parameters", .object(explanation.parameters.map { ($0.name, parameter($0.value)) })),
        ])
    }

    private static func parameter(_ value: Explanation.Value) -> JSON {
        switch value {
        case .text(let text): .string(text)
        case .number(let number): .integer(number)
        case .date(let date): .string(date.description)
        case .words(_, let codes, _): codes.count == 1 ? .string(codes[0]) : .array(codes.map(JSON.string))
        case .fact(let fact): .optional(fact?.description)
        }
    }
}
