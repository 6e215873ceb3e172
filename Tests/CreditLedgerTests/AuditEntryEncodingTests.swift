import Foundation
import Testing
@testable import CreditLedger

/// An audit entry's bytes are its chain hash: written by hand, they must be exactly what
/// `JSONEncoder` writes with sorted keys and unescaped slashes (docs/server.md promises the same
/// bytes for the same entry).
@Suite struct AuditEntryEncodingTests {
    static let texts = ["", "admin", "GET /v1/subjects/{code}", "采购资格审查", "91350100M000100Y43", "127.0.0.1:52144", "a/b\\c", "say \"hi\"",
                        "line\nbreak", "tab\there", "\u{7F}del", "\u{2028}\u{2029}", "é\u{301}", "😀", "\u{1}\u{1F}", "2026-12-03T10:00:00+08:00"]

    static func entry(_ generator: inout SplitMix64) -> AuditEntry {
        func text() -> String { texts.randomElement(using: &generator)! }
        func maybe() -> String? { Bool.random(using: &generator) ? text() : nil }
        let delivery = Bool.random(using: &generator) ? FactDelivery(
            event: text(), from: UInt64.random(in: 0...UInt64.max, using: &generator),
            next: Bool.random(using: &generator) ? UInt64.random(in: 0...1_000_000, using: &generator) : nil, reason: maybe(), subscription: maybe()) : nil
        return AuditEntry(
            principal: text(), role: text(), purpose: maybe(), channel: text(), command: text(), subject: maybe(), scene: maybe(),
            asOf: maybe(), knownAt: maybe(), answered: Int.random(in: -5...Int.max, using: &generator),
            subjects: (0..<Int.random(in: 0...4, using: &generator)).map { _ in text() }, remote: maybe(), delivery: delivery)
    }

    @Test func handWrittenBytesAreJSONEncodersForEveryEntry() {
        var generator = SplitMix64(seed: 16)
        var byHand = 0
        for _ in 0..<3_000 {
            let entry = Self.entry(&generator)
            #expect(entry.encoded() == entry.encodedByFoundation(), "\(entry)")
            var writer = CanonicalWriter()
            writer.write(entry)
            if !writer.needsEscape {
                byHand += 1
                #expect(writer.bytes == entry.encodedByFoundation(), "\(String(decoding: writer.bytes, as: UTF8.self))")
            }
        }
        #expect(byHand > 50)
    }

    @Test func aSubjectQuerysEntryIsWrittenByHand() {
        let entry = AuditEntry(principal: "bench", role: "admin", purpose: "load test", channel: "http", command: "GET /v1/subjects/{code}",
                               subject: "91350100M000100Y43", asOf: "2026-12-03", knownAt: "2026-12-03T18:00:00.123456+08:00", answered: 7,
                               subjects: ["11010519491231002X", "91350100M000100Y43"], remote: "127.0.0.1:52144")
        var writer = CanonicalWriter()
        writer.write(entry)
        #expect(!writer.needsEscape)
        #expect(writer.bytes == entry.encodedByFoundation())
    }
}
