/// <reference types="vite/client" />
import type { LabApi } from '../../src-shared/contract'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Present in the desktop app (preload); absent in browser mode. */
    layerscope?: LabApi
  }
}
