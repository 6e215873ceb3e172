import CreditDocuments
import Hummingbird
import NIOCore

/// A request the server refuses, with the status and a reason a person can act on. It becomes
/// the JSON error body `{"error":{"status":N,"reason":"…"}}` (plus `refusals` for facts).
public struct ServerError: Error, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// What is wrong, in words.
    public var reason: String
    /// Further fields of the error object (e.g. the refused facts), in order.
    public var details: [(String, JSON)] = []
    /// For 405: the methods the route answers (the `Allow` header).
    var allow: [String] = []

    /// Creates the error.
    public init(_ status: HTTPResponse.Status, _ reason: String, details: [(String, JSON)] = []) {
        self.status = status
        self.reason = reason
        self.details = details
    }

    /// A 405 naming the methods the route answers.
    init(_ status: HTTPResponse.Status, _ reason: String, allow: [String]) {
        self.init(status, reason)
        self.allow = allow
    }

    /// The JSON error body.
    public var json: JSON {
        .object([("error", .object([("status", .integer(status.code)), ("reason", .string(reason))] + details))])
    }

    /// The response: the error body, and for 401 the `WWW-Authenticate: Bearer` challenge.
    func response(masking: IdentityMasking) -> Response {
        var response = JSONResponse.make(json, status: status, masking: masking)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = #"Bearer realm="credit-ledger""# }
        if !allow.isEmpty { response.headers[.allow] = allow.joined(separator: ", ") }
        return response
    }
}

/// Responses carrying one JSON document.
enum JSONResponse {
    /// The document's bytes (the same the CLI prints with `--json`, newline included), identity
    /// numbers masked as `masking` says, as `application/json`.
    static func make(_ document: JSON, status: HTTPResponse.Status = .ok, masking: IdentityMasking) -> Response {
        make(body: body(document, masking: masking), status: status)
    }

    /// The bytes ``make(_:status:masking:)`` answers with: built where the answer is computed,
    /// off the event loops and Swift's pool.
    static func body(_ document: JSON, masking: IdentityMasking) -> ByteBuffer {
        ByteBuffer(string: masking.apply(document).text + "\n")
    }

    /// A JSON response carrying `body` (from ``body(_:masking:)``).
    static func make(body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: body))
    }
}
