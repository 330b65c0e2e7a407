/**
 * The lecture as commands (docs/cli.md): `lecture` (every claim run and judged), and its
 * demonstrations `scalar-check` (forward vs centred
 * difference of one function against h, float64 and float32) and `omega` (the W = ωI linear
 * net, δ¹ = ω^(L−1)·δᴸ against the engine's backward pass). Options map onto the contract's
 * zod configurations, errors name the option, `--session FILE` appends the run.
 */
import { jobKinds } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import type { OmegaResult, ScalarCheckResult, ScalarFit } from '../../src-shared/results'
import {
  claimById,
  LECTURE_CLAIMS,
  LECTURE_SECTIONS,
  type LectureResult,
  type LectureVerdict
} from '../../src-shared/lecture'
import type { JsonValue } from '../../src-shared/session'
import {
  configFromOptions,
  optionsOf,
  runJob,
  type CliCommand,
  type CommandContext,
  type OptionMap
} from './common'
import { asJsonObject, recordRun, SESSION_HELP, sessionTarget } from './session-option'

export function noPositionals(ctx: CommandContext, command: string): void {
  const extra = ctx.positionals[0]
  if (extra !== undefined) {
    throw new LabError(
      'invalid-option',
      `unexpected argument '${extra}' (see layerscope ${command} --help)`
    )
  }
}

const g = (v: number | null | undefined, digits = 4): string =>
  v === null || v === undefined ? '–' : Number.isFinite(v) ? v.toPrecision(digits) : String(v)
const e2 = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : Number.isFinite(v) ? v.toExponential(2) : String(v)

// ---------------------------------------------------------------- scalar-check

const scalarMap: OptionMap = {
  fn: ['fn', 'string'],
  x: ['x', 'float'],
  perDecade: ['per-decade', 'int']
}

function fitText(name: string, f: ScalarFit): string {
  const slope = f.slope === null ? 'no fit' : `slope ${f.slope.toFixed(3)}`
  const range = f.fitFrom === null ? '' : ` over h ∈ [${e2(f.fitFrom)}, ${e2(f.fitTo)}]`
  const floor = f.floor ? `; floor ${e2(f.floor.error)} at h = ${e2(f.floor.h)}` : ''
  const best = f.predictedBestH === null ? '' : ` (predicted best h ${e2(f.predictedBestH)})`
  return `  ${name.padEnd(8)} ${slope}${range}${floor}${best}`
}

export function scalarCheckText(r: ScalarCheckResult): string {
  const lines = [
    `f(x) = ${r.label} at x = ${r.x}: f = ${g(r.value, 10)}, ` +
      (r.exact === null
        ? `a kink: left derivative ${r.left}, right derivative ${r.right}`
        : `f′ = ${g(r.exact, 12)}`)
  ]
  if (r.lecture) {
    const m = r.lecture.measured
    const p = r.lecture.printed
    lines.push(
      `the lecture's example, h = ${r.lecture.h}: f(x+h) = ${m.fPlus.toFixed(9)} (printed ${p.fPlus.toFixed(7)}), ` +
        `f(x−h) = ${m.fMinus.toFixed(9)} (printed ${p.fMinus.toFixed(7)}), centred ${m.centred.toFixed(6)} ` +
        `(printed ${p.centred.toFixed(6)}: ${Math.abs(m.centred - p.centred) > 5e-7 ? 'the lecture is off' : 'matches'})`
    )
  }
  for (const s of r.series) {
    lines.push(`${s.dtype}:`)
    if (r.exact === null) {
      const last = s.points.at(-1)!
      lines.push(
        `  forward stays at ${g(s.points[4]!.forward)}, centred at ${g(s.points[4]!.centred)} for every h (last h ${e2(last.h)})`
      )
    } else {
      lines.push(fitText('forward', s.forward), fitText('centred', s.centred))
    }
  }
  lines.push(
    '',
    '        h     forward-err(f64)  centred-err(f64)  forward-err(f32)  centred-err(f32)'
  )
  const [a, b] = r.series
  a?.points.forEach((p, i) => {
    const q = b?.points[i]
    lines.push(
      `${e2(p.h).padStart(9)}  ${e2(p.forwardError ?? p.forward).padStart(16)}  ${e2(p.centredError ?? p.centred).padStart(16)}` +
        `  ${e2(q?.forwardError ?? q?.forward).padStart(16)}  ${e2(q?.centredError ?? q?.centred).padStart(16)}`
    )
  })
  if (r.exact === null) lines.push('(at a kink the columns are the estimates, not errors)')
  return lines.join('\n')
}

