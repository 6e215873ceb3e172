import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import Hummingbird
import LedgerStorage

extension QueryRoutes {
    /// What a route asks, for its audit entry: the route, and the subject and scene it names.
    struct Asked: Sendable {
        var command: String
        var subject: String?
        var scene: String?
        /// Whether `asOf` and `knownAt` belong to the question (not for the head).
        var hasInstants = true

        init(_ command: String, subject: SubjectCode? = nil, scene: String? = nil, hasInstants: Bool = true) {
            self.command = command
            self.subject = subject?.description
            self.scene = scene
            self.hasInstants = hasInstants
        }
    }

    /// Records the question and what its answer disclosed in the audit log, durably, before the
    /// answer is sent. If the entry cannot be recorded the query is refused with 503 and the
    /// answer is never sent: recording is part of answering.
    func record(_ question: Question, _ asked: Asked, answer document: JSON) async throws(ServerError) {
        let entry = Self.entry(question, asked, answer: document)
        do { try await audit.record(entry) } catch {
            throw ServerError(.serviceUnavailable, "\(error)")
        }
    }

    /// The audit entry of a question and its answer.
    static func entry(_ question: Question, _ asked: Asked, answer document: JSON) -> AuditEntry {
        var subjects = AuditDocuments.subjectsNamed(in: document)
        if let subject = asked.subject, !subjects.contains(subject) { subjects = (subjects + [subject]).sorted() }
        return AuditEntry(
            principal: question.caller.principal.name, role: question.caller.role.name, purpose: question.purpose,
            channel: "http", command: asked.command, subject: asked.subject, scene: asked.scene,
            asOf: asked.hasInstants ? question.asOf.description : nil, knownAt: asked.hasInstants ? question.knownAtText : nil,
            answered: AuditDocuments.answeredCount(document), subjects: subjects, remote: question.remote)
    }
}

/// `GET /v1/audit[?subject=CODE][&from=YYYY-MM-DD][&to=YYYY-MM-DD]` (permission `audit`): the
/// query audit log, oldest first — with `subject`, every query that asked about the subject or
/// named it in its answer ("who looked at my record", 个人信息保护法 Art. 45). Reading the audit
/// log is itself a query and is recorded.
struct AuditRoute {
    let audit: QueryAuditLog

    /// Answers with ``AuditDocuments/document(_:filter:)``, identity numbers masked unless the role may see them.
    func list(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.authenticated()
        try caller.require(.audit, for: "read the query audit log")
        let parameters = try QueryParameters(request, allowed: ["subject", "from", "to", "purpose"])
        let filter = try Self.filter(parameters)
        let purpose = try QueryParameters.purpose(parameters, request, limit: context.limits.maxPurposeCharacters)
        let question = QueryRoutes.Question(
            caller: caller, parameters: parameters, asOf: Timestamp(RecordedTime.now()).chinaStandardDate, knownAt: nil,
            knownAtText: QueryParameters.knownAtText(nil), purpose: purpose, remote: context.remote)
        let audit = self.audit
        let document = try await Offload.run { () throws(ServerError) -> JSON in
            do { return AuditDocuments.document(try audit.records(filter), filter: filter) } catch {
                throw ServerError(.serviceUnavailable, "\(error)")
            }
        }
        let routes = QueryRoutes.Asked("GET /v1/audit", hasInstants: false)
        var entry = QueryRoutes.entry(question, routes, answer: .null)
        entry.subject = filter.subject
        entry.subjects = filter.subject.map { [$0] } ?? []
        entry.answered = AuditDocuments.answeredCount(document)
        do { try await audit.record(entry) } catch { throw ServerError(.serviceUnavailable, "\(error)") }
        return JSONResponse.make(document, masking: question.caller.masking)
    }

    /// The filter of the query string: a valid subject code, dates YYYY-MM-DD, `from` not after `to`.
    static func filter(_ parameters: QueryParameters) throws(ServerError) -> AuditFilter {
        var filter = AuditFilter()
        if let text = parameters["subject"] {
            do { filter.subject = try SubjectCode(text).description } catch {
                throw ServerError(.badRequest, "subject \(IdentityMasking.mask(text)): not a unified social credit code or citizen identity number (\(error))")
            }
        }
        for (name, keyPath) in [("from", \AuditFilter.from), ("to", \AuditFilter.to)] {
            guard let text = parameters[name] else { continue }
            do { filter[keyPath: keyPath] = try LegalDate(parsing: text) } catch {
                throw ServerError(.badRequest, "\(name) \(text): \(error) (a date YYYY-MM-DD)")
            }
        }
        if let from = filter.from, let to = filter.to, from > to {
            throw ServerError(.badRequest, "from \(from) is after to \(to)")
        }
        return filter
    }
}
