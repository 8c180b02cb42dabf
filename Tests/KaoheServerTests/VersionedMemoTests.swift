import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import KaoheServer

extension KaoheServerTests {
    @Suite("Values computed once per data version (VersionedMemo)")
    struct VersionedMemoTests {
        @Test("Ten requests at once for a value being computed make it once; a newer version makes it again; an older one is not kept")
        func onceInFlight() async throws {
            let memo = VersionedMemo<String, Int>(capacity: 2)
            let made = NIOLockedValueBox(0)
            let make: @Sendable () async throws -> Int = {
                made.withLockedValue { $0 += 1 }
                try await Task.sleep(for: .milliseconds(50))
                return 42
            }
            let values = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 { group.addTask { try await memo.value(for: "k", version: 1, make: make) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(values == Array(repeating: 42, count: 10) && made.withLockedValue { $0 } == 1)
            _ = try await memo.value(for: "k", version: 1, make: make)
            #expect(made.withLockedValue { $0 } == 1)
            _ = try await memo.value(for: "k", version: 2, make: make)
            #expect(made.withLockedValue { $0 } == 2)
            _ = try await memo.value(for: "old", version: 1, make: make)
            #expect(await memo.count == 1, "a value of an older version is returned but not kept")
        }
    }
}
