import CreditDocuments
import CreditFacts
import CreditLedger
import Hummingbird

/// The credit office's reports over HTTP: the assessment indicators and the lists. Each answers
/// with the document `credit-ledger indicators|lists --json` prints (built by the same code, in
/// CreditDocuments), names its purpose, takes `knownAt` with the `pastKnownAt` permission, and is
/// recorded in the query audit log before it is sent, like every query route.
struct OfficeRoutes {
    let queries: QueryRoutes

    /// A date parameter, or 400 naming it.
    private static func date(_ name: String, _ q: QueryRoutes.Question) throws(ServerError) -> LegalDate? {
        guard let text = q.parameters[name] else { return nil }
        guard let date = try? LegalDate(parsing: text) else { throw ServerError(.badRequest, "\(name) \(text): not a date YYYY-MM-DD") }
        return date
    }

    /// `GET /v1/indicators?from=D1&to=D2[&period=month|quarter|year]`: `indicators --json`. The
    /// range replaces `asOf`, which this route refuses.
    func indicators(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", extra: ["from", "to", "period"], needsPurpose: true)
        guard q.parameters["asOf"] == nil else { throw ServerError(.badRequest, "asOf does not apply to indicators: the range is from … to") }
        guard let from = try Self.date("from", q), let to = try Self.date("to", q) else {
            throw ServerError(.badRequest, "indicators need the range: from and to (dates YYYY-MM-DD)")
        }
        guard from <= to else { throw ServerError(.badRequest, "from \(from) is after to \(to)") }
        let periodText = q.parameters["period"] ?? "month"
        guard let period = IndicatorPeriodKind(rawValue: periodText) else {
            throw ServerError(.badRequest, "period \(periodText): expected month, quarter or year")
        }
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/indicators")) { ledger in
            OfficeDocuments.indicators(try ledger.indicators(from: from, through: to, by: period, knownAt: q.knownAt), knownAtText: q.knownAtText)
        }
    }

    /// `GET /v1/lists?list=KIND[&asOf=D][&from=D1][&horizon=DAYS]`: `lists --json`.
    func lists(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", extra: ["list", "from", "horizon"], needsPurpose: true)
        let kindText = q.parameters["list"] ?? ""
        guard let kind = ListKind(rawValue: kindText) else {
            throw ServerError(.badRequest, "list \(kindText): expected one of \(ListKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let from = try Self.date("from", q)
        if let from, from > q.asOf { throw ServerError(.badRequest, "from \(from) is after asOf \(q.asOf)") }
        let horizonText = q.parameters["horizon"] ?? "60"
        guard let horizon = Int(horizonText), (0...3660).contains(horizon) else {
            throw ServerError(.badRequest, "horizon \(horizonText): expected 0 to 3660 days")
        }
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/lists")) { ledger in
            OfficeDocuments.lists(try ledger.lists(kind, asOf: q.asOf, from: from, horizonDays: horizon, knownAt: q.knownAt),
                                  knownAtText: q.knownAtText)
        }
    }
}
