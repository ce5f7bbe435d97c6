#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The few POSIX calls whose names a type's own methods hide (`Store.open`, a writer's
/// `write`), on Linux and on Apple platforms alike.
enum SystemCalls {
    /// `open(2)`.
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, flags, mode)
        #else
        Darwin.open(path, flags, mode)
        #endif
    }

    /// `write(2)`.
    static func write(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, bytes, count)
        #else
        Darwin.write(fd, bytes, count)
        #endif
    }
}

/// Temporary files that `backup` and `export` write next to their destination
/// (`NAME.partial-PID`, renamed into place once whole).
enum PartialFiles {
    /// The temporary name this process uses for `path`.
    static func name(for path: String) -> String { path + ".partial-\(getpid())" }

    /// Removes what a killed run left behind for `path`: `NAME.partial-PID` files (and their
    /// `-journal`, `-wal`, `-shm`) whose process no longer runs. Files of a run still going
    /// are left alone.
    static func removeStale(for path: String) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".partial-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(digits), pid != getpid() else { continue }
            let rest = name.dropFirst(prefix.count + digits.count)
            guard rest.isEmpty || ["-journal", "-wal", "-shm"].contains(String(rest)) else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH { unlink(folder + "/" + name) }
        }
    }
}
