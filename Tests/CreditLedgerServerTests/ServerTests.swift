import CreditLedgerServer
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The server as a department's system, a query service and an auditor use it: real HTTP over
/// loopback to a real server embedding a real ledger.
@Suite struct ServerTests {
    let purpose = "purpose=procurement%20check"

    @Test func aPostedFactIsVisibleInTheSubjectDocument() async throws {
        let server = try await LiveServer()
        let posted = try await server.post([Facts.registration()])
        #expect(posted.status == 200, "\(posted.text)")
        #expect(posted.json["appended"] as? Int == 1)
        let subject = try await server.send("GET", "/v1/subjects/\(Facts.company)?\(purpose)", as: "query")
        #expect(subject.status == 200, "\(subject.text)")
        #expect(subject.json["name"] as? String == "上海嘉定食品有限公司")
        #expect(subject.headers["content-type"]?.hasPrefix("application/json") == true)
        try await server.stop()
    }

    @Test func aBatchWithABadLineIsRefusedWholeNamingIndexFieldAndReason() async throws {
        let server = try await LiveServer()
        let bad = Facts.registration("R-9", subject: "91350100M000100Y44")
        let refused = try await server.post([Facts.registration(), bad, Facts.role()])
        #expect(refused.status == 422, "\(refused.text)")
        let refusals = (refused.json["error"] as? [String: Any])?["refusals"] as? [[String: Any]] ?? []
        #expect(refusals.count == 1)
        #expect(refusals.first?["index"] as? Int == 1)
        #expect(refusals.first?["field"] as? String == "subject")
        #expect((refusals.first?["reason"] as? String)?.isEmpty == false)
        // A reference the ledger cannot resolve is refused by the ledger's own validation, also whole.
        let unknown = #"{"id":"R-4","type":"penalty.performed","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2021-01-10","body":{"decisionNo":"沪市监嘉处〔2020〕1号"}}"#
        let second = try await server.post([Facts.registration(), unknown])
        #expect(second.status == 422, "\(second.text)")
        let ledgerRefusals = (second.json["error"] as? [String: Any])?["refusals"] as? [[String: Any]] ?? []
        #expect(ledgerRefusals.first?["index"] as? Int == 1)
        #expect(try await server.records() == 0)
        try await server.stop()
    }

    @Test func aJSONArrayBodyIsAppendedLikeJSONLines() async throws {
        let server = try await LiveServer()
        let body = Data(("[" + [Facts.registration(), Facts.role()].joined(separator: ",\n ") + "]").utf8)
        let posted = try await server.send("POST", "/v1/facts", as: "reporter", body: body, contentType: "application/json")
        #expect(posted.status == 200, "\(posted.text)")
        #expect(posted.json["appended"] as? Int == 2)
        let malformed = try await server.send("POST", "/v1/facts", as: "reporter", body: Data("[{\"id\":".utf8), contentType: "application/json")
        #expect(malformed.status == 400)
        #expect(malformed.reason.contains("malformed JSON"))
        try await server.stop()
    }

    /// The receipts, byte for byte: each element's index in the body, its key, appended (with its
    /// position and recorded time, as the ledger holds them) or a duplicate (of the position held),
    /// identity numbers masked for a reporter as everywhere else.
    @Test func theReceiptsNameEachElementsIndexKeyStatusPositionAndRecordedTime() async throws {
        let server = try await LiveServer()
        let idWithNumber = "R-\(Facts.person)"
        let body = "[" + [Facts.registration(), Facts.role(idWithNumber), Facts.registration()].joined(separator: ",") + "]"
        let answer = try await server.send("POST", "/v1/facts", as: "reporter", body: Data(body.utf8), contentType: "application/json")
        #expect(answer.status == 200, "\(answer.text)")
        var recorded: [String] = []
        try server.ledger.forEachFact { recorded.append($0.fact.recorded?.description ?? "") }
        try #require(recorded.count == 2)
        let masked = "R-1101**********002X"
        #expect(answer.text == #"{"appended":2,"duplicates":1,"receipts":["#
                + #"{"index":0,"key":"310114-SCJG/R-1","status":"appended","position":0,"recorded":"\#(recorded[0])"},"#
                + #"{"index":1,"key":"310114-SCJG/\#(masked)","status":"appended","position":1,"recorded":"\#(recorded[1])"},"#
                + #"{"index":2,"key":"310114-SCJG/R-1","status":"duplicate","position":0}]}"# + "\n")
        // The admin sees the key whole.
        let again = try await server.post([Facts.role(idWithNumber)], as: "admin")
        #expect(again.text == #"{"appended":0,"duplicates":1,"receipts":[{"index":0,"key":"310114-SCJG/\#(idWithNumber)","status":"duplicate","position":1}]}"# + "\n")
        try await server.stop()
    }

