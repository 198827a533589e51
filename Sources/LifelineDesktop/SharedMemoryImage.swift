import CX11
#if canImport(Glibc)
import Glibc
#endif

/// An X image in a shared memory segment (MIT-SHM): the X server reads and writes its pixels in
/// place instead of through the socket — the screen captured (`X11Capturer`) and the technician's
/// screen drawn (`SharedScreenWindow`). It belongs to one X connection and must go before it.
final class SharedMemoryImage {
    let image: UnsafeMutablePointer<XImage>
    private let display: OpaquePointer
    // XShmCreateImage keeps this pointer: it must not be a local variable.
    private let info: UnsafeMutablePointer<XShmSegmentInfo>

    init(display: OpaquePointer, width: Int, height: Int) throws(DesktopError) {
        self.display = display
        info = .allocate(capacity: 1)
        info.initialize(to: XShmSegmentInfo())
        guard let created = XShmCreateImage(display, lifeline_default_visual(display), UInt32(lifeline_default_depth(display)),
                                            ZPixmap, nil, info, UInt32(width), UInt32(height))
        else {
            info.deallocate()
            throw .captureFailed("XShmCreateImage failed")
        }
        let bytes = Int(created.pointee.bytes_per_line) * height
        let segment = shmget(0 /* IPC_PRIVATE */, bytes, IPC_CREAT | 0o600)
        guard segment >= 0, let address = shmat(segment, nil, 0), address != UnsafeMutableRawPointer(bitPattern: -1) else {
            lifeline_destroy_image(created)
            info.deallocate()
            throw .captureFailed("no shared memory")
        }
        info.pointee.shmid = segment
        info.pointee.shmaddr = address.assumingMemoryBound(to: CChar.self)
        info.pointee.readOnly = 0
        created.pointee.data = address.assumingMemoryBound(to: CChar.self)
        let attached = XShmAttach(display, info)
        XSync(display, 0)
        // Marked for removal now: the segment goes away with the last detach, even after a crash.
        shmctl(segment, IPC_RMID, nil)
        guard attached != 0 else {
            shmdt(address)
            lifeline_destroy_image(created)
            info.deallocate()
            throw .captureFailed("XShmAttach failed")
        }
        image = created
        guard created.pointee.bits_per_pixel == 32 else {
            throw .captureFailed("only 24/32-bit colour screens are supported (this one has \(created.pointee.bits_per_pixel) bits per pixel)")
        }
    }

    var pixels: UnsafeMutableRawPointer { UnsafeMutableRawPointer(image.pointee.data) }
    var bytesPerRow: Int { Int(image.pointee.bytes_per_line) }

    private var detached = false

    /// Gives the segment and the image back; called by the owner before it closes the X connection
    /// (a class's properties go after its deinit, too late for that).
    func detach() {
        guard !detached else { return }
        detached = true
        XShmDetach(display, info)
        shmdt(info.pointee.shmaddr)
        // The image's data is the shared segment, already detached: don't let Xlib free it.
        image.pointee.data = nil
        lifeline_destroy_image(image)
        info.deallocate()
    }

    deinit { detach() }
}
