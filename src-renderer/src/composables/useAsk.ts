/**
 * In-page questions (unsaved changes, a file path in browser mode, crash recovery): `ask`
 * shows one and resolves with the button chosen and the text typed. The one open question is
 * module state rendered by AskDialog (mounted once by SessionCommands); callers just await.
 */
import { shallowRef } from 'vue'

export interface AskButton {
  id: string
  label: string
  primary?: boolean
}
export interface AskOptions {
  title: string
  message: string
  buttons: AskButton[]
  /** A text field (e.g. a file path), with its label and initial value. */
  input?: { label: string; value: string; placeholder?: string }
}
export interface AskAnswer {
  button: string
  value: string
}
export interface OpenQuestion extends AskOptions {
  resolve: (a: AskAnswer) => void
}

export const question = shallowRef<OpenQuestion | null>(null)

export function ask(opts: AskOptions): Promise<AskAnswer> {
  // A new question replaces (and cancels) one still open.
  question.value?.resolve({ button: 'cancel', value: '' })
  return new Promise((resolve) => {
    question.value = {
      ...opts,
      resolve: (a) => {
        question.value = null
        resolve(a)
      }
    }
  })
}
