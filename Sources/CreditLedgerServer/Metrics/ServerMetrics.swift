import CoreMetrics
import CreditLedger
import Foundation
import Prometheus
import Synchronization

/// The server's metrics (swift-metrics, exported by swift-prometheus in the Prometheus text format
/// at `GET /metrics`). Each server has its own registry, so two servers in one process (as in the
/// tests) never mix their counts, and nothing is bootstrapped globally.
///
/// - `credit_ledger_append_requests_total`, `credit_ledger_group_commits_total`: `POST /v1/facts`
///   requests answered and the ledger appends (one `fdatasync` each) that answered them;
/// - `credit_ledger_facts_appended_total`, `credit_ledger_facts_duplicate_total`;
/// - `credit_ledger_refusals_total{reason}`: refused requests by reason (`unauthorized`,
///   `forbidden`, `bad_request`, `too_large`, `unprocessable`, …);
///   `credit_ledger_fact_refusals_total{kind}`: refused facts by the ledger's refusal kind;
/// - `credit_ledger_request_duration_seconds{route,method}`: a histogram of request latency;
///   `credit_ledger_query_stage_seconds{stage}`: where a query's time goes — `answer` (computing
///   the answer from the ledger, off the event loops) and `audit` (waiting until its audit entry
///   is durable);
/// - `credit_ledger_replay_facts`, `credit_ledger_replay_total_facts`: how far the start-up
///   replay has come, of how many facts (updated while it runs, ``StartupGate``);
///   `credit_ledger_replay_seconds`: how long opening the ledger took; `credit_ledger_ready`: 0
///   while the ledger opens, 1 once the routes answer;
/// - `credit_ledger_head_facts`: the facts the ledger holds (read at each scrape);
/// - `credit_ledger_subscription_lag_facts{subscription}`: facts between a named subscription's
///   position and the head; `credit_ledger_streams_disconnected_total{reason}`;
/// - `credit_ledger_connections`: open connections.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    let appendRequests: CoreMetrics.Counter
    let groupCommits: CoreMetrics.Counter
    let factsAppended: CoreMetrics.Counter
    let factsDuplicate: CoreMetrics.Counter
    let head: CoreMetrics.Gauge
    let connections: CoreMetrics.Gauge
    private let lags = Mutex<[String: CoreMetrics.Gauge]>([:])
    /// The request-latency timers by route and method, made once each: looking one up in the
    /// registry on every request costs a label-and-dimensions lookup under the registry's lock.
    private let requestTimers = Mutex<[RouteKey: CoreMetrics.Timer]>([:])
    private let answerStage: CoreMetrics.Timer
    private let auditStage: CoreMetrics.Timer

    private struct RouteKey: Hashable {
        var route: String
        var method: String
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
        appendRequests = CoreMetrics.Counter(label: "credit_ledger_append_requests_total", factory: factory)
        groupCommits = CoreMetrics.Counter(label: "credit_ledger_group_commits_total", factory: factory)
        factsAppended = CoreMetrics.Counter(label: "credit_ledger_facts_appended_total", factory: factory)
        factsDuplicate = CoreMetrics.Counter(label: "credit_ledger_facts_duplicate_total", factory: factory)
        head = CoreMetrics.Gauge(label: "credit_ledger_head_facts", factory: factory)
        connections = CoreMetrics.Gauge(label: "credit_ledger_connections", factory: factory)
        answerStage = CoreMetrics.Timer(label: "credit_ledger_query_stage_seconds", dimensions: [("stage", "answer")], factory: factory)
        auditStage = CoreMetrics.Timer(label: "credit_ledger_query_stage_seconds", dimensions: [("stage", "audit")], factory: factory)
    }

    /// While the ledger opens: the replay has reached `replayed` of the log's `total` facts.
    func replayProgress(replayed: UInt64, total: UInt64) {
        CoreMetrics.Gauge(label: "credit_ledger_replay_facts", factory: factory).record(Double(replayed))
        CoreMetrics.Gauge(label: "credit_ledger_replay_total_facts", factory: factory).record(Double(total))
        CoreMetrics.Gauge(label: "credit_ledger_ready", factory: factory).record(0)
    }

    /// What opening the ledger replayed, and how long it took; the server is ready.
    func startedUp(replayedFacts: UInt64, seconds: Double) {
        CoreMetrics.Gauge(label: "credit_ledger_replay_facts", factory: factory).record(Double(replayedFacts))
        CoreMetrics.Gauge(label: "credit_ledger_replay_total_facts", factory: factory).record(Double(replayedFacts))
        CoreMetrics.Gauge(label: "credit_ledger_replay_seconds", factory: factory).record(seconds)
        CoreMetrics.Gauge(label: "credit_ledger_ready", factory: factory).record(1)
    }

    /// The receipts of one group commit: facts appended and duplicates acknowledged.
    func record(_ receipts: [FactReceipt]) {
        let appended = receipts.reduce(0) { count, receipt in
            if case .appended = receipt { return count + 1 }
            return count
        }
        factsAppended.increment(by: appended)
        factsDuplicate.increment(by: receipts.count - appended)
    }

    /// One answered request: its latency, and a refusal if its status says so.
    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = RouteKey(route: route, method: method)
        let timer = requestTimers.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = CoreMetrics.Timer(label: "credit_ledger_request_duration_seconds", dimensions: [("route", route), ("method", method)],
                                          factory: factory)
            timers[key] = timer
            return timer
        }
        timer.recordNanoseconds(Self.nanoseconds(duration))
        if status >= 400 { refusal(Self.reason(status)) }
    }

    /// A stage of a query.
    enum QueryStage {
        /// Computing the answer from the ledger and building its audit entry.
        case answer
        /// Waiting until its audit entry is recorded.
        case audit
    }

    /// One stage of a query took `duration`.
    func queryStage(_ stage: QueryStage, duration: Duration) {
        (stage == .answer ? answerStage : auditStage).recordNanoseconds(Self.nanoseconds(duration))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    /// A request refused before it reached a route (too many connections, a stalled request).
    func refusal(_ reason: String) {
        CoreMetrics.Counter(label: "credit_ledger_refusals_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// Facts the ledger refused, by kind.
    func factsRefused(kinds: [String]) {
        for kind in kinds { CoreMetrics.Counter(label: "credit_ledger_fact_refusals_total", dimensions: [("kind", kind)], factory: factory).increment() }
    }

    /// An event stream disconnected by the server, and why.
    func streamDisconnected(_ reason: String) {
        CoreMetrics.Counter(label: "credit_ledger_streams_disconnected_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// A named subscription's consumer reached a position `lag` facts behind the head.
    func subscriptionProgress(_ name: String, lag: Int) {
        let gauge = lags.withLock { gauges in
            if let gauge = gauges[name] { return gauge }
            let gauge = CoreMetrics.Gauge(label: "credit_ledger_subscription_lag_facts", dimensions: [("subscription", name)], factory: factory)
            gauges[name] = gauge
            return gauge
        }
        gauge.record(Double(max(0, lag)))
    }

    /// A named subscription acknowledged up to a position `lag` facts behind the head.
    func subscriptionAcknowledged(_ name: String, lag: Int) { subscriptionProgress(name, lag: lag) }

    /// The Prometheus text exposition of every metric.
    func exposition(headFacts: UInt64?) -> String {
        if let headFacts { head.record(Double(headFacts)) }
        return registry.emitToString()
    }

    /// A status's refusal reason, as the `reason` label names it.
    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 406: "not_acceptable"
        case 408: "request_timeout"
        case 409: "conflict"
        case 413: "too_large"
        case 415: "unsupported_media_type"
        case 422: "unprocessable"
        case 503: "unavailable"
        default: "status_\(status)"
        }
    }
}
