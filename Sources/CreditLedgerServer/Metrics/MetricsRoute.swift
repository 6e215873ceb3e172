import CreditLedger
import Hummingbird
import NIOCore

/// `GET /metrics`: every metric in the Prometheus text format (version 0.0.4). It needs the
/// `metrics` permission (only `admin` has it by default): a scraper is a principal like any other,
/// with its own token, so the numbers of a district's traffic are not open to anyone who can
/// reach the port.
struct MetricsRoute {
    let ledger: Ledger
    let metrics: ServerMetrics

    func scrape(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.authenticated()
        try caller.require(.metrics, for: "read the metrics")
        _ = try QueryParameters(request, allowed: [])
        return Self.response(metrics.exposition(headFacts: try? ledger.head.recordCount))
    }

    /// The exposition `text` as the Prometheus text format.
    static func response(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
