import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { labEvents } from './plugins/events'
import './styles.css'

const pinia = createPinia()
createApp(App).use(pinia).use(labEvents(pinia)).mount('#app')
