import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// `npm run dev -w web` serves the app with hot reload and sends /api to a running `switchboard serve`.
export default defineConfig({
  plugins: [react()],
  // `@shared/…` is src/shared/: the vocabularies the server validates with, imported by the app too (the same
  // alias is in tsconfig.json's paths).
  resolve: { alias: { '@shared': fileURLToPath(new URL('../src/shared', import.meta.url)) } },
  // Into the checkout's dist/, beside the compiled server (dist/server).
  build: { outDir: '../dist/web', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } } },
})
