"""The console's frame decoder (Web/lib/screen-frames.js) in the real browser: frames cut at every
byte, lying lengths and hostile cursor sizes are refused with a clear error, never read past
their end nor allocated from a claimed size."""
import struct

from conftest import CANVAS_PIXELS


def screen_frame(tiles, width=64, height=64, sequence=7):
    body = bytes([0x4C, 1, 1, 0]) + struct.pack(">IHHH", sequence, width, height, len(tiles))
    for x, y, w, h, encoding, payload in tiles:
        body += struct.pack(">HHHHBI", x, y, w, h, encoding, len(payload)) + payload
    return body


def console_frame(frame, session_id=b"123456789"):
    return bytes([len(session_id)]) + session_id + frame


def decode_all(browser, gateway, frames):
    browser.get(f"{gateway.url}/console/")
    return browser.execute_async_script("""
        const [frames, done] = arguments;
        import('/lib/screen-frames.js').then(({ decodeConsoleFrame }) => {
          done(frames.map((bytes) => {
            try {
              const decoded = decodeConsoleFrame(new Uint8Array(bytes).buffer);
              return decoded.cursor ? `cursor ${decoded.cursor.x},${decoded.cursor.y}` : `tiles ${decoded.update.tiles.length}`;
            } catch (error) {
              return `error: ${error.message}`;
            }
          }));
        });""", [list(f) for f in frames])


def test_cut_and_lying_frames_are_refused_with_a_clear_error(gateway, browser):
    good = screen_frame([(0, 0, 8, 8, 1, b"\xff\xd8\xff\xd9"), (8, 0, 8, 8, 2, struct.pack(">HH", 0, 0))])
    frames = [console_frame(good)]
    # Cut after every byte: never a partial decode.
    frames += [console_frame(good[:cut]) for cut in range(len(good))]
    frames += [
        console_frame(screen_frame([(0, 0, 8, 8, 1, b"\xff")]) + b"\x00"),  # a byte after the last tile
        console_frame(bytes([0x4C, 1, 1, 0]) + struct.pack(">IHHH", 1, 64, 64, 1) + struct.pack(">HHHHBI", 0, 0, 8, 8, 1, 0xFFFFFFFF)),
        console_frame(bytes([0x4C, 1, 1, 0]) + struct.pack(">IHHH", 1, 64, 64, 65535)),  # too many tiles
        console_frame(screen_frame([(60, 60, 8, 8, 1, b"x")])),  # off the screen
        console_frame(screen_frame([(0, 0, 8, 8, 9, b"x")])),  # unknown encoding
        bytes([200]) + b"short",  # a session id longer than the frame
        # Cursor frames: position only, a 2×2 shape, a huge claimed shape, a cut shape.
        console_frame(bytes([0x4C, 1, 2, 0]) + struct.pack(">HHHHHH", 5, 6, 0, 0, 0, 0)),
        console_frame(bytes([0x4C, 1, 2, 0]) + struct.pack(">HHHHHH", 5, 6, 1, 1, 2, 2) + b"\xff" * 16),
        console_frame(bytes([0x4C, 1, 2, 0]) + struct.pack(">HHHHHH", 5, 6, 0, 0, 4096, 4096)),
        console_frame(bytes([0x4C, 1, 2, 0]) + struct.pack(">HHHHHH", 5, 6, 0, 0, 2, 2) + b"\xff" * 15),
    ]
    results = decode_all(browser, gateway, frames)
    assert results[0] == "tiles 2"
    cuts = results[1:1 + len(good)]
    assert all(r.startswith("error: ") for r in cuts), cuts
    assert len(set(cuts)) > 2, "the errors say what is wrong"
    hostile = results[1 + len(good):]
    assert hostile[:6] == ["error: extra bytes after the last tile", "error: tile 0 is cut short", "error: too many tiles",
                           "error: tile 0 lies outside the screen", "error: unknown tile encoding 9", "error: truncated session id"]
    assert hostile[6:] == ["cursor 5,6", "cursor 5,6", "error: cursor shape out of bounds", "error: cursor frame has the wrong length"]


