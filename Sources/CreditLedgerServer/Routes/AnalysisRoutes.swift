import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Hummingbird

/// The district's analyses over HTTP: penetration coverage (穿透覆盖率) and joint-measure feedback
/// (执行反馈). Each answers with the document `credit-ledger penetration|feedback --json` prints
/// (built by the same code, in CreditDocuments), names its purpose, and takes `knownAt` with the
/// `pastKnownAt` permission, like every query route, and is recorded in the query audit log before
/// it is sent (the query routes' ``QueryRoutes/answer(_:_:_:)``).
struct AnalysisRoutes {
    let ledger: Ledger
    let queries: QueryRoutes

    init(queries: QueryRoutes) {
        ledger = queries.ledger
        self.queries = queries
    }

    /// `GET /v1/penetration`: `penetration --json`; as HTML, the penetration page.
    func coverage(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", needsPurpose: true)
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/penetration"), in: .negotiated(request)) { ledger in
            let coverage = try ledger.penetrationCoverage(asOf: q.asOf, knownAt: q.knownAt)
            return QueryRoutes.Answer(document: AnalysisDocuments.penetration(coverage, asOf: q.asOf, knownAtText: q.knownAtText),
                                      page: { $0.penetration(coverage, knownAt: q.knownAtText) })
        }
    }

    /// `GET /v1/subjects/{code}/penetration`: `penetration --subject CODE --json` — an
    /// organisation's dishonesty records and the persons they reach, or a person's linked records.
    func subject(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", needsPurpose: true)
        let subject = try QueryRoutes.subject(context)
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/subjects/{code}/penetration", subject: subject)) { ledger in
            if case .person(let person) = subject {
                return AnalysisDocuments.personPenetration(try ledger.personPenetration(of: person, asOf: q.asOf, knownAt: q.knownAt))
            }
            return AnalysisDocuments.organisationPenetration(try ledger.dishonestyRecords(of: subject, asOf: q.asOf, knownAt: q.knownAt))
        }
    }

    /// `GET /v1/feedback?from=D1&to=D2`: `feedback --from D1 --to D2 --json`. The period replaces
    /// `asOf`, which this route refuses.
    func feedback(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", extra: ["from", "to"], needsPurpose: true)
        guard q.parameters["asOf"] == nil else {
            throw ServerError(.badRequest, "asOf does not apply to feedback: the period is from … to")
        }
        guard let fromText = q.parameters["from"], let toText = q.parameters["to"] else {
            throw ServerError(.badRequest, "feedback needs the period: from and to (dates YYYY-MM-DD)")
        }
        guard let from = try? LegalDate(parsing: fromText) else { throw ServerError(.badRequest, "from \(fromText): not a date YYYY-MM-DD") }
        guard let to = try? LegalDate(parsing: toText) else { throw ServerError(.badRequest, "to \(toText): not a date YYYY-MM-DD") }
        guard from <= to else { throw ServerError(.badRequest, "from \(from) is after to \(to)") }
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/feedback")) { ledger in
            let report = try ledger.measureFeedback(from: from, to: to, knownAt: q.knownAt, catalogue: try MeasureCatalogue.national(),
                                                    model: try GradingModel.bundledDefault())
            return AnalysisDocuments.feedback(report, from: fromText, to: toText)
        }
    }
}
