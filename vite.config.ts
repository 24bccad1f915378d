import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// One config for the playground build and for the three test projects that `npm test` runs.
export default defineConfig({
  plugins: [vue()],
  root: '.',
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  test: {
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.spec.ts'],
          environment: 'happy-dom',
          testTimeout: 15_000,
          typecheck: { enabled: false },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
})
