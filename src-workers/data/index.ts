export { DatasetError, type DatasetErrorCode, type DatasetErrorWhere } from './errors'
export * from './types'
export { loadDataset } from './load'
export { resolveSource } from './source'
export {
  pixelStats,
  describeDataset,
  labelCounts,
  meanImageToRgb,
  type PixelStats,
  type DatasetDescription
} from './stats'
export {
  PREPROCESS_MODES,
  ZCA_DEFAULT_SAMPLES,
  fitPreprocessing,
  gatherBatch,
  measurePreprocessing,
  measureSplit,
  outputWidth,
  pixelHistograms,
  preprocessReport,
  splitRange,
  type FittedPreprocessing,
  type Histograms,
  type PreprocessMode,
  type PreprocessOptions,
  type PreprocessReport,
  type PreprocessingMeasures,
  type Split,
  type SplitSummary
} from './preprocess'
export { parsePickle, type PyValue } from './pickle'
export { symmetricEigen } from '../linalg/eigen'
