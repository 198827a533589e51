// The technician's drawings on a Lens picture, drawn alike in the console and on the phone: each a
// red line through its points (fractions of the picture) moved by where its object went (dx, dy).

/** Draws `shapes` ({points, dx, dy}) on `context` into `box` ({x, y, width, height}: where the picture is), `width` thick. */
export function drawLensShapes(context, shapes, box, width) {
  context.strokeStyle = '#ff0000';
  context.lineWidth = width;
  context.lineCap = 'round';
  context.lineJoin = 'round';
  for (const { points, dx = 0, dy = 0 } of shapes) {
    context.beginPath();
    points.forEach(([x, y], index) => {
      const at = [box.x + (x + dx) * box.width, box.y + (y + dy) * box.height];
      if (index === 0) context.moveTo(...at);
      else context.lineTo(...at);
    });
    context.stroke();
  }
}
