/** The cost measurement: every activation timed both ways, medians of the reported runs. */
import { describe, expect, it } from 'vitest'
import { ActivationCostConfig, ACTIVATIONS } from '../../../src-shared/experiments'
import { activationCost } from '../../../src-workers/tasks/engine'

describe('activation cost', () => {
  it('times forward and backward of every activation; the median is of the runs reported', () => {
    const progress: number[] = []
    const r = activationCost(ActivationCostConfig.parse({ elements: 20_000, repeats: 5 }), {
      progress: (f) => {
        progress.push(f)
        return true
      }
    })
    expect(r.elements).toBe(20_000)
    expect(r.rows.map((x) => x.activation)).toEqual([...ACTIVATIONS])
    for (const row of r.rows) {
      expect(row.forwardRuns).toHaveLength(5)
      expect(row.backwardRuns).toHaveLength(5)
      const med = (a: number[]) => [...a].sort((x, y) => x - y)[2]!
      expect(row.forwardNs).toBe(med(row.forwardRuns))
      expect(row.backwardNs).toBe(med(row.backwardRuns))
      expect(row.forwardNs).toBeGreaterThanOrEqual(0)
      expect(Number.isFinite(row.backwardNs)).toBe(true)
    }
    expect(r.rows.filter((x) => x.family === 'exp').map((x) => x.activation)).toEqual([
      'sigmoid',
      'tanh',
      'elu',
      'gelu',
      'selu'
    ])
    expect(progress.at(-1)).toBe(1)
  })

  it('refuses a measurement too large or too small, by field', () => {
    expect(ActivationCostConfig.safeParse({ elements: 10 }).success).toBe(false)
    expect(ActivationCostConfig.safeParse({ repeats: 0 }).success).toBe(false)
    expect(ActivationCostConfig.safeParse({ activations: ['swish'] }).success).toBe(false)
  })
})