def test_a_browser_encodes_the_applets_screen_updates(gateway, browser):
    """Issue 16: a browser sharing its screen writes the same frames the console reads; changed
    tiles of a row merge, and most of the screen changed becomes one picture."""
    browser.get(f"{gateway.url}/console/")
    result = browser.execute_async_script("""
        const done = arguments[0];
        import('/lib/screen-frames.js').then(({ encodeScreenUpdate, decodeScreenUpdate, changedRectangles }) => {
          const tiles = [{ x: 0, y: 0, width: 64, height: 10, bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) },
                         { x: 64, y: 10, width: 36, height: 30, bytes: new Uint8Array([1, 2, 3]) }];
          const bytes = encodeScreenUpdate({ sequence: 9, width: 100, height: 40, tiles });
          const back = decodeScreenUpdate(bytes);
          let outside;
          try { encodeScreenUpdate({ sequence: 1, width: 10, height: 10, tiles: [{ x: 5, y: 0, width: 6, height: 1, bytes: new Uint8Array() }] }); }
          catch (error) { outside = error.message; }
          const few = new Set(['0,0', '1,0', '3,0', '2,2']);
          done({
            back: [back.sequence, back.width, back.height, back.tiles.map((t) => [t.x, t.y, t.width, t.height, t.encoding, Array.from(t.bytes)])],
            outside,
            few: changedRectangles(250, 150, 64, (c, r) => few.has(`${c},${r}`)),
            most: changedRectangles(250, 150, 64, (c, r) => !(c === 0 && r === 0)),
          });
        });""")
    assert result["back"] == [9, 100, 40, [[0, 0, 64, 10, "jpeg", [0xFF, 0xD8, 0xFF, 0xD9]], [64, 10, 36, 30, "jpeg", [1, 2, 3]]]]
    assert result["outside"] == "tile lies outside the screen"
    assert result["few"] == [{"x": 0, "y": 0, "width": 128, "height": 64}, {"x": 192, "y": 0, "width": 58, "height": 64},
                             {"x": 128, "y": 128, "width": 64, "height": 22}]
    assert result["most"] == [{"x": 0, "y": 0, "width": 250, "height": 150}]


def test_the_pacer_sends_the_last_frame_of_a_burst_and_keeps_the_window(gateway, browser):
    """A shared screen's pacer (frame-pacer.js): a frame held back by the rate alone still goes once
    the interval is up, though nothing else comes (a screen that stopped changing); the window of
    unanswered updates holds the rest until acknowledged, and only the newest waiting frame goes."""
    browser.get(f"{gateway.url}/console/")
    result = browser.execute_async_script("""
        const done = arguments[0];
        import('/lib/frame-pacer.js').then(async ({ framePacer }) => {
          const sent = [];
          const pacer = framePacer({ window: 2, maxRate: 10, send: async (frame) => { sent.push(frame.name); pacer.sent(); } });
          const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
          await pacer.offer({ name: 'a' });
          await pacer.offer({ name: 'b' });          // within 100 ms of a: held back by the rate
          await wait(250);
          const afterBurst = [...sent];
          await pacer.offer({ name: 'c' });          // the window of two is full: waits
          await pacer.offer({ name: 'd' });          // replaces c
          await wait(250);
          const windowFull = [...sent];
          pacer.acknowledged(2);
          await wait(250);
          done({ afterBurst, windowFull, afterAck: [...sent] });
        });""")
    assert result["afterBurst"] == ["a", "b"], "the last frame of a burst is not left behind"
    assert result["windowFull"] == ["a", "b"]
    assert result["afterAck"] == ["a", "b", "d"], "the newest waiting frame goes once acknowledged"


def test_video_tiles_are_checked_before_anything_is_decoded(gateway, browser):
    """A video tile (issue 23): its changed parts inside it, the video no larger than the tile, a key
    frame the size the tile says."""
    def key_frame(width, height):
        return bytes([0x50, 0x42, 0x00, 0x9D, 0x01, 0x2A]) + struct.pack("<HH", width, height) + b"\x07"

    key = key_frame(32, 16)
    delta = b"\x31\x02\x00\x09"

    def video(parts, frame, w=32, h=16, size=(32, 16)):
        payload = struct.pack(">HHH", *size, len(parts)) + b"".join(struct.pack(">HHHH", *part) for part in parts) + frame
        return console_frame(screen_frame([(16, 16, w, h, 5, payload)]))

    frames = [
        video([(0, 0, 32, 16)], key),
        video([(0, 0, 8, 8), (24, 8, 8, 8)], delta),
        video([(0, 0, 33, 16)], delta),  # a part wider than the tile
        video([], key[:8]),  # a key frame cut before its size
        video([(0, 0, 32, 16)], key, w=48, size=(48, 16)),  # a key frame of another size than the video says
        video([], b""),  # no frame
        console_frame(screen_frame([(16, 16, 32, 16, 5, struct.pack(">HHH", 32, 16, 300))])),  # too many parts
        video([(0, 0, 48, 32)], key_frame(24, 16), w=48, h=32, size=(24, 16)),  # a video half its tile's size, scaled up
        video([(0, 0, 32, 16)], delta, size=(64, 16)),  # a video larger than its tile
        console_frame(screen_frame([(16, 16, 32, 16, 4, delta)])),  # the technician's whole-screen VP8: not for a console
    ]
    assert decode_all(browser, gateway, frames) == [
        "tiles 1", "tiles 1", "error: video tile 0 paints outside itself", "error: video tile 0 is cut short",
        "error: video tile 0 is not the size of its key frame", "error: video tile 0 has no frame",
        "error: video tile 0 has too many parts", "tiles 1", "error: video tile 0 is larger than itself",
        "error: unknown tile encoding 4"]


