import Foundation
import Testing
@testable import CreditFacts

/// Reads a fixture file committed under `Tests/CreditFactsTests/Fixtures`.
func fixture(_ name: String) throws -> Data {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
    return try Data(contentsOf: url)
}

/// The lines of a text fixture.
func fixtureLines(_ name: String) throws -> [String] {
    String(decoding: try fixture(name), as: UTF8.self).split(separator: "\n").map(String.init)
}

/// Decodes one line, returning the refusal (or `nil` when accepted).
func refusal(_ line: String, lineNumber: Int = 1) -> FactError? {
    var codec = FactJSONCodec()
    do { _ = try codec.decode(line, lineNumber: lineNumber); return nil } catch { return error }
}

/// Decodes one line that must be valid.
func decodeLine(_ line: String) throws -> Fact {
    var codec = FactJSONCodec()
    return try codec.decode(line)
}

/// The spec's example penalty line (INTERCHANGE.md).
let specExampleLine = #"{"id":"JD-SCJG-2023-000123","type":"penalty.decided","subject":"914403001922038216","source":"310114-SCJG","effective":"2023-06-01","reported":"2023-06-06T10:12:00+08:00","body":{"decisionNo":"沪市监嘉处〔2023〕123号","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"foodSafety","legalBasis":"《食品安全法》第一百二十四条"}}"#

/// The spec example with `old` replaced by `new` (to build one invalid line per rule).
func specExample(replacing old: String, with new: String) -> String {
    precondition(specExampleLine.contains(old), "test bug: \(old) not in the example")
    return specExampleLine.replacingOccurrences(of: old, with: new)
}
