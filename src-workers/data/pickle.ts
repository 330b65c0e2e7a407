/**
 * A strict reader for the pickles of the official CIFAR-10 "python version": Python 2 cPickle,
 * protocol 2, py2 `str` strings, numpy arrays through `numpy.core.multiarray._reconstruct`.
 *
 * It understands exactly the opcodes that pickler emits for these files (see
 * ../shared/fixtures/cifar10-sample/PICKLE_NOTES.md) and the only three globals they name;
 * anything else is a DatasetError naming the byte offset and the opcode. Nothing is executed.
 * Strings are zero-copy views into the input buffer, so the 30 MB pixel string is never copied
 * here.
 */
import { DatasetError } from './errors'

export interface PyTuple {
  kind: 'tuple'
  items: PyValue[]
}
export interface PyDict {
  kind: 'dict'
  /** Keys are py2 `str`, decoded as latin-1. Insertion (stream) order. */
  map: Map<string, PyValue>
}
export interface PyGlobal {
  kind: 'global'
  module: string
  name: string
}
export interface PyDtype {
  kind: 'dtype'
  /** e.g. 'u1' */
  descr: string
  /** '|' (not applicable), '<', '>' or '=' once BUILD has run. */
  byteorder: string
}
export interface PyNdarray {
  kind: 'ndarray'
  shape: number[]
  dtype: PyDtype | null
  fortran: boolean
  /** Raw element bytes, a view into the pickle buffer. */
  data: Uint8Array | null
}
/** Python lists are JS arrays; py2 `str` is a Uint8Array view. */
export type PyValue =
  | null
  | boolean
  | number
  | Uint8Array
  | PyValue[]
  | PyTuple
  | PyDict
  | PyGlobal
  | PyDtype
  | PyNdarray

const OPCODE_NAMES: Record<number, string> = {
  0x80: 'PROTO',
  0x95: 'FRAME',
  0x8c: 'SHORT_BINUNICODE',
  0x94: 'MEMOIZE',
  0x93: 'STACK_GLOBAL',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x85: 'TUPLE1',
  0x86: 'TUPLE2',
  0x87: 'TUPLE3',
  0x88: 'NEWTRUE',
  0x89: 'NEWFALSE',
  0x8a: 'LONG1',
  0x8b: 'LONG4',
  0x8d: 'BINUNICODE8',
  0x8e: 'BINBYTES8',
  0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS',
  0x91: 'FROZENSET',
  0x96: 'BYTEARRAY8',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
  0x28: 'MARK',
  0x2e: 'STOP',
  0x30: 'POP',
  0x31: 'POP_MARK',
  0x32: 'DUP',
  0x46: 'FLOAT',
  0x49: 'INT',
  0x4a: 'BININT',
  0x4b: 'BININT1',
  0x4c: 'LONG',
  0x4d: 'BININT2',
  0x4e: 'NONE',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
  0x52: 'REDUCE',
  0x53: 'STRING',
  0x54: 'BINSTRING',
  0x55: 'SHORT_BINSTRING',
  0x56: 'UNICODE',
  0x58: 'BINUNICODE',
  0x61: 'APPEND',
  0x62: 'BUILD',
  0x63: 'GLOBAL',
  0x64: 'DICT',
  0x7d: 'EMPTY_DICT',
  0x65: 'APPENDS',
  0x67: 'GET',
  0x68: 'BINGET',
  0x69: 'INST',
  0x6a: 'LONG_BINGET',
  0x6c: 'LIST',
  0x5d: 'EMPTY_LIST',
  0x6f: 'OBJ',
  0x70: 'PUT',
  0x71: 'BINPUT',
  0x72: 'LONG_BINPUT',
  0x73: 'SETITEM',
  0x74: 'TUPLE',
  0x29: 'EMPTY_TUPLE',
  0x75: 'SETITEMS',
  0x47: 'BINFLOAT',
  0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES'
}

export function opcodeName(op: number): string {
  const name = OPCODE_NAMES[op]
  const ch = op >= 0x20 && op < 0x7f ? `'${String.fromCharCode(op)}'` : `0x${op.toString(16)}`
  return name ? `${name} (${ch})` : `unknown opcode ${ch}`
}

/** The only globals the official files name. */
const ALLOWED_GLOBALS = new Set([
  'numpy.core.multiarray _reconstruct',
  'numpy ndarray',
  'numpy dtype'
])

const latin1 = new TextDecoder('latin1')
export function pyStr(b: Uint8Array): string {
  return latin1.decode(b)
}

