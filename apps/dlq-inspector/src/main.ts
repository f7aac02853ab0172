import { instrumentLibraries } from '@hookstream/platform/instrumentation';

// Tracing hooks patch http, express, pg and ioredis as they load, so they go in before anything
// imports them: the service itself is imported only afterwards.
instrumentLibraries();
await import('./run.js');
