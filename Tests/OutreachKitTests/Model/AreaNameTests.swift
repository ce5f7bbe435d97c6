import Testing
@testable import OutreachKit

@Suite("Area names")
struct AreaNameTests {
    @Test("the administrative prefix is dropped when something is left", arguments: [
        ("Tỉnh Gia Lai", "Gia Lai"), ("Thành phố Hà Nội", "Hà Nội"), ("Huyện Nông Cống", "Nông Cống"),
        ("Thị xã Sơn Tây", "Sơn Tây"), ("Thị trấn Nông Cống", "Nông Cống"), ("Xã Tế Thắng", "Tế Thắng"),
        ("Phường Ba Đình", "Ba Đình"), ("Đặc khu Phú Quốc", "Phú Quốc"), ("Quận 1", "1"),
        ("Xã ", "Xã "), ("Thôn Đồng Xuân", "Thôn Đồng Xuân"), ("Xãhội", "Xãhội"), ("", ""),
    ])
    func prefix(name: String, short: String) {
        #expect(name.withoutAdministrativePrefix == short)
    }
}
