// Renderer entry: design tokens, Pinia, the router; the bridge token leaves the address bar before routing starts.
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router'
import { takeTokenFromUrl } from './api'
import './styles/tokens.css'
import './styles/base.css'

if (!window.pbas) takeTokenFromUrl()
createApp(App).use(createPinia()).use(createAppRouter()).mount('#app')
