/**
 * The one file of the cloud that the console may import, and only with `import type`: the REST
 * API's type for Hono's typed client (`hc<CloudApi>`). It must stay type-only, so importing it
 * never pulls cloud code (SQLite, node:*) into the renderer's bundle; eslint.config.js enforces
 * that the renderer imports nothing else from the cloud.
 */
export type { CloudApi } from './app';
