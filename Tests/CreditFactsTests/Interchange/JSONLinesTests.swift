import Foundation
import Testing
@testable import CreditFacts

/// Streaming JSON Lines: bounded memory, one result per line, line numbers that match the file.
@Suite struct JSONLinesTests {
    /// Reads `text` feeding it `chunk` bytes at a time, returning the results in order.
    func read(_ text: String, chunk: Int = 1 << 20, options: JSONLinesReader.Options = .init()) -> [LineResult] {
        var reader = JSONLinesReader(options: options)
        var results: [LineResult] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            bytes[start..<end].withUnsafeBufferPointer { reader.feed($0) { results.append($0) } }
            start = end
        }
        reader.finish { results.append($0) }
        return results
    }

    /// The refusals among results.
    func refusals(_ results: [LineResult]) -> [FactError] {
        results.compactMap { if case .refused(let e) = $0 { e } else { nil } }
    }

    /// The facts among results, with their lines.
    func facts(_ results: [LineResult]) -> [(Int, Fact)] {
        results.compactMap { if case let .fact(f, line, _) = $0 { (line, f) } else { nil } }
    }

    @Test func chunkBoundariesDoNotChangeWhatIsRead() throws {
        let text = try fixtureLines("every-type.jsonl").joined(separator: "\n") + "\n"
        let whole = facts(read(text)).map(\.1)
        #expect(whole.count == 26)
        for chunk in [1, 7, 64, 1000] {
            #expect(facts(read(text, chunk: chunk)).map(\.1) == whole)
        }
    }

    @Test func oneErrorPerBadLineWithItsNumberAndReadingGoesOn() {
        let text = [specExampleLine, "{", specExampleLine.replacingOccurrences(of: "50000", with: "\"x\""), specExampleLine]
            .joined(separator: "\n")
        let results = read(text, chunk: 13)
        #expect(facts(results).map(\.0) == [1, 4])
        #expect(refusals(results).map(\.line) == [2, 3])
        #expect(refusals(results).map(\.field) == ["", "body.fineYuan"])
    }

    @Test func crlfLineEndingsAndAMissingFinalNewlineAreAccepted() {
        let results = read(specExampleLine + "\r\n" + specExampleLine)
        #expect(facts(results).map(\.0) == [1, 2])
    }

    @Test func blankLineIsRefusedButCounted() {
        let results = read(specExampleLine + "\n\n" + specExampleLine + "\n")
        #expect(refusals(results) == [FactError(line: 2, kind: .malformedJSON, field: "", reason: "blank line")])
        #expect(facts(results).map(\.0) == [1, 3])
    }

    @Test func byteOrderMarkIsRefused() {
        let results = read("\u{FEFF}" + specExampleLine)
        #expect(refusals(results).first?.reason == "starts with a byte-order mark (UTF-8 without BOM required)")
    }

    @Test func overlongLineIsRefusedAndTheNextLineIsStillRead() {
        var options = JSONLinesReader.Options()
        options.maxLineBytes = 100
        let long = "{\"id\":\"" + String(repeating: "a", count: 300) + "\"}"
        let results = read(long + "\n" + specExampleLine.prefix(0) + "{}\n", chunk: 16, options: options)
        #expect(refusals(results).map(\.line) == [1, 2])
        #expect(refusals(results).first?.reason == "line longer than 100 bytes")
        #expect(refusals(results).last?.field == "type")
    }

    @Test func anOverlongLineIsPassedOnPieceByPieceAndNeverHeldWhole() {
        var options = JSONLinesReader.Options()
        options.maxLineBytes = 1000
        let long = Array("{\"id\":\"".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 100_000) + Array("\"}".utf8)
        let bytes = long + [0x0A] + Array(specExampleLine.utf8) + [0x0A]
        var reader = JSONLinesReader(options: options)
        var kept: [UInt8] = [], largest = 0, ended = 0, refusals: [FactError] = [], facts = 0
        func take(_ event: LineEvent) {
            switch event {
            case .overlong(let error, let raw): refusals.append(error); kept += raw; largest = max(largest, raw.count)
            case .overlongMore(let raw): kept += raw; largest = max(largest, raw.count)
            case .overlongEnd: ended += 1
            case .line(.fact, _): facts += 1
            case .line(.refused(let error), _): refusals.append(error)
            }
        }
        var start = 0
        while start < bytes.count {
            let end = min(start + 64, bytes.count)
            bytes[start..<end].withUnsafeBufferPointer { reader.feed(events: $0, take) }
            start = end
        }
        reader.finish(events: take)
        #expect(refusals == [FactError(line: 1, kind: .malformedJSON, field: "", reason: "line longer than 1000 bytes")])
        let passedOnWhole = kept == long
        #expect(passedOnWhole, "every byte of the refused line is passed on, in order")
        #expect(largest <= 1000, "no piece larger than the limit: the line is never held whole")
        #expect(ended == 1 && facts == 1, "the next line is read as usual")
    }

    @Test func aLoneSurrogateEscapeIsRefusedWithItsColumn() {
        let line = specExampleLine.replacingOccurrences(of: #""decisionNo":""#, with: #""decisionNo":"\udc00"#)
        let results = read(line + "\n")
        let refusal = refusals(results).first
        #expect(refusal?.line == 1)
        #expect(refusal?.reason.hasPrefix(#"lone surrogate \udc00 at column "#) == true, "\(String(describing: refusal))")
        let pair = specExampleLine.replacingOccurrences(of: #""decisionNo":""#, with: #""decisionNo":"\ud83d\ude00"#)
        #expect(facts(read(pair + "\n")).count == 1, "a surrogate pair is one character")
    }

    @Test func recordedGoingBackInTimeIsRefused() {
        let first = specExample(replacing: #""body""#, with: #""recorded":"2023-06-07T00:00:00+08:00","body""#)
        let earlier = specExample(replacing: #""body""#, with: #""recorded":"2023-06-06T15:59:59Z","body""#)
        let results = read(first + "\n" + earlier + "\n")
        #expect(refusals(results) == [FactError(line: 2, kind: .recordedWentBack, field: "recorded",
                                                reason: "2023-06-06T15:59:59Z is earlier than the previous line's 2023-06-07T00:00:00+08:00")])
    }

    @Test func warningsAccompanyAcceptedFacts() {
        let results = read(specExample(replacing: "914403001922038216", with: "91350100M000100Y56"))
        guard case let .fact(_, _, warnings) = results.first else { Issue.record("refused"); return }
        #expect(warnings.map(\.reason) == ["embedded organisation code check character should be 4, is 5 (GB 11714)"])
    }

    @Test func writerAndReaderRoundTripAFileExactly() throws {
        let lines = try fixtureLines("every-type.jsonl")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facts-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try JSONLinesWriter(path: path)
        for line in lines { try writer.write(try decodeLine(line)) }
        try writer.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == lines.joined(separator: "\n") + "\n")
        var reader = JSONLinesReader(options: { var o = JSONLinesReader.Options(); o.chunkBytes = 100; return o }())
        var count = 0
        try reader.read(path: path) { result in
            if case .fact = result { count += 1 }
        }
        #expect(count == lines.count)
    }

    @Test func rawLinesAreWrittenVerbatimForRejectsFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rejects-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try JSONLinesWriter(path: path)
        try writer.writeRaw("{\"id\": 1}")
        try writer.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"id\": 1}\n")
    }

    @Test func missingFileIsAnIOError() {
        var reader = JSONLinesReader()
        #expect(throws: JSONLinesIOError.self) { try reader.read(path: "/nonexistent/facts.jsonl") { _ in } }
    }
}
