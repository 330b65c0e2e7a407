// Export of one run's numbers as tables (CSV files, or one JSON document), whatever the
// experiment printed: arrays of records become tables (one row per record, nested objects as
// dotted columns), numeric series and matrices become their own tables, histograms
// ({ edges, counts }) become bin tables, and loose scalars go to a `summary` table. Tables found
// inside records carry a key column naming the parent row. Rules: docs/session-format.md.
import type { JsonValue, SessionRun } from '../../../src-shared/session'

export type Cell = number | string | boolean | null

export interface ExportTable {
  /** Dotted path of the data in the result, e.g. `layers`, `layers.hist`, `summary`. */
  name: string
  columns: string[]
  rows: Cell[][]
}

/** Arrays of scalars up to this long are spread into columns (`index[0]`, `index[1]`). */
const SHORT = 4

type Obj = { [key: string]: JsonValue }
interface KeyCol {
  col: string
  value: Cell
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isScalar = (v: unknown): v is Cell => v === null || typeof v !== 'object'
const isNumArray = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number')

type Kind = 'scalar' | 'short' | 'series' | 'matrix' | 'histogram' | 'records' | 'object' | 'mixed'

function classify(v: JsonValue): Kind {
  if (isScalar(v)) return 'scalar'
  if (!Array.isArray(v)) {
    const { edges, counts } = v
    return isNumArray(edges) && isNumArray(counts) && edges.length === counts.length + 1
      ? 'histogram'
      : 'object'
  }
  if (v.every(isScalar)) return v.length <= SHORT ? 'short' : 'series'
  const first = v[0]
  if (
    Array.isArray(first) &&
    v.every((r) => Array.isArray(r) && r.length === first.length && r.every(isScalar))
  ) {
    return 'matrix'
  }
  if (v.every((r) => r === null || isObj(r)) && v.some(isObj)) return 'records'
  return 'mixed'
}

class Tables {
  private readonly map = new Map<string, { columns: string[]; rows: Map<string, Cell>[] }>()

  add(name: string, row: Map<string, Cell>): void {
    let t = this.map.get(name)
    if (t === undefined) this.map.set(name, (t = { columns: [], rows: [] }))
    for (const col of row.keys()) if (!t.columns.includes(col)) t.columns.push(col)
    t.rows.push(row)
  }

