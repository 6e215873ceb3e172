@testable import CreditFacts

extension FuzzTargets {
    /// The JSON Lines reader over arbitrary bytes. Properties: reading the input whole and feeding
    /// it in chunks of a size the input chooses give the same results line by line; every fact
    /// accepted survives its canonical JSON and its binary record unchanged.
    static let jsonLines = FuzzTarget(name: "json-lines", summary: "JSONLinesReader: chunking, limits, accepted facts round-trip") {
        (data) throws(FuzzFinding) in
        let input = ModedInput(data)
        var options = JSONLinesReader.Options()
        // Small line limits reach the over-long-line path without megabyte inputs.
        if input.mode & 0x80 != 0 { options.maxLineBytes = 64 + Int(input.mode & 0x3F) * 16 }
        let chunk = 1 + Int(input.mode & 0x3F)
        let bytes = [UInt8](input.payload)
        var whole: [String] = []
        var reader = JSONLinesReader(options: options)
        var facts: [Fact] = []
        reader.read(bytes: bytes) { result in
            whole.append(summary(result))
            if case .fact(let fact, _, _) = result { facts.append(fact) }
        }
        var chunked: [String] = []
        var feeder = JSONLinesReader(options: options)
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let end = min(start + chunk, buffer.count)
                feeder.feed(UnsafeBufferPointer(rebasing: buffer[start..<end])) { chunked.append(summary($0)) }
                start = end
            }
            feeder.finish { chunked.append(summary($0)) }
        }
        guard whole == chunked else {
            throw FuzzFinding("json-lines", "whole read \(whole) differs from chunks of \(chunk) bytes \(chunked)")
        }
        for fact in facts { try roundTrip(fact, target: "json-lines") }
    }

    /// One line through the interchange decoder. Properties: an accepted fact survives its
    /// canonical JSON and binary record unchanged, and its canonical JSON is a fixed point.
    static let factJSON = FuzzTarget(name: "fact-json", summary: "FactJSONCodec.decode of one line, canonical round trip") {
        (data) throws(FuzzFinding) in
        var codec = FactJSONCodec()
        let line = data.bindMemory(to: UInt8.self)
        guard let fact = try? codec.decode(utf8: line, lineNumber: 1) else { return }
        try roundTrip(fact, target: "fact-json")
    }

    /// The text a line result is compared by: the fact's canonical JSON, or the refusal.
    private static func summary(_ result: LineResult) -> String {
        switch result {
        case .fact(let fact, let line, let warnings): return "\(line): \(FactJSONCodec.encode(fact)) \(warnings)"
        case .refused(let error): return "refused \(error)"
        }
    }

    /// A fact that was accepted once must be accepted again, unchanged, from both encodings.
    static func roundTrip(_ fact: Fact, target: String) throws(FuzzFinding) {
        let json = FactJSONCodec.encode(fact)
        var codec = FactJSONCodec()
        let again: Fact
        do { again = try codec.decode(json) } catch {
            throw FuzzFinding(target, "canonical JSON of an accepted fact is refused (\(error)): \(json)")
        }
        guard again == fact else { throw FuzzFinding(target, "canonical JSON does not read back the same fact: \(json)") }
        guard FactJSONCodec.encode(again) == json else { throw FuzzFinding(target, "canonical JSON is not a fixed point: \(json)") }
        let record = BinaryFactCodec.encode(fact)
        guard let decoded = try? BinaryFactCodec.decode(record), decoded == fact else {
            throw FuzzFinding(target, "binary record of an accepted fact does not read back: \(json)")
        }
    }
}
