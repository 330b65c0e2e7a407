// The session document: what a `*.layerscope` file holds once decoded. Contract only — the
// schema and its types, shared by the main process (save/open) and the renderer (which may
// validate what it is handed). The binary file format is in docs/session-format.md.
import { z } from 'zod'
import type { JobResult } from './contract'

/** The document version this build writes. Older versions are migrated on open. */
export const SESSION_VERSION = 1

export const SESSION_FORMAT = 'layerscope.session'

export const RUN_KINDS = [
  'depth',
  'gradcheck',
  'sanity',
  'train',
  'compare',
  'loss',
  'preprocess',
  'dataset',
  'sample',
  'scalar-check',
  'omega',
  'lecture',
  'study'
] as const
export type RunKind = (typeof RUN_KINDS)[number]

/**
 * JSON as experiments produce it in memory. Unlike JSON text, numbers may be NaN, ±Infinity
 * or -0 (an exploding training run is a result worth keeping); session files keep them exactly.
 */
export type JsonValue = number | string | boolean | null | JsonValue[] | JsonObject
export type JsonObject = { [key: string]: JsonValue }

export interface JsonProblem {
  path: (string | number)[]
  message: string
}

const MAX_DEPTH = 256

/**
 * First reason `value` is not a JsonValue (plain objects, dense arrays, finite or non-finite
 * numbers, strings, booleans, null; object properties set to undefined count as absent), with
 * where it is; null when it is one. Iterative, so a
 * deep or cyclic value reports a problem instead of overflowing the stack.
 */
export function findJsonProblem(value: unknown): JsonProblem | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }]
  while (stack.length > 0) {
    const { v, path } = stack.pop()!
    if (v === null) continue
    switch (typeof v) {
      case 'number':
      case 'string':
      case 'boolean':
        continue
      case 'object':
        break
      default:
        return { path, message: `${typeof v} is not JSON` }
    }
    if (path.length >= MAX_DEPTH) return { path, message: `nested deeper than ${MAX_DEPTH}` }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) return { path: [...path, i], message: 'array hole is not JSON' }
        const item: unknown = v[i]
        // Numbers dominate results; checking them inline keeps long arrays cheap.
        if (typeof item === 'number' || typeof item === 'string') continue
        stack.push({ v: item, path: [...path, i] })
      }
      continue
    }
    const proto: unknown = Object.getPrototypeOf(v)
    if (proto !== Object.prototype && proto !== null) {
      const name = (v as { constructor?: { name?: string } }).constructor?.name ?? 'object'
      return { path, message: `${name} is not JSON (use plain objects and arrays)` }
    }
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key]
      // As in JSON.stringify, a property set to undefined is simply absent.
      if (item !== undefined) stack.push({ v: item, path: [...path, key] })
    }
  }
  return null
}

function jsonField<T extends JsonValue>(kind: 'value' | 'object') {
  return z.unknown().superRefine((v, ctx) => {
    if (kind === 'object' && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object' })
      return
    }
    const problem = findJsonProblem(v)
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path })
  }) as unknown as z.ZodType<T>
}

export const jsonValueSchema = jsonField<JsonValue>('value')
export const jsonObjectSchema = jsonField<JsonObject>('object')

/**
 * NET.json content (the CLI contract, `loss` command). Only its envelope is checked here;
 * the engine's loader owns the layer-by-layer rules.
 */
export type NetJson = JsonObject & {
  format: 'layerscope.net'
  version: number
  inputSize: number
  layers: (JsonObject & { type: string })[]
}
export const netJsonSchema = z
  .looseObject({
    format: z.literal('layerscope.net'),
    version: z.number().int().positive(),
    inputSize: z.number().int().positive(),
    layers: z.array(z.looseObject({ type: z.string().min(1) }))
  })
  .superRefine((v, ctx) => {
    const problem = findJsonProblem(v)
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path })
  }) as unknown as z.ZodType<NetJson>

export const datasetRefSchema = z.strictObject({
  /** The folder or archive the user pointed at, as given. */
  path: z.string().min(1),
  /** Whatever the dataset loader computes to recognise the same data again. */
  fingerprint: z.string().min(1),
  /** As `layerscope dataset` reports it, e.g. `binary` or `python`. */
  format: z.string().min(1)
})
export type DatasetRef = z.infer<typeof datasetRefSchema>

const timestamp = z.iso.datetime()

export const sessionRunSchema = z.strictObject({
  id: z.string().min(1).max(200),
  kind: z.enum(RUN_KINDS),
  title: z.string(),
  notes: z.string(),
  tags: z.array(z.string()),
  createdAt: timestamp,
  /** The options the run was started with (seed included), as the CLI/API names them. */
  config: jsonObjectSchema,
  /** What the experiment printed (the CLI contract's JSON for that command). */
  result: jsonValueSchema,
  /** Trained weights, when the user chose to keep them. */
  net: netJsonSchema.optional()
})
export type SessionRun = z.infer<typeof sessionRunSchema>

export const sessionDocSchema = z
  .strictObject({
    format: z.literal(SESSION_FORMAT),
    version: z.literal(SESSION_VERSION),
    appVersion: z.string().min(1),
    createdAt: timestamp,
    updatedAt: timestamp,
    dataset: datasetRefSchema.nullable(),
    notes: z.string(),
    /** Free-form renderer state (open tabs, selected run, chart zoom, …). */
    uiState: jsonObjectSchema,
    runs: z.array(sessionRunSchema)
  })
  .superRefine((doc, ctx) => {
    const seen = new Map<string, number>()
    doc.runs.forEach((run, i) => {
      const first = seen.get(run.id)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate run id "${run.id}" (also runs[${first}])`,
          path: ['runs', i, 'id']
        })
      } else seen.set(run.id, i)
    })
  })
export type SessionDoc = z.infer<typeof sessionDocSchema>

/** What a run of each kind holds as its result, once read by its kind's schema (./result-schemas). */
export type RunResult<K extends RunKind> = JobResult<K>

/**
 * A run whose result is of its kind's declared type: checked (and migrated) by the result
 * schemas when a session is opened, or made by this build's own job. What every view reads.
 */
export type CheckedRun = {
  [K in RunKind]: Omit<SessionRun, 'kind' | 'result'> & { kind: K; result: RunResult<K> }
}[RunKind]

/** A session document whose every run is a CheckedRun. */
export type CheckedSessionDoc = Omit<SessionDoc, 'runs'> & { runs: CheckedRun[] }

/** `layerscope session FILE --json`, as the CLI contract fixes it. */
export interface SessionSummary {
  version: number
  runs: { id: string; kind: RunKind; config: JsonObject; result: JsonValue }[]
}
