/// The reporting department a refused line names, read as far as the line can be read, so that a
/// line the reader refuses (a bad check character, broken JSON, an impossible date) is still counted
/// against its source in the data-quality figures (重错码率).
///
/// How: the line must be valid UTF-8 and begin as a JSON object; its top-level members are scanned
/// in order, each key and value checked as the fact reader checks them, until the member `source`
/// is found with a string value that is a valid ``SourceID``. Scanning stops, with no source, at the
/// first byte that is not well-formed JSON: a `source` after the damage, or one nested in another
/// member (e.g. inside `body`), is never taken. The first `source` member wins.
public enum RefusedLineSource {
    /// The source `line` names, or nil when it names none that can be read.
    public static func source(in line: UnsafeBufferPointer<UInt8>) -> SourceID? {
        guard !line.isEmpty, isValidUTF8(line) else { return nil }
        let scanner = JSONScanner(base: line)
        var i = 0
        scanner.skipWhitespace(&i)
        guard i < line.count, line[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        scanner.skipWhitespace(&i)
        while i < line.count, line[i] == UInt8(ascii: "\"") {
            guard let member = try? scanner.scanMember(&i) else { return nil }
            if scanner.keyEquals(member, "source"), line[member.valueStart] == UInt8(ascii: "\"") {
                let text = scanner.decodeString(member.valueStart, member.valueEnd)
                return SourceID.problem(with: text) == nil ? SourceID(unchecked: text) : nil
            }
            scanner.skipWhitespace(&i)
            guard i < line.count, line[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            scanner.skipWhitespace(&i)
        }
        return nil
    }
}

extension JSONScanner {
    /// Scans one `"key": value` member at `i` (on the key's opening quote); `i` ends past the value.
    func scanMember(_ i: inout Int) throws(FactProblem) -> Member {
        let keyStart = i + 1
        let keyHasEscape = try scanString(&i)
        let keyEnd = i - 1
        skipWhitespace(&i)
        guard i < base.count, base[i] == UInt8(ascii: ":") else { throw Self.malformed("expected : at byte \(i + 1)") }
        i += 1
        skipWhitespace(&i)
        let valueStart = i
        try scanValue(&i, depth: 1)
        return Member(keyStart: keyStart, keyEnd: keyEnd, keyHasEscape: keyHasEscape, valueStart: valueStart, valueEnd: i)
    }
}
