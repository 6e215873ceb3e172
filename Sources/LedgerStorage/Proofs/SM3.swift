import COpenSSL

/// SM3 (GB/T 32905-2016), the national hash function, from OpenSSL's libcrypto: streaming, like
/// swift-crypto's `SHA256`.
///
/// ```swift
/// let sm3 = SM3()
/// sm3.update(Array("abc".utf8))
/// sm3.finalize()      // 66c7f0f4 62eeedd9 … 8f4ba8e0
/// ```
///
/// One instance hashes one message at a time; ``finalize()`` ends it and readies the instance
/// for the next. Not shared between threads.
public final class SM3 {
    /// The 32 bytes of an SM3 digest.
    public static let byteCount = 32
    private let context: OpaquePointer

    private let md: OpaquePointer

    /// A hasher ready for a message.
    public convenience init() { self.init(digest: SM3Digest.shared.md) }

    /// A hasher of an OpenSSL digest, with one context reused for every message.
    init(digest md: OpaquePointer) {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        self.context = context
        self.md = md
        start()
    }

    deinit { EVP_MD_CTX_free(context) }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        let sm3 = SM3()
        sm3.update(bytes)
        return sm3.finalize()
    }

    /// Feeds more of the message.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// Feeds more of the message from memory the caller holds.
    public func update(bufferPointer bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        precondition(EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1, "EVP_DigestUpdate(SM3) failed")
    }

    /// Ends the message and returns its digest; the hasher starts a new message.
    public func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Self.byteCount)
        digest.withUnsafeMutableBytes { finalize(into: $0) }
        return digest
    }

    /// Ends the message, writing the digest into the first 32 bytes of `out`.
    func finalize(into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= Self.byteCount)
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length) == 1
                     && length == UInt32(Self.byteCount), "EVP_DigestFinal_ex(SM3) failed")
        start()
    }

    private func start() {
        precondition(EVP_DigestInit_ex2(context, md, nil) == 1, "EVP_DigestInit_ex2 failed")
    }
}

/// An OpenSSL digest implementation, fetched once: fetching it for every message would cost a
/// provider lookup each time.
final class SM3Digest: @unchecked Sendable {
    // Immutable after init; OpenSSL's EVP_MD objects are safe to share between threads.
    let md: OpaquePointer

    static let shared = SM3Digest("SM3")

    private init(_ name: String) {
        guard let md = EVP_MD_fetch(nil, name, nil) else {
            fatalError("OpenSSL's libcrypto offers no \(name) (EVP_MD_fetch failed)")
        }
        self.md = md
    }
}
