import COpenSSL
import Crypto

/// The signature schemes a checkpoint may be signed with.
public enum SignatureAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Ed25519 (RFC 8032), through swift-crypto: C2SP signed-note's signature type 0x01.
    case ed25519
    /// SM2 (GB/T 32918) with SM3 and the standard's default distinguishing ID
    /// "1234567812345678", through OpenSSL's libcrypto.
    case sm2

    /// The bytes naming the scheme in a key ID: 0x01 for Ed25519 (as C2SP signed-note says);
    /// 0xFF followed by "sm2" for SM2, which signed-note does not register.
    var typeBytes: [UInt8] { self == .ed25519 ? [0x01] : [0xff] + Array("sm2".utf8) }
}

/// Why a key file could not be used.
public struct KeyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with it.
    public var reason: String
    /// An error for `reason`.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// A public key that verifies checkpoints, under the name signatures give it.
///
/// PEM files as `openssl pkey -pubout` writes them (SubjectPublicKeyInfo) for Ed25519 and for
/// SM2 (an EC key on the SM2 curve). The key ID is SHA-256(name ‖ 0x0A ‖ type ‖ key)[0..<4]
/// (C2SP signed-note), where the key is the raw 32 bytes for Ed25519 and the DER
/// SubjectPublicKeyInfo for SM2.
public struct CheckpointPublicKey: Hashable, Sendable {
    /// The name signature lines give the key (C2SP signed-note: no spaces, no `+`).
    public let name: String
    /// The scheme.
    public let algorithm: SignatureAlgorithm
    /// Ed25519: the raw 32-byte key. SM2: the DER SubjectPublicKeyInfo.
    public let keyBytes: [UInt8]

    /// A key from its parts.
    public init(name: String, algorithm: SignatureAlgorithm, keyBytes: [UInt8]) throws(KeyFileError) {
        try CheckpointPublicKey.checkName(name)
        self.name = name
        self.algorithm = algorithm
        self.keyBytes = keyBytes
    }

    /// Reads a PEM public key (or a PEM private key, whose public half is taken).
    public init(pem: String, name: String) throws(KeyFileError) {
        let key = try OpenSSLKey(pem: pem)
        try self.init(name: name, algorithm: key.algorithm, keyBytes: try key.publicKeyBytes())
    }

    /// The 4-byte key ID, as a big-endian number.
    public var keyID: UInt32 {
        let digest = Array(SHA256.hash(data: Array(name.utf8) + [0x0a] + algorithm.typeBytes + keyBytes))
        return digest[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Whether `signature` is this key's signature of `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        switch algorithm {
        case .ed25519:
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes) else { return false }
            return key.isValidSignature(signature, for: message)
        case .sm2:
            return (try? SM2.verify(signature, of: message, publicKeyDER: keyBytes)) ?? false
        }
    }

    static func checkName(_ name: String) throws(KeyFileError) {
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "+" }) else {
            throw KeyFileError("a key name must be non-empty, without spaces or '+': \"\(name)\"")
        }
    }
}

/// A private key that signs checkpoints: a PEM file as `openssl genpkey -algorithm ed25519`
/// or `openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:SM2` writes it, and the name
/// its signatures carry.
public struct CheckpointSigningKey: Sendable {
    /// The public half, with the same name.
    public let publicKey: CheckpointPublicKey
    private let pem: String

    /// Reads a PEM private key (PKCS#8, unencrypted).
    public init(pem: String, name: String) throws(KeyFileError) {
        let key = try OpenSSLKey(pem: pem, isPrivate: true)
        self.publicKey = try CheckpointPublicKey(name: name, algorithm: key.algorithm, keyBytes: try key.publicKeyBytes())
        self.pem = pem
    }

    /// The key's name.
    public var name: String { publicKey.name }

    /// Signs `message`: a 64-byte Ed25519 signature, or a DER-encoded SM2 signature.
    public func sign(_ message: [UInt8]) throws(KeyFileError) -> [UInt8] {
        let key = try OpenSSLKey(pem: pem, isPrivate: true)
        switch publicKey.algorithm {
        case .ed25519:
            let seed = try key.rawPrivateKey()
            guard let signer = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed),
                  let signature = try? signer.signature(for: message) else {
                throw KeyFileError("the Ed25519 key could not sign")
            }
            return Array(signature)
        case .sm2:
            return try SM2.sign(message, with: key)
        }
    }
}

/// SM2 signatures (GB/T 32918.2) with SM3, through OpenSSL's EVP interface.
///
/// The signer's distinguishing ID enters the signature (through Z, GB/T 32918.2 §5.5); this
/// uses the standard's default, "1234567812345678". OpenSSL 3's command line uses none unless
/// told: pass `-sigopt distid:1234567812345678` to `openssl dgst`, or `-pkeyopt
/// distid:1234567812345678` to `openssl pkeyutl`, to make or check the same signatures.
public enum SM2 {
    /// The default distinguishing ID of GB/T 32918 (GM/T 0009).
    public static let defaultDistinguishingID = Array("1234567812345678".utf8)

    /// Signs `message` with the SM2 private key in `pem`; the signature is DER (r, s).
    public static func sign(_ message: [UInt8], privateKeyPEM pem: String) throws(KeyFileError) -> [UInt8] {
        try sign(message, with: OpenSSLKey(pem: pem, isPrivate: true))
    }

    /// Whether `signature` (DER) is the SM2 signature of `message` by the public key in `pem`.
    public static func verify(_ signature: [UInt8], of message: [UInt8], publicKeyPEM pem: String) throws(KeyFileError) -> Bool {
        try verify(signature, of: message, key: OpenSSLKey(pem: pem))
    }

