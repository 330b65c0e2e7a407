/**
 * The Piscina worker entry. Each named export is one task (plain data in, an envelope out);
 * the pool facade selects it by name and derives its types from this module.
 * Workers import neither `electron` nor `vue`, nor anything from src-main or src-renderer.
 */
import { defineTask } from './task'
import { sample as sampleImpl } from './tasks/sample'
import { testTask } from './tasks/testing'

export const sample = defineTask(sampleImpl)
export const test = defineTask(testTask)
