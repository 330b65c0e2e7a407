/**
 * The Piscina worker entry. Each named export is one task (plain data in, an envelope out);
 * the pool facade selects it by name and derives its types from this module.
 * Workers import neither `electron` nor `vue`, nor anything from src-main or src-renderer.
 */
import { kernelName } from './linalg/gemm'
import { defineTask } from './task'
import { bench as benchImpl, benchDepthTeam as benchDepthTeamImpl } from './tasks/bench'
import * as data from './tasks/data'
import * as engine from './tasks/engine'
import { runLectureCard } from './lecture/cards'
import { sample as sampleImpl } from './tasks/sample'
import { train as trainImpl, trainHelper as trainHelperImpl } from './tasks/train'

export const sample = defineTask(sampleImpl)
export const depth = defineTask(engine.depth)
export const depthHelper = defineTask(engine.depthHelper)
export const gradcheck = defineTask(engine.gradcheck)
export const gradcheckNet = defineTask(engine.gradcheckNet)
export const sanity = defineTask(engine.sanity)
export const loss = defineTask(engine.loss)
export const scalarCheck = defineTask(engine.scalarCheck)
export const omega = defineTask(engine.omega)
export const lectureCard = defineTask(runLectureCard)
export const bench = defineTask(benchImpl)
export const benchDepthTeam = defineTask(benchDepthTeamImpl)
/** The matrix-multiply kernel this worker runs (app:info). */
export const kernel = defineTask((_input: Record<string, never>) => kernelName())
export const openDataset = defineTask(data.openDataset)
export const fitPreprocess = defineTask(data.fitPreprocess)
export const zcaHelper = defineTask(data.zcaHelper)
export const preprocessView = defineTask(data.preprocessView)
export const depthOnDataset = defineTask(data.depthOnDataset)
export const sanityOnDataset = defineTask(data.sanityOnDataset)
export const train = defineTask(trainImpl)
export const trainHelper = defineTask(trainHelperImpl)
export const activationCost = defineTask(engine.activationCost)
