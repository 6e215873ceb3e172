import CreditPages
import Hummingbird
import NIOCore

/// What a route with a page answers in: its JSON document (the default) or the HTML page
/// ``PageRenderer`` renders from the same typed values. The client chooses with `Accept`: the page
/// when `text/html` ranks above `application/json` — a browser's `text/html,…,*/*;q=0.8` gets the
/// page, `*/*`, `application/json` or no `Accept` the document. The report route's `format`
/// parameter, when given, decides instead.
enum Representation: Sendable, Equatable {
    case json, html

    /// The representation `request`'s `Accept` header prefers.
    static func negotiated(_ request: Request) -> Representation {
        guard let accept = request.headers[.accept] else { return .json }
        return preferred(accept: accept)
    }

    /// The representation the `Accept` value `accept` prefers: HTML only when its quality is
    /// strictly higher than JSON's (each the most specific range that matches it).
    static func preferred(accept: String) -> Representation {
        var exact: [String: Double] = [:]
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first, !type.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)).map { min(max($0, 0), 1) } ?? 0
            }
            exact[type] = max(exact[type] ?? 0, quality)
        }
        func quality(_ type: String, _ family: String) -> Double { exact[type] ?? exact[family + "/*"] ?? exact["*/*"] ?? 0 }
        return quality("text/html", "text") > quality("application/json", "application") ? .html : .json
    }
}

/// The page renderer the server answers HTML with: the shipped templates, or a district's in their
/// place. A renderer that could not be made (a broken template) fails only the requests for pages,
/// with 503 naming the template.
struct Pages: Sendable {
    let renderer: Result<PageRenderer, PageTemplateError>

    /// The renderer, or 503 naming the template at fault.
    func get() throws(ServerError) -> PageRenderer {
        switch renderer {
        case .success(let renderer): return renderer
        case .failure(let error): throw ServerError(.serviceUnavailable, "the page templates cannot be used: \(error)")
        }
    }
}

/// Responses carrying one HTML page.
enum HTMLResponse {
    /// The page's bytes as `text/html` (identity numbers are masked on the page by the renderer).
    static func make(_ page: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: page)))
    }
}
