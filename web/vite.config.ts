import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// `npm run dev -w web` serves the app with hot reload and sends /api to a running `switchboard serve`.
export default defineConfig({
  plugins: [react()],
  // Into the checkout's dist/, beside the compiled server (dist/server).
  build: { outDir: '../dist/web', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } } },
})
