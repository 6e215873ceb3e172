import Foundation
import Synchronization

/// Lower priorities for background work, as `nice` counts (0…19: 0 is the process's own
/// priority, 19 the lowest). Lowering a thread's priority needs no privilege; raising it back
/// does, so lowered work runs on threads of its own.
package enum ThreadPriority {
    /// Lowers the calling thread's priority by `niceness` (on Linux a thread's nice value is its own).
    package static func lowerCurrentThread(by niceness: Int) {
        guard niceness > 0 else { return }
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        #else
        let which = PRIO_PROCESS
        #endif
        _ = setpriority(which, 0, getpriority(which, 0) + Int32(niceness))
    }

    /// Runs `body` on a new thread named `name` whose priority is `niceness` lower, and waits for
    /// it; with `niceness` 0, on the calling thread.
    package static func run<T: Sendable>(lowered niceness: Int, name: String, _ body: @escaping @Sendable () -> T) -> T {
        guard niceness > 0 else { return body() }
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Thread.current.name = name
            lowerCurrentThread(by: niceness)
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
