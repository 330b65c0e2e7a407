/**
 * The slice of the WebAssembly JS API the kernels use, typed here because the Node tsconfig's
 * libs (ES2023 + @types/node) do not declare it. Undefined where the runtime has no wasm.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer
  grow(deltaPages: number): number
}

export interface WasmApi {
  Memory: new (desc: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>
  ) => {
    exports: Record<string, unknown>
  }
  validate(bytes: Uint8Array<ArrayBuffer>): boolean
}

export const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly
