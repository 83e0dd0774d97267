// PNG downloads that say they are synthetic: the canvas's PNG with the text chunks tsgan writes
// everywhere (src/io/png.ts: Software, Description, tsgan:synthetic, IPTC XMP...), which the server
// computes (/api/provenance) and this inserts after IHDR (tEXt for Latin-1 values, iTXt otherwise).
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const latin1 = (s: string) => [...s].every((c) => c.charCodeAt(0) <= 0xff);

function textChunk(key: string, value: string): Uint8Array {
  if (latin1(value) && !key.startsWith('XML:')) {
    const d = new Uint8Array(key.length + 1 + value.length);
    for (let i = 0; i < key.length; i++) d[i] = key.charCodeAt(i);
    for (let i = 0; i < value.length; i++) d[key.length + 1 + i] = value.charCodeAt(i);
    return chunk('tEXt', d);
  }
  const v = new TextEncoder().encode(value);
  const d = new Uint8Array(key.length + 5 + v.length);
  for (let i = 0; i < key.length; i++) d[i] = key.charCodeAt(i);
  d.set(v, key.length + 5); // keyword 0, compression flag 0, method 0, language '' 0, translated '' 0
  return chunk('iTXt', d);
}

/** PNG bytes with text chunks inserted right after IHDR. */
export function withText(png: Uint8Array, text: Record<string, string>): Uint8Array {
  const ihdrEnd = 8 + 12 + new DataView(png.buffer, png.byteOffset).getUint32(8);
  const parts = Object.entries(text).map(([k, v]) => textChunk(k, v));
  const size = png.length + parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(size);
  out.set(png.subarray(0, ihdrEnd), 0);
  let at = ihdrEnd;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(png.subarray(ihdrEnd), at);
  return out;
}

/** Downloads a canvas as a PNG labelled as synthetic. */
export async function downloadCanvas(
  canvas: HTMLCanvasElement,
  name: string,
  text: Record<string, string>,
): Promise<Uint8Array> {
  const blob = await new Promise<Blob>((res, rej) =>
    canvas.toBlob((b) => (b ? res(b) : rej(new Error('no PNG'))), 'image/png'),
  );
  const bytes = withText(new Uint8Array(await blob.arrayBuffer()), text);
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'image/png' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return bytes;
}
