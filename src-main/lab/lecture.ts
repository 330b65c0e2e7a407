/**
 * The `lecture` job: every claim of src-shared/lecture (or `only` some) with its seeds, each
 * (claim, seed) one `lectureCard` task on the pool, so the cards spread over every worker. A
 * card is judged as soon as its seeds are in (progress carries it as live data, for the Lecture
 * view); the result lists the cards in the lecture's order.
 */
import {
  claimById,
  claimSeeds,
  judgeClaim,
  LECTURE_CLAIMS,
  type LectureCardResult,
  type LectureConfig,
  type LectureResult
} from '../../src-shared/lecture'
import type { JobContext } from './jobs'

export async function runLecture(config: LectureConfig, ctx: JobContext): Promise<LectureResult> {
  const t0 = performance.now()
  const claims = config.only
    ? LECTURE_CLAIMS.filter((c) => config.only!.includes(c.id))
    : LECTURE_CLAIMS
  const total = claims.reduce((n, c) => n + claimSeeds(c, config.seeds).length, 0)
  let done = 0
  const cards = await Promise.all(
    claims.map(async (claim): Promise<LectureCardResult> => {
      const seeds = claimSeeds(claim, config.seeds)
      const c0 = performance.now()
      const perSeed = await Promise.all(
        seeds.map(async (seed) => {
          const v = await ctx.pool.run(
            'lectureCard',
            { id: claim.id, seed },
            { signal: ctx.signal }
          )
          done++
          ctx.progress(done / total, `${claim.id} seed ${seed}`)
          return v
        })
      )
      const card = judgeClaim(claimById(claim.id)!, perSeed, seeds, (performance.now() - c0) / 1000)
      ctx.progress(done / total, claim.id, { kind: 'lecture-card', card })
      return card
    })
  )
  return {
    cards,
    pass: cards.every((c) => c.asExpected),
    seconds: (performance.now() - t0) / 1000
  }
}
