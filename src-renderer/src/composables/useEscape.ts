/**
 * Esc cancels: while the calling component is mounted, Escape anywhere on the page (outside an
 * open dialog or a select list) calls `onEscape`. The listener goes away with the component.
 */
import { onScopeDispose } from 'vue'

export function useEscape(onEscape: () => void): void {
  const listener = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented) return
    onEscape()
  }
  window.addEventListener('keydown', listener)
  onScopeDispose(() => window.removeEventListener('keydown', listener))
}
