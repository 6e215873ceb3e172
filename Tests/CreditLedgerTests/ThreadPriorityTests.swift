import Foundation
import Testing
@testable import CreditLedger

/// Background work at a lower priority (a periodic snapshot beside a server's queries).
@Suite struct ThreadPriorityTests {
    static func niceness() -> Int32 {
        #if os(Linux)
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        getpriority(PRIO_PROCESS, 0)
        #endif
    }

    @Test func loweredWorkRunsOnAThreadOfItsOwnThatMuchLowerAndTheCallerKeepsItsPriority() {
        let mine = Self.niceness()
        let caller = pthread_self()
        let lowered = ThreadPriority.run(lowered: 7, name: "lowered") { (Self.niceness(), pthread_self() == caller, Thread.current.name) }
        #expect(lowered.0 == min(19, mine + 7))
        #expect(!lowered.1, "on a thread of its own")
        #expect(lowered.2 == "lowered")
        #expect(Self.niceness() == mine, "the calling thread keeps its priority")
        let here = ThreadPriority.run(lowered: 0, name: "unused") { (Self.niceness(), pthread_self() == caller) }
        #expect(here.0 == mine && here.1, "at 0, on the calling thread as it is")
    }
}
