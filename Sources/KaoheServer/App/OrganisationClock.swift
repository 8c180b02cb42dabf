import AssessmentCore
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The one clock of the server: "now" and the organisation's "today" (its time zone, default Asia/Shanghai,
/// setting `KAOHE_TIME_ZONE`). Nothing else in the server reads the system time, so tests can set the time and
/// ballot windows, deadlines and overdue lists all agree on what day it is.
struct OrganisationClock: Sendable {
    let timeZone: TimeZone
    private let source: @Sendable () -> Date

    init(timeZone: TimeZone, now: @escaping @Sendable () -> Date) {
        self.timeZone = timeZone
        self.source = now
    }

    /// The system's time.
    static func system(timeZone: TimeZone) -> OrganisationClock {
        OrganisationClock(timeZone: timeZone) { Date() }
    }

    /// A clock that shows `date` until it is moved (tests).
    static func manual(_ date: Date, timeZone: TimeZone) -> (clock: OrganisationClock, set: @Sendable (Date) -> Void) {
        let box = NIOLockedValueBox(date)
        return (OrganisationClock(timeZone: timeZone) { box.withLockedValue { $0 } }, { new in box.withLockedValue { $0 = new } })
    }

    var now: Date { source() }

    /// Seconds since 1970, as sessions and login attempts store time.
    var epochSeconds: Double { now.timeIntervalSince1970 }

    /// Today in the organisation's time zone.
    var today: Day { day(of: now) }

    func day(of date: Date) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// A moment as the organisation reads it: `2026-11-24 09:05` in its time zone.
    func localTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func p2(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)-\(p2(c.month))-\(p2(c.day)) \(p2(c.hour)):\(p2(c.minute))"
    }

    /// A moment for a file name, in the organisation's time zone: `20261124-090512`.
    func fileStamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func p2(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)\(p2(c.month))\(p2(c.day))-\(p2(c.hour))\(p2(c.minute))\(p2(c.second))"
    }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = OrganisationClock }

    /// The server's clock; `configure` sets the system clock in the configured time zone, tests replace it.
    var clock: OrganisationClock {
        get { storage[ClockKey.self] ?? .system(timeZone: kaohe.settings.timeZone) }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    var clock: OrganisationClock { application.clock }
}
