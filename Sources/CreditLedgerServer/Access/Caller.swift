import CreditDocuments
import Crypto
import Foundation
import Hummingbird

/// The authenticated principal of one request, with its role.
public struct Caller: Sendable {
    /// Who.
    public var principal: Principal
    /// The role they act in.
    public var role: Role

    /// How identity numbers are shown to this caller.
    public var masking: IdentityMasking { role.seeIdentityNumbers ? .shown : .masked }

    /// Whether the role grants `permission`.
    public func may(_ permission: Permission) -> Bool { role.permissions.contains(permission) }

    /// Refuses with 403 unless the role grants `permission`; `what` names the action refused.
    public func require(_ permission: Permission, for what: String) throws(ServerError) {
        guard may(permission) else {
            throw ServerError(.forbidden, "principal \(principal.name) (role \(role.name)) may not \(what)")
        }
    }

    /// Authenticates a request by its `Authorization: Bearer TOKEN` header against `configuration`:
    /// 401 when the header is missing or the token is unknown.
    static func authenticate(_ request: Request, configuration: ServerConfiguration) throws(ServerError) -> Caller {
        guard let header = request.headers[.authorization] else {
            throw ServerError(.unauthorized, "a bearer token is required (Authorization: Bearer TOKEN)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw ServerError(.unauthorized, "the Authorization header must be `Bearer TOKEN`")
        }
        let hash = Array(ServerConfiguration.hash(token: String(parts[1])).utf8)
        // Compared in full against every principal, so the time taken does not tell how much matched.
        var found: Principal?
        for principal in configuration.principals where constantTimeEqual(Array(principal.tokenSHA256.utf8), hash) {
            found = principal
        }
        guard let principal = found, let role = configuration.role(named: principal.role) else {
            throw ServerError(.unauthorized, "the bearer token is not known")
        }
        return Caller(principal: principal, role: role)
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
