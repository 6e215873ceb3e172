import Foundation
import LedgerStorage

/// The JSON form of a proof (docs/proofs.md): hashes in lower-case hex, the record's payload in
/// base64, keys in a fixed order.
public enum ProofDocument: Sendable {
    /// An inclusion proof.
    case inclusion(InclusionProof)
    /// A consistency proof.
    case consistency(ConsistencyProof)

    /// The JSON of an inclusion proof under a checkpoint of the ledger named `origin`.
    public static func inclusion(_ proof: InclusionProof, origin: String) -> JSON {
        .object([
            ("kind", .string("inclusion")), ("origin", .string(origin)), ("hash", .string(proof.algorithm.rawValue)),
            ("treeSize", .integer(Int(proof.treeSize))), ("position", .integer(Int(proof.record.position.rawValue))),
            ("recordedTime", .string(proof.record.recordedTime.description)),
            ("payload", .string(Base64.encode(proof.record.payload))), ("leafHash", .string(proof.leafHash.description)),
            ("hashes", .array(proof.hashes.map { .string($0.description) })),
        ])
    }

    /// The JSON of a consistency proof.
    public static func consistency(_ proof: ConsistencyProof) -> JSON {
        .object([
            ("kind", .string("consistency")), ("hash", .string(proof.algorithm.rawValue)),
            ("oldSize", .integer(Int(proof.oldSize))), ("newSize", .integer(Int(proof.newSize))),
            ("hashes", .array(proof.hashes.map { .string($0.description) })),
        ])
    }

    /// The fields a proof file may hold.
    private struct Fields: Decodable {
        var kind: String
        var hash: String
        var treeSize: UInt64?
        var position: UInt64?
        var recordedTime: String?
        var payload: String?
        var oldSize: UInt64?
        var newSize: UInt64?
        var hashes: [String]
    }

    /// Parses a proof's JSON; anything malformed is refused naming the field.
    public static func parse(_ text: String) throws(ProofRefusal) -> ProofDocument {
        let fields: Fields
        do { fields = try JSONDecoder().decode(Fields.self, from: Data(text.utf8)) } catch {
            throw ProofRefusal("not a proof document: \(error)")
        }
        func refuse(_ reason: String) -> ProofRefusal { ProofRefusal(reason) }
        guard let algorithm = LogHashAlgorithm(rawValue: fields.hash) else { throw refuse("unknown hash \"\(fields.hash)\"") }
        let hashes = try fields.hashes.enumerated().map { (index, text) throws(ProofRefusal) -> TreeHash in
            guard let hash = TreeHash(hex: text) else { throw refuse("hashes[\(index)] is not 64 hexadecimal digits") }
            return hash
        }
        switch fields.kind {
        case "inclusion":
            guard let size = fields.treeSize, let position = fields.position else { throw refuse("treeSize and position are required") }
            guard let time = fields.recordedTime.flatMap(RecordedTime.init(rfc3339:)) else { throw refuse("recordedTime is missing or not RFC 3339") }
            guard let payload = fields.payload.flatMap(Base64.decode) else { throw refuse("payload is missing or not base64") }
            return .inclusion(InclusionProof(algorithm: algorithm, treeSize: size,
                                             record: LogRecord(position: Position(position), recordedTime: time, payload: payload),
                                             hashes: hashes))
        case "consistency":
            guard let old = fields.oldSize, let new = fields.newSize else { throw refuse("oldSize and newSize are required") }
            return .consistency(ConsistencyProof(algorithm: algorithm, oldSize: old, newSize: new, hashes: hashes))
        default:
            throw refuse("kind must be inclusion or consistency, is \"\(fields.kind)\"")
        }
    }
}
