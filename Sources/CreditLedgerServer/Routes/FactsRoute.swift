import CreditDocuments
import CreditFacts
import CreditLedger
import Hummingbird
import NIOCore

/// `POST /v1/facts`: interchange v1 facts appended with the library's append — the same
/// validation, idempotency by `(source, id)` and all-or-nothing refusal. A refused request
/// appends nothing and lists every refused fact with its index in the body, field and reason.
/// Concurrent requests share the ledger's group commits (``AppendQueue``). Every refused element
/// is counted in the ledger's intake counters by source and reason, as `import` counts refused
/// lines; a request refused as a whole (403 for another's source, 400, 413, 415) counts nothing.
struct FactsRoute {
    let appends: AppendQueue
    /// The ledger's intake counters: elements refused before they reach the ledger are counted
    /// here (the ledger counts the facts it refuses itself).
    let intake: IntakeCounters

    func post(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.authenticated()
        try caller.require(.append, for: "append facts")
        _ = try QueryParameters(request, allowed: [])
        guard let shape = FactsBody.Shape(contentType: request.headers[.contentType]) else {
            throw ServerError(.unsupportedMediaType, "content type \(request.headers[.contentType] ?? "(none)") is not accepted: "
                + "send application/x-ndjson (JSON Lines) or application/json (an array of facts)")
        }
        // As the gateway read them for this request.
        let limits = context.limits
        let bytes = try await Self.body(of: request, limit: limits.maxBodyBytes)
        // Read and prepared (PreparedFact: the facts' own checks, encoding and keys, rather than
        // in the serial append) on the bulk workers, off Swift's cooperative pool (WorkerPool).
        let maxFacts = limits.maxFactsPerRequest
        let (body, prepared) = try await appends.bulk.run { () throws(ServerError) -> (FactsBody, [PreparedFact]) in
            let body = try FactsBody(bytes, shape: shape, maxFacts: maxFacts)
            return (body, body.unreadable.isEmpty ? body.facts.map(PreparedFact.init) : [])
        }
        try Self.checkSources(body, caller: caller)
        guard body.unreadable.isEmpty else {
            // Counted in the intake counters as an import counts its refused lines (data quality, 重错码率).
            for item in body.unreadable { intake.recordRefusal(source: item.source ?? IntakeCounters.unnamedSource, kind: item.kind) }
            throw Self.refusal(unreadable: body.unreadable, total: body.facts.count + body.unreadable.count)
        }
        switch await appends.append(prepared) {
        case .success(let receipts):
            let masking = caller.masking
            let written = await appends.bulk.run { Self.receipts(receipts, body: body, masking: masking) }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: written))
        case .failure(.refused(let refusals)): throw Self.refusal(refusals, body: body)
        case .failure(let error): throw ServerError(.serviceUnavailable, "the ledger cannot append: \(error)")
        }
    }

    /// The body's bytes, refused with 413 past `limit` (by its declared length when it has one,
    /// before reading it).
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        let tooLarge = ServerError(.contentTooLarge, "the request body is larger than the limit of \(limit) bytes")
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw tooLarge }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    /// A reporter appends only for its own source codes: one fact of another source refuses the
    /// whole request with 403, naming each such fact.
    static func checkSources(_ body: FactsBody, caller: Caller) throws(ServerError) {
        guard !caller.may(.appendAnySource) else { return }
        let own = Set(caller.principal.sources)
        let foreign = zip(body.indices, body.facts).filter { !own.contains($0.1.source.text) }
        guard let first = foreign.first else { return }
        throw ServerError(
            .forbidden,
            "principal \(caller.principal.name) reports only for \(own.sorted().joined(separator: ", ")); "
                + "fact \(first.0) has source \(first.1.source.text); nothing was appended",
            details: [("facts", .array(foreign.map { .object([("index", .integer($0.0)), ("source", .string($0.1.source.text))]) }))])
    }

    /// 422 for elements that are not facts.
    static func refusal(unreadable: [FactsBody.Unreadable], total: Int) -> ServerError {
        ServerError(
            .unprocessableContent, "\(unreadable.count) of \(total) element(s) are not valid interchange v1 facts; nothing was appended",
            details: [("refusals", .array(unreadable.map { item in
                .object([("index", .integer(item.index)), ("field", .string(item.field)), ("reason", .string(item.reason))])
            }))])
    }

    /// 422 for facts the ledger refused, indexed by their place in the body.
    static func refusal(_ refusals: [Refusal], body: FactsBody) -> ServerError {
        ServerError(
            .unprocessableContent, "\(refusals.count) of \(body.facts.count) fact(s) refused; nothing was appended",
            details: [("refusals", .array(refusals.map { refusal in
                .object([("index", .integer(body.indices[refusal.index])), ("key", .string(refusal.fact.description)), ("field", .string(refusal.field)),
                         ("kind", .string(refusal.kind.description)), ("reason", .string(refusal.reason))])
            }))])
    }

    /// The acknowledgement, one line of JSON: `{"appended":N,"duplicates":M,"receipts":[…]}`, a
    /// receipt per fact in body order — `index`, `key`, `status` (`appended` or `duplicate`),
    /// `position`, and `recorded` for an appended fact — identity numbers masked as `masking`
    /// says. Written straight into the response's buffer rather than built as a ``JSON`` document
    /// first: the receipts of a large POST, built as a document, masked and written, were an
    /// eighth of the server's CPU time under load (perf, `make bench-server`).
    static func receipts(_ receipts: [FactReceipt], body: FactsBody, masking: IdentityMasking) -> ByteBuffer {
        var appended = 0
        for case .appended in receipts { appended += 1 }
        var out = ByteBuffer()
        out.reserveCapacity(64 + receipts.count * 128)
        out.writeString(#"{"appended":\#(appended),"duplicates":\#(receipts.count - appended),"receipts":["#)
        for (offset, receipt) in receipts.enumerated() {
            out.writeStaticString(offset > 0 ? #",{"index":"# : #"{"index":"#)
            writeDecimal(UInt64(body.indices[offset]), into: &out)
            out.writeStaticString(#","key":"#)
            writeKey(body.facts[offset], masking: masking, into: &out)
            switch receipt {
            case .appended(let position, let recorded):
                out.writeStaticString(#","status":"appended","position":"#)
                writeDecimal(position.rawValue, into: &out)
                out.writeStaticString(#","recorded":""#)
                Timestamp(recorded).withDescriptionUTF8 { _ = out.writeBytes($0) }
                out.writeStaticString(#""}"#)
            case .duplicate(let position):
                out.writeStaticString(#","status":"duplicate","position":"#)
                writeDecimal(position.rawValue, into: &out)
                out.writeStaticString("}")
            }
        }
        out.writeString("]}\n")
        return out
    }

    /// `value` in decimal digits, written without making a `String` (a receipt has two numbers).
    static func writeDecimal(_ value: UInt64, into out: inout ByteBuffer) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var value = value, start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            _ = out.writeBytes(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// A fact's key, `source/id`, as a JSON string. Source and id are written as they are when
    /// nothing in them needs an escape and masking would leave them as they are (the common case,
    /// without building the key's text); otherwise through ``IdentityMasking`` and ``JSON``, as
    /// every other string of a response.
    static func writeKey(_ fact: Fact, masking: IdentityMasking, into out: inout ByteBuffer) {
        // Masking changes only a run of exactly 18 digits and X (IdentityMasking.mask), and `/`
        // ends a run: source and id can be judged apart.
        func plain(_ text: String) -> Bool {
            var run = 0
            for byte in text.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return false }
                if (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "X") || byte == UInt8(ascii: "x") {
                    run += 1
                } else {
                    if run == 18 && masking == .masked { return false }
                    run = 0
                }
            }
            return !(run == 18 && masking == .masked)
        }
        guard plain(fact.source.text), plain(fact.id.text) else {
            out.writeString(JSON.string(masking.apply(fact.ref.description)).text)
            return
        }
        out.writeString("\"")
        out.writeString(fact.source.text)
        out.writeString("/")
        out.writeString(fact.id.text)
        out.writeString("\"")
    }
}
