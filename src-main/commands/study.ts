/**
 * `layerscope compare train … --vary preprocess=A,B --search lr=LO:HI [--trials N]
 * [--search-epochs E] [--refine N] [--search-seed S] --seeds S`: a preprocessing study (one
 * `study` job; docs/cli.md). Any of the study options turns a `compare train` into a study.
 */
import { pct } from './format'
import { z } from 'zod'
import { LabError } from '../../src-shared/errors'
import { STUDY_EPOCHS, StudyConfig, StudySearch, TrainConfig } from '../../src-shared/experiments'
import type { StudyResult } from '../../src-shared/results'
import type { JsonValue } from '../../src-shared/session'
import {
  configFromOptions,
  runJob,
  type CommandContext,
  type CommandOutput,
  type OptionMap
} from './common'
import { asJsonObject, recordRun, sessionTarget } from './session-option'

/** The options that make `compare train` a study. */
export const STUDY_OPTIONS = {
  search: { type: 'string' },
  trials: { type: 'string' },
  'search-epochs': { type: 'string' },
  refine: { type: 'string' },
  'search-seed': { type: 'string' },
  seeds: { type: 'string' }
} as const

export const STUDY_HELP = [
  'A study (any of --search, --seeds, --trials, --search-epochs, --refine): with --vary',
  'preprocess=A,B,… only. --search lr=LO:HI (or --search lr: 1e-7:1e-1) draws --trials N (8)',
  'rates log-uniformly, trains each --search-epochs E (1) epochs with --seed, --refine N (0)',
  `more around the best; then every mode trains --seeds S (3) full runs of --epochs (${STUDY_EPOCHS} in a`,
  'study) at its best rate, seeds --seed, --seed + 1, … (init, batch order and the validation',
  'rows follow the seed). Without --search the seeds run at --lr. JSON: { base, search,',
  'modes: [ { mode, trials: [ { lr, valAcc, status } ], bestLr, seeds: [ { seed, valAcc,',
  "testAcc } ], mean, std, ci95 } ], verdict: { text, test, p } }. The verdict (Welch's t",
  'test, best vs runner-up) names the init: --init lsuv scales the weights to the data, to',
  "separate the effect of the inputs' scale from the effect of centring."
]

export function isStudy(ctx: CommandContext): boolean {
  return Object.keys(STUDY_OPTIONS).some((o) => ctx.values[o] !== undefined)
}

/** `--search lr=LO:HI` (or `--search lr` for the default range). */
export function parseSearch(raw: unknown): { lo?: number; hi?: number } | null {
  if (raw === undefined) return null
  if (typeof raw !== 'string') throw new LabError('invalid-option', '--search needs a value')
  if (raw === 'lr') return {}
  const m = /^lr=([^:]+):([^:]+)$/.exec(raw)
  if (!m)
    throw new LabError(
      'invalid-option',
      `--search '${raw}': write lr=LO:HI (e.g. lr=1e-7:1e-1), or lr for that default`
    )
  const [lo, hi] = [m[1]!, m[2]!].map((s) => {
    const v = Number(s)
    if (s.trim() === '' || !Number.isFinite(v) || v <= 0)
      throw new LabError('invalid-option', `--search: '${s}' is not a positive number`)
    return v
  })
  if (!(lo! < hi!))
    throw new LabError('invalid-option', `--search: LO (${lo}) must be below HI (${hi})`)
  return { lo: lo!, hi: hi! }
}

const searchMap: OptionMap = {
  trials: ['trials', 'int'],
  epochs: ['search-epochs', 'int'],
  refine: ['refine', 'int'],
  seed: ['search-seed', 'int']
}

const lrText = (x: number | null): string => (x === null ? '–' : x.toExponential(2))

export function studyText(r: StudyResult): string {
  const lines: string[] = []
  for (const m of r.modes) {
    const diverged = m.trials.filter((t) => t.status === 'diverged').length
    const search = m.trials.length ? `, ${m.trials.length} rates tried (${diverged} diverged)` : ''
    const stats =
      m.mean && m.std && m.ci95
        ? `test ${pct(m.mean.testAcc)} ± ${(100 * m.std.testAcc).toFixed(1)} (95 % CI ${pct(m.ci95.testAcc[0])} – ${pct(m.ci95.testAcc[1])}), val ${pct(m.mean.valAcc)} ± ${(100 * m.std.valAcc).toFixed(1)}`
        : 'no result'
    lines.push(`${m.mode}: lr ${lrText(m.bestLr)}${search}; ${stats}`)
    if (m.note) lines.push(`  ${m.note}`)
  }
  lines.push(r.verdict.text)
  lines.push(`${r.seconds.toFixed(1)} s`)
  return lines.join('\n')
}

/** Runs the study `compare train` asked for; `base` is the parsed train configuration. */
export async function runStudyCommand(
  ctx: CommandContext,
  base: z.infer<typeof TrainConfig>,
  vary: Record<string, unknown[]>,
  openData: () => Promise<{ path: string; fingerprint: string; format: string } | undefined>
): Promise<CommandOutput> {
  const keys = Object.keys(vary)
  if (keys.length !== 1 || keys[0] !== 'preprocess')
    throw new LabError(
      'invalid-option',
      '--vary: a study varies preprocess only (e.g. --vary preprocess=mean-image,channel-mean)'
    )
  const range = parseSearch(ctx.values.search)
  if (range === null)
    for (const o of ['trials', 'search-epochs', 'refine', 'search-seed'])
      if (ctx.values[o] !== undefined)
        throw new LabError('invalid-option', `--${o} needs --search lr=LO:HI`)
  const search =
    range === null
      ? null
      : configFromOptions(StudySearch, ctx.values, searchMap, {
          ...range,
          ...(ctx.values['search-seed'] === undefined ? { seed: base.seed } : {})
        })
  const seeds = configFromOptions(z.strictObject({ seeds: StudyConfig.shape.seeds }), ctx.values, {
    seeds: ['seeds', 'int']
  }).seeds
  const config = StudyConfig.safeParse({
    // `base` is parsed (its epochs filled with a single run's default): drop the unset
    // epochs so the study's own default (STUDY_EPOCHS) applies.
    config: ctx.values.epochs === undefined ? omitEpochs(base) : base,
    modes: vary.preprocess,
    search,
    seeds
  })
  if (!config.success) {
    const issue = config.error.issues[0]
    const where =
      issue?.path[0] === 'modes'
        ? '--vary preprocess'
        : `--${String(issue?.path.at(-1) ?? 'seeds')}`
    throw new LabError('invalid-option', `${where}: ${issue?.message ?? 'invalid study'}`)
  }
  const session = await sessionTarget(ctx)
  const dataset = await openData()
  const result = (await runJob(ctx, 'study', config.data)).result
  await recordRun(ctx, session, {
    kind: 'study',
    config: asJsonObject({ ...config.data, ...(dataset ? { dataPath: dataset.path } : {}) }),
    result: result as unknown as JsonValue,
    ...(dataset ? { dataset } : {})
  })
  return { json: result, text: studyText(result) }
}

function omitEpochs(c: z.infer<typeof TrainConfig>): Omit<z.infer<typeof TrainConfig>, 'epochs'> {
  const { epochs: _unset, ...rest } = c
  return rest
}