export const scalarCheckCommand: CliCommand = {
  name: 'scalar-check',
  summary: "the lecture's scalar gradient check: forward vs centred difference against h",
  usage:
    'layerscope scalar-check [--fn x4|sin|exp|abs|relu] [--x X] [--per-decade 4] [--session FILE] [--json]',
  help: [
    'Estimates f′(x) by the forward difference (f(x+h) − f(x))/h and the centred difference',
    '(f(x+h) − f(x−h))/2h for h = 1 … 1e-16 (--per-decade steps per decade), in float64 and in',
    'float32, and reports each error, the fitted log–log slopes (1: O(h), 2: O(h²)) over the',
    'truncation range, the predicted best h and the smallest error measured (the floor).',
    "Functions: x4 (x⁴, default at the lecture's x = 3, with its worked example h = 0.001),",
    'sin and exp (default x = 1), abs and relu (default at their kink x = 0: no derivative; the',
    'one-sided derivatives and the estimates are reported instead).',
    SESSION_HELP
  ].join('\n'),
  options: { ...optionsOf(scalarMap), session: { type: 'string' } },
  async run(ctx) {
    noPositionals(ctx, 'scalar-check')
    const config = configFromOptions(jobKinds['scalar-check'].config, ctx.values, scalarMap)
    const session = await sessionTarget(ctx)
    const result = (await runJob(ctx, 'scalar-check', config)).result
    await recordRun(ctx, session, {
      kind: 'scalar-check',
      config: asJsonObject(config),
      result: result as unknown as JsonValue
    })
    return { json: result, text: scalarCheckText(result) }
  }
}

// ---------------------------------------------------------------- omega

const omegaMap: OptionMap = {
  layers: ['layers', 'int'],
  width: ['width', 'int'],
  samples: ['samples', 'int'],
  seed: ['seed', 'int'],
  dtype: ['dtype', 'string']
}

function omegasOption(ctx: CommandContext): number[] | undefined {
  const raw = ctx.values.omegas
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new LabError('invalid-option', '--omegas needs a value, e.g. 0.9,1.1')
  return raw.split(',').map((part) => {
    const v = Number(part.trim())
    if (part.trim() === '' || !Number.isFinite(v))
      throw new LabError('invalid-option', `--omegas: '${part}' is not a number (e.g. 0.9,1.1)`)
    return v
  })
}

export function omegaText(r: OmegaResult): string {
  const L = r.config.layers
  const lines = [
    `${L} linear layers, W = ωI (${r.config.width} wide), ${r.config.samples} samples, ${r.config.dtype}:`,
    `δ¹ = ω^(L−1)·δᴸ, measured as ‖δ¹‖/‖δᴸ‖ by the engine's backward pass`
  ]
  for (const s of r.series) {
    lines.push(
      `  ω = ${String(s.omega).padEnd(5)} ‖δ¹‖/‖δᴸ‖ = ${g(s.first.ratio, 8)}  ω^${L - 1} = ${g(s.first.predicted, 8)}` +
        `  (largest relative difference over layers ${e2(s.maxRelError)})`
    )
  }
  lines.push('', 'layer' + r.series.map((s) => `  ω=${s.omega}`.padStart(14)).join(''))
  for (let l = 0; l < L; l++) {
    lines.push(
      String(l + 1).padStart(5) + r.series.map((s) => e2(s.layers[l]?.ratio).padStart(14)).join('')
    )
  }
  return lines.join('\n')
}

export const omegaCommand: CliCommand = {
  name: 'omega',
  summary: "the lecture's W = ωI linear net: δ¹ = ω^(L−1)·δᴸ against measured gradients",
  usage:
    'layerscope omega [--layers 10] [--width 50] [--omegas 0.5,0.9,1,1.1,1.5] [--samples 100] [--seed 1] [--dtype float64] [--session FILE] [--json]',
  help: [
    'L affine layers with W = ωI and the identity (linear) activation; an upstream gradient',
    'δᴸ ~ randn is backpropagated by the engine and ‖δˡ‖/‖δᴸ‖ is compared with ω^(L−l) at every',
    'layer (and ‖∂E/∂Wˡ‖ with ω^(L−1)·‖XᵀG‖). ω < 1 vanishes, ω > 1 explodes.',
    'Defaults: --layers 10 --width 50 --omegas 0.5,0.9,1,1.1,1.5 --samples 100 --seed 1 --dtype float64.',
    SESSION_HELP
  ].join('\n'),
  options: { ...optionsOf(omegaMap), omegas: { type: 'string' }, session: { type: 'string' } },
  async run(ctx) {
    noPositionals(ctx, 'omega')
    const omegas = omegasOption(ctx)
    const config = configFromOptions(jobKinds.omega.config, ctx.values, omegaMap, {
      ...(omegas ? { omegas } : {})
    })
    const session = await sessionTarget(ctx)
    const result = (await runJob(ctx, 'omega', config)).result
    await recordRun(ctx, session, {
      kind: 'omega',
      config: asJsonObject(config),
      result: result as unknown as JsonValue
    })
    return { json: result, text: omegaText(result) }
  }
}

// ---------------------------------------------------------------- lecture

