// Draws the app and tray icons into assets/ (run: node scripts/icons.ts). Shapes are signed
// distance functions, so every size is drawn sharp and anti-aliased; PNG, ICO and ICNS files are
// written by hand with zlib: no image library needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Vec = [number, number];
type Sdf = (x: number, y: number) => number;
type Rgb = [number, number, number];

const assets = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');

/** An RGBA canvas of premultiplied floats, 0..1. */
class Canvas {
  readonly size: number;
  readonly px: Float64Array;
  constructor(size: number) {
    this.size = size;
    this.px = new Float64Array(size * size * 4);
  }

  /** Paints a shape given in units of the canvas (0..1) with a colour and opacity. */
  fill(shape: Sdf, [r, g, b]: Rgb, opacity = 1): void {
    this.#each(shape, (i, a) => {
      const alpha = a * opacity;
      this.px[i] = r * alpha + (this.px[i] ?? 0) * (1 - alpha);
      this.px[i + 1] = g * alpha + (this.px[i + 1] ?? 0) * (1 - alpha);
      this.px[i + 2] = b * alpha + (this.px[i + 2] ?? 0) * (1 - alpha);
      this.px[i + 3] = alpha + (this.px[i + 3] ?? 0) * (1 - alpha);
    });
  }

  /** Makes a shape transparent (the gap around a badge). */
  erase(shape: Sdf): void {
    this.#each(shape, (i, a) => {
      for (let c = 0; c < 4; c += 1) this.px[i + c] = (this.px[i + c] ?? 0) * (1 - a);
    });
  }

  #each(shape: Sdf, paint: (index: number, coverage: number) => void): void {
    const s = this.size;
    for (let y = 0; y < s; y += 1) {
      for (let x = 0; x < s; x += 1) {
        // Distance in pixels at the pixel's centre; half a pixel of ramp on each side.
        const d = shape((x + 0.5) / s, (y + 0.5) / s) * s;
        const coverage = Math.min(1, Math.max(0, 0.5 - d));
        if (coverage > 0) paint((y * s + x) * 4, coverage);
      }
    }
  }

  png(): Buffer {
    const s = this.size;
    const raw = Buffer.alloc((s * 4 + 1) * s);
    for (let y = 0; y < s; y += 1) {
      raw[y * (s * 4 + 1)] = 0;
      for (let x = 0; x < s; x += 1) {
        const i = (y * s + x) * 4;
        const a = this.px[i + 3] ?? 0;
        const o = y * (s * 4 + 1) + 1 + x * 4;
        for (let c = 0; c < 3; c += 1) raw[o + c] = a === 0 ? 0 : Math.round(Math.min(1, (this.px[i + c] ?? 0) / a) * 255);
        raw[o + 3] = Math.round(a * 255);
      }
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(s, 0);
    header.writeUInt32BE(s, 4);
    header.set([8, 6, 0, 0, 0], 8);
    return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A Windows .ico holding PNG images (Windows Vista and later read them). */
function ico(images: Buffer[], sizes: number[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((image, i) => {
    const size = sizes[i] as number;
    const at = 6 + 16 * i;
    header[at] = size >= 256 ? 0 : size;
    header[at + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(image.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += image.length;
  });
  return Buffer.concat([header, ...images]);
}

/** A macOS .icns of PNG entries. */
function icns(entries: Array<[type: string, png: Buffer]>): Buffer {
  const parts = entries.map(([type, png]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

// Shapes, in units of the canvas.
const len = (x: number, y: number): number => Math.hypot(x, y);
const circle =
  ([cx, cy]: Vec, r: number): Sdf =>
  (x, y) =>
    len(x - cx, y - cy) - r;
const union =
  (...shapes: Sdf[]): Sdf =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));

/** A ring of radius r and width w from angle a0 to a1 (radians, clockwise on screen), with round ends. */
function arc([cx, cy]: Vec, r: number, w: number, a0: number, a1: number): Sdf {
  const ends: Vec[] = [a0, a1].map((a) => [cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  return (x, y) => {
    let a = Math.atan2(y - cy, x - cx);
    while (a < a0) a += 2 * Math.PI;
    if (a <= a1) return Math.abs(len(x - cx, y - cy) - r) - w / 2;
    return Math.min(...ends.map(([ex, ey]) => len(x - ex, y - ey))) - w / 2;
  };
}

function triangle(a: Vec, b: Vec, c: Vec): Sdf {
  const edges: Array<[Vec, Vec]> = [
    [a, b],
    [b, c],
    [c, a],
  ];
  const sign = Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
  return (x, y) => {
    let d = Infinity;
    let inside = true;
    for (const [p, q] of edges) {
      const ex = q[0] - p[0];
      const ey = q[1] - p[1];
      const t = Math.max(0, Math.min(1, ((x - p[0]) * ex + (y - p[1]) * ey) / (ex * ex + ey * ey)));
      d = Math.min(d, len(x - p[0] - ex * t, y - p[1] - ey * t));
      if (Math.sign(ex * (y - p[1]) - ey * (x - p[0])) === -sign) inside = false;
    }
    return inside ? -d : d;
  };
}

function segment(a: Vec, b: Vec, w: number): Sdf {
  return (x, y) => {
    const ex = b[0] - a[0];
    const ey = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((x - a[0]) * ex + (y - a[1]) * ey) / (ex * ex + ey * ey)));
    return len(x - a[0] - ex * t, y - a[1] - ey * t) - w / 2;
  };
}

function roundedSquare(inset: number, radius: number): Sdf {
  return (x, y) => {
    const qx = Math.abs(x - 0.5) - (0.5 - inset - radius);
    const qy = Math.abs(y - 0.5) - (0.5 - inset - radius);
    return len(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };
}

/** Two arrows chasing each other round a circle: the hand-off between two machines. */
function syncArrows(center: Vec, r: number, w: number, head: number): Sdf {
  const shapes: Sdf[] = [];
  // The gap between the arrows is at the bottom right, where a tray badge goes.
  for (const start of [Math.PI * 0.32, Math.PI * 1.32]) {
    const end = start + Math.PI * 0.7;
    shapes.push(arc(center, r, w, start, end));
    const tip: Vec = [center[0] + r * Math.cos(end), center[1] + r * Math.sin(end)];
    const t: Vec = [-Math.sin(end), Math.cos(end)];
    const n: Vec = [Math.cos(end), Math.sin(end)];
    shapes.push(triangle([tip[0] + t[0] * head * 1.1, tip[1] + t[1] * head * 1.1], [tip[0] + n[0] * head, tip[1] + n[1] * head], [tip[0] - n[0] * head, tip[1] - n[1] * head]));
  }
  return union(...shapes);
}

type State = 'idle' | 'waiting' | 'syncing' | 'conflict' | 'error';
const colours: Record<State, Rgb> = {
  idle: [0.42, 0.45, 0.5],
  waiting: [0.12, 0.39, 0.92],
  syncing: [0.09, 0.55, 0.27],
  conflict: [0.85, 0.47, 0.02],
  error: [0.8, 0.15, 0.12],
};

/** A tray icon: the arrows, and for each state but idle a badge of its own shape (distinct in one colour too). */
function tray(size: number, state: State, template: boolean): Buffer {
  const c = new Canvas(size);
  const black: Rgb = [0, 0, 0];
  // A middle grey reads on light and on dark panels alike.
  const ink: Rgb = template ? black : state === 'syncing' ? colours.syncing : [0.47, 0.51, 0.57];
  const badge: Rgb = template ? black : colours[state];
  const badgeAt: Vec = [0.8, 0.8];
  c.fill(syncArrows([0.42, 0.42], 0.28, 0.12, 0.13), ink);
  switch (state) {
    case 'idle':
      break;
    case 'syncing':
      c.fill(circle([0.42, 0.42], 0.1), ink);
      break;
    case 'waiting':
      c.erase(circle(badgeAt, 0.24));
      c.fill(circle(badgeAt, 0.18), badge);
      break;
    case 'conflict':
      c.erase(triangle([0.79, 0.5], [1.06, 1.01], [0.52, 1.01]));
      c.fill(triangle([0.79, 0.58], [0.99, 0.97], [0.59, 0.97]), badge);
      c.erase(union(segment([0.79, 0.7], [0.79, 0.82], 0.065), circle([0.79, 0.9], 0.037)));
      break;
    case 'error':
      c.erase(circle(badgeAt, 0.25));
      c.fill(circle(badgeAt, 0.2), badge);
      c.erase(union(segment([0.74, 0.74], [0.86, 0.86], 0.06), segment([0.86, 0.74], [0.74, 0.86], 0.06)));
      break;
  }
  return c.png();
}

function appIcon(size: number): Buffer {
  const c = new Canvas(size);
  const tile = roundedSquare(0.06, 0.2);
  // A vertical blue gradient, drawn as bands.
  const bands = 32;
  for (let i = 0; i < bands; i += 1) {
    const t = i / (bands - 1);
    const band: Sdf = (x, y) => Math.max(tile(x, y), Math.abs(y - (0.06 + (0.88 * (i + 0.5)) / bands)) - 0.88 / bands / 2 - 0.002);
    c.fill(band, [0.15 - 0.06 * t, 0.45 - 0.2 * t, 0.95 - 0.25 * t]);
  }
  c.fill(syncArrows([0.5, 0.5], 0.25, 0.075, 0.085), [1, 1, 1]);
  c.fill(circle([0.5, 0.5], 0.055), [1, 1, 1]);
  return c.png();
}

function write(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

const states: State[] = ['idle', 'waiting', 'syncing', 'conflict', 'error'];
for (const state of states) {
  write(join(assets, 'tray', `tray-${state}.png`), tray(32, state, false));
  write(join(assets, 'tray', `tray-${state}@2x.png`), tray(64, state, false));
  write(join(assets, 'tray', `tray-${state}Template.png`), tray(16, state, true));
  write(join(assets, 'tray', `tray-${state}Template@2x.png`), tray(32, state, true));
  const icoSizes = [16, 24, 32, 48];
  write(
    join(assets, 'tray', `tray-${state}.ico`),
    ico(
      icoSizes.map((s) => tray(s, state, false)),
      icoSizes,
    ),
  );
}
write(join(assets, 'icon.png'), appIcon(512));
const appSizes = [16, 24, 32, 48, 64, 128, 256];
write(join(assets, 'icon.ico'), ico(appSizes.map(appIcon), appSizes));
write(
  join(assets, 'icon.icns'),
  icns([
    ['ic07', appIcon(128)],
    ['ic08', appIcon(256)],
    ['ic09', appIcon(512)],
    ['ic10', appIcon(1024)],
  ]),
);
process.stdout.write(`icons written to ${assets}\n`);
