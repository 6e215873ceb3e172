import CreditFacts
import Hummingbird
import LedgerStorage

/// The query string of a request, checked against the parameters its route takes: an unknown
/// or repeated parameter and a bad value are refused with 400 naming the parameter.
struct QueryParameters {
    private var values: [String: String] = [:]

    /// Reads `request`'s query string; `allowed` are the names the route takes.
    init(_ request: Request, allowed: Set<String>) throws(ServerError) {
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            guard allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw ServerError(.badRequest, "unknown parameter \(name) (this route takes: \(known.isEmpty ? "none" : known))")
            }
            guard values[name] == nil else { throw ServerError(.badRequest, "parameter \(name) given twice") }
            values[name] = String(value)
        }
    }

    /// No parameters (a route whose purpose comes only from the header).
    static let none = QueryParameters()

    private init() {}

    /// The raw value of `name`.
    subscript(_ name: String) -> String? { values[name] }

    /// `asOf`: the valid-time date, YYYY-MM-DD (default: today, China Standard Time).
    func asOf() throws(ServerError) -> LegalDate {
        guard let text = values["asOf"] else { return Timestamp(RecordedTime.now()).chinaStandardDate }
        do { return try LegalDate(parsing: text) } catch {
            throw ServerError(.badRequest, "asOf \(text): \(error) (a date YYYY-MM-DD)")
        }
    }

    /// `knownAt`: the transaction-time instant, an RFC 3339 timestamp or a date meaning the end
    /// of that day (UTC+08:00); nil means now.
    func knownAt() throws(ServerError) -> RecordedTime? {
        guard let text = values["knownAt"] else { return nil }
        if let date = try? LegalDate(parsing: text), let end = try? Timestamp(parsing: "\(date)T23:59:59.999999+08:00") {
            return end.recordedTime
        }
        do { return try Timestamp(parsing: text).recordedTime } catch {
            throw ServerError(.badRequest, "knownAt \(text): \(error) (an RFC 3339 timestamp or a date YYYY-MM-DD)")
        }
    }

    /// Why a question is asked (查询事由): the `purpose` parameter or else the `X-Query-Purpose`
    /// header, trimmed; nil when neither says anything. A purpose longer than `limit` characters
    /// is refused with 400 — it is a sentence a clerk writes, kept in the audit entry of every answer.
    /// Both are held to the limit when both are given, though the parameter is the one kept.
    static func purpose(_ parameters: QueryParameters, _ request: Request, limit: Int) throws(ServerError) -> String? {
        let header = request.headers.queryPurpose?.trimmingCharacters(in: .whitespacesAndNewlines)
        let parameter = parameters["purpose"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        for (text, name) in [(parameter, "purpose"), (header, "X-Query-Purpose")] {
            if let text, text.count > limit {
                throw ServerError(.badRequest, "the purpose (\(name)) is longer than \(limit) characters (limits.maxPurposeCharacters): say why in a sentence")
            }
        }
        // A parameter given blank is a blank purpose (none), not a reason to read the header.
        guard let text = parameter ?? header, !text.isEmpty else { return nil }
        return text
    }

    /// How `knownAt` is shown in documents, as the CLI shows it.
    static func knownAtText(_ instant: RecordedTime?) -> String { Timestamp(instant ?? RecordedTime.now()).description }
}
