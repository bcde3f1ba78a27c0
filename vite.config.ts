import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// The web client: ui/ is the web root, the server serves the build from dist/ui.
// Components use Lit's `static properties`, so no decorator transform is needed.
export default defineConfig({
  root: fromRoot('./ui'),
  build: {
    outDir: fromRoot('./dist/ui'),
    emptyOutDir: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
})
