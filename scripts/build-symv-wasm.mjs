#!/usr/bin/env node
// Compiles the float64 symmetric matrix-vector kernel used by the eigensolver's
// tridiagonalization (src-workers/linalg/eigen-tridiag.ts) and writes its bytes, base64, into
// src-workers/linalg/symv-wasm.ts. That output is committed (a few hundred bytes) so that the app
// and tests need no extra build step; rerun this script after editing SOURCE below:
//
//   node scripts/build-symv-wasm.mjs            write src-workers/linalg/symv-wasm.ts
//   node scripts/build-symv-wasm.mjs --check    exit 1 if the committed bytes are stale
//
// The AssemblyScript source lives here, not in a .ts file, because tsc and eslint check every
// .ts under src-workers except the nn kernels' folder. Flags match scripts/build-wasm.mjs
// (shared imported memory: the module runs on the thread's wasm heap from linalg/wasm/heap.ts).
import { createHash } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ASC_SHARED_MEMORY_FLAGS } from './asc-flags.mjs'

export const SOURCE = `
// y[0..N) = S x, S the symmetric N×N block at byte address a (row stride lda elements), read
// from its lower triangle only. Four rows per pass over f64x2 lanes: every element of the
// triangle is loaded once and used for both the row sum and the column scatter.
export function dsymvLower(a: usize, lda: i32, N: i32, x: usize, y: usize): void {
  memory.fill(y, 0, <usize>N << 3)
  const rs: usize = <usize>lda << 3
  let i: i32 = 0
  for (; i + 3 < N; i += 4) {
    const r0: usize = a + <usize>i * rs
    const r1: usize = r0 + rs
    const r2: usize = r1 + rs
    const r3: usize = r2 + rs
    const px: usize = x + (<usize>i << 3)
    const x0s = load<f64>(px)
    const x1s = load<f64>(px, 8)
    const x2s = load<f64>(px, 16)
    const x3s = load<f64>(px, 24)
    const x0 = f64x2.splat(x0s)
    const x1 = f64x2.splat(x1s)
    const x2 = f64x2.splat(x2s)
    const x3 = f64x2.splat(x3s)
    let s0 = f64x2.splat(0)
    let s1 = f64x2.splat(0)
    let s2 = f64x2.splat(0)
    let s3 = f64x2.splat(0)
    const end: usize = <usize>i << 3
    for (let o: usize = 0; o < end; o += 16) {
      const xj = v128.load(x + o)
      const a0 = v128.load(r0 + o)
      const a1 = v128.load(r1 + o)
      const a2 = v128.load(r2 + o)
      const a3 = v128.load(r3 + o)
      s0 = f64x2.add(s0, f64x2.mul(a0, xj))
      s1 = f64x2.add(s1, f64x2.mul(a1, xj))
      s2 = f64x2.add(s2, f64x2.mul(a2, xj))
      s3 = f64x2.add(s3, f64x2.mul(a3, xj))
      const u = f64x2.add(f64x2.mul(a0, x0), f64x2.mul(a1, x1))
      const v = f64x2.add(f64x2.mul(a2, x2), f64x2.mul(a3, x3))
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.add(u, v)))
    }
    const a00 = load<f64>(r0 + end)
    const a10 = load<f64>(r1 + end)
    const a11 = load<f64>(r1 + end, 8)
    const a20 = load<f64>(r2 + end)
    const a21 = load<f64>(r2 + end, 8)
    const a22 = load<f64>(r2 + end, 16)
    const a30 = load<f64>(r3 + end)
    const a31 = load<f64>(r3 + end, 8)
    const a32 = load<f64>(r3 + end, 16)
    const a33 = load<f64>(r3 + end, 24)
    const py: usize = y + end
    const t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1)
    const t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1)
    const t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1)
    const t3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1)
    store<f64>(py, t0 + a00 * x0s + a10 * x1s + a20 * x2s + a30 * x3s)
    store<f64>(py, t1 + a10 * x0s + a11 * x1s + a21 * x2s + a31 * x3s, 8)
    store<f64>(py, t2 + a20 * x0s + a21 * x1s + a22 * x2s + a32 * x3s, 16)
    store<f64>(py, t3 + a30 * x0s + a31 * x1s + a32 * x2s + a33 * x3s, 24)
  }
  for (; i < N; i++) {
    const row: usize = a + <usize>i * rs
    const xi = load<f64>(x + (<usize>i << 3))
    let s: f64 = 0
    for (let j: i32 = 0; j < i; j++) {
      const o: usize = <usize>j << 3
      const aij = load<f64>(row + o)
      s += aij * load<f64>(x + o)
      store<f64>(y + o, load<f64>(y + o) + aij * xi)
    }
    const o: usize = <usize>i << 3
    store<f64>(y + o, load<f64>(y + o) + s + load<f64>(row + o) * xi)
  }
}
`

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outFile = join(root, 'src-workers/linalg/symv-wasm.ts')
const FLAGS = [...ASC_SHARED_MEMORY_FLAGS, '--enable', 'simd,threads']

async function compile() {
  const asc = (await import('assemblyscript/asc')).default
  let wasm = null
  const stderr = []
  const { error } = await asc.main(['symv.ts', '-o', 'symv.wasm', ...FLAGS], {
    readFile: (name) => (name === 'symv.ts' ? SOURCE : null),
    writeFile(name, contents) {
      if (name.endsWith('.wasm')) wasm = contents
    },
    listFiles: () => [],
    stdout: { write: () => true },
    stderr: { write: (s) => (stderr.push(String(s)), true) }
  })
  if (error || !wasm) throw new Error(`asc failed:\n${stderr.join('')}${error ?? ''}`)
  return wasm
}

async function render() {
  const ascPkg = JSON.parse(
    await readFile(join(root, 'node_modules/assemblyscript/package.json'), 'utf8')
  )
  const bytes = await compile()
  const hash = createHash('sha256').update(SOURCE).digest('hex').slice(0, 16)
  return [
    '// Generated by scripts/build-symv-wasm.mjs (AssemblyScript ' + ascPkg.version + ',',
    '// --enable simd,threads); the source is in that script. Do not edit: rerun it.',
    `// source-sha256: ${hash}`,
    `/** ${bytes.length} bytes: dsymvLower(a, lda, N, x, y) on an imported shared memory. */`,
    `export const SYMV_WASM =\n  '${Buffer.from(bytes).toString('base64')}'`,
    ''
  ].join('\n')
}

async function main() {
  const text = await render()
  if (process.argv.includes('--check')) {
    const current = await readFile(outFile, 'utf8').catch(() => '')
    if (current !== text) {
      console.error('symv-wasm.ts is stale: run node scripts/build-symv-wasm.mjs')
      process.exit(1)
    }
    console.log('symv-wasm.ts is up to date')
    return
  }
  const tmp = `${outFile}.${process.pid}.tmp`
  await writeFile(tmp, text)
  await rename(tmp, outFile)
  console.log('wrote src-workers/linalg/symv-wasm.ts')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
