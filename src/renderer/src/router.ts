// The app's screens as routes (hash history: works from file:// in Electron and from `pbas serve` alike).
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import ProductsView from './views/ProductsView.vue'
import ProductLayout from './views/product/ProductLayout.vue'
import ProductOverview from './views/product/ProductOverview.vue'
import ImportView from './views/product/ImportView.vue'
import TrainView from './views/product/TrainView.vue'
import RunView from './views/product/RunView.vue'
import ReviewView from './views/ReviewView.vue'
import StationView from './views/StationView.vue'
import FleetView from './views/FleetView.vue'

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'products', component: ProductsView, meta: { title: 'Products' } },
  {
    path: '/products/:productId',
    component: ProductLayout,
    children: [
      { path: '', name: 'product', component: ProductOverview, meta: { title: 'Overview' } },
      { path: 'import', name: 'import', component: ImportView, meta: { title: 'Import images' } },
      { path: 'train', name: 'train', component: TrainView, meta: { title: 'Train' } },
      { path: 'runs/:runId', name: 'run', component: RunView, meta: { title: 'Run' } },
    ],
  },
  // Review is full width (grid + viewer); ?evaluation=…&image=… make one image's review a shareable link.
  { path: '/products/:productId/runs/:runId/review/:tab(review|threshold|metrics|features|report)?', name: 'review', component: ReviewView, meta: { title: 'Review' } },
  // The inspection station is full width too; the main navigation links to the one that is running.
  { path: '/products/:productId/runs/:runId/station', name: 'station', component: StationView, meta: { title: 'Station' } },
  // Every station writing to the workspace, on any machine.
  { path: '/fleet', name: 'fleet', component: FleetView, meta: { title: 'Stations' } },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