const VERDICT_TEXT: Record<LectureVerdict, string> = {
  reproduces: 'reproduces',
  differs: 'differs',
  'lecture-off': 'the lecture is off'
}

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (v === 0) return '0'
  const a = Math.abs(v)
  return a >= 1e-3 && a < 1e6 ? String(+v.toPrecision(9)) : v.toExponential(3)
}

function values(vs: number[] | null): string {
  if (!vs) return '–'
  return vs.length > 3
    ? `[${vs.slice(0, 3).map(num).join(', ')}, … ${vs.length}]`
    : vs.map(num).join(', ')
}

/** The report: one block per claim, in the lecture's order, sections as headings. */
export function lectureText(r: LectureResult): string {
  const lines: string[] = []
  let section = ''
  for (const card of r.cards) {
    const claim = claimById(card.id)
    if (!claim) continue
    if (claim.section !== section) {
      section = claim.section
      lines.push('', `== ${LECTURE_SECTIONS.find((s) => s.id === section)?.title ?? section}`)
    }
    const mark = card.asExpected ? '  ' : '! '
    lines.push(`${mark}${card.id}: ${claim.statement}`)
    lines.push(
      `    lecture ${values(claim.printed)}${claim.target ? ` · target ${values(claim.target.values)} (${claim.target.source})` : ''}` +
        ` · measured ${values(card.measured)} ± ${values(card.spread)} (${card.seeds.length} seed${card.seeds.length === 1 ? '' : 's'})`
    )
    lines.push(
      `    ${VERDICT_TEXT[card.verdict]}${card.asExpected ? '' : ` (expected: ${VERDICT_TEXT[card.expected]})`} — ${card.detail}`
    )
    if (card.verdict !== 'reproduces' && claim.why) lines.push(`    why: ${claim.why}`)
  }
  const count = (v: LectureVerdict): number => r.cards.filter((c) => c.verdict === v).length
  lines.push(
    '',
    `${r.cards.length} claims: ${count('reproduces')} reproduce, ${count('differs')} differ, ${count('lecture-off')} show the lecture is off; ` +
      `${r.pass ? 'every claim as expected' : `${r.cards.filter((c) => !c.asExpected).length} NOT as expected`} (${r.seconds.toFixed(1)} s)`
  )
  return lines.join('\n').replace(/^\n/, '')
}

export const lectureCommand: CliCommand = {
  name: 'lecture',
  summary: 'run every claim of the lecture and report lecture value, measured, spread, verdict',
  usage: 'layerscope lecture [--only ID,ID] [--seeds 5] [--list] [--session FILE] [--json]',
  help: [
    'Runs each of the lecture\'s claims ("Training Neural Networks: Practical Issues") on the pool:',
    'seeded claims with seeds 1 … --seeds (default 5), the mean and the seed-to-seed std beside',
    "the lecture's printed figure, and a verdict: reproduces, differs (with why, e.g. the",
    'regularization convention), or the lecture is off (its printed figure is wrong).',
    'Exit 0 when every claim gives its expected verdict (every claim that should reproduce',
    'does), 1 otherwise. --only runs some claims (ids from --list). --list prints the claims.',
    SESSION_HELP
  ].join('\n'),
  options: {
    only: { type: 'string' },
    seeds: { type: 'string' },
    list: { type: 'boolean' },
    session: { type: 'string' }
  },
  async run(ctx) {
    noPositionals(ctx, 'lecture')
    if (ctx.values.list === true) {
      const list = LECTURE_CLAIMS.map((c) => ({
        id: c.id,
        section: c.section,
        statement: c.statement,
        printed: c.printed,
        expect: c.expect
      }))
      return {
        json: { claims: list },
        text: list
          .map((c) => `${c.id.padEnd(28)} ${c.section.padEnd(14)} ${c.statement}`)
          .join('\n')
      }
    }
    const onlyRaw = ctx.values.only
    let only: string[] | undefined
    if (onlyRaw !== undefined) {
      if (typeof onlyRaw !== 'string' || onlyRaw.trim() === '')
        throw new LabError('invalid-option', '--only needs claim ids, e.g. x4-centred,he-std')
      only = onlyRaw.split(',').map((s) => s.trim())
      const unknown = only.find((id) => !claimById(id))
      if (unknown !== undefined)
        throw new LabError(
          'invalid-option',
          `--only: no claim '${unknown}' (layerscope lecture --list shows the ids)`
        )
    }
    const config = configFromOptions(
      jobKinds.lecture.config,
      ctx.values,
      { seeds: ['seeds', 'int'] },
      only ? { only } : {}
    )
    const session = await sessionTarget(ctx)
    const result = (await runJob(ctx, 'lecture', config)).result
    await recordRun(ctx, session, {
      kind: 'lecture',
      config: asJsonObject(config),
      result: result as unknown as JsonValue
    })
    return { json: result, text: lectureText(result), exitCode: result.pass ? 0 : 1 }
  }
}
