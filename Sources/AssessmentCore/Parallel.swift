import Foundation

// The few tools a large input uses to put its second core to work. Results never depend on them: the same input
// gives the same bytes on one thread or two (tested).

/// Work started beside the calling thread (on a large input, where a second core pays), its result taken when needed.
final class Beside<Result: Sendable>: @unchecked Sendable {
    private var value: Result?
    private let parallel: Bool
    private let done = DispatchSemaphore(value: 0)

    init(_ parallel: Bool, _ work: @escaping @Sendable () -> Result) {
        self.parallel = parallel
        guard parallel else { value = work(); return }
        DispatchQueue.global().async {
            self.value = work()
            self.done.signal()
        }
    }

    /// Waits for the work; its result. Called once.
    func result() -> Result {
        if parallel { done.wait() }
        return value!
    }
}

/// `count` uninitialized elements that threads set at disjoint indices, each exactly once, then moved into an array
/// without copying.
struct Column<Element>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Element>
    let count: Int

    init(_ count: Int) {
        base = .allocate(capacity: max(1, count))
        self.count = count
    }

    /// Initializes element `i`; nothing else may touch it.
    func set(_ i: Int, _ value: consuming Element) { (base + i).initialize(to: value) }

    /// The elements, once all are set; the column is gone after.
    consuming func array() -> [Element] {
        defer { base.deallocate() }
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: base, count: count)
            initialized = count
        }
    }
}

/// Elements appended by one thread, then moved (not copied) together with other piles into one array.
final class Pile<Element>: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func append(_ element: consuming Element) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// The piles' elements in order, as one array; the piles are left empty.
    static func joined(_ piles: [Pile]) -> [Element] {
        let total = piles.reduce(0) { $0 + $1.count }
        return [Element](unsafeUninitializedCapacity: total) { buffer, initialized in
            var at = buffer.baseAddress
            for pile in piles where pile.count > 0 {
                at!.moveInitialize(from: pile.base, count: pile.count)
                at! += pile.count
                pile.count = 0
            }
            initialized = total
        }
    }
}
