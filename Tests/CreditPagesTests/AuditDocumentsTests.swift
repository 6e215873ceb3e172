import CreditDocuments
import CreditFacts
import CreditSynth
import Testing

/// Which subjects an answer names, for its audit entry: read from the answer's strings as bytes,
/// it must find exactly what reading them by characters finds.
@Suite struct AuditDocumentsTests {
    static let code = "91350100M000100Y43"
    static let person = "11010519491231002X"

    /// The reading by characters the byte scan must agree with.
    static func byCharacters(_ text: String) -> [String] {
        var found: Set<String> = []
        for token in text.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) where token.count == 18 {
            if let code = try? SubjectCode(String(token)) { found.insert(code.description) }
        }
        return found.sorted()
    }

    @Test func codesNextToChineseTextPunctuationAndEdgesAreFound() {
        for text in ["\(Self.code)", "统一社会信用代码\(Self.code)，法定代表人身份证\(Self.person)。", "(\(Self.code))",
                     "\(Self.code)/\(Self.person)", "\r\n\(Self.code)\r\n", "x\(Self.code)", "\(Self.code)0"] {
            #expect(AuditDocuments.subjectsNamed(inText: text) == Self.byCharacters(text), "\(text)")
        }
        #expect(AuditDocuments.subjectsNamed(inText: "代码\(Self.code)。") == [Self.code])
        #expect(AuditDocuments.subjectsNamed(inText: "x\(Self.code)").isEmpty)
    }

    @Test func aMarkCombiningWithTheCodesEdgeEndsItAsCharactersDo() {
        // A combining acute accent makes one character of the code's last letter and itself; a
        // prepended Arabic number sign one of itself and the code's first digit.
        for text in ["\(Self.code)\u{301}", "\(Self.code)3\u{301}", "3\(Self.code)\u{301}", "\u{600}\(Self.code)", "\u{600}9\(Self.code)",
                     "A\u{301}\(Self.code)", "\(Self.person)\u{200D}", "\(Self.code)\u{1F3FB}", "é\(Self.code)é"] {
            #expect(AuditDocuments.subjectsNamed(inText: text) == Self.byCharacters(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(AuditDocuments.subjectsNamed(inText: "\(Self.code)\u{301}").isEmpty)
        #expect(AuditDocuments.subjectsNamed(inText: "\(Self.code)3\u{301}") == [Self.code])
    }

    @Test func randomTextsFindWhatCharactersFind() {
        var generator = SplitMix64(seed: 16)   // CreditSynth's: every run checks the same texts
        let pieces = [Self.code, Self.person, "0", "A", "x", "-", " ", "/", "\u{301}", "\u{600}", "\u{200D}", "代码", "é", "\r\n", "\u{1F3FB}",
                      String(Self.code.dropFirst()), String(Self.code.dropLast())]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 1...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(AuditDocuments.subjectsNamed(inText: text) == Self.byCharacters(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
