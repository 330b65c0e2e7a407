/**
 * Pixels as the lab sends them: base64 of 32×32 RGB bytes (interleaved, row-major), decoded
 * into what a canvas draws. Pure functions, unit-tested without a browser canvas.
 */

/** base64 → bytes (the lab's images and mean images). */
export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Image `k` of a page (3072 bytes each) as RGBA for ImageData (alpha 255). */
export function rgbToRgba(rgb: Uint8Array, k = 0, pixels = 1024): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(new ArrayBuffer(pixels * 4))
  const base = k * pixels * 3
  for (let p = 0; p < pixels; p++) {
    out[p * 4] = rgb[base + p * 3]!
    out[p * 4 + 1] = rgb[base + p * 3 + 1]!
    out[p * 4 + 2] = rgb[base + p * 3 + 2]!
    out[p * 4 + 3] = 255
  }
  return out
}

/** Per-channel mean of one RGB image (0–255): the mean image's average colour. */
export function channelMeans(rgb: Uint8Array, k = 0, pixels = 1024): [number, number, number] {
  const s = [0, 0, 0]
  const base = k * pixels * 3
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) s[c]! += rgb[base + p * 3 + c]!
  return [s[0]! / pixels, s[1]! / pixels, s[2]! / pixels]
}
