/**
 * NET.json / DATA.json given as `--net FILE` / `--data FILE` (loss, gradcheck --net): read with
 * limits, every failure naming the option and the file; engine errors placed in their file.
 */
import path from 'node:path'
import { LabError } from '../../src-shared/errors'
import { jsonTooDeepAt } from '../../src-shared/json-depth'
import { InputFileError, readRegularText } from '../lab/input-files'

/** Largest NET.json / DATA.json read (bytes). */
const MAX_JSON_BYTES = 256 * 1024 * 1024
/** Deepest nesting of arrays/objects in a NET.json / DATA.json (they nest about five). */
const MAX_JSON_NESTING = 64

/** Reads and parses a JSON file given as `--opt FILE`; every failure names the option and file. */
export async function readJsonOption(opt: string, file: string): Promise<unknown> {
  const abs = path.resolve(file)
  let text: string
  try {
    text = await readRegularText(abs, MAX_JSON_BYTES)
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e
    const code = e.problem === 'not-found' ? 'file-not-found' : 'invalid-file'
    throw new LabError(
      code,
      `--${opt}: ${abs}${e.problem === 'not-found' ? ':' : ''} ${e.message}`,
      {
        file: abs
      }
    )
  }
  if (jsonTooDeepAt(text, MAX_JSON_NESTING) >= 0) {
    throw new LabError(
      'invalid-json',
      `--${opt}: ${abs} nests deeper than ${MAX_JSON_NESTING} levels; a NET.json or DATA.json nests a few`,
      { file: abs }
    )
  }
  if (text.trim() === '') {
    throw new LabError('invalid-json', `--${opt}: ${abs} is empty (expected JSON)`, { file: abs })
  }
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    throw new LabError(
      'invalid-json',
      `--${opt}: ${abs} is not valid JSON: ${(e as Error).message}`,
      {
        file: abs
      }
    )
  }
}

/** The engine names the place in the net or data (`net.layers[2].W`); add which file it is. */
export function inFiles(e: unknown, files: { net: string; data: string }): unknown {
  if (!(e instanceof LabError) || e.code !== 'invalid-input') return e
  const file = e.message.startsWith('data') ? files.data : files.net
  return new LabError(e.code, `${path.resolve(file)}: ${e.message}`, { file: path.resolve(file) })
}