    @Test func aDuplicatePostIsAcknowledgedAndNotAppendedAgain() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let again = try await server.post([Facts.registration(), Facts.role()])
        #expect(again.status == 200)
        #expect(again.json["appended"] as? Int == 0)
        #expect(again.json["duplicates"] as? Int == 2)
        #expect(try await server.records() == 2)
        try await server.stop()
    }

    @Test func requestsWithoutAKnownTokenAre401WithABearerChallenge() async throws {
        let server = try await LiveServer()
        for role in [nil, "not-a-token"] as [String?] {
            let answer = try await server.send("GET", "/v1/subjects/\(Facts.company)?\(purpose)", as: role)
            #expect(answer.status == 401)
            #expect(answer.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            #expect(!answer.reason.isEmpty)
        }
        try await server.stop()
    }

    @Test func aReporterCannotPostAnotherDepartmentsSourceAndNothingIsAppended() async throws {
        let server = try await LiveServer()
        let foreign = Facts.registration("R-7", subject: Facts.code(7), source: "310114-SWJ")
        let refused = try await server.post([Facts.registration(), foreign])
        #expect(refused.status == 403, "\(refused.text)")
        #expect(refused.reason.contains("310114-SWJ"))
        #expect(try await server.records() == 0)
        // The same facts from a principal that may append for any source go in.
        #expect(try await server.post([Facts.registration(), foreign], as: "admin").status == 200)
        try await server.stop()
    }

    @Test func rolesLimitWhatEachPrincipalMayAsk() async throws {
        let server = try await LiveServer()
        #expect(try await server.post([Facts.registration()], as: "admin").status == 200)
        let withoutPurpose = try await server.send("GET", "/v1/subjects/\(Facts.company)", as: "query")
        #expect(withoutPurpose.status == 400)
        #expect(withoutPurpose.reason.contains("purpose"))
        let byHeader = try await server.send("GET", "/v1/subjects/\(Facts.company)", as: "query", headers: ["X-Query-Purpose": "licensing"])
        #expect(byHeader.status == 200)
        #expect(try await server.send("GET", "/v1/subjects/\(Facts.company)?\(purpose)&knownAt=2024-01-01", as: "query").status == 403)
        // The auditor may ask about a past instant; on 2024-01-01 the ledger held nothing of the subject.
        let past = try await server.send("GET", "/v1/subjects/\(Facts.company)?\(purpose)&knownAt=2024-01-01", as: "auditor")
        #expect(past.status == 404 && past.reason.contains("is not registered in this ledger"))
        #expect(try await server.send("GET", "/v1/subjects/\(Facts.company)?\(purpose)", as: "reporter").status == 403)
        #expect(try await server.post([Facts.registration()], as: "query").status == 403)
        #expect(try await server.send("GET", "/v1/digest", as: "query").status == 403)
        #expect(try await server.send("GET", "/v1/digest", as: "auditor").status == 200)
        try await server.stop()
    }

    @Test func identityNumbersAreMaskedUnlessTheRoleMaySeeThem() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let masked = "1101**********002X"
        let asQuery = try await server.send("GET", "/v1/subjects/\(Facts.person)?\(purpose)", as: "query")
        #expect(asQuery.status == 200, "\(asQuery.text)")
        #expect(asQuery.json["subject"] as? String == masked)
        #expect(!asQuery.text.contains(Facts.person))
        let asAdmin = try await server.send("GET", "/v1/subjects/\(Facts.person)?\(purpose)", as: "admin")
        #expect(asAdmin.json["subject"] as? String == Facts.person)
        try await server.stop()
    }

    @Test func badDatesAndUnknownParametersAre400NamingThem() async throws {
        let server = try await LiveServer()
        let badDate = try await server.send("GET", "/v1/subjects/\(Facts.company)?\(purpose)&asOf=2024-13-01", as: "auditor")
        #expect(badDate.status == 400)
        #expect(badDate.reason.hasPrefix("asOf 2024-13-01"))
        let badInstant = try await server.send("GET", "/v1/grades?\(purpose)&knownAt=yesterday", as: "auditor")
        #expect(badInstant.status == 400)
        #expect(badInstant.reason.hasPrefix("knownAt yesterday"))
        let unknown = try await server.send("GET", "/v1/quality?\(purpose)&colour=red", as: "query")
        #expect(unknown.status == 400)
        #expect(unknown.reason.contains("colour"))
        let badCode = try await server.send("GET", "/v1/subjects/12345?\(purpose)", as: "query")
        #expect(badCode.status == 400)
        try await server.stop()
    }

    /// What a demanding caller gets wrong — a period that runs backwards, a purpose no clerk would
    /// write, a report format no one serves — is 400 naming it, and neither the ledger nor the
    /// audit log changes.
    @Test func backwardPeriodsAndOverlongPurposesAre400AndRecordNothing() async throws {
        let server = try await LiveServer()
        #expect(try await server.post([Facts.registration()]).status == 200)
        let records = try server.audit.head.recordCount
        let longPurpose = "purpose=" + String(repeating: "x", count: ServerLimits().maxPurposeCharacters + 1)
        let asked: [(path: String, reason: String)] = [
            ("/v1/feedback?\(purpose)&from=2025-06-30&to=2025-01-01", "from 2025-06-30 is after to 2025-01-01"),
            ("/v1/subjects/\(Facts.company)/report?\(purpose)&field=foodSafety&from=2025-06-30&to=2025-01-01",
             "from 2025-06-30 is after to 2025-01-01"),
            ("/v1/grades?\(longPurpose)", "the purpose (purpose) is longer than \(ServerLimits().maxPurposeCharacters) characters"),
            ("/v1/indicators?\(purpose)&from=2253-07-20&to=4465-01-16", "from 2253-07-20 to 4465-01-16 is 26539 month periods: at most 120"),
            ("/v1/indicators?\(purpose)&from=2000-01-01&to=2010-01-01&period=month", "is 121 month periods"),
        ]
        for (path, reason) in asked {
            let answer = try await server.send("GET", path, as: "query")
            #expect(answer.status == 400, "\(path): \(answer.text)")
            #expect(answer.reason.contains(reason), "\(path): \(answer.reason)")
        }
        let headerPurpose = try await server.send("GET", "/v1/grades", as: "query",
                                                  headers: ["X-Query-Purpose": String(repeating: "x", count: ServerLimits().maxPurposeCharacters + 1)])
        #expect(headerPurpose.status == 400, "\(headerPurpose.text)")
        // A good purpose parameter does not excuse an overlong header beside it.
        let both = try await server.send("GET", "/v1/grades?\(purpose)", as: "query",
                                         headers: ["X-Query-Purpose": String(repeating: "x", count: ServerLimits().maxPurposeCharacters + 1)])
        #expect(both.status == 400, "\(both.text)")
        #expect(both.reason.contains("the purpose (X-Query-Purpose) is longer than"), "\(both.reason)")
        #expect(try server.audit.head.recordCount == records)
        #expect(try await server.records() == 1)
        // Ten years by month is the most one indicators request may ask for.
        #expect(try await server.send("GET", "/v1/indicators?\(purpose)&from=2000-01-01&to=2009-12-31", as: "query").status == 200)
        // A purpose of exactly the limit is a purpose: characters are counted, not bytes.
        let longest = String(repeating: "查", count: ServerLimits().maxPurposeCharacters)
        let encoded = try #require(longest.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        #expect(try await server.send("GET", "/v1/grades?purpose=\(encoded)", as: "query").status == 200)
        try await server.stop()
    }

    @Test func aSubjectNotRegisteredInThisLedgerIs404WithTheReason() async throws {
        let server = try await LiveServer()
        #expect(try await server.post([Facts.registration()]).status == 200)
        let stranger = "91310000MA1FL0TK24"
        for path in ["/v1/subjects/\(stranger)?\(purpose)", "/v1/subjects/\(stranger)/report?\(purpose)",
                     "/v1/subjects/\(stranger)/report?\(purpose)&field=foodSafety&from=2023-01-01&to=2023-12-31",
                     "/v1/subjects/\(stranger)/measures?\(purpose)&scene=procurement"] {
            let answer = try await server.send("GET", path, as: "query")
            #expect(answer.status == 404, "\(path): \(answer.text)")
            #expect(answer.reason.contains("is not registered in this ledger"), "\(path)")
        }
        #expect(try await server.send("GET", "/v1/subjects/\(Facts.company)?\(purpose)", as: "query").status == 200)
        try await server.stop()
    }

    @Test func unknownRoutesAre404WithTheErrorBody() async throws {
        let server = try await LiveServer()
        let answer = try await server.send("GET", "/v1/nothing-here", as: "admin")
        #expect(answer.status == 404)
        #expect((answer.json["error"] as? [String: Any])?["status"] as? Int == 404)
        #expect(answer.reason.contains("/v1/nothing-here"))
        try await server.stop()
    }

    @Test func oversizedBodiesAndTooManyFactsAre413WithTheLimit() async throws {
        var limits = ServerLimits()
        limits.maxBodyBytes = 4_096
        limits.maxFactsPerRequest = 3
        let server = try await LiveServer(limits: limits)
        let big = (0..<40).map { Facts.registration("B-\($0)", subject: Facts.code($0)) }
        let oversized = try await server.post(big)
        #expect(oversized.status == 413)
        #expect(oversized.reason.contains("4096"))
        let many = (0..<4).map { Facts.registration("M-\($0)", subject: Facts.code($0)) }
        let tooMany = try await server.post(many)
        #expect(tooMany.status == 413)
        #expect(tooMany.reason.contains("limit is 3"))
        #expect(try await server.records() == 0)
        try await server.stop()
    }

    @Test func aWrongContentTypeIs415() async throws {
        let server = try await LiveServer()
        let answer = try await server.send("POST", "/v1/facts", as: "reporter", body: Data(Facts.registration().utf8), contentType: "text/plain")
        #expect(answer.status == 415)
        #expect(answer.reason.contains("application/x-ndjson"))
        try await server.stop()
    }

    @Test func concurrentPostsAreAllAcknowledgedNoneLostOrDuplicated() async throws {
        let server = try await LiveServer()
        let clients = 8, requests = 5, perRequest = 10
        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            for client in 0..<clients {
                group.addTask {
                    var statuses: [Int] = []
                    for request in 0..<requests {
                        let lines = (0..<perRequest).map { item in
                            let n = (client * requests + request) * perRequest + item
                            return Facts.registration("C-\(n)", subject: Facts.code(n), name: "企业\(n)")
                        }
                        statuses.append(try await server.post(lines).status)
                    }
                    return statuses
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.count == clients * requests)
        #expect(statuses.allSatisfy { $0 == 200 })
        #expect(try await server.records() == clients * requests * perRequest)
        try await server.stop()
    }

    @Test func aRotatedTokenTakesEffectWithoutARestart() async throws {
        let server = try await LiveServer()
        var configuration = try ServerConfiguration.load(path: server.configurationPath)
        let fresh = ServerConfiguration.newToken()
        let index = configuration.principals.firstIndex { $0.role == "query" }!
        configuration.principals[index].tokenSHA256 = ServerConfiguration.hash(token: fresh)
        try configuration.write(path: server.configurationPath)
        #expect(try await server.send("GET", "/v1/quality?\(purpose)", as: "query").status == 401)
        #expect(try await server.send("GET", "/v1/quality?\(purpose)", as: fresh).status == 200)
        let mode = try FileManager.default.attributesOfItem(atPath: server.configurationPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try await server.stop()
    }
}
