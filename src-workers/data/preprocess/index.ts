/** Preprocessing: fit a mode (fit.ts), gather preprocessed batches (gather.ts), report (report.ts). */
export * from './fit'
export { gatherBatch } from './gather'
export * from './report'
