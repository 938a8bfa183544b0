import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app imports pure domain code from ../src/domain (e.g. citizen-ID validation), so the
// browser and the server judge input by the very same rules.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://localhost:3000' }, fs: { allow: ['..'] } },
});
