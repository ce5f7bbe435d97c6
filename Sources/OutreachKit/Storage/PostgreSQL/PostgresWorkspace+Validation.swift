import PostgresNIO

extension PostgresWorkspace {
    /// The area `areaID` and every unit above it, nearest first (`ClosingSQL.chain`).
    static func areaChain(_ connection: PostgresConnection, _ areaID: Int64) async throws -> [AreaLink] {
        try await closingRows(connection, ClosingSQL.chain, [.int(areaID)]) { AreaLink(id: Int64($0[0].int ?? 0), code: $0[1].text ?? "") }
    }

    /// Folds the live sessions `scan` selects (`SessionScanSQL`), streamed row by row from the
    /// server and read cell by cell: no `String` per session. A retried read starts again from
    /// `initial`.
    public func scanSessions<State: Sendable>(_ scan: SessionScan, into initial: State,
                                              _ fold: @Sendable (inout State, ScannedSession) -> Void) async throws -> State {
        try await read { connection in
            var binds = PostgresBindings()
            if let under = scan.under {
                guard let root = try await Self.id(connection, "SELECT id FROM area WHERE code = \(under)") else {
                    throw SessionError.unknownArea(under)
                }
                binds.append(root)
            }
            var state = initial
            guard scan.from <= scan.through else { return state }
            binds.append(scan.from.number)
            binds.append(scan.through.number)
            for code in SessionScanSQL.campaignMetrics(scan) { binds.append(code) }
            let sql = SessionScanSQL.select(scan, under: scan.under != nil, parameter: { "$\($0)" })
            var session = ScannedSession(row: 0, uuidHigh: 0, uuidLow: 0, day: Day(number: 0), area: 0, team: nil,
                                         values: [Int?](repeating: nil, count: scan.metrics.count))
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.quiet) {
                var column = 0
                for cell in row {
                    switch column {
                    case 0: session.row = Int64(cell.int ?? 0)
                    case 1:
                        if var bytes = cell.bytes, bytes.readableBytes == 16,
                           let high = bytes.readInteger(as: UInt64.self), let low = bytes.readInteger(as: UInt64.self) {
                            (session.uuidHigh, session.uuidLow) = (high, low)
                        }
                    case 2: session.day = Day(number: cell.int ?? 0)
                    case 3: session.area = Int64(cell.int ?? 0)
                    case 4: session.team = cell.int.map(Int64.init)
                    default: session.values[column - 5] = cell.int
                    }
                    column += 1
                }
                fold(&state, session)
            }
            return state
        }
    }
}