def test_palette_tiles_of_up_to_256_colours_are_drawn_exactly(gateway, browser):
    """Issue 23: anti-aliased text (dozens of greys) goes lossless as a palette of up to 256 colours,
    one byte a pixel; a count of 0 means 256. An index past the palette is refused."""
    def palette(count, indices):
        colours = bytes(c for i in range(count) for c in (i, 255 - i, (i * 7) % 256))
        return bytes([count % 256]) + colours + bytes(indices)
    cases = [
        (palette(2, [0b1010_0000]), 3, 1),
        (palette(32, [0, 31, 17]), 3, 1),
        (palette(256, [255, 0, 128]), 3, 1),
        (palette(32, [0, 32, 1]), 3, 1),
    ]
    browser.get(f"{gateway.url}/console/")
    results = browser.execute_async_script("""
        const [cases, done] = arguments;
        import('/lib/screen-frames.js').then(({ paletteToRGBA }) => {
          done(cases.map(([raw, width, height]) => {
            try {
              return Array.from(paletteToRGBA(new Uint8Array(raw), width, height));
            } catch (error) {
              return `error: ${error.message}`;
            }
          }));
        });""", [[list(raw), width, height] for raw, width, height in cases])
    rgba = lambda i: [i, 255 - i, (i * 7) % 256, 255]
    assert results[0] == rgba(1) + rgba(0) + rgba(1)
    assert results[1] == rgba(0) + rgba(31) + rgba(17)
    assert results[2] == rgba(255) + rgba(0) + rgba(128)
    assert results[3] == "error: palette index out of range"


def test_a_tile_that_cannot_be_decoded_is_left_out_and_the_update_still_acknowledged(gateway, browser):
    """A corrupt JPEG tile (or one an older console cannot read) is said on the console and left
    out; the update's other tiles are drawn and it is acknowledged, so the screen never stops."""
    import zlib
    red = zlib.compress(bytes([1, 200, 0, 0]) + bytes(1))  # one colour, one 1-bit row of 8 pixels
    browser.get(f"{gateway.url}/console/")
    result = browser.execute_async_script(CANVAS_PIXELS + """
        const [red, done] = arguments;
        import('/lib/screen-view.js').then(async ({ screenView }) => {
          const canvas = document.createElement('canvas');
          document.body.append(canvas);
          const view = screenView(canvas);
          const update = { sequence: 3, width: 16, height: 1, tiles: [
            { x: 0, y: 0, width: 8, height: 1, encoding: 'jpeg', bytes: new Uint8Array([0xff, 0xd8, 1, 2]) },
            { x: 8, y: 0, width: 8, height: 1, encoding: 'palette', bytes: new Uint8Array(red) },
          ] };
          const { fields } = await view.paint(update);
          await new Promise((shown) => requestAnimationFrame(() => requestAnimationFrame(shown)));
          done({ mode: view.mode, fields, pixel: Array.from(canvasPixels(canvas, 12, 0, 1, 1)) });
        }).catch((error) => done({ error: error.message }));""", list(red))
    assert result.get("mode") == "worker", result
    assert result.get("fields") is not None, result
    assert result["fields"].get("refresh") is None
    assert result["pixel"] == [200, 0, 0, 255]


