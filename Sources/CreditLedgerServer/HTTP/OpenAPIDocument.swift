import Foundation
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 description of the routes (`Resources/openapi.json`), served as it is at
/// `/openapi.json`; a test calls every route it documents.
public enum OpenAPIDocument {
    /// The document's bytes.
    public static func bytes() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources") else {
            throw ServerError(.internalServerError, "the OpenAPI document is missing from the server's resources")
        }
        return try Data(contentsOf: url)
    }

    /// The methods the document gives the route template matching `path` (e.g. `/v1/subjects/{code}`),
    /// nil when no documented route matches: a request for such a path with another method is
    /// answered 405 with `Allow`, not 404.
    static func methods(for path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (template, methods) in routes {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { continue }
            if zip(parts, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) { return methods }
        }
        return nil
    }

    /// The documented routes: template and methods, read once from the document.
    private static let routes: [(String, [String])] = {
        guard let data = try? bytes(), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let paths = object["paths"] as? [String: [String: Any]] else { return [] }
        return paths.keys.sorted().map { ($0, paths[$0]!.keys.map { $0.uppercased() }.sorted()) }
    }()

    static func response() throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: try bytes())))
    }
}