  list(): ExportTable[] {
    return [...this.map].map(([name, t]) => ({
      name,
      columns: t.columns,
      rows: t.rows.map((r) => t.columns.map((c) => (r.has(c) ? r.get(c)! : null)))
    }))
  }
}

function keyed(keys: KeyCol[]): Map<string, Cell> {
  return new Map(keys.map((k) => [k.col, k.value]))
}

function withKeys(name: string, keys: KeyCol[]): string {
  return keys.length === 0 ? name : `${name} (${keys.map((k) => `${k.col}=${k.value}`).join(', ')})`
}

function walk(v: JsonValue, name: string, keys: KeyCol[], out: Tables): void {
  const kind = classify(v)
  switch (kind) {
    case 'scalar':
      out.add(
        'summary',
        new Map([
          ['key', withKeys(name, keys)],
          ['value', v as Cell]
        ])
      )
      return
    case 'short':
      ;(v as Cell[]).forEach((x, i) => walk(x, `${name}[${i}]`, keys, out))
      return
    case 'series':
      ;(v as Cell[]).forEach((x, i) =>
        out.add(name, new Map([...keyed(keys), ['index', i], ['value', x]]))
      )
      return
    case 'matrix':
      ;(v as Cell[][]).forEach((r, i) => {
        const row = keyed(keys)
        row.set('row', i)
        r.forEach((x, j) => row.set(`c${j}`, x))
        out.add(name, row)
      })
      return
    case 'histogram': {
      const { edges, counts, ...rest } = v as Obj & { edges: number[]; counts: number[] }
      counts.forEach((c, i) => {
        out.add(
          name,
          new Map([
            ...keyed(keys),
            ['bin', i],
            ['from', edges[i]!],
            ['to', edges[i + 1]!],
            ['count', c]
          ])
        )
      })
      for (const [k, x] of Object.entries(rest)) walk(x, `${name}.${k}`, keys, out)
      return
    }
    case 'object':
      for (const [k, x] of Object.entries(v as Obj)) walk(x, name ? `${name}.${k}` : k, keys, out)
      return
    case 'records':
      records(v as (Obj | null)[], name || 'records', keys, out)
      return
    case 'mixed':
      ;(v as JsonValue[]).forEach((x, i) => walk(x, `${name}[${i}]`, keys, out))
  }
}

/** Scalars (and nested objects' scalars) into `row`; anything tabular into `deferred`. */
function flattenRecord(
  o: Obj,
  prefix: string,
  row: Map<string, Cell>,
  deferred: [string, JsonValue][]
): void {
  for (const [k, x] of Object.entries(o)) {
    const col = prefix + k
    const kind = classify(x)
    if (kind === 'scalar') row.set(col, x as Cell)
    else if (kind === 'short') (x as Cell[]).forEach((c, i) => row.set(`${col}[${i}]`, c))
    else if (kind === 'object') flattenRecord(x as Obj, `${col}.`, row, deferred)
    else deferred.push([col, x])
  }
}

function records(items: (Obj | null)[], name: string, keys: KeyCol[], out: Tables): void {
  const built = items.map((item, i) => {
    const row = new Map<string, Cell>()
    const deferred: [string, JsonValue][] = []
    if (item !== null) flattenRecord(item, '', row, deferred)
    return { i, item, row, deferred }
  })
  // The parent-row key for nested tables: the first column, when it tells rows apart.
  const firstCol = built
    .find((b) => b.row.size > 0)
    ?.row.keys()
    .next().value
  const firstValues = built.map((b) => (firstCol === undefined ? undefined : b.row.get(firstCol)))
  const unique =
    firstCol !== undefined &&
    firstValues.every((x) => x !== undefined && x !== null) &&
    new Set(firstValues).size === firstValues.length
  for (const b of built) {
    if (b.item === null) continue
    if (b.row.size > 0) out.add(name, new Map([...keyed(keys), ...b.row]))
    const key: KeyCol = unique
      ? { col: `${name}.${firstCol!}`, value: b.row.get(firstCol!)! }
      : { col: `${name}.index`, value: b.i }
    for (const [col, x] of b.deferred) walk(x, `${name}.${col}`, [...keys, key], out)
  }
}

/** Every table in a run's result, plus its configuration as a `config` key/value table. */
export function runTables(run: SessionRun): ExportTable[] {
  const out = new Tables()
  walk(run.result, '', [], out)
  const tables = out.list()
  const config: ExportTable = { name: 'config', columns: ['key', 'value'], rows: [] }
  const flat = (v: JsonValue, key: string): void => {
    if (isScalar(v)) config.rows.push([key, v])
    else if (Array.isArray(v)) v.forEach((x, i) => flat(x, `${key}[${i}]`))
    else for (const [k, x] of Object.entries(v)) flat(x, key ? `${key}.${k}` : k)
  }
  flat(run.config, '')
  return config.rows.length > 0 ? [config, ...tables] : tables
}

function csvCell(c: Cell): string {
  if (c === null) return ''
  if (typeof c === 'number') return Object.is(c, -0) ? '-0' : String(c)
  if (typeof c === 'boolean') return String(c)
  return /[",\r\n]|^\s|\s$/.test(c) ? `"${c.replace(/"/g, '""')}"` : c
}

export function tableToCsv(t: ExportTable): string {
  const lines = [t.columns, ...t.rows].map((r) => r.map(csvCell).join(','))
  return lines.join('\n') + '\n'
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'run'
  )
}

/** One CSV text per table, with a suggested file name (`<title>-<table>.csv`). */
export function exportRunCsv(run: SessionRun): { name: string; fileName: string; csv: string }[] {
  const stem = slug(run.title || run.kind)
  return runTables(run).map((t) => ({
    name: t.name,
    fileName: `${stem}-${slug(t.name)}.csv`,
    csv: tableToCsv(t)
  }))
}

/**
 * One JSON document: the run's identity, configuration, raw result and its tables. JSON has
 * no NaN or Infinity: those are written as the strings "NaN", "Infinity", "-Infinity".
 */
export function exportRunJson(run: SessionRun): string {
  const doc = {
    format: 'layerscope.run-export',
    version: 1,
    run: {
      id: run.id,
      kind: run.kind,
      title: run.title,
      notes: run.notes,
      tags: run.tags,
      createdAt: run.createdAt
    },
    config: run.config,
    result: run.result,
    tables: runTables(run)
  }
  return (
    JSON.stringify(
      doc,
      (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
      2
    ) + '\n'
  )
}

/** The run's trained weights as NET.json text, or null when the run kept none. */
export function exportRunNet(run: SessionRun): string | null {
  return run.net === undefined ? null : JSON.stringify(run.net) + '\n'
}
