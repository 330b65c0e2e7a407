/**
 * The sentences beside the Preprocessing view's pictures, built from the measured numbers only
 * (and tested against them). Pure.
 */
import type { PreprocessPicturesJson } from '../../../src-shared/datasets'
import {
  componentsFor,
  cumulativeVariance,
  featureName,
  nonzeroEigenvalues
} from '../charts/preprocessPictures'
import { sig } from '../format'

const CHANNEL_NAMES = ['R', 'G', 'B'] as const

/** Correlation of a 2×2 covariance [xx, xy, yy]. */
export function correlation(cov: [number, number, number]): number {
  const d = Math.sqrt(cov[0] * cov[2])
  return d > 0 ? cov[1] / d : NaN
}

export function centringText(c: PreprocessPicturesJson['centring']): string[] {
  const means = c.channelMean.map((m, i) => `${CHANNEL_NAMES[i]} ${m.toFixed(1)}`).join(', ')
  return [
    `Subtracting the mean image removes 3072 numbers; subtracting the per-channel mean removes 3 (${means}). The two differ by at most ${c.maxAbs.toFixed(1)} pixel values (at ${featureName(c.at)}), out of a 0–255 range.`,
    `The difference, mean image − channel mean, is drawn ${sig(c.gain)}× amplified around mid-grey: brighter where the average image is brighter than its channel's mean, darker where it is darker; the largest difference reaches full black or white.`
  ]
}

export function samplesText(mode: string, s: PreprocessPicturesJson['samples']): string {
  const spans = s.ranges.map((r) => r.hi - r.lo)
  const lo = Math.min(...spans)
  const hi = Math.max(...spans)
  const recon = s.reconstructed
    ? ' These are the reconstructions Uₖz of the images from their K components (what pca keeps of them), on the 0–1 scale about the mean.'
    : ''
  return `${mode}: each image is stretched from its own [lo, hi] (printed under it) to black…white; their value spans run from ${sig(lo)} to ${sig(hi)}.${recon}`
}

const mean = (v: number[]): number => v.reduce((p, q) => p + q, 0) / (v.length || 1)

export function scatterText(sc: PreprocessPicturesJson['scatter']): string[] {
  const [a, b] = sc.features
  const names = a && b ? `${featureName(a)} and ${featureName(b)}` : 'two pixel features'
  const rho = correlation(sc.raw.cov)
  const sx = Math.sqrt(sc.centred.cov[0])
  const sy = Math.sqrt(sc.centred.cov[2])
  const ratio = Math.max(sx, sy) / Math.min(sx, sy)
  const [l1, l2] = sc.eigenvalues
  const w = sc.whitened.cov
  const h = sc.heldOut.cov
  const out = [
    `Pixels ${names} of ${sc.count} training images: correlation ${rho.toFixed(3)}. Zero-centring subtracts their means (${mean(sc.raw.x).toFixed(1)}, ${mean(sc.raw.y).toFixed(1)}): the cloud moves to the origin without changing its shape.`,
    `Normalizing divides each feature by its std (${sx.toFixed(1)} and ${sy.toFixed(1)}, ratio ${ratio.toFixed(2)}): ${ratio < 1.2 ? 'nearly equal, so the shape barely changes' : 'different, so the cloud is rescaled unevenly'}; the correlation stays ${correlation(sc.normalized.cov).toFixed(3)}.`,
    `Rotating onto the eigenvectors of the covariance decorrelates the features (correlation ${sig(correlation(sc.decorrelated.cov), 2)}); the variances along the two axes are λ₁ = ${sig(l1)} and λ₂ = ${sig(l2)}${l2 > 0 ? ` (ratio ${sig(l1 / l2)})` : ''}.`,
    `Whitening divides each axis by √λ: covariance [[${w[0].toFixed(3)}, ${w[1].toFixed(3)}], [${w[1].toFixed(3)}, ${w[2].toFixed(3)}]] on these images.`
  ]
  if (sc.heldOut.count > 1)
    out.push(
      `The same transform, fitted here, applied to ${sc.heldOut.count} test images gives covariance [[${h[0].toFixed(2)}, ${h[1].toFixed(2)}], [${h[1].toFixed(2)}, ${h[2].toFixed(2)}]] — close to the identity only up to sampling error, since their statistics were not fitted on them.`
    )
  return out
}

export function pcaText(fit: Record<string, unknown>): string[] {
  const eig = Array.isArray(fit.eigenvalues) ? (fit.eigenvalues as number[]) : []
  const k = typeof fit.components === 'number' ? fit.components : 0
  if (eig.length === 0 || k === 0) return []
  const c = cumulativeVariance(eig)
  const kept = c[Math.min(k, eig.length) - 1] ?? NaN
  const nz = nonzeroEigenvalues(eig)
  const out = [
    `pca keeps the top ${k} of ${eig.length} eigenvectors: ${(100 * kept).toFixed(1)} % of the training variance; the rest is discarded and the net sees ${k} numbers per image instead of ${eig.length}.`,
    `90 % of the variance takes ${componentsFor(eig, 0.9)} components, 99 % takes ${componentsFor(eig, 0.99)}.`
  ]
  if (nz < eig.length)
    out.push(
      `Only ${nz} eigenvalues are non-zero: ${String(fit.samples ?? fit.count)} centred images span at most one dimension fewer than their number. The log axis shows those.`
    )
  return out
}
