import CQREncode
import Foundation

/// The enrolment QR code (A2) as an SVG, drawn from libqrencode's module matrix: one path of
/// unit squares with the 4-module quiet zone scanners need.
enum QRCodeSVG {
    static let quietZone = 4

    /// Nil only when libqrencode refuses the text (longer than a QR code holds).
    static func make(_ text: String) -> String? {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let size = width + 2 * quietZone
        var path = ""
        for y in 0..<width {
            for x in 0..<width where code.pointee.data[y * width + x] & 1 == 1 {
                path += "M\(x + quietZone) \(y + quietZone)h1v1h-1z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" width="\(size * 6)" height="\(size * 6)" \
            shape-rendering="crispEdges" role="img" aria-label="QR code"><rect width="\(size)" height="\(size)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>
            """
    }
}
