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

    static func response() throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: try bytes())))
    }
}