export function pyTypeName(v: PyValue | undefined): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'None'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return 'int'
  if (v instanceof Uint8Array) return 'str'
  if (Array.isArray(v)) return 'list'
  switch (v.kind) {
    case 'tuple':
      return 'tuple'
    case 'dict':
      return 'dict'
    case 'global':
      return `global ${v.module}.${v.name}`
    case 'dtype':
      return 'numpy.dtype'
    case 'ndarray':
      return 'numpy.ndarray'
  }
}

const MARK_HINT =
  'The official CIFAR-10 python files are Python 2 cPickle protocol-2 pickles; this file was ' +
  'written differently. Use the official download (or the binary version) instead.'

/** Parses one pickle. Exposes its stack so a caller can inspect a truncated prefix. */
export class PickleParser {
  pos = 0
  readonly stack: PyValue[] = []
  private readonly marks: number[] = []
  private readonly memo: PyValue[] = []
  private opPos = 0
  private op = 0

  constructor(
    private readonly buf: Uint8Array,
    private readonly file: string
  ) {}

  private fail(
    code: 'pickle-truncated' | 'pickle-unsupported' | 'pickle-malformed',
    what: string
  ): never {
    const where = `${this.file}, byte ${this.opPos} (${opcodeName(this.op)})`
    let msg: string
    if (code === 'pickle-truncated') {
      msg =
        `${where}: ${what}. The file ends at byte ${this.buf.length}: it is truncated ` +
        `(an interrupted download or copy?). Download or copy it again.`
    } else if (code === 'pickle-unsupported') {
      msg = `${where}: ${what}. ${MARK_HINT}`
    } else {
      msg = `${where}: ${what}. The pickle is damaged; download or copy the file again.`
    }
    throw new DatasetError(code, msg, {
      file: this.file,
      offset: this.opPos,
      field: OPCODE_NAMES[this.op] ?? `0x${this.op.toString(16)}`
    })
  }

  private need(n: number): number {
    const p = this.pos
    if (p + n > this.buf.length) {
      this.fail(
        'pickle-truncated',
        `it needs ${n} byte(s) from byte ${p}, ${this.buf.length - p} remain`
      )
    }
    this.pos = p + n
    return p
  }