    static func verify(_ signature: [UInt8], of message: [UInt8], publicKeyDER der: [UInt8]) throws(KeyFileError) -> Bool {
        try verify(signature, of: message, key: OpenSSLKey(subjectPublicKeyInfo: der))
    }

    static func sign(_ message: [UInt8], with key: OpenSSLKey) throws(KeyFileError) -> [UInt8] {
        guard key.algorithm == .sm2 else { throw KeyFileError("not an SM2 key") }
        let context = try digestContext(key, signing: true)
        defer { EVP_MD_CTX_free(context) }
        var length = 0
        guard message.withUnsafeBufferPointer({ EVP_DigestSign(context, nil, &length, $0.baseAddress, $0.count) }) == 1 else {
            throw KeyFileError("SM2 signing failed: \(openSSLError())")
        }
        var signature = [UInt8](repeating: 0, count: length)
        let status = message.withUnsafeBufferPointer { input in
            signature.withUnsafeMutableBufferPointer { EVP_DigestSign(context, $0.baseAddress, &length, input.baseAddress, input.count) }
        }
        guard status == 1 else { throw KeyFileError("SM2 signing failed: \(openSSLError())") }
        return Array(signature.prefix(length))
    }

    static func verify(_ signature: [UInt8], of message: [UInt8], key: OpenSSLKey) throws(KeyFileError) -> Bool {
        guard key.algorithm == .sm2 else { throw KeyFileError("not an SM2 key") }
        let context = try digestContext(key, signing: false)
        defer { EVP_MD_CTX_free(context) }
        let status = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { EVP_DigestVerify(context, sig.baseAddress, sig.count, $0.baseAddress, $0.count) }
        }
        ERR_clear_error()
        return status == 1
    }

    /// A digest-sign or -verify context for SM2 with SM3 and the default distinguishing ID.
    private static func digestContext(_ key: OpenSSLKey, signing: Bool) throws(KeyFileError) -> OpaquePointer {
        guard let context = EVP_MD_CTX_new() else { throw KeyFileError("OpenSSL could not allocate a context") }
        guard let keyContext = EVP_PKEY_CTX_new(key.pkey, nil),
              defaultDistinguishingID.withUnsafeBytes({ EVP_PKEY_CTX_set1_id(keyContext, $0.baseAddress, Int32($0.count)) }) == 1 else {
            EVP_MD_CTX_free(context)
            throw KeyFileError("setting the SM2 distinguishing ID failed: \(openSSLError())")
        }
        // The digest context takes ownership of the key context.
        EVP_MD_CTX_set_pkey_ctx(context, keyContext)
        let status = signing
            ? EVP_DigestSignInit(context, nil, EVP_sm3(), nil, key.pkey)
            : EVP_DigestVerifyInit(context, nil, EVP_sm3(), nil, key.pkey)
        guard status == 1 else {
            EVP_MD_CTX_free(context)
            EVP_PKEY_CTX_free(keyContext)
            throw KeyFileError("starting SM2 with SM3 failed: \(openSSLError())")
        }
        return context
    }
}

/// The text of OpenSSL's latest error, and the queue cleared.
func openSSLError() -> String {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0 else { return "no detail from OpenSSL" }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A key OpenSSL decoded from PEM or DER: Ed25519 or SM2, anything else refused.
final class OpenSSLKey {
    let pkey: OpaquePointer
    let algorithm: SignatureAlgorithm

    convenience init(pem: String, isPrivate: Bool = false) throws(KeyFileError) {
        let bytes = Array(pem.utf8)
        let decoded: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            if isPrivate || pem.contains("PRIVATE KEY-----") { return PEM_read_bio_PrivateKey(bio, nil, nil, nil) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let decoded else {
            throw KeyFileError(isPrivate ? "not a PEM private key (PKCS#8, unencrypted): \(openSSLError())"
                                         : "not a PEM key: \(openSSLError())")
        }
        try self.init(decoded)
    }

    convenience init(subjectPublicKeyInfo der: [UInt8]) throws(KeyFileError) {
        let decoded: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let decoded else { throw KeyFileError("not a DER public key: \(openSSLError())") }
        try self.init(decoded)
    }

    private init(_ pkey: OpaquePointer) throws(KeyFileError) {
        self.pkey = pkey
        if EVP_PKEY_is_a(pkey, "ED25519") == 1 {
            algorithm = .ed25519
        } else if EVP_PKEY_is_a(pkey, "SM2") == 1 {
            algorithm = .sm2
        } else {
            EVP_PKEY_free(pkey)
            throw KeyFileError("the key is neither Ed25519 nor SM2 (an EC key on the SM2 curve)")
        }
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Ed25519: the raw 32 bytes. SM2: the DER SubjectPublicKeyInfo.
    func publicKeyBytes() throws(KeyFileError) -> [UInt8] {
        if algorithm == .ed25519 {
            var length = 32
            var raw = [UInt8](repeating: 0, count: 32)
            guard EVP_PKEY_get_raw_public_key(pkey, &raw, &length) == 1, length == 32 else {
                throw KeyFileError("reading the Ed25519 public key failed: \(openSSLError())")
            }
            return raw
        }
        let length = i2d_PUBKEY(pkey, nil)
        guard length > 0 else { throw KeyFileError("encoding the SM2 public key failed: \(openSSLError())") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        guard written == length else { throw KeyFileError("encoding the SM2 public key failed: \(openSSLError())") }
        return der
    }

    /// The Ed25519 private key's 32-byte seed.
    func rawPrivateKey() throws(KeyFileError) -> [UInt8] {
        var length = 32
        var raw = [UInt8](repeating: 0, count: 32)
        guard EVP_PKEY_get_raw_private_key(pkey, &raw, &length) == 1, length == 32 else {
            throw KeyFileError("reading the Ed25519 private key failed: \(openSSLError())")
        }
        return raw
    }
}
