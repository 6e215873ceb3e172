@testable import CreditFacts

extension FuzzTargets {
    /// Arbitrary bytes as a binary fact record. Properties, where decoding succeeds: decode →
    /// encode → decode gives the same fact, the re-encoding is a fixed point, and a version-1 record
    /// (canonical by design: one encoding per fact) re-encodes to exactly its own bytes.
    static let binaryFact = FuzzTarget(name: "binary-fact", summary: "BinaryFactCodec.decode, round trip, canonical bytes") {
        (data) throws(FuzzFinding) in
        let bytes = [UInt8](data)
        guard let fact = try? BinaryFactCodec.decode(bytes) else { return }
        let encoded = BinaryFactCodec.encode(fact)
        let again: Fact
        do { again = try BinaryFactCodec.decode(encoded) } catch {
            throw FuzzFinding("binary-fact", "re-encoded record is refused: \(error)")
        }
        guard again == fact else { throw FuzzFinding("binary-fact", "decode → encode → decode changed the fact") }
        guard BinaryFactCodec.encode(again) == encoded else { throw FuzzFinding("binary-fact", "encoding is not a fixed point") }
        if bytes.first == BinaryFactCodec.currentVersion, encoded != bytes {
            throw FuzzFinding("binary-fact", "a second encoding of one fact is accepted (\(bytes.count) bytes, canonical \(encoded.count))")
        }
    }
}