  private u8(): number {
    return this.buf[this.need(1)]!
  }
  private u16(): number {
    const p = this.need(2)
    return this.buf[p]! | (this.buf[p + 1]! << 8)
  }
  private i32(): number {
    const p = this.need(4)
    const b = this.buf
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)
  }
  private bytes(n: number): Uint8Array {
    const p = this.need(n)
    return this.buf.subarray(p, p + n)
  }
  private line(): string {
    const start = this.pos
    const nl = this.buf.indexOf(0x0a, start)
    if (nl < 0) this.fail('pickle-truncated', 'a GLOBAL name has no end of line')
    this.pos = nl + 1
    return pyStr(this.buf.subarray(start, nl))
  }

  private pop(): PyValue {
    const floor = this.marks.length ? this.marks[this.marks.length - 1]! : 0
    if (this.stack.length <= floor) this.fail('pickle-malformed', 'the stack is empty')
    return this.stack.pop()!
  }
  private top(): PyValue {
    const floor = this.marks.length ? this.marks[this.marks.length - 1]! : 0
    if (this.stack.length <= floor) this.fail('pickle-malformed', 'the stack is empty')
    return this.stack[this.stack.length - 1]!
  }
  private popMark(): PyValue[] {
    const m = this.marks.pop()
    if (m === undefined) this.fail('pickle-malformed', 'no MARK to close')
    const items = this.stack.slice(m)
    this.stack.length = m
    return items
  }
  private tuple(n: number): void {
    const items: PyValue[] = new Array<PyValue>(n)
    for (let i = n - 1; i >= 0; i--) items[i] = this.pop()
    this.stack.push({ kind: 'tuple', items })
  }
  private put(i: number): void {
    this.memo[i] = this.top()
  }
  private get(i: number): void {
    const v = this.memo[i]
    if (v === undefined) this.fail('pickle-malformed', `memo slot ${i} was never stored`)
    this.stack.push(v)
  }
  private listOf(v: PyValue): PyValue[] {
    if (!Array.isArray(v)) this.fail('pickle-unsupported', `appending to a ${pyTypeName(v)}`)
    return v
  }
  private setItems(dictV: PyValue, kv: PyValue[]): void {
    if (dictV === null || typeof dictV !== 'object' || !('kind' in dictV) || dictV.kind !== 'dict')
      this.fail('pickle-unsupported', `setting items on a ${pyTypeName(dictV)}`)
    if (kv.length % 2) this.fail('pickle-malformed', 'an odd number of items for a dict')
    for (let i = 0; i < kv.length; i += 2) {
      const k = kv[i]
      if (!(k instanceof Uint8Array))
        this.fail('pickle-unsupported', `a dict key of type ${pyTypeName(k)}`)
      dictV.map.set(pyStr(k), kv[i + 1]!)
    }
  }

  private reduce(): void {
    const args = this.pop()
    const fn = this.pop()
    if (fn === null || typeof fn !== 'object' || !('kind' in fn) || fn.kind !== 'global')
      this.fail('pickle-unsupported', `REDUCE on a ${pyTypeName(fn)}`)
    if (args === null || typeof args !== 'object' || !('kind' in args) || args.kind !== 'tuple')
      this.fail('pickle-malformed', `REDUCE with arguments of type ${pyTypeName(args)}`)
    const a = args.items
    if (fn.name === '_reconstruct') {
      const cls = a[0]
      if (
        a.length !== 3 ||
        cls === null ||
        typeof cls !== 'object' ||
        !('kind' in cls) ||
        cls.kind !== 'global' ||
        cls.name !== 'ndarray'
      )
        this.fail('pickle-unsupported', '_reconstruct with arguments other than (ndarray, …)')
      this.stack.push({ kind: 'ndarray', shape: [], dtype: null, fortran: false, data: null })
    } else if (fn.name === 'dtype') {
      const d = a[0]
      if (!(d instanceof Uint8Array))
        this.fail('pickle-unsupported', `numpy.dtype of a ${pyTypeName(d)}`)
      this.stack.push({ kind: 'dtype', descr: pyStr(d), byteorder: '=' })
    } else {
      this.fail('pickle-unsupported', `calling ${fn.module}.${fn.name}`)
    }
  }

  private build(): void {
    const state = this.pop()
    const obj = this.top()
    if (state === null || typeof state !== 'object' || !('kind' in state) || state.kind !== 'tuple')
      this.fail('pickle-unsupported', `BUILD with a ${pyTypeName(state)} state`)
    const s = state.items
    if (obj !== null && typeof obj === 'object' && 'kind' in obj && obj.kind === 'dtype') {
      const bo = s[1]
      if (!(bo instanceof Uint8Array))
        this.fail('pickle-unsupported', 'a numpy.dtype state without a byte order')
      obj.byteorder = pyStr(bo)
    } else if (obj !== null && typeof obj === 'object' && 'kind' in obj && obj.kind === 'ndarray') {
      const [, shape, dtype, fortran, data] = s
      if (s.length !== 5) this.fail('pickle-unsupported', `an ndarray state of ${s.length} items`)
      if (
        shape === null ||
        typeof shape !== 'object' ||
        !('kind' in shape) ||
        shape.kind !== 'tuple' ||
        !shape.items.every((x) => typeof x === 'number')
      )
        this.fail('pickle-unsupported', 'an ndarray whose shape is not a tuple of ints')
      if (
        dtype === null ||
        typeof dtype !== 'object' ||
        !('kind' in dtype) ||
        dtype.kind !== 'dtype'
      )
        this.fail('pickle-unsupported', 'an ndarray without a numpy.dtype')
      if (!(data instanceof Uint8Array))
        this.fail(
          'pickle-unsupported',
          `an ndarray whose data is a ${pyTypeName(data)}, not raw bytes`
        )
      obj.shape = shape.items as number[]
      obj.dtype = dtype
      obj.fortran = fortran === true || fortran === 1
      obj.data = data
    } else {
      this.fail('pickle-unsupported', `BUILD on a ${pyTypeName(obj)}`)
    }
  }

  /** Runs to STOP and returns the pickled object. */
  run(): PyValue {
    const buf = this.buf
    const st = this.stack
    for (;;) {
      this.opPos = this.pos
      if (this.pos >= buf.length) {
        this.op = 0x2e
        this.fail('pickle-truncated', 'the pickle ends before its STOP opcode')
      }
      const op = buf[this.pos++]!
      this.op = op
      switch (op) {
        case 0x80: {
          const v = this.u8()
          if (this.opPos !== 0 || v !== 2)
            this.fail('pickle-unsupported', `protocol ${v} (the official files use protocol 2)`)
          break
        }
        case 0x7d: // EMPTY_DICT
          st.push({ kind: 'dict', map: new Map() })
          break
        case 0x5d: // EMPTY_LIST
          st.push([])
          break
        case 0x28: // MARK
          this.marks.push(st.length)
          break
        case 0x71: // BINPUT
          this.put(this.u8())
          break
        case 0x72: // LONG_BINPUT
          this.put(this.i32() >>> 0)
          break
        case 0x68: // BINGET
          this.get(this.u8())
          break
        case 0x6a: // LONG_BINGET
          this.get(this.i32() >>> 0)
          break
        case 0x55: // SHORT_BINSTRING
          st.push(this.bytes(this.u8()))
          break
        case 0x54: {
          // BINSTRING
          const n = this.i32()
          if (n < 0) this.fail('pickle-malformed', `a negative string length ${n}`)
          st.push(this.bytes(n))
          break
        }
        case 0x4b: // BININT1
          st.push(this.u8())
          break
        case 0x4d: // BININT2
          st.push(this.u16())
          break
        case 0x4a: // BININT
          st.push(this.i32())
          break
        case 0x4e: // NONE
          st.push(null)
          break
        case 0x88: // NEWTRUE
          st.push(true)
          break
        case 0x89: // NEWFALSE
          st.push(false)
          break
        case 0x85:
          this.tuple(1)
          break
        case 0x86:
          this.tuple(2)
          break
        case 0x87:
          this.tuple(3)
          break
        case 0x74: // TUPLE
          st.push({ kind: 'tuple', items: this.popMark() })
          break
        case 0x61: {
          // APPEND
          const v = this.pop()
          this.listOf(this.top()).push(v)
          break
        }
        case 0x65: {
          // APPENDS
          const items = this.popMark()
          const list = this.listOf(this.top())
          for (let i = 0; i < items.length; i++) list.push(items[i]!)
          break
        }
        case 0x73: {
          // SETITEM
          const v = this.pop()
          const k = this.pop()
          this.setItems(this.top(), [k, v])
          break
        }
        case 0x75: {
          // SETITEMS
          const kv = this.popMark()
          this.setItems(this.top(), kv)
          break
        }
        case 0x63: {
          // GLOBAL
          const module = this.line()
          const name = this.line()
          if (!ALLOWED_GLOBALS.has(`${module} ${name}`))
            this.fail('pickle-unsupported', `it names the global ${module}.${name}`)
          st.push({ kind: 'global', module, name })
          break
        }
        case 0x52: // REDUCE
          this.reduce()
          break
        case 0x62: // BUILD
          this.build()
          break
        case 0x2e: {
          // STOP
          if (this.marks.length) this.fail('pickle-malformed', 'STOP inside an open MARK')
          if (st.length !== 1)
            this.fail('pickle-malformed', `STOP with ${st.length} objects on the stack`)
          if (this.pos !== buf.length)
            this.fail('pickle-malformed', `${buf.length - this.pos} unexpected byte(s) after STOP`)
          return st[0]!
        }
        default:
          this.fail('pickle-unsupported', 'this opcode is not used by the official files')
      }
    }
  }
}

