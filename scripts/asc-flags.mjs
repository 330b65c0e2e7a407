// AssemblyScript flags every WebAssembly kernel of this repo is built with: optimized, no
// runtime, and an imported shared memory that the JS side owns (src-workers/linalg/wasm/heap.ts) —
// growing a shared memory never detaches typed-array views on it.
export const ASC_SHARED_MEMORY_FLAGS = [
  '-O3',
  '--noAssert',
  '--runtime',
  'stub',
  '--use',
  'abort=',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '1',
  '--maximumMemory',
  '65536'
]
