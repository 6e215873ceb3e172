import CreditFacts

/// Whether an answer shows citizen identity numbers in full or masked (`3101**********123X`,
/// `CitizenIdentityNumber.masked`): the one masking the server's responses and the command
/// line's output share. Masking walks every string of the document (or the whole text) and masks
/// each valid 18-character identity number in it, so a field added to a document later is masked too.
public enum IdentityMasking: Sendable {
    /// Identity numbers as they are (roles with `seeIdentityNumbers`).
    case shown
    /// Identity numbers masked (every role without `seeIdentityNumbers`, answers before
    /// authentication, and the command line unless `--show-identities`).
    case masked

    /// The document with identity numbers masked, or as it is.
    public func apply(_ document: JSON) -> JSON {
        guard case .masked = self else { return document }
        return Self.mask(document)
    }

    /// Text (a page, a text report, a JSON document's bytes) with identity numbers masked, or as it is.
    public func apply(_ text: String) -> String {
        guard case .masked = self else { return text }
        return Self.mask(text)
    }

    private static func mask(_ value: JSON) -> JSON {
        switch value {
        case .string(let text): return .string(mask(text))
        case .array(let values): return .array(values.map(mask))
        case .object(let pairs): return .object(pairs.map { ($0.0, mask($0.1)) })
        default: return value
        }
    }

    /// `text` with every valid identity number in it masked: runs of 17 digits and a digit or X,
    /// not part of a longer run of such characters, that pass the check.
    public static func mask(_ text: String) -> String {
        let characters = Array(text.utf8)
        guard characters.count >= 18 else { return text }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        func isIDCharacter(_ byte: UInt8) -> Bool { isDigit(byte) || byte == UInt8(ascii: "X") || byte == UInt8(ascii: "x") }
        var out: [UInt8] = []
        out.reserveCapacity(characters.count)
        var index = 0
        while index < characters.count {
            var end = index
            while end < characters.count && isIDCharacter(characters[end]) { end += 1 }
            if end - index == 18, characters[index..<(index + 17)].allSatisfy(isDigit),
               let number = try? CitizenIdentityNumber(String(decoding: characters[index..<end], as: UTF8.self)) {
                out += Array(number.masked.utf8)
                index = end
            } else if end > index {
                out += characters[index..<end]
                index = end
            } else {
                out.append(characters[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
