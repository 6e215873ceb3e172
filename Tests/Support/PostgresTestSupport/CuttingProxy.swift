import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 in front of a server that, once armed, cuts a connection right after
/// passing on the first client message containing a marker (e.g. `COMMIT`): the server receives
/// the message and acts on it, the client never hears the reply. The fault a network partition or
/// a dying load balancer causes at the worst moment. Each connection is served by two threads.
public final class CuttingProxy: Sendable {
    /// The port clients connect to.
    public let port: Int
    private let target: Int
    private let listener: Int32
    private let marker = Mutex<[UInt8]?>(nil)
    /// How many connections were cut.
    public var cuts: Int { cutCount.withLock { $0 } }
    private let cutCount = Mutex(0)

    /// Listens on a free port, forwarding to `targetPort` on 127.0.0.1.
    public init(targetPort: Int) throws {
        target = targetPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw ClusterError("the proxy could not listen (errno \(errno))") }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Cuts the next connection that sends a message containing `text`, after passing it on.
    public func cut(after text: String) { marker.withLock { $0 = Array(text.utf8) } }

    /// Stops accepting connections (those open keep running until either side closes).
    public func stop() {
        stopped.withLock { stopped in
            guard !stopped else { return }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    private let stopped = Mutex(false)

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: target)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else {
                close(client)
                close(server)
                continue
            }
            let pair = Pair(client: client, server: server)
            Thread { [self] in pump(from: client, to: server, watching: true, pair: pair) }.start()
            Thread { [self] in pump(from: server, to: client, watching: false, pair: pair) }.start()
        }
    }

    /// The two sockets of one proxied connection, shut down once, by whichever side ends first,
    /// before either is closed (each pump closes only the socket it reads).
    private final class Pair: Sendable {
        let client: Int32
        let server: Int32
        private let ended = Mutex(false)
        /// Set when the marked message passes: nothing more reaches the client.
        let muted = Mutex(false)

        init(client: Int32, server: Int32) {
            self.client = client
            self.server = server
        }

        func end() {
            ended.withLock { ended in
                guard !ended else { return }
                ended = true
                shutdown(client, Int32(SHUT_RDWR))
                shutdown(server, Int32(SHUT_RDWR))
            }
        }
    }

    private func pump(from source: Int32, to sink: Int32, watching: Bool, pair: Pair) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0, !pair.muted.withLock({ $0 }) else { break }
            let marked = watching && marker.withLock { wanted in
                guard let needle = wanted, buffer[0..<count].containsSequence(needle) else { return false }
                wanted = nil
                return true
            }
            if marked {
                // From here the client hears nothing more: its reply is dropped when it comes.
                pair.muted.withLock { $0 = true }
                cutCount.withLock { $0 += 1 }
            }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { write(sink, $0.baseAddress! + sent, count - sent) }
                guard written > 0 else { break }
                sent += written
            }
            if marked {
                // Give the server the time to act on the message, then cut both directions.
                usleep(300_000)
                break
            }
        }
        pair.end()
        close(source)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}

extension ArraySlice where Element == UInt8 {
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, count >= needle.count else { return false }
        var index = startIndex
        while index <= endIndex - needle.count {
            if self[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