def test_the_screen_is_drawn_in_a_worker_as_the_page_would_draw_it(gateway, browser):
    """Issue 23: the customer's screen is decoded and drawn in a worker (OffscreenCanvas), so the
    console's page never holds a frame; a browser without OffscreenCanvas draws on the page. The
    same updates (a picture, a palette, then a copy of part of them: scrolling) give the same
    pixels both ways, and the canvas stays readable: a screenshot, the lens, a recording."""
    import zlib
    blue_red = zlib.compress(bytes([2, 0, 0, 200, 200, 0, 0]) + bytes([0b00001111]))  # 4 blue then 4 red
    png = png_bytes(4, 1, [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]])
    frames = [console_frame(screen_frame([(0, 0, 8, 1, 3, blue_red), (8, 0, 4, 1, 6, png)], width=16, height=2, sequence=1)),
              console_frame(screen_frame([(2, 1, 10, 1, 2, struct.pack(">HH", 0, 0))], width=16, height=2, sequence=2))]
    browser.get(f"{gateway.url}/console/")
    result = browser.execute_async_script(CANVAS_PIXELS + """
        const [frames, done] = arguments;
        Promise.all([import('/lib/screen-frames.js'), import('/lib/screen-view.js')]).then(async ([decoder, { screenView }]) => {
          const draw = async (withWorker) => {
            const canvas = document.createElement('canvas');
            document.body.append(canvas);
            const sizes = [];
            // On the page, as a browser without OffscreenCanvas draws (or a Lens call's picture).
            const view = screenView(canvas, { onSize: (width, height) => sizes.push([width, height]), onPage: () => !withWorker });
            // Both given at once: drawn in order all the same.
            const painted = frames.map((bytes) => view.paint(decoder.decodeConsoleFrame(new Uint8Array(bytes).buffer).update));
            const answers = await Promise.all(painted);
            await new Promise((shown) => requestAnimationFrame(() => requestAnimationFrame(shown)));
            const screenshot = await new Promise((made) => canvas.toBlob(made, 'image/png'));
            return { mode: view.mode, renderer: canvas.dataset.renderer, sizes, size: [view.width, view.height],
                     acknowledged: answers.map(({ fields }) => fields), screenshot: screenshot.size,
                     pixels: Array.from(canvasPixels(canvas, 0, 0, 16, 2)) };
          };
          done({ worker: await draw(true), page: await draw(false) });
        }).catch((error) => done({ error: `${error.message} ${error.stack}` }));""", [list(frame) for frame in frames])
    assert "error" not in result, result
    worker, page = result["worker"], result["page"]
    assert (worker["mode"], worker["renderer"], page["mode"], page["renderer"]) == ("worker", "worker", "page", "page")
    for drawn in (worker, page):
        assert drawn["sizes"] == [[16, 2]] and drawn["size"] == [16, 2]
        assert len(drawn["acknowledged"]) == 2 and not any(fields.get("refresh") for fields in drawn["acknowledged"])
        assert drawn["screenshot"] > 0
        pixels = [tuple(drawn["pixels"][i:i + 3]) for i in range(0, len(drawn["pixels"]), 4)]
        top, bottom = pixels[:16], pixels[16:]
        assert top == [(0, 0, 200)] * 4 + [(200, 0, 0)] * 4 + [(10, 20, 30), (40, 50, 60), (70, 80, 90), (100, 110, 120)] + [(0, 0, 0)] * 4
        # The copy moved the top row's first ten pixels to the second row from x = 2.
        assert bottom[2:12] == top[0:10]
    assert worker["pixels"] == page["pixels"]


def png_bytes(width, height, rgb_rows):
    """A plain RGB PNG (no filter), written here with zlib."""
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + bytes(row) for row in rgb_rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_a_png_tile_is_drawn_with_the_very_pixels(gateway, browser):
    """Issue 23: a still picture is sent again losslessly as a PNG tile (encoding 6); the console
    decodes it like a JPEG, off the UI thread, and shows exactly those pixels."""
    png = png_bytes(3, 1, [[10, 20, 30, 200, 201, 202, 7, 250, 99]])
    frame = console_frame(screen_frame([(1, 0, 3, 1, 6, png)], width=4, height=1))
    browser.get(f"{gateway.url}/console/")
    result = browser.execute_async_script("""
        const [bytes, done] = arguments;
        Promise.all([import('/lib/screen-frames.js'), import('/lib/screen-paint.js')]).then(async ([frames, paint]) => {
          const { update } = frames.decodeConsoleFrame(new Uint8Array(bytes).buffer);
          const canvas = document.createElement('canvas');
          await paint.paintFitted(canvas, update);
          done({ encoding: update.tiles[0].encoding, pixels: Array.from(canvas.getContext('2d').getImageData(1, 0, 3, 1).data) });
        }).catch((error) => done({ error: error.message }));""", list(frame))
    assert result.get("encoding") == "png", result
    assert result["pixels"] == [10, 20, 30, 255, 200, 201, 202, 255, 7, 250, 99, 255]