/** Parses a complete pickle held in `buf`. `file` names it in errors. */
export function parsePickle(buf: Uint8Array, file: string): PyValue {
  return new PickleParser(buf, file).run()
}

/**
 * The record count of a CIFAR batch pickle, from a prefix of the file (the array shape comes
 * before the pixel string). Undefined when the prefix does not reach the shape.
 */
export function peekBatchRecordCount(prefix: Uint8Array, file: string): number | undefined {
  const p = new PickleParser(prefix, file)
  try {
    const whole = p.run()
    if (whole !== null && typeof whole === 'object' && 'kind' in whole && whole.kind === 'dict') {
      const d = whole.map.get('data')
      if (
        d !== null &&
        typeof d === 'object' &&
        d !== undefined &&
        'kind' in d &&
        d.kind === 'ndarray'
      )
        return d.shape[0]
    }
    return undefined
  } catch (e) {
    if (!(e instanceof DatasetError) || e.code !== 'pickle-truncated') throw e
  }
  for (let i = p.stack.length - 1; i >= 0; i--) {
    const v = p.stack[i]
    if (v !== null && typeof v === 'object' && 'kind' in v && v.kind === 'tuple') {
      const [n, d] = v.items
      if (v.items.length === 2 && typeof n === 'number' && d === 3072) return n
    }
    if (v !== null && typeof v === 'object' && 'kind' in v && v.kind === 'ndarray' && v.data)
      return v.shape[0]
  }
  return undefined
}
