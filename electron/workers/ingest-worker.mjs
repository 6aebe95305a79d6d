// Development / test bootstrap for the worker thread: registers tsx so the TypeScript worker can be
// imported as is. The Electron build bundles ingest-worker.ts with esbuild and does not use this.
import { register } from 'tsx/esm/api';

register();
await import('./ingest-worker.ts');
