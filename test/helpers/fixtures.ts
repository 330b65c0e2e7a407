/**
 * The real CIFAR-10 sample (600 + 600 images in all four official forms), read in place from
 * $LAYERSCOPE_CIFAR_SAMPLE or <repo>/../shared/fixtures/cifar10-sample. Never copied into the
 * repository. When it is absent, tests that need it are skipped with a reason, unless
 * LAYERSCOPE_REQUIRE_FIXTURES=1, when absence fails them.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)))

export const SAMPLE_FORMS = [
  'cifar-10-batches-bin',
  'cifar-10-batches-py',
  'cifar-10-binary.tar.gz',
  'cifar-10-python.tar.gz'
] as const

/** Where the sample should be, and whether it is there (all four forms present). */
export function cifarSampleLocation(): { dir: string; present: boolean; from: string } {
  const env = process.env.LAYERSCOPE_CIFAR_SAMPLE
  const dir = env ? resolve(env) : join(REPO, '..', 'shared', 'fixtures', 'cifar10-sample')
  const present = SAMPLE_FORMS.every((f) => existsSync(join(dir, f)))
  return { dir, present, from: env ? '$LAYERSCOPE_CIFAR_SAMPLE' : 'the default location' }
}

let announced = false

/**
 * The sample folder, or skips the calling test (vitest's `ctx.skip(note)`) with a one-line
 * reason. With LAYERSCOPE_REQUIRE_FIXTURES=1 a missing sample throws instead.
 */
export function requireCifarSample(ctx: { skip: (note?: string) => never }): string {
  const loc = cifarSampleLocation()
  if (loc.present) return loc.dir
  const reason = `CIFAR-10 sample not found at ${loc.dir} (${loc.from}); set LAYERSCOPE_CIFAR_SAMPLE to run these tests`
  if (process.env.LAYERSCOPE_REQUIRE_FIXTURES === '1')
    throw new Error(`${reason} (LAYERSCOPE_REQUIRE_FIXTURES=1 makes this a failure)`)
  if (!announced) {
    announced = true
    console.warn(`skipped: ${reason}`)
  }
  return ctx.skip(reason)
}
